"""Submitting and the results page: alerts alone, suggestions with education, kind words for none."""
import html
import json

import pytest
from sqlalchemy.exc import OperationalError

from conftest import SPEC_DIR
from test_patient_flow import (AXIAL_LOW_BACK, NO_FLAGS, SCIATICA_AFTER_PHYSIO, answer_all, stored,
                               submit)
from triage import CONTRACT, RULEBASE_VERSION, evaluate
from triage.knowledge import patient_text
from triage.messages import caution_message
from web.extensions import db
from web.models import Draft, Submission
from web.patient import submission as submission_module

TEXT = patient_text("en")
MILD_PAIN = {**SCIATICA_AFTER_PHYSIO, "pain": {**SCIATICA_AFTER_PHYSIO["pain"], "pain_average": "2",
                                                "interference_enjoyment": "1", "interference_activity": "2"}}


def page_of(client, answers):
    """Submit answers and return the results page's text."""
    response = submit(client, answers)
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


def test_a_suggestion_comes_with_reasons_education_and_the_checkin_code(app, client):
    page = page_of(client, SCIATICA_AFTER_PHYSIO)
    education = TEXT["consultations"]["epidural_steroid_injection"]
    assert TEXT["labels"]["consultation_variant"]["epidural_steroid_injection.lumbar"] in page
    assert education["summary"] in page and education["variants"]["lumbar"] in page
    assert page.count("<details") == 9 and "<summary>Questions to ask your doctor</summary>" in page
    # The after-care warnings (when to go to an emergency department) reach the patient.
    assert "<summary>After the procedure</summary>" in page and education["sections"]["after_care"] in page
    assert TEXT["because"]["lumbar_radicular"] in page and TEXT["because"]["baseline"] in page
    assert "This is not a diagnosis." in page
    assert stored(app).checkin_code in page
    assert TEXT["reasons"]["radicular_pain"]["message"] not in page


def test_cautions_are_told_in_plain_words(client):
    answers = {**SCIATICA_AFTER_PHYSIO, "health": {"health": ["blood_thinner", "diabetes"]}}
    page = page_of(client, answers)
    assert "Do not stop any blood thinner on your own" in page
    assert TEXT["cautions"]["diabetes_steroid"]["message"] in page


def test_nothing_suggested_says_so_kindly_and_what_happens_next(client):
    page = page_of(client, MILD_PAIN)
    assert "Nothing specific to talk about yet" in page and "What happens next" in page
    assert "A nurse reads your answers" in page and "<details" not in page


def test_an_urgent_alert_is_shown_alone_with_what_to_do(app, client):
    page = page_of(client, {**SCIATICA_AFTER_PHYSIO, "safety": {**NO_FLAGS, "fever_chills": "yes"}})
    assert TEXT["alerts"]["possible_infection"]["action"] in page
    assert TEXT["patient_view"]["urgent_heading"] in page
    assert "What the doctor may talk about" not in page and "<details" not in page
    assert TEXT["consultations"]["epidural_steroid_injection"]["summary"] not in page
    submission = stored(app)
    assert submission.priority == 1 and submission.result["withheld"]
    assert submission.checkin_code in page


def test_an_emergency_found_only_at_the_end_is_shown_alone(app, client):
    answers = {**SCIATICA_AFTER_PHYSIO, "safety": {**NO_FLAGS, "fever_chills": "yes"},
               "tried": {"types": ["epidural_steroid_injection"], "separate_rows": "1"},
               "details": {"row0_region": "unknown", "row0_relief_percent": "50", "row0_count": "1", "row0_relief_weeks": "0",
                           "row0_weeks_ago": "0"}}
    page = page_of(client, answers)
    assert TEXT["alerts"]["post_injection_complication"]["title"] in page and 'href="tel:911"' in page
    assert stored(app).priority == 0
    assert stored(app).checkin_code not in page


def test_results_are_seen_only_by_the_session_that_submitted(app, client):
    submit(client, SCIATICA_AFTER_PHYSIO)
    assert app.test_client().get("/results").status_code == 400
    assert client.post("/finish").location == "/"
    assert client.get("/results").status_code == 400


def test_sending_twice_shows_the_same_results(app, client):
    submit(client, SCIATICA_AFTER_PHYSIO)
    assert client.post("/questions/submit").location == "/results"
    with app.app_context():
        assert db.session.query(Submission).count() == 1


def test_a_submission_records_versions_and_language(app, client):
    submit(client, AXIAL_LOW_BACK)
    submission = stored(app)
    assert (submission.contract, submission.rulebase, submission.lang) == (CONTRACT, RULEBASE_VERSION, "en")


