"""A nurse signs in, opens the top (emergency) item and marks it reviewed, in Chromium.

axe checks the login, queue, detail, print and audit pages. The workspace is served
from its own app (not the shared patient `live_app`), so its staff and queue stay apart.
"""
import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from browser import actions
from browser.checks import assert_accessible
from browser.conftest import serve
from conftest import STAFF_PASSWORD, make_app
from web.demo import DEMO_PATIENTS, submission_for
from web.extensions import db
from web.models import User, utcnow
from web.nurse.account import hash_password

pytestmark = pytest.mark.browser

# (check-in code, demo patient, minutes ago): the emergency arrived last but must be on top.
QUEUE = (("OLD001", 0, 240), ("URG001", 5, 60), ("KNEE01", 7, 30), ("EMR001", 1, 2))


@pytest.fixture(scope="module")
def workspace_url(tmp_path_factory):
    """The nurse workspace with two staff and a small queue, served on a free loopback port."""
    app = make_app(tmp_path_factory.mktemp("nurse-browser"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        for username, role in (("nina", "nurse"), ("ada", "admin")):
            db.session.add(User(username=username, password_hash=hash_password(STAFF_PASSWORD), role=role))
        for code, patient, minutes in QUEUE:
            db.session.add(submission_for(DEMO_PATIENTS[patient][2], code,
                                          utcnow() - timedelta(minutes=minutes)))
        db.session.commit()
    with serve(app) as url:
        yield url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def desk(browser, workspace_url):
    """A desktop-sized browser tab with its own cookies."""
    context = browser.new_context(base_url=workspace_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, username):
    actions.sign_in(page, username)
    expect(page.get_by_role("heading", name="Review queue", level=1)).to_be_visible()


def test_nurse_reviews_the_emergency_first(desk):
    desk.goto("/nurse/login")
    assert_accessible(desk)
    sign_in(desk, "nina")
    assert_accessible(desk)

    first_row = desk.locator("table.queue tbody tr").first
    expect(first_row).to_contain_text("Emergency")
    expect(first_row).to_contain_text("Possible cauda equina syndrome")
    first_row.get_by_role("link", name="EMR001").click()

    expect(desk.get_by_role("heading", name=re.compile("Check-in EMR001"), level=1)).to_be_visible()
    expect(desk.get_by_role("heading", name="Emergency: Possible cauda equina syndrome")).to_be_visible()
    expect(desk.get_by_role("img", name=re.compile("Body map with pain marked at: Lower back"))).to_be_visible()
    assert_accessible(desk)

    desk.get_by_label("Review note").fill("Phoned the patient: on the way to the ED.")
    desk.get_by_role("button", name="Mark reviewed").click()
    expect(desk.get_by_role("status")).to_contain_text("EMR001 marked reviewed.")
    expect(desk.locator("table.queue tbody tr").first).not_to_contain_text("EMR001")
    expect(desk.locator("table.queue tbody tr").first).to_contain_text("URG001")


def test_detail_with_cautions_and_its_print_view_are_accessible(desk):
    sign_in(desk, "nina")
    desk.get_by_role("link", name="KNEE01").click()
    expect(desk.get_by_role("table", name="ASRA bleeding-risk class")).to_be_visible()
    assert_accessible(desk)
    desk.get_by_role("link", name="Printable summary").click()
    expect(desk.get_by_role("heading", name=re.compile("Pain intake summary"))).to_be_visible()
    assert_accessible(desk)


def test_sign_in_with_the_keyboard_only(desk):
    desk.goto("/nurse/login")
    desk.keyboard.press("Tab")
    expect(desk.get_by_role("link", name="Skip to main content")).to_be_focused()
    while not desk.get_by_label("Username").evaluate("element => element === document.activeElement"):
        desk.keyboard.press("Tab")
    desk.keyboard.type("nina")
    desk.keyboard.press("Tab")
    expect(desk.get_by_label("Password")).to_be_focused()
    desk.keyboard.type(STAFF_PASSWORD)
    desk.keyboard.press("Enter")
    expect(desk.get_by_role("heading", name="Review queue", level=1)).to_be_visible()


def test_admin_filters_the_audit_log(desk):
    sign_in(desk, "ada")
    desk.get_by_role("link", name="Audit log").click()
    expect(desk.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    assert_accessible(desk)
    desk.get_by_label("Action").select_option(label="Signed in")
    desk.get_by_role("button", name="Filter").click()
    rows = desk.locator("table.audit tbody tr")
    expect(rows.first).to_contain_text("Signed in")
    assert all("Signed in" in text for text in rows.all_inner_texts())
    assert_accessible(desk)
