"""An admin reads the rule base page (chart, table, sign-offs) and opens an example, in Chromium; axe checks both."""
import pytest
from playwright.sync_api import expect

from browser.actions import sign_in
from browser.checks import assert_accessible
from browser.conftest import serve
from conftest import STAFF_PASSWORD, make_app
from test_governance import SADDLE, version_1_result
from web.extensions import db
from web.models import Submission, User
from web.nurse.account import hash_password

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def governance_url(tmp_path_factory):
    """A workspace with one admin and a submission whose stored result an older rule base gave."""
    app = make_app(tmp_path_factory.mktemp("governance-browser"), WTF_CSRF_ENABLED=True)
    with app.app_context():
        db.session.add(User(username="ada", password_hash=hash_password(STAFF_PASSWORD), role="admin"))
        db.session.add(Submission.of_result(SADDLE, version_1_result(SADDLE), "OLDV01"))
        db.session.commit()
    with serve(app) as url:
        yield url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_admin_reads_the_impact_and_opens_an_example(browser, governance_url):
    context = browser.new_context(base_url=governance_url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    desk = context.new_page()
    sign_in(desk, "ada")
    desk.get_by_role("link", name="Rule base").click()
    expect(desk.get_by_role("img", name="Submissions that would gain or lose each alert, consultation and caution")) \
        .to_be_visible()
    expect(desk.get_by_role("table", name="Gained and lost, per id, with example submissions")).to_be_visible()
    expect(desk.get_by_role("table", name="Sign-offs, newest first")).to_contain_text("No sign-off has been recorded.")
    assert_accessible(desk, "rule base page")
    desk.get_by_role("link", name="OLDV01").first.click()
    expect(desk.get_by_role("heading", name="Rule base 2.0.0 would now conclude differently")).to_be_visible()
    assert_accessible(desk, "detail page with the rule base notice")
    context.close()
