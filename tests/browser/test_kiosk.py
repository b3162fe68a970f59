"""The kiosk in Chromium: each patient is forgotten, and nothing of one reaches the next.

Neither clock runs by itself: the server's is a FrozenClock, and the tablet's `Date.now()` is
held by Playwright's clock from the moment the tab opens and moved on only by the test (the
page's timers still tick, so a countdown notices at once). The timings are long (the warning
after 10 minutes of quiet, a 1-minute countdown, a 1-minute finish screen) and the test jumps
over them, so however slowly a busy machine types, no countdown ends before the test moves
the clock.
"""
import re
import time

import pytest
from playwright.sync_api import expect

from browser.actions import press
from browser.checks import assert_accessible, small_targets
from browser.conftest import CHROMIUM_FLAGS, serve
from browser.safety import answer_safety_groups
from conftest import make_app
from web.extensions import db
from web.models import Draft, Submission

pytestmark = pytest.mark.browser

IDLE, WARNING, FINISH = 600, 60, 60
TARGETS = ".choice, .button, .change-link, .input, main a"
CODE = re.compile(r"[ACDEFHJKMNPRTUVWXY34679]{6}")
# What patient A types or ticks, and words only A's answers or results would put on a page.
A_ABOUT = {"age": "52", "locations": ("lower_back", "buttock", "leg")}
A_PAIN = {"area_weeks_back_leg": "6", "pain_average": "7",
          "interference_enjoyment": "6", "interference_activity": "8"}
A_WORDS = ("52", "Lower back", "Buttock", "epidural", "Epidural", "injection")
REPORT_RESTORED = """addEventListener("pageshow", (event) => {
    if (event.persisted) { window.reportRestored(location.pathname); } });"""


@pytest.fixture(scope="module")
def kiosk_app(tmp_path_factory):
    """The app in kiosk mode with short timings and CSRF checks on."""
    app = make_app(tmp_path_factory.mktemp("kiosk"), WTF_CSRF_ENABLED=True, KIOSK_MODE=True,
                   KIOSK_IDLE_SECONDS=IDLE, KIOSK_WARNING_SECONDS=WARNING, KIOSK_FINISH_SECONDS=FINISH)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def kiosk_url(kiosk_app):
    """Serve the kiosk app for this module."""
    with serve(kiosk_app) as url:
        yield url


@pytest.fixture(scope="module")
def cached_browser(browser, chromium_path):
    """Chromium with its back/forward cache on, as on a real tablet (Playwright turns it off)."""
    launched = browser.browser_type.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_FLAGS,
                                           ignore_default_args=["--disable-back-forward-cache"])
    yield launched
    launched.close()


