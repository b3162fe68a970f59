"""In Chromium: a nurse links a submission to an EHR patient; the EHR's card feedback shows on the page (axe)."""
import pytest
from playwright.sync_api import expect

from browser.actions import sign_in
from browser.checks import assert_accessible
from browser.conftest import serve
from cds_hooks import BASE, FEEDBACK_URL, ISSUER, NECK_ON_TWO_THINNERS, Ehr, fixture, patient_view_request
from conftest import STAFF_PASSWORD, make_app
from web.clock import FrozenClock
from web.demo import submission_for
from web.extensions import db
from web.models import User, utcnow
from web.nurse.account import hash_password

pytestmark = pytest.mark.browser


@pytest.fixture
def clinic(tmp_path):
    """The workspace (with CSRF on) and the EHR that calls it; one submission waiting."""
    ehr = Ehr(FrozenClock())
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, CLOCK=ehr.clock, PUBLIC_BASE_URL=BASE,
                   CDS_HOOKS_ISSUERS={ISSUER: ehr.jwks})
    with app.app_context():
        db.session.add(User(username="nina", password_hash=hash_password(STAFF_PASSWORD), role="nurse"))
        db.session.add(submission_for(NECK_ON_TWO_THINNERS, "NECK01", utcnow()))
        db.session.commit()
    with serve(app) as url:
        yield app, ehr, url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_nurse_links_the_ehr_patient_and_sees_the_physicians_feedback(browser, clinic):
    app, ehr, url = clinic
    context = browser.new_context(base_url=url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    desk = context.new_page()
    sign_in(desk, "nina")
    desk.get_by_role("link", name="NECK01").click()

    desk.get_by_label("EHR patient id").fill("1288992")
    desk.get_by_role("button", name="Save EHR link").click()
    expect(desk.get_by_role("status")).to_contain_text("NECK01 is linked to EHR patient 1288992.")

    ehr_client = app.test_client()
    cards = ehr_client.post("/cds-services/patient-view", json=patient_view_request(),
                            headers=ehr.auth()).get_json()["cards"]
    feedback = fixture("feedback-overridden-with-reason.json")
    feedback["feedback"][0]["card"] = cards[0]["uuid"]
    assert ehr_client.post("/cds-services/patient-view/feedback", json=feedback,
                           headers=ehr.auth(audience=FEEDBACK_URL)).status_code == 200

    desk.reload()
    table = desk.get_by_role("table", name="Cards sent to the EHR, and what the physician did with them")
    expect(table).to_contain_text("A comment entered by the clinician.")
    expect(table.get_by_role("row")).to_have_count(1 + len(cards))
    assert_accessible(desk)
    context.close()
