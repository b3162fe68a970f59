"""Nothing lost, in Chromium: the language switch mid-page, the session's end (warned with the
page's fake clock, ended with the server's frozen one), error-summary links, the kiosk's "Start
over", the 0-10 scales from 320 px and a body map that never picks a side. axe on every new state."""
import pytest

from browser.actions import press
from browser.checks import assert_accessible
from browser.conftest import serve
from conftest import make_app
from triage.contract import RED_FLAGS
from web.extensions import db

pytestmark = pytest.mark.browser

SESSION_IDLE = 20 * 60
SCALES = ("pain_average", "interference_enjoyment", "interference_activity")


@pytest.fixture(scope="module")
def own_app(tmp_path_factory):
    """An app of this module's own, so moving its clock touches no other test."""
    app = make_app(tmp_path_factory.mktemp("nothing-lost"), WTF_CSRF_ENABLED=True, KIOSK_MODE=True,
                   SESSION_IDLE_SECONDS=SESSION_IDLE)
    with serve(app) as url:
        yield app, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def tab(browser, own_app):
    """A phone-sized tab on this module's app; fails the test on any script error."""
    context = browser.new_context(base_url=own_app[1], viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def past_safety(page):
    """Start, and send every safety answer "no" in one request (the safety pages are tested elsewhere)."""
    page.goto("/")
    press(page, "Start")
    token = page.locator('input[name="csrf_token"]').first.get_attribute("value")
    answers = {flag: "no" for flag in RED_FLAGS}
    response = page.request.post("/questions/safety", form={**answers, "action": "next", "csrf_token": token})
    assert response.ok
    page.goto("/questions/about")


def to_pain_page(page, places=("lower_back",)):
    """Answer the first two steps; land on the pain page."""
    past_safety(page)
    page.fill("#age", "58")
    for place in places:
        page.check(f'input[name="locations"][value="{place}"]')
    press(page, "Next")
    assert page.url.endswith("/questions/pain")


def test_switching_language_mid_page_keeps_what_was_typed_and_scales_form_a_clear_grid(tab):
    to_pain_page(tab)
    for width, rows in ((320, [range(0, 6), range(6, 11)]), (640, [range(11)])):
        tab.set_viewport_size({"width": width, "height": 700})
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        for name in SCALES:
            boxes = [tab.locator(f"#{name}-field .choice").nth(i).bounding_box() for i in range(11)]
            tops = [sorted({round(boxes[i]["y"]) for i in row}) for row in rows]
            assert all(len(top) == 1 for top in tops) and tops == sorted(tops), f"{name} at {width} px: {tops}"
            assert min(min(box["width"], box["height"]) for box in boxes) >= 44
    tab.set_viewport_size({"width": 390, "height": 844})
    tab.check('input[name="area_weeks_back_leg"][value="12"]')
    tab.check('input[name="pain_average"][value="3"]')
    with tab.expect_navigation():
        tab.get_by_role("button", name="Español").click()
    assert tab.evaluate("document.documentElement.lang") == "es" and tab.url.endswith("/questions/pain")
    assert tab.is_checked('input[name="area_weeks_back_leg"][value="12"]')
    assert tab.is_checked('input[name="pain_average"][value="3"]')
    assert tab.locator(".error-summary").count() == 0
    with tab.expect_navigation():
        tab.get_by_role("button", name="English").click()
    assert tab.is_checked('input[name="pain_average"][value="3"]')


def test_error_summary_links_land_with_the_question_and_its_message_in_view(tab):
    to_pain_page(tab)
    tab.set_viewport_size({"width": 375, "height": 667})
    press(tab, "Next")
    link = tab.locator('.error-summary a[href="#interference_activity-field"]')
    link.click()
    assert tab.evaluate("document.activeElement.name") == "interference_activity"
    for selector in ("#interference_activity-field legend", "#interference_activity-error"):
        box = tab.locator(selector).bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 667, selector
    assert_accessible(tab, "pain page with errors")


def test_the_session_warns_before_it_ends_and_the_end_keeps_saved_steps(tab, own_app):
    app, _url = own_app
    tab.clock.install()
    to_pain_page(tab)
    warning = tab.locator("[data-session-warning]")
    assert not warning.is_visible()
    tab.clock.run_for((SESSION_IDLE - 5 * 60 + 2) * 1000)
    assert warning.is_visible() and "time out in a few minutes" in warning.inner_text()
    assert_accessible(tab, "session warning")
    tab.check('input[name="pain_average"][value="4"]')
    press(tab, "Save my answers")
    assert tab.url.endswith("/questions/pain") and tab.is_checked('input[name="pain_average"][value="4"]')
    app.extensions["clock"].advance(SESSION_IDLE + 1)
    press(tab, "Next")
    assert tab.get_by_role("heading", name="Your session timed out").is_visible()
    assert "still here on this device" in tab.inner_text("main")
    assert_accessible(tab, "session ended")
    with tab.expect_navigation():
        tab.get_by_role("link", name="Continue where you left off").click()
    assert tab.url.endswith("/questions/pain") and tab.is_checked('input[name="pain_average"][value="4"]')


def test_the_body_map_lights_only_the_side_tapped(tab):
    past_safety(tab)
    knees = tab.locator('[data-location="knee"]')
    assert knees.count() == 4
    knees.first.click()
    assert tab.is_checked('input[name="locations"][value="knee"]')
    assert tab.locator('.region.is-selected[data-location="knee"]').count() == 1
    knees.nth(1).click()
    assert tab.locator('.region.is-selected[data-location="knee"]').count() == 2
    knees.first.click()
    knees.nth(1).click()
    assert not tab.is_checked('input[name="locations"][value="knee"]')
    tab.check('input[name="locations"][value="knee"]')
    assert tab.locator('.region.is-selected[data-location="knee"]').count() == 0, "a side nobody chose"
    tab.check('input[name="locations"][value="head"]')
    assert tab.locator('.region.is-selected[data-location="head"]').count() == 2  # front and back view
    assert_accessible(tab, "body map")


def test_the_kiosk_asks_before_starting_over_and_keeps_the_buttons_apart(tab):
    tab.set_viewport_size({"width": 768, "height": 1024})
    tab.goto("/kiosk")
    with tab.expect_navigation():
        tab.get_by_role("button", name="English").click()
    tab.check(f'input[name="{RED_FLAGS[0]}"][value="no"]')
    language = tab.locator(".language-switch .button").bounding_box()
    start_over = tab.locator("[data-kiosk-start-over]").bounding_box()
    gap = start_over["x"] - (language["x"] + language["width"])
    assert gap >= 24 or start_over["y"] >= language["y"] + language["height"] + 24, (language, start_over)
    assert start_over["height"] >= 44 and start_over["width"] >= 44
    tab.get_by_role("link", name="Start over").click()
    dialog = tab.locator("[data-kiosk-confirm]")
    assert dialog.is_visible() and "clears every answer" in dialog.inner_text()
    assert_accessible(tab, "kiosk start-over question")
    tab.get_by_role("button", name="No, keep my answers").click()
    assert not dialog.is_visible() and tab.is_checked(f'input[name="{RED_FLAGS[0]}"][value="no"]')
    tab.get_by_role("link", name="Start over").click()
    with tab.expect_navigation():
        tab.get_by_role("button", name="Yes, clear my answers").click()
    assert tab.url.endswith("/kiosk")