def test_when_saving_fails_the_answers_stay_for_a_retry(app, client, monkeypatch):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    real_commit = db.session.commit
    calls = []

    def fail_once():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))
        return real_commit()

    monkeypatch.setattr(submission_module.db.session, "commit", fail_once)
    response = client.post("/questions/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Nothing is lost" in page and "Traceback" not in page
    with app.app_context():
        assert db.session.query(Submission).count() == 0
        assert db.session.query(Draft).count() == 1
    assert client.post("/questions/submit").location == "/results"
    assert stored(app).intake["age"] == 52


def test_a_checkin_code_already_in_use_is_drawn_again(app, client, monkeypatch):
    intake = json.loads((SPEC_DIR / "cases" / "12-mild-pain.json").read_text())["intake"]
    with app.app_context():
        db.session.add(Submission(checkin_code="AAAAAA", intake=intake, result={}, contract=CONTRACT,
                                  rulebase=RULEBASE_VERSION, priority=2))
        db.session.commit()
    codes = iter(["AAAAAA", "AAAAAA", "CDEFHJ"])
    monkeypatch.setattr(submission_module, "new_checkin_code", lambda: next(codes))
    submit(client, SCIATICA_AFTER_PHYSIO)
    with app.app_context():
        assert sorted(db.session.scalars(db.select(Submission.checkin_code))) == ["AAAAAA", "CDEFHJ"]


def test_checkin_codes_use_only_the_unambiguous_alphabet():
    codes = {submission_module.new_checkin_code() for _ in range(200)}
    assert len(codes) > 150
    assert all(len(code) == 6 and set(code) <= set("ACDEFHJKMNPRTUVWXY34679") for code in codes)


def _golden_cases():
    cases = []
    for path in sorted((SPEC_DIR / "cases").glob("*.json")):
        case = json.loads(path.read_text())
        if not case["expect"].get("invalid"):
            cases.append(pytest.param(case["intake"], id=path.stem))
    return cases


@pytest.mark.parametrize("intake", _golden_cases())
def test_every_golden_result_has_patient_words(app, intake):
    """Every id a result can show has patient text, so no results page can fail."""
    result = evaluate(intake).to_dict()
    with app.app_context():
        submission = Submission.of_result(intake, result, "TTTTTT")
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["submission_id"] = submission_id
    page = html.unescape(client.get("/results").get_data(as_text=True))
    shown = result["patient_view"]["alerts"]
    for alert in result["alerts"]:
        # Only what patient_view shows is on the page: an urgent step never sits beside an emergency one.
        assert (TEXT["alerts"][alert["id"]]["action"] in page) == (alert["id"] in shown), alert["id"]
    for suggestion in result["suggestions"]:
        assert all(ident in TEXT["because"] for ident in suggestion["because"]), suggestion["because"]
        assert TEXT["consultations"][suggestion["education"]]["summary"] in page
    for caution in result["cautions"] if not result["alerts"] else ():
        assert caution_message(caution["id"], caution["because"], "en") in page


def results_page(app, intake, lang="en", kiosk=False, **config):
    """Store the result of an intake as this client's submission and return its results page."""
    app.config.update(config)
    result = evaluate(intake).to_dict()
    with app.app_context():
        submission = Submission.of_result(intake, result, "TTTTTT", lang=lang)
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["submission_id"] = submission_id
        session["lang"] = lang
        if kiosk:
            session["kiosk"] = True
    return html.unescape(client.get("/results").get_data(as_text=True))


FEVER_AFTER_EPIDURAL_WITH_SELF_HARM_THOUGHTS = {
    "age": 60, "locations": ["lower_back"], "duration_weeks": 20, "pain_average": 6,
    "interference_enjoyment": 6, "interference_activity": 6,
    "red_flags": ["fever_chills", "self_harm_thoughts"],
    "treatments": [{"type": "epidural_steroid_injection", "relief_percent": 30}],
}


@pytest.mark.parametrize("lang", ["en", "es"])
def test_an_emergency_hides_the_urgent_steps_but_keeps_the_crisis_line(app, lang):
    page = results_page(app, FEVER_AFTER_EPIDURAL_WITH_SELF_HARM_THOUGHTS, lang)
    text = patient_text(lang)
    assert text["alerts"]["post_injection_complication"]["action"] in page
    assert text["because"]["spine_procedure_undated"] in page and text["because"]["fever_chills"] in page
    for hidden in ("possible_infection", "self_harm_risk"):
        assert text["alerts"][hidden]["action"] not in page
    assert text["patient_view"]["crisis_line"] in page
    assert 'href="tel:911"' in page and 'href="tel:988"' in page
    assert ('href="sms:988?&amp;body=AYUDA"' in page or 'href="sms:988?&body=AYUDA"' in page) == (lang == "es")


def test_an_urgent_alert_names_the_clinic_telephone_number(app):
    intake = {**FEVER_AFTER_EPIDURAL_WITH_SELF_HARM_THOUGHTS, "red_flags": ["unexplained_weight_loss"],
              "treatments": []}
    page = results_page(app, intake, CLINIC_PHONE="555-0100")
    assert "Call the clinic: 555-0100" in page and 'href="tel:555-0100"' in page
    wording = TEXT["alerts"]["possible_malignancy"]
    assert wording["fallback"] in page and wording["also"] in page
    assert TEXT["because"]["unexplained_weight_loss"] in page
    assert TEXT["because"]["cancer_history"] not in page, "a message names only what the patient reported"


@pytest.mark.parametrize("flags, wording", [(["unexplained_weight_loss"], "kiosk_urgent"),
                                            (["limb_suddenly_cold_pale"], "kiosk_emergency")])
def test_the_kiosk_keeps_an_alert_on_screen_for_the_front_desk(app, flags, wording):
    intake = {**FEVER_AFTER_EPIDURAL_WITH_SELF_HARM_THOUGHTS, "red_flags": flags, "treatments": []}
    results_page(app, intake, kiosk=True, KIOSK_MODE=True, CLINIC_PHONE="555-0100")
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(kiosk=True, submission_id=1)
    page = html.unescape(client.get("/kiosk/finish").get_data(as_text=True))
    assert TEXT["patient_view"][wording] in page and "TTTTTT" in page
    assert "tel:" not in page and "data-kiosk-finish" not in page and 'http-equiv="refresh"' not in page
