"""Three patients complete the questionnaire in Chromium; axe checks every page they see.

- sciatica after physiotherapy (mirrors spec case 01) taps the body map and gets an epidural;
- long-standing axial low back pain (case 02) uses only the keyboard and gets a facet block;
- a patient with a red flag, with JavaScript off, is sent to the emergency page at once.
Each page is also checked at 320 px for sideways scrolling and for 44 px touch targets, and
photographed at phone (390x844) and tablet (1280x800) size.
"""
import re

import pytest

from browser.checks import assert_accessible, small_targets
from browser.safety import answer_safety_groups
from web.patient.steps import SAFETY_GROUPS
from triage.knowledge import patient_text

pytestmark = pytest.mark.browser

SIZES = {"phone": (390, 844), "tablet": (1280, 800)}
TARGETS = ".choice, .button, .change-link, .details summary, .skip-link:focus"


@pytest.fixture
def watched(page):
    """The page, failing the test on any script error or blocked resource (a CSP violation)."""
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    yield page
    assert not problems, problems


def check_page(page, screenshots, name):
    """Run axe, check narrow layout and touch targets, and photograph the page at both sizes."""
    assert_accessible(page, name)
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{name} scrolls sideways at 320 px"
    small = small_targets(page, TARGETS, 44)
    assert not small, f"{name}: touch targets under 44 px: {small}"
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(screenshots / f"{name}-{size}.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})


def next_page(page):
    """Press Next and wait for the following page."""
    with page.expect_navigation():
        page.get_by_role("button", name="Next").click()


def test_sciatica_after_physiotherapy_by_touch(watched, screenshots):
    page = watched
    prefix = "sciatica"
    page.goto("/")
    check_page(page, screenshots, f"{prefix}-0-start")
    page.get_by_role("button", name="Start").click()
    expect_step(page, 1, "Safety questions")
    next_page(page)
    first_group = SAFETY_GROUPS[0][2]
    assert page.locator(".error-summary a").count() == len(first_group)
    assert page.evaluate("document.activeElement.matches('[data-error-summary]')")
    check_page(page, screenshots, f"{prefix}-1-safety-errors")
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == f"{first_group[0]}-0"
    for flag in first_group:
        page.check(f'input[name="{flag}"][value="no"]')
    check_page(page, screenshots, f"{prefix}-1-safety")
    next_page(page)
    answer_safety_groups(page, first=2)

    expect_step(page, 2, "About you and where it hurts")
    page.fill("#age", "52")
    for place in ("lower_back", "buttock", "leg"):
        page.locator(f'[data-location="{place}"]').first.click()
        assert page.is_checked(f'input[name="locations"][value="{place}"]')
    page.locator('[data-location="leg"]').first.click()
    assert not page.is_checked('input[name="locations"][value="leg"]')
    page.locator('[data-location="leg"]').first.click()
    # Only what was tapped lights up: the lower back, one buttock, one part of one leg.
    assert page.locator(".region.is-selected").count() == 1 + 1 + 1
    check_page(page, screenshots, f"{prefix}-2-about")
    next_page(page)

    expect_step(page, 3, "How long and how bad")
    choose(page, {"area_weeks_back_leg": "6", "pain_average": "7",
                  "interference_enjoyment": "6", "interference_activity": "8"})
    check_page(page, screenshots, f"{prefix}-3-pain")
    next_page(page)

    expect_step(page, 4, "What the pain feels like")
    assert page.locator('input[value="scalp_tender_back_of_head"]').count() == 0
    page.check('input[value="radiates_below_knee"]')
    page.check('input[value="numbness_tingling"]')
    check_page(page, screenshots, f"{prefix}-4-feel")
    next_page(page)

    expect_step(page, 5, "What you have tried")
    assert not page.is_visible('[data-follow-up="medial_branch_block"]')
    page.check('input[value="physical_therapy"]')
    page.check('input[value="anti_inflammatory"]')
    page.check('input[name="types"][value="none"]')
    assert not page.is_checked('input[value="physical_therapy"]')
    page.check('input[value="physical_therapy"]')
    assert not page.is_checked('input[name="types"][value="none"]')
    page.check('input[value="anti_inflammatory"]')
    check_page(page, screenshots, f"{prefix}-5-tried")
    next_page(page)

    expect_step(page, 5, "How those treatments went")
    choose(page, {"row0_weeks": "6", "row0_relief_percent": "25", "row1_weeks": "6", "row1_relief_percent": "0"})
    check_page(page, screenshots, f"{prefix}-5-details")
    next_page(page)

    expect_step(page, 6, "Your health")
    page.check('input[name="health"][value="none"]')
    check_page(page, screenshots, f"{prefix}-6-health")
    next_page(page)

    expect_step(page, 7, "Check your answers")
    assert "Lower back" in page.inner_text("main") and "6 to 11 weeks" in page.inner_text("main")
    check_page(page, screenshots, f"{prefix}-7-review")
    with page.expect_navigation():
        page.get_by_role("button", name="Send my answers").click()

    assert page.url.endswith("/results")
    assert page.get_by_role("heading", name="Lower back epidural steroid injection").is_visible()
    assert re.fullmatch(r"[ACDEFHJKMNPRTUVWXY34679]{6}", page.inner_text(".checkin__code"))
    page.locator("details summary").first.click()
    assert page.locator("details").first.get_attribute("open") is not None
    check_page(page, screenshots, f"{prefix}-8-results")


def test_axial_low_back_pain_by_keyboard_only(watched, screenshots):
    page = watched
    prefix = "axial"
    page.goto("/")
    key_press_button(page, "Start")
    expect_step(page, 1, "Safety questions")
    for number, (_heading, _question, flags) in enumerate(SAFETY_GROUPS, start=1):
        for flag in flags:
            key_radio(page, flag, "no")
        if number == 1:
            focus_style = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert focus_style not in ("none", ""), "keyboard focus is not visible"
            check_page(page, screenshots, f"{prefix}-1-safety")
        key_press_button(page, "Next")

    expect_step(page, 2, "About you and where it hurts")
    tab_to(page, "#age")
    page.keyboard.type("61")
    key_checkbox(page, "locations", "lower_back")
    check_page(page, screenshots, f"{prefix}-2-about")
    key_press_button(page, "Next")

    expect_step(page, 3, "How long and how bad")
    for name, value in (("area_weeks_back_leg", "26"), ("pain_average", "6"),
                        ("interference_enjoyment", "6"), ("interference_activity", "6")):
        key_radio(page, name, value)
    check_page(page, screenshots, f"{prefix}-3-pain")
    key_press_button(page, "Next")

    expect_step(page, 4, "What the pain feels like")
    key_checkbox(page, "symptoms", "worse_twisting_leaning_back")
    check_page(page, screenshots, f"{prefix}-4-feel")
    key_press_button(page, "Next")

    expect_step(page, 5, "What you have tried")
    key_checkbox(page, "types", "physical_therapy")
    key_checkbox(page, "types", "acetaminophen")
    check_page(page, screenshots, f"{prefix}-5-tried")
    key_press_button(page, "Next")

    expect_step(page, 5, "How those treatments went")
    for name, value in (("row0_weeks", "6"), ("row0_relief_percent", "25"), ("row1_weeks", "12"),
                        ("row1_relief_percent", "0")):
        key_radio(page, name, value)
    check_page(page, screenshots, f"{prefix}-5-details")
    key_press_button(page, "Next")

    expect_step(page, 6, "Your health")
    key_checkbox(page, "health", "none")
    check_page(page, screenshots, f"{prefix}-6-health")
    key_press_button(page, "Next")

    expect_step(page, 7, "Check your answers")
    check_page(page, screenshots, f"{prefix}-7-review")
    key_press_button(page, "Send my answers")
    assert page.url.endswith("/results")
    assert page.get_by_role("heading", name="First facet joint test block").is_visible()
    check_page(page, screenshots, f"{prefix}-8-results")
    tab_to(page, "details summary")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.parentElement.open") is True


def test_a_red_flag_goes_to_the_emergency_page_at_once_without_javascript(browser, base_url, screenshots):
    no_script = browser.new_context(base_url=base_url, java_script_enabled=False,
                                    viewport={"width": 390, "height": 844})
    page = no_script.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/")
        page.get_by_role("button", name="Start").click()
        # Only the emergency answer: the other questions may stay unanswered.
        page.check('input[name="saddle_numbness"][value="yes"]')
        next_page(page)
        assert page.url.endswith("/emergency")
        assert page.get_by_role("heading", level=1).inner_text() == patient_text("en")["patient_view"]["emergency_heading"]
        assert page.get_by_role("link", name="Call 911").get_attribute("href") == "tel:911"
        # axe itself needs JavaScript: check the same page in a context that shares the session.
        scripted = browser.new_context(base_url=base_url, storage_state=no_script.storage_state(),
                                       viewport={"width": 390, "height": 844})
        try:
            same = scripted.new_page()
            same.goto("/emergency")
            check_page(same, screenshots, "red-flag-emergency")
        finally:
            scripted.close()
    finally:
        no_script.close()


def expect_step(page, number, title):
    """Check the page is the expected step, with its progress and heading."""
    assert page.inner_text(".progress__text") == f"Step {number} of 7"
    assert page.get_by_role("heading", level=1).inner_text() == title


def choose(page, answers):
    """Tick one radio per question."""
    for name, value in answers.items():
        page.check(f'input[name="{name}"][value="{value}"]')


def tab_to(page, selector, limit=400):
    """Press Tab until the focused element matches the selector."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def key_radio(page, name, value):
    """Choose a radio answer with Tab and the arrow keys."""
    tab_to(page, f'input[name="{name}"]')
    for _ in range(15):
        current = page.evaluate("[document.activeElement.value, document.activeElement.checked]")
        if current[0] == value:
            if not current[1]:
                page.keyboard.press("Space")
            assert page.is_checked(f'input[name="{name}"][value="{value}"]')
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"arrow keys never reached {name}={value}")


def key_checkbox(page, name, value):
    """Tick a checkbox with Tab and Space."""
    tab_to(page, f'input[name="{name}"][value="{value}"]')
    page.keyboard.press("Space")
    assert page.is_checked(f'input[name="{name}"][value="{value}"]')


def key_press_button(page, label):
    """Reach a button with Tab and press Enter, waiting for the next page."""
    tab_to(page, "button")
    for _ in range(20):
        if page.evaluate("document.activeElement.textContent.trim()") == label:
            break
        tab_to(page, "button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
