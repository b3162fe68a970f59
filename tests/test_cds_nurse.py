"""A nurse links a submission to the EHR patient; the EHR's card feedback is stored and shown to the nurse."""
import copy

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from cds_hooks import BASE, CAUDA_EQUINA, FEEDBACK_URL, ISSUER, NECK_ON_TWO_THINNERS, Ehr, fixture, patient_view_request
from conftest import make_app
from web.cds.cards import noted_uuid
from web.clock import FrozenClock
from web.extensions import db
from web.models import AuditEvent, CdsCard, CdsFeedback, Submission
from web.nurse.forms import EhrLinkForm


@pytest.fixture
def ehr():
    return Ehr(FrozenClock())


@pytest.fixture
def db_url(tmp_path):
    """SQLite only here: test_cds_hooks.py runs the whole EHR round trip on PostgreSQL too."""
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
def db_app(db_url, tmp_path, ehr):
    """The nurse fixtures' app, trusting the test EHR (overrides conftest's db_app)."""
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=db_url, CLOCK=ehr.clock, PUBLIC_BASE_URL=BASE,
                   CDS_HOOKS_ISSUERS={ISSUER: ehr.jwks})
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def cards_for_patient(app, ehr, patient_id="1288992"):
    response = app.test_client().post("/cds-services/patient-view", json=patient_view_request(patient_id),
                                      headers=ehr.auth())
    assert response.status_code == 200
    return response.get_json()["cards"]


def send_feedback(app, ehr, body):
    return app.test_client().post("/cds-services/patient-view/feedback", json=body,
                                  headers=ehr.auth(audience=FEEDBACK_URL))


def audit(app, action):
    with app.app_context():
        return db.session.execute(select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)).scalars().all()


def test_nurse_links_a_submission_and_the_ehr_gets_its_cards(db_app, nurse_client, add_submission, ehr):
    submission_id = add_submission(CAUDA_EQUINA, "CE0001")
    assert cards_for_patient(db_app, ehr) == []
    page = nurse_client.get(f"/nurse/submissions/{submission_id}").get_data(as_text=True)
    assert "Not linked to an EHR patient." in page and 'name="patient_id"' in page
    response = nurse_client.post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": " 1288992 "})
    assert response.status_code == 302
    page = nurse_client.get(f"/nurse/submissions/{submission_id}").get_data(as_text=True)
    assert "Linked to EHR patient 1288992" in page
    [event] = audit(db_app, "ehr_link")
    assert (event.username, event.checkin_code, event.detail) == ("nina", "CE0001", "EHR patient 1288992")
    assert [card["indicator"] for card in cards_for_patient(db_app, ehr)] == ["critical"]


def test_an_invalid_ehr_id_is_shown_next_to_the_field(db_app, nurse_client, add_submission):
    submission_id = add_submission(CAUDA_EQUINA, "CE0001")
    response = nurse_client.post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": "12 34/5"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "id=\"patient_id-error-1\">Use the EHR's FHIR Patient id" in page
    assert 'value="12 34/5"' in page and 'aria-invalid="true"' in page
    with db_app.app_context():
        assert db.session.get(Submission, submission_id).ehr_patient_id is None
    assert audit(db_app, "ehr_link") == []


def test_an_empty_id_removes_the_link(db_app, nurse_client, add_submission):
    submission_id = add_submission(CAUDA_EQUINA, "CE0001")
    nurse_client.post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": "abc"})
    nurse_client.post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": ""})
    with db_app.app_context():
        assert db.session.get(Submission, submission_id).ehr_patient_id is None
    assert [event.detail for event in audit(db_app, "ehr_link")] == ["EHR patient abc",
                                                                     "link to EHR patient abc removed"]


def test_linking_needs_a_signed_in_nurse(db_app, add_submission):
    submission_id = add_submission(CAUDA_EQUINA, "CE0001")
    response = db_app.test_client().post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": "1"})
    assert response.status_code == 302 and "/nurse/login" in response.headers["Location"]


def test_the_link_form_needs_its_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    with app.test_request_context(method="POST"):
        form = EhrLinkForm(formdata=MultiDict({"patient_id": "1288992"}))
        assert not form.validate() and "csrf_token" in form.errors


def linked_cards(db_app, nurse_client, add_submission, ehr):
    submission_id = add_submission(NECK_ON_TWO_THINNERS, "NK0001")
    nurse_client.post(f"/nurse/submissions/{submission_id}/ehr-link", data={"patient_id": "1288992"})
    return submission_id, cards_for_patient(db_app, ehr)


