"""The questionnaire over HTTP: steps in order, answers kept, hidden answers dropped, nothing in cookies."""
import json
import re

import pytest

from conftest import SPEC_DIR
from triage import evaluate
from triage.contract import RED_FLAGS
from web.extensions import db
from web.models import Draft, Submission
from web.patient.steps import SAFETY_GROUPS

NO_FLAGS = {flag: "no" for flag in RED_FLAGS}
SCIATICA_AFTER_PHYSIO = {
    "safety": NO_FLAGS,
    "about": {"age": "52", "locations": ["lower_back", "buttock", "leg"]},
    "pain": {"area_weeks_back_leg": "6", "pain_average": "7",
             "interference_enjoyment": "6", "interference_activity": "8"},
    "feel": {"symptoms": ["radiates_below_knee", "numbness_tingling"]},
    "tried": {"types": ["physical_therapy", "anti_inflammatory"], "separate_rows": "1"},
    "details": {"row0_weeks": "6", "row0_relief_percent": "25", "row1_weeks": "6", "row1_relief_percent": "0"},
    "health": {"health": ["none"]},
}
AXIAL_LOW_BACK = {
    "safety": NO_FLAGS,
    "about": {"age": "61", "locations": ["lower_back"]},
    "pain": {"area_weeks_back_leg": "26", "pain_average": "6",
             "interference_enjoyment": "6", "interference_activity": "6"},
    "feel": {"symptoms": ["worse_twisting_leaning_back"]},
    "tried": {"types": ["physical_therapy", "acetaminophen"], "separate_rows": "1"},
    "details": {"row0_weeks": "6", "row0_relief_percent": "25", "row1_weeks": "12", "row1_relief_percent": "0"},
    "health": {"health": ["none"]},
}
STEP_ORDER = ("safety", "about", "pain", "feel", "tried", "details", "health")


def post_step(client, step, data, action="next", query=""):
    """Send one step's answers."""
    return client.post(f"/questions/{step}{query}", data={**data, "action": action})


def answer_all(client, answers, upto=None):
    """Start a questionnaire and answer every step (or the steps before `upto`)."""
    client.post("/start")
    for step in STEP_ORDER:
        if step == upto:
            return
        if step in answers:
            response = post_step(client, step, answers[step])
            assert response.status_code == 302, (step, response.data[:2000])


def submit(client, answers):
    """Answer everything and send it; return the results page."""
    answer_all(client, answers)
    response = client.post("/questions/submit")
    assert response.location == "/results"
    return client.get("/results")


def stored(app):
    """Return the only stored submission."""
    with app.app_context():
        return db.session.execute(db.select(Submission)).scalar_one()


def golden(name):
    """Read one of the shared golden cases."""
    return json.loads((SPEC_DIR / "cases" / name).read_text())


@pytest.mark.parametrize("answers, case", [
    (SCIATICA_AFTER_PHYSIO, "01-sciatica-after-physio.json"),
    (AXIAL_LOW_BACK, "02-axial-low-back.json"),
])
def test_patient_completes_the_questionnaire_and_gets_the_golden_result(app, client, answers, case):
    expect = golden(case)["expect"]
    page = submit(client, answers)
    assert page.status_code == 200
    submission = stored(app)
    got = {(item["consultation"], item["variant"]) for item in submission.result["suggestions"]}
    assert got == {tuple(pair) for pair in expect["suggestions"]}
    assert submission.result == evaluate(submission.intake).to_dict()
    assert submission.priority == 2 and submission.status == "new"
    assert re.fullmatch(r"[ACDEFHJKMNPRTUVWXY34679]{6}", submission.checkin_code)
    assert submission.checkin_code in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Draft)).first() is None


def test_the_stored_intake_is_the_patients_answers(app, client):
    submit(client, SCIATICA_AFTER_PHYSIO)
    assert stored(app).intake == {
        "red_flags": [], "age": 52, "locations": ["lower_back", "buttock", "leg"], "duration_weeks": 6,
        "pain_average": 7, "interference_enjoyment": 6, "interference_activity": 8,
        "symptoms": ["radiates_below_knee", "numbness_tingling"],
        "treatments": [{"type": "physical_therapy", "weeks": 6, "relief_percent": 25},
                       {"type": "anti_inflammatory", "weeks": 6, "relief_percent": 0}],
        "health": []}


def test_hidden_question_answers_are_not_stored(app, client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="tried")
    assert post_step(client, "feel", {}, action="back").location == "/questions/pain"
    post_step(client, "pain", SCIATICA_AFTER_PHYSIO["pain"], action="back")
    response = post_step(client, "about", {"age": "52", "locations": ["head"]})
    assert response.location == "/questions/pain"
    with app.app_context():
        draft = db.session.execute(db.select(Draft)).scalar_one()
        assert "radiates_below_knee" not in json.dumps(draft.answers)
        assert "feel" not in draft.completed_steps
        assert "area_weeks_back_leg" not in draft.answers["pain"] and "pain" not in draft.completed_steps
    post_step(client, "pain", {**SCIATICA_AFTER_PHYSIO["pain"], "area_weeks_head": "6"})
    page = client.get("/questions/feel").get_data(as_text=True)
    assert "radiates_below_knee" not in page and "scalp_tender_back_of_head" in page
    post_step(client, "feel", {"symptoms": ["shooting_electric"]})
    for step in ("tried", "details", "health"):
        post_step(client, step, SCIATICA_AFTER_PHYSIO[step])
    client.post("/questions/submit")
    intake = stored(app).intake
    assert intake["locations"] == ["head"]
    assert intake["symptoms"] == ["shooting_electric"]


