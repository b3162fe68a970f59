"""Checks every browser test runs on a page: axe with the WCAG 2.2 AA tags, and touch-target size."""
from axe_playwright_python.sync_playwright import Axe

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
_axe = Axe()


def assert_accessible(page, name=""):
    """Fail with axe's report when the page has any WCAG 2.2 A/AA violation."""
    result = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    assert not result.response["violations"], f"{name}: {result.generate_report()}"


def small_targets(page, selector, minimum):
    """Return the text of visible targets matching `selector` smaller than `minimum` px either way."""
    return page.evaluate("""([selector, minimum]) => [...document.querySelectorAll(selector)]
        .filter(e => e.offsetParent !== null)
        .map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect()])
        .filter(([, r]) => r.height < minimum || r.width < minimum).map(([t]) => t)""", [selector, minimum])