def test_spec_feedback_examples_are_stored_and_shown_to_the_nurse(db_app, nurse_client, add_submission, ehr):
    submission_id, cards = linked_cards(db_app, nurse_client, add_submission, ehr)
    overridden = fixture("feedback-overridden.json")
    with_reason = fixture("feedback-overridden-with-reason.json")
    accepted = fixture("feedback-accepted.json")
    overridden["feedback"][0]["card"] = cards[0]["uuid"]
    with_reason["feedback"][0]["card"] = cards[1]["uuid"]
    accepted["feedback"][0]["card"] = cards[2]["uuid"]
    accepted["feedback"][0]["acceptedSuggestions"][0]["id"] = cards[2]["suggestions"][0]["uuid"]
    for body in (overridden, with_reason, accepted):
        response = send_feedback(db_app, ehr, body)
        assert response.status_code == 200 and response.get_json() == {"stored": 1}
    with db_app.app_context():
        rows = {row.card_uuid: row for row in db.session.execute(select(CdsFeedback)).scalars()}
    assert rows[cards[1]["uuid"]].outcome == "overridden"
    assert rows[cards[1]["uuid"]].reason_code == "d7ecf885"
    assert rows[cards[2]["uuid"]].outcome == "accepted" and rows[cards[2]["uuid"]].issuer == ISSUER
    page = nurse_client.get(f"/nurse/submissions/{submission_id}").get_data(as_text=True)
    assert page.count("Overridden") == 2 and page.count("Accepted") == 1
    assert "Reason: d7ecf885. Comment: A comment entered by the clinician." in " ".join(page.split())
    assert page.index(cards[0]["summary"]) < page.index(cards[1]["summary"]) < page.index(cards[2]["summary"])
    assert len(audit(db_app, "cds_feedback")) == 3


def test_the_reason_the_physician_picked_is_shown_by_its_display(db_app, nurse_client, add_submission, ehr):
    submission_id, cards = linked_cards(db_app, nurse_client, add_submission, ehr)
    body = fixture("feedback-overridden-with-reason.json")
    body["feedback"][0].update(card=cards[0]["uuid"], overrideReason={"reason": cards[0]["overrideReasons"][2]})
    assert send_feedback(db_app, ehr, body).status_code == 200
    page = nurse_client.get(f"/nurse/submissions/{submission_id}").get_data(as_text=True)
    assert "Reason: Patient declined" in " ".join(page.split())
    assert page.count("No feedback yet.") == len(cards) - 1


def entry_with(sent, **changes):
    entry = {"card": sent["uuid"], "outcome": "overridden", "outcomeTimestamp": "2020-12-11T00:00:00Z"}
    entry.update(changes)
    return {name: value for name, value in entry.items() if value is not None}


@pytest.mark.parametrize("changes, path", [
    ({"card": "9368d37b-283f-44a0-93ea-547cebab93ed"}, "feedback[1].card"),
    ({"outcome": "ignored"}, "feedback[1].outcome"),
    ({"outcomeTimestamp": None}, "feedback[1].outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-12-11T00:00:00"}, "feedback[1].outcomeTimestamp"),
    ({"outcomeTimestamp": "2020-13-11T00:00:00Z"}, "feedback[1].outcomeTimestamp"),
    ({"outcome": "accepted"}, "feedback[1].acceptedSuggestions"),
    ({"outcome": "accepted", "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}]},
     "feedback[1].acceptedSuggestions"),
    ({"overrideReason": {"userComment": "x" * 2001}}, "feedback[1].overrideReason.userComment"),
    ({"overrideReason": {"reason": "d7ecf885"}}, "feedback[1].overrideReason.reason"),
])
def test_bad_feedback_is_refused_whole_with_every_problem(db_app, nurse_client, add_submission, ehr, changes, path):
    _, cards = linked_cards(db_app, nurse_client, add_submission, ehr)
    good = entry_with(cards[0], outcome="accepted", acceptedSuggestions=[{"id": noted_uuid(cards[0]["uuid"])}])
    response = send_feedback(db_app, ehr, {"feedback": [good, entry_with(cards[1], **changes)]})
    assert response.status_code == 400
    assert [problem["path"] for problem in response.get_json()["problems"]] == [path]
    with db_app.app_context():
        assert db.session.execute(select(CdsFeedback)).first() is None


def test_the_specs_timestamp_form_with_a_fraction_is_read(db_app, nurse_client, add_submission, ehr):
    _, cards = linked_cards(db_app, nurse_client, add_submission, ehr)
    body = {"feedback": [entry_with(cards[0], outcomeTimestamp="1985-04-12T23:20:50.52Z")]}
    assert send_feedback(db_app, ehr, body).status_code == 200
    with db_app.app_context():
        stored = db.session.execute(select(CdsFeedback.outcome_at)).scalar_one()
    assert stored.isoformat() == "1985-04-12T23:20:50.520000+00:00"


@pytest.mark.parametrize("body", [None, {}, {"feedback": []}, {"feedback": "accepted"}, {"feedback": [1]}])
def test_feedback_that_is_not_a_feedback_array_is_400(db_app, ehr, body):
    response = db_app.test_client().post("/cds-services/patient-view/feedback", json=copy.deepcopy(body),
                                         headers=ehr.auth(audience=FEEDBACK_URL))
    assert response.status_code == 400 and response.get_json()["problems"]


def test_purge_deletes_the_cards_and_feedback_of_purged_submissions(db_app, nurse_client, add_submission, ehr):
    _, cards = linked_cards(db_app, nurse_client, add_submission, ehr)
    assert send_feedback(db_app, ehr, {"feedback": [entry_with(cards[0])]}).status_code == 200
    ehr.clock.advance(31 * 24 * 3600)
    result = db_app.test_cli_runner().invoke(args=["purge", "--older-than", "30"])
    assert result.exit_code == 0, result.output
    with db_app.app_context():
        assert db.session.execute(select(CdsCard)).first() is None
        assert db.session.execute(select(CdsFeedback)).first() is None
