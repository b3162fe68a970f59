"""Garbage requests get a calm 4xx page, never a 500 or a stack trace."""
import pytest

from conftest import make_app
from test_patient_flow import NO_FLAGS, SCIATICA_AFTER_PHYSIO, answer_all, post_step


def assert_calm_refusal(response, status=400):
    """A refusal page in the app's own words, with no trace of Python."""
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert "Traceback" not in page and "werkzeug" not in page.lower()
    assert "Go to the start page" in page
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def csrf_client(tmp_path):
    """A client of an app that checks CSRF tokens, as in production."""
    return make_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()


def test_a_post_without_csrf_token_is_refused(csrf_client):
    assert_calm_refusal(csrf_client.post("/start"))


def test_a_step_without_csrf_token_is_refused(csrf_client):
    page = csrf_client.get("/").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    assert csrf_client.post("/start", data={"csrf_token": token}).status_code == 302
    assert_calm_refusal(csrf_client.post("/questions/safety", data={**NO_FLAGS, "action": "next"}))


@pytest.mark.parametrize("step, data", [
    ("safety", {**NO_FLAGS, "fever_chills": "perhaps"}),
    ("about", {"age": "40", "locations": ["tail"]}),
    ("about", {"age": "40", "locations": ["neck", "neck"]}),
    ("about", {"age": "9" * 200, "locations": ["neck"]}),
])
def test_unknown_or_repeated_choices_are_refused(client, step, data):
    answer_all(client, {"safety": NO_FLAGS}, upto=step)
    assert_calm_refusal(post_step(client, step, data))


@pytest.mark.parametrize("data", [
    {"area_weeks_back_leg": "a long time", "pain_average": "5",
     "interference_enjoyment": "5", "interference_activity": "5"},
    {"area_weeks_back_leg": "6", "pain_average": "5.0",
     "interference_enjoyment": "true", "interference_activity": "5"},
    {"area_weeks_back_leg": ["6", "12"], "pain_average": "5",
     "interference_enjoyment": "5", "interference_activity": "5"},
])
def test_wrong_types_are_refused(client, data):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    assert_calm_refusal(post_step(client, "pain", data))


def test_symptom_not_asked_for_these_locations_is_refused(client):
    answer_all(client, {**SCIATICA_AFTER_PHYSIO, "about": {"age": "40", "locations": ["head"]},
                        "pain": {**SCIATICA_AFTER_PHYSIO["pain"], "area_weeks_head": "6"}}, upto="feel")
    assert_calm_refusal(post_step(client, "feel", {"symptoms": ["radiates_below_knee"]}))


def test_an_unknown_action_is_refused(client):
    client.post("/start")
    assert_calm_refusal(post_step(client, "safety", NO_FLAGS, action="jump"))


def test_an_oversized_body_is_refused(client):
    client.post("/start")
    response = client.post("/questions/safety", data={"action": "next", "padding": "x" * 70_000})
    assert_calm_refusal(response, status=413)


@pytest.mark.parametrize("step", ["about", "pain", "feel", "tried", "details", "health"])
def test_steps_out_of_order_are_refused(client, step):
    client.post("/start")
    assert_calm_refusal(post_step(client, step, {}))
    assert client.get(f"/questions/{step}").location == "/questions/safety"


def test_a_step_without_a_questionnaire_is_refused(client):
    assert_calm_refusal(post_step(client, "safety", NO_FLAGS))
    assert client.get("/questions/safety").location == "/"


def test_submitting_an_unfinished_questionnaire_is_refused(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="health")
    assert_calm_refusal(client.post("/questions/submit"))
    assert client.get("/questions/review").location == "/questions/health"


def test_submitting_without_a_questionnaire_is_refused(client):
    assert_calm_refusal(client.post("/questions/submit"))


def test_results_without_a_submission_are_refused(client):
    assert_calm_refusal(client.get("/results"))


def test_the_emergency_page_without_an_emergency_answer_is_refused(client):
    assert_calm_refusal(client.get("/emergency"))
    answer_all(client, {"safety": {**NO_FLAGS, "fever_chills": "yes"}}, upto="about")
    assert_calm_refusal(client.get("/emergency"))


def test_an_unknown_step_is_not_found(client):
    client.post("/start")
    assert_calm_refusal(client.get("/questions/payment"), status=404)


def test_patient_pages_are_never_cached_and_allow_no_inline_code(client):
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    page = response.get_data(as_text=True)
    assert "style=" not in page and "<script>" not in page and " on" + "click=" not in page