def test_back_keeps_what_was_typed_even_when_not_valid(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="about")
    response = post_step(client, "about", {"age": "fifty", "locations": ["knee"]}, action="back")
    assert response.location == f"/questions/safety/{len(SAFETY_GROUPS)}"
    page = client.get("/questions/about").get_data(as_text=True)
    assert 'value="fifty"' in page
    assert re.search(r'value="knee"\s+checked', page)
    assert client.get("/questions/pain").location == "/questions/about"


def test_next_with_a_problem_shows_the_step_again_with_every_answer(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    response = post_step(client, "pain", {"area_weeks_back_leg": "12", "pain_average": "3"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert re.search(r'value="12"\s+checked', page) and re.search(r'value="3"\s+checked', page)
    assert 'href="#interference_enjoyment-field"' in page and 'href="#interference_activity-field"' in page
    assert 'aria-describedby="pain_average-hint"' in page
    assert 'aria-describedby="interference_activity-hint interference_activity-error"' in page


def test_back_and_next_keep_every_answer(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    for step in ("health", "details", "tried", "feel", "pain", "about"):
        page = client.get(f"/questions/{step}").get_data(as_text=True)
        for value in SCIATICA_AFTER_PHYSIO[step].values():
            for item in value if isinstance(value, list) else [value]:
                assert re.search(rf'value="{item}"(\s+checked)?', page), (step, item)
    assert client.get("/questions/review").status_code == 200


def test_change_link_returns_to_the_review(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    page = client.get("/questions/review").get_data(as_text=True)
    assert 'href="/questions/pain?from=review"' in page
    pain = {**SCIATICA_AFTER_PHYSIO["pain"], "pain_average": "9"}
    assert post_step(client, "pain", pain, query="?from=review").location == "/questions/review"
    assert "9 out of 10" in client.get("/questions/review").get_data(as_text=True)


def test_new_locations_ask_the_new_symptom_questions_before_review(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    about = {"age": "52", "locations": ["lower_back", "buttock", "leg", "hand"]}
    assert post_step(client, "about", about, query="?from=review").location == "/questions/pain"
    assert client.get("/questions/review").location == "/questions/pain"
    pain = {**SCIATICA_AFTER_PHYSIO["pain"], "area_weeks_neck_arm": "2"}
    assert post_step(client, "pain", pain, query="?from=review").location == "/questions/feel"
    assert client.get("/questions/review").location == "/questions/feel"


def test_nothing_tried_skips_the_details_page(client):
    answers = {**SCIATICA_AFTER_PHYSIO, "tried": {"types": ["none"]}}
    answer_all(client, {k: v for k, v in answers.items() if k != "details"}, upto="tried")
    assert post_step(client, "tried", answers["tried"]).location == "/questions/health"
    assert post_step(client, "health", {"health": ["none"]}, action="back").location == "/questions/tried"


def test_an_emergency_answer_goes_straight_to_the_emergency_page(client):
    client.post("/start")
    response = post_step(client, "safety", {**NO_FLAGS, "self_harm_plan": "yes"})
    assert response.location == "/emergency"
    page = client.get("/emergency").get_data(as_text=True)
    assert 'href="tel:911"' in page and 'href="tel:988"' in page and "Please get help right now" in page
    assert client.get("/questions/about").status_code == 200


def test_an_urgent_answer_continues_the_questionnaire(client):
    client.post("/start")
    assert post_step(client, "safety", {**NO_FLAGS, "fever_chills": "yes"}).location == "/questions/about"


def test_no_answer_is_in_any_cookie_or_address(client):
    headers = []
    client.post("/start")
    for step in STEP_ORDER:
        response = post_step(client, step, AXIAL_LOW_BACK[step])
        headers += response.headers.getlist("Set-Cookie") + [response.location or ""]
        client.get(response.location)
    response = client.post("/questions/submit")
    headers += response.headers.getlist("Set-Cookie") + [response.location]
    headers += client.get("/results").headers.getlist("Set-Cookie")
    cookies = [header for header in headers if "=" in header.split(";")[0]]
    assert cookies, "the flow set no cookie at all"
    for header in cookies:
        name, value = header.split(";")[0].split("=", 1)
        # The session key, and outside a kiosk the draft's id (deleted, empty, once sent): opaque, HttpOnly.
        assert name in ("pt_session", "pt_draft") and "HttpOnly" in header, header
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", value) or (name == "pt_draft" and value == ""), header
    answers = {item for step in AXIAL_LOW_BACK.values() for value in step.values()
               for item in (value if isinstance(value, list) else [value]) if len(item) > 3}
    assert {"lower_back", "worse_twisting_leaning_back", "acetaminophen"} <= answers
    for header in headers:
        assert not any(answer in header for answer in answers), header


def test_changing_the_treatments_keeps_the_details_already_given(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    tried = {"types": ["physical_therapy", "massage"], "separate_rows": "1"}
    assert post_step(client, "tried", tried, query="?from=review").location == "/questions/details"
    page = client.get("/questions/details").get_data(as_text=True)
    assert re.search(r'name="row0_weeks" value="6"\s+checked', page)
    assert not re.search(r'name="row1_\w+" value="\w+"\s+checked', page)
    assert client.get("/questions/review").location == "/questions/details"
