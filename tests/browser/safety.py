"""Answering the safety questions in the browser: one short group per page."""
from web.patient.steps import SAFETY_GROUPS


def answer_safety_groups(page, next_label="Next", first=1):
    """Answer "no" to every question of each group from `first` on, pressing Next after each."""
    for _heading, _question, flags in SAFETY_GROUPS[first - 1:]:
        for flag in flags:
            page.check(f'input[name="{flag}"][value="no"]')
        with page.expect_navigation():
            page.get_by_role("button", name=next_label, exact=True).click()
