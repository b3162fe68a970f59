"""An emergency answer reaches help in a few taps, and the nurse learns of it (issue 9).

Taps are counted from the start page (a phone at 375x667 with touch, and the kiosk), in
English and in Spanish; the emergency instruction and the call link must be on the first
screen. The nurse then finds the safety stop at the top of the queue, and the answer the
patient changed back to "no" on the submission. axe checks every new page and state.
"""
import re

import pytest

from browser.actions import sign_in
from browser.checks import assert_accessible
from browser.conftest import serve
from browser.safety import answer_safety_groups
from conftest import STAFF_PASSWORD, make_app
from triage.contract import EMERGENCY_NUMBER
from triage.knowledge import patient_text
from web.extensions import db
from web.models import User
from web.nurse.account import hash_password

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}
MAX_TAPS = 5
WORDS = {"en": {"start": "Start", "yes": "Yes", "next": "Next", "switch": "Español", "kiosk": "English"},
         "es": {"start": "Empezar", "yes": "Sí", "next": "Siguiente", "switch": "Español", "kiosk": "Español"}}


class Taps:
    """Tap like a finger and count every tap."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator, navigates=True):
        self.count += 1
        if navigates:
            with self.page.expect_navigation():
                locator.tap()
        else:
            locator.tap()


def on_first_screen(page, selector):
    """Tell whether the element is wholly inside the first screen, without scrolling."""
    return page.evaluate("""(selector) => { const box = document.querySelector(selector).getBoundingClientRect();
        return window.scrollY === 0 && box.top >= 0 && box.bottom <= window.innerHeight; }""", selector)


def first_emergency(taps, lang):
    """Answer the first safety question "Yes" and press Next, counting the taps."""
    page = taps.page
    taps.tap(page.locator('label[for="bladder_bowel_change-0"]'), navigates=False)
    assert page.get_by_role("radio", name=WORDS[lang]["yes"]).first.is_checked()
    taps.tap(page.get_by_role("button", name=WORDS[lang]["next"], exact=True))
    assert page.url.endswith("/emergency")


@pytest.fixture
def phone(browser, base_url):
    """A phone with a touch screen at 375x667."""
    context = browser.new_context(base_url=base_url, viewport=PHONE, has_touch=True, is_mobile=True)
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_phone_reaches_the_emergency_instruction_in_a_few_taps(phone, lang, screenshots):
    page, taps = phone, Taps(phone)
    page.goto("/")
    if lang == "es":
        taps.tap(page.get_by_role("button", name=WORDS["es"]["switch"]))
    taps.tap(page.get_by_role("button", name=WORDS[lang]["start"], exact=True))
    first_emergency(taps, lang)
    print(f"phone {lang}: {taps.count} taps from the start page to the emergency instruction")
    assert taps.count <= MAX_TAPS
    text = patient_text(lang)
    assert page.inner_text("h1") == text["patient_view"]["emergency_heading"]
    call = page.locator(f'a[href="tel:{EMERGENCY_NUMBER}"]').first
    assert EMERGENCY_NUMBER in call.inner_text()
    action = page.locator(".alert__action").first
    assert action.inner_text() == " ".join(text["alerts"]["cauda_equina"]["action"].split())
    assert EMERGENCY_NUMBER in action.inner_text()
    assert on_first_screen(page, ".alert__action") and on_first_screen(page, f'a[href="tel:{EMERGENCY_NUMBER}"]')
    assert re.fullmatch(r"[A-Z0-9]{6}", page.inner_text(".safety-stop__code"))
    assert_accessible(page, f"emergency-phone-{lang}")
    page.screenshot(path=str(screenshots / f"emergency-phone-{lang}.png"))


@pytest.fixture(scope="module")
def kiosk_url(tmp_path_factory):
    app = make_app(tmp_path_factory.mktemp("kiosk-emergency"), WTF_CSRF_ENABLED=True, KIOSK_MODE=True)
    with serve(app) as url:
        yield url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_kiosk_reaches_the_emergency_instruction_in_a_few_taps(browser, kiosk_url, lang, screenshots):
    context = browser.new_context(base_url=kiosk_url, viewport={"width": 1280, "height": 800}, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        taps = Taps(page)
        page.goto("/kiosk")
        taps.tap(page.locator("main").get_by_role("button", name=WORDS[lang]["kiosk"], exact=True))
        first_emergency(taps, lang)
        print(f"kiosk {lang}: {taps.count} taps from the start screen to the emergency instruction")
        assert taps.count <= MAX_TAPS
        assert page.locator('a[href^="tel:"], a[href^="sms:"]').count() == 0, "a shared tablet cannot place a call"
        kiosk_line = patient_text(lang)["patient_view"]["kiosk_emergency"]
        assert kiosk_line in page.inner_text(".alert__kiosk") and EMERGENCY_NUMBER in kiosk_line
        assert on_first_screen(page, ".alert__action") and on_first_screen(page, ".alert__kiosk")
        assert_accessible(page, f"emergency-kiosk-{lang}")
        page.screenshot(path=str(screenshots / f"emergency-kiosk-{lang}.png"))
    finally:
        context.close()


@pytest.fixture
def nurse(browser, live_app, base_url):
    """A signed-in nurse in a desktop browser."""
    with live_app.app_context():
        if db.session.execute(db.select(User).filter_by(username="nell")).scalar_one_or_none() is None:
            db.session.add(User(username="nell", password_hash=hash_password(STAFF_PASSWORD)))
            db.session.commit()
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    sign_in(page, "nell")
    yield page
    context.close()


def test_the_nurse_sees_the_stop_first_and_the_answer_changed_back(phone, nurse, screenshots):
    page = phone
    page.goto("/")
    Taps(page).tap(page.get_by_role("button", name="Start", exact=True))
    first_emergency(Taps(page), "en")
    code = page.inner_text(".safety-stop__code")

    nurse.goto("/nurse/")
    first = nurse.locator(".safety-stops .stop").first
    assert code in first.inner_text() and "Safety stop — emergency answer on the safety questions" in first.inner_text()
    assert nurse.evaluate("""() => document.querySelector('.safety-stops').compareDocumentPosition(
        document.querySelector('table.queue')) & Node.DOCUMENT_POSITION_FOLLOWING""")
    assert_accessible(nurse, "nurse-queue-with-stop")
    nurse.screenshot(path=str(screenshots / "nurse-queue-safety-stop.png"), full_page=True)

    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("I chose an answer by mistake")).tap()
    page.check('input[name="bladder_bowel_change"][value="no"]')
    answer_safety_groups(page)
    finish_sciatica(page)

    with nurse.expect_navigation():
        first.get_by_role("link", name=code).click()
    assert_accessible(nurse, "nurse-safety-stop")
    with nurse.expect_navigation():
        nurse.locator(".stop__facts a").first.click()
    retracted = nurse.locator(".retracted")
    assert "Safety answers changed back to no" in retracted.inner_text()
    assert "New trouble passing urine" in retracted.inner_text()
    assert_accessible(nurse, "nurse-detail-retracted")
    with nurse.expect_navigation():
        nurse.get_by_role("link", name="Back to the queue").click()
    with nurse.expect_navigation():
        nurse.locator(".safety-stops .stop").first.get_by_role("button", name=re.compile("Acknowledge")).click()
    assert nurse.locator(".safety-stops .stop", has_text=code).count() == 0


def finish_sciatica(page):
    """Answer the rest of the questionnaire as spec case 01 and send it."""
    page.fill("#age", "52")
    for place in ("lower_back", "buttock", "leg"):
        page.check(f'input[name="locations"][value="{place}"]')
    next_button(page)
    for name, value in {"area_weeks_back_leg": "6", "pain_average": "7",
                        "interference_enjoyment": "6", "interference_activity": "8"}.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    next_button(page)
    page.check('input[value="radiates_below_knee"]')
    next_button(page)
    page.check('input[name="types"][value="none"]')
    next_button(page)
    page.check('input[name="health"][value="none"]')
    next_button(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()
    assert page.url.endswith("/results")


def next_button(page):
    with page.expect_navigation():
        page.get_by_role("button", name="Next", exact=True).click()