@pytest.fixture
def tablet(cached_browser, kiosk_url):
    """A tablet-sized tab that records any page restored from the back/forward cache and any script error."""
    context = cached_browser.new_context(base_url=kiosk_url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    restored, problems = [], []
    context.expose_function("reportRestored", lambda path: restored.append(path))
    context.add_init_script(REPORT_RESTORED)
    tab = context.new_page()
    tab.fake_now = time.time()
    context.clock.set_fixed_time(tab.fake_now)
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    tab.restored = restored
    yield tab
    context.close()
    assert not problems, problems


@pytest.fixture
def stored(kiosk_app):
    """Read the kiosk app's database: stored(Model) -> rows. Each test starts with no drafts."""
    with kiosk_app.app_context():
        db.session.execute(db.delete(Draft))
        db.session.commit()

    def rows(model):
        with kiosk_app.app_context():
            return db.session.execute(db.select(model)).scalars().all()

    return rows


def check_accessible(page, name):
    """Run axe with the WCAG 2.2 AA tags; every target of the kiosk is at least 48 px."""
    assert_accessible(page, name)
    small = small_targets(page, TARGETS, 48)
    assert not small, f"{name}: kiosk targets under 48 px: {small}"


def wait(page, seconds):
    """Move the tablet's clock on by `seconds`; its countdowns see it at their next tick."""
    page.fake_now += seconds
    page.clock.set_fixed_time(page.fake_now)


def start(page, language="English"):
    """Open the kiosk and choose a language."""
    page.goto("/kiosk")
    press(page, language)
    assert page.url.endswith("/questions/safety")


def answer_safety(page):
    """Answer no to every safety question and go on."""
    answer_safety_groups(page)


def answer_about_and_pain(page):
    """Patient A's age, places and pain."""
    page.fill("#age", A_ABOUT["age"])
    for place in A_ABOUT["locations"]:
        page.check(f'input[name="locations"][value="{place}"]')
    press(page, "Next")
    for name, value in A_PAIN.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    press(page, "Next")


def answer_the_rest(page):
    """Finish the questionnaire from the symptoms page and send it."""
    page.check('input[value="radiates_below_knee"]')
    press(page, "Next")
    page.check('input[value="physical_therapy"]')
    press(page, "Next")
    for name, value in {"row0_weeks": "6", "row0_relief_percent": "25"}.items():
        page.check(f'input[name="{name}"][value="{value}"]')
    press(page, "Next")
    page.check('input[name="health"][value="none"]')
    press(page, "Next")
    press(page, "Send my answers")


def session_cookie(page):
    """Return the tablet's session cookie value (None when there is none)."""
    values = [cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "pt_session"]
    return values[0] if values else None


def shows_nothing_of_a(page):
    """Assert the page holds no answer of patient A, in its controls or its text."""
    assert page.locator("input:checked").count() == 0, page.url
    assert page.evaluate("[...document.querySelectorAll('input[type=text]')].every(i => !i.value)")
    assert A_ABOUT["age"] not in page.inner_text("body"), page.url


def assert_nothing_kept_in_the_browser(page):
    """No answer in cookies, localStorage or sessionStorage."""
    assert page.evaluate("localStorage.length + sessionStorage.length") == 0
    for cookie in page.context.cookies():
        assert cookie["name"] == "pt_session" and re.fullmatch(r"[A-Za-z0-9_-]{43}", cookie["value"])


def test_an_idle_patient_is_forgotten_and_back_and_forward_show_nothing(tablet, stored):
    page = tablet
    start(page)
    answer_safety(page)
    answer_about_and_pain(page)
    page.check('input[value="radiates_below_knee"]')
    assert_nothing_kept_in_the_browser(page)
    a_cookie = session_cookie(page)
    assert len(stored(Draft)) == 1

    dialog = page.get_by_role("alertdialog", name="Are you still there?")
    wait(page, IDLE + WARNING / 2)
    dialog.wait_for()
    with page.expect_navigation():
        wait(page, WARNING)
    assert re.search(r"/kiosk$", page.url), page.url
    assert stored(Draft) == []
    assert session_cookie(page) not in (None, a_cookie)
    shows_nothing_of_a(page)

    for _ in range(4):
        page.go_back()
        shows_nothing_of_a(page)
    for _ in range(4):
        page.go_forward()
        shows_nothing_of_a(page)
    assert page.restored == []


def test_after_a_submits_only_the_code_shows_and_b_starts_with_nothing_of_a(tablet, stored):
    page = tablet
    page.goto("/kiosk")
    check_accessible(page, "kiosk start")
    press(page, "English")
    answer_safety(page)
    answer_about_and_pain(page)
    answer_the_rest(page)

    assert page.url.endswith("/kiosk/finish")
    countdown = page.locator("[data-seconds-left]")
    wait(page, FINISH / 2)
    expect(countdown).not_to_have_text(str(FINISH))
    page.get_by_role("button", name="I need more time").click()
    expect(countdown).to_have_text(str(FINISH))
    code = page.inner_text(".checkin__code")
    assert CODE.fullmatch(code) and code in {row.checkin_code for row in stored(Submission)}
    main = page.inner_text("main")
    assert "Please hand the tablet to the front desk." in main
    assert not any(word in main for word in A_WORDS), main
    check_accessible(page, "kiosk finish")
    assert_nothing_kept_in_the_browser(page)
    a_cookie = session_cookie(page)

    with page.expect_navigation():
        wait(page, FINISH)
    assert re.search(r"/kiosk$", page.url), page.url
    press(page, "English")
    assert session_cookie(page) != a_cookie
    shows_nothing_of_a(page)
    answer_safety(page)
    shows_nothing_of_a(page)
    (draft,) = stored(Draft)
    assert draft.kiosk and list(draft.answers) == ["safety"]
    assert page.restored == []


def test_im_still_here_keeps_the_answers_and_the_warning_is_accessible(tablet, stored):
    page = tablet
    start(page)
    answer_safety(page)
    page.fill("#age", "52")
    dialog = page.get_by_role("alertdialog", name="Are you still there?")
    wait(page, IDLE + WARNING / 2)
    dialog.wait_for()
    assert page.evaluate("document.activeElement.closest('dialog[open]') !== null")
    assert 1 <= int(page.inner_text("[data-seconds-left]")) <= WARNING / 2 + 10
    check_accessible(page, "kiosk warning")
    with page.expect_response("**/kiosk/still-here") as ping:
        page.get_by_role("button", name="I'm still here").click()
    assert ping.value.status == 204
    assert not dialog.is_visible()
    assert page.input_value("#age") == "52"
    page.check('input[name="locations"][value="neck"]')
    press(page, "Next")
    assert page.url.endswith("/questions/pain")
    (draft,) = stored(Draft)
    assert draft.answers["about"]["age"] == "52"


def test_without_javascript_the_server_forgets_an_idle_patient(browser, kiosk_app, kiosk_url, stored):
    context = browser.new_context(base_url=kiosk_url, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        start(page)
        answer_safety(page)
        page.fill("#age", "52")
        page.check('input[name="locations"][value="lower_back"]')
        assert not page.get_by_role("alertdialog").is_visible()
        kiosk_app.extensions["clock"].advance(IDLE + WARNING + 1)
        press(page, "Next")
        assert page.url.endswith("/kiosk?expired=1")
        assert page.get_by_role("status").inner_text().startswith("The screen was not used for a while")
        assert stored(Draft) == []
        shows_nothing_of_a(page)
    finally:
        context.close()
