"""POST /fhir/QuestionnaireResponse/$evaluate: a QuestionnaireResponse in, the contract result out."""
import json

import pytest
from conftest import make_app
from test_golden import case_files

from triage import evaluate
from web import fhir
from web.fhir_response import response_items

BASE = "https://pain-triage.invalid/fhir"
URL = "/fhir/QuestionnaireResponse/$evaluate"
FHIR_JSON = "application/fhir+json"
VALID = {"age": 52, "locations": ["lower_back", "leg"], "duration_weeks": 9, "pain_average": 7,
         "interference_enjoyment": 6, "interference_activity": 8, "symptoms": ["radiates_below_knee"],
         "red_flags": [], "health": ["blood_thinner"], "blood_thinner_names": ["apixaban"],
         "treatments": [{"type": "physical_therapy", "weeks": 6, "relief_percent": 20},
                        {"type": "epidural_steroid_injection", "relief_percent": 30, "region": "lower_back"}]}


def golden_intakes():
    """Every valid golden intake: the shared cases and the project's own."""
    for path in case_files():
        case = json.loads(path.read_text())
        if not case["expect"].get("invalid"):
            yield path.stem, case["intake"]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    return make_app(tmp_path_factory.mktemp("fhir-evaluate")).test_client()


def response_to(intake=None, items=None):
    return {"resourceType": "QuestionnaireResponse", "status": "completed",
            "questionnaire": fhir.questionnaire_url(BASE),
            "item": items if items is not None else response_items(intake, BASE)}


def post(client, resource):
    return client.post(URL, data=json.dumps(resource), content_type=FHIR_JSON)


def test_every_golden_intake_survives_the_round_trip(client):
    checked = 0
    for name, intake in golden_intakes():
        response = post(client, response_to(intake))
        assert response.status_code == 200, (name, response.get_json())
        assert response.mimetype == "application/json"
        assert response.data == evaluate(intake).to_json().encode(), name
        checked += 1
    assert checked > 250


def issues_of(response):
    assert response.status_code == 422 and response.mimetype == FHIR_JSON
    body = response.get_json()
    assert body["resourceType"] == "OperationOutcome"
    return [(issue["diagnostics"].removeprefix("linkId: "), issue["details"]["coding"][0]["code"],
             issue["expression"][0]) for issue in body["issue"]]


def with_items(intake, **replace):
    items = {item["linkId"]: item for item in response_items(intake, BASE)}
    items.update(replace)
    return [item for item in items.values() if item is not None]


def treatments_items(intake):
    return [item for item in response_items(intake, BASE) if item["linkId"] == "treatments"]


BAD = {
    "under 18": ({**VALID, "age": 17}, [("age", "under_18", "QuestionnaireResponse.item.where(linkId='age')")]),
    "no safety answers": ({key: value for key, value in VALID.items() if key != "red_flags"},
                          [("red_flags", "required", "QuestionnaireResponse.item.where(linkId='red_flags')")]),
    "region on a non-spine treatment": (
        {**VALID, "treatments": [VALID["treatments"][0], {"type": "knee_joint_injection", "relief_percent": 10,
                                                          "region": "neck"}]},
        [("treatments.region", "region_not_allowed",
          "QuestionnaireResponse.item.where(linkId='treatments')[1].item.where(linkId='treatments.region')")]),
    "follow-up without its parent": (
        {**VALID, "health": ["blood_thinner", "diabetes_insulin"]},
        [("health.diabetes_insulin", "needs_parent",
          "QuestionnaireResponse.item.where(linkId='health').item.where(linkId='health.diabetes_insulin')")]),
    "area not chosen": (
        {**VALID, "area_weeks": {"knee": 4}},
        [("area_weeks.knee", "area_not_chosen",
          "QuestionnaireResponse.item.where(linkId='area_weeks').item.where(linkId='area_weeks.knee')")]),
    "drug without its medicine": (
        {**VALID, "blood_thinner_names": ["apixaban", "aspirin"]},
        [("blood_thinner_names", "needs_parent", "QuestionnaireResponse.item.where(linkId='blood_thinner_names')")]),
}


@pytest.mark.parametrize("intake, expected", BAD.values(), ids=BAD.keys())
def test_a_contract_problem_names_its_question(client, intake, expected):
    found = issues_of(post(client, response_to(intake)))
    assert found == expected


def test_every_problem_is_listed_at_once(client):
    intake = {**VALID, "age": 15, "pain_average": 11, "health": ["diabetes_insulin"], "blood_thinner_names": ["warfarin"]}
    link_ids = [link_id for link_id, _code, _where in issues_of(post(client, response_to(intake)))]
    assert sorted(link_ids) == ["age", "blood_thinner_names", "health.diabetes_insulin", "pain_average"]


def red_flags_without(flag):
    group = response_items(VALID, BASE)[0]
    return {**group, "item": [item for item in group["item"] if item["linkId"] != f"red_flags.{flag}"]}


UNREADABLE = {
    "safety question left unanswered": (
        with_items(VALID, red_flags=red_flags_without("fever_chills")),
        ("red_flags.fever_chills", "required")),
    "age as text": (with_items(VALID, age={"linkId": "age", "answer": [{"valueString": "52"}]}), ("age", "not_integer")),
    "two ages": (with_items(VALID, age={"linkId": "age", "answer": [{"valueInteger": 52}, {"valueInteger": 53}]}),
                 ("age", "one_answer")),
    "unknown body site": (
        with_items(VALID, locations={"linkId": "locations", "answer": [
            {"valueCoding": {"system": f"{BASE}/CodeSystem/location", "code": "elbow"}}]}),
        ("locations", "unknown_answer")),
    "SNOMED code under the product system": (
        with_items(VALID, locations={"linkId": "locations", "answer": [
            {"valueCoding": {"system": f"{BASE}/CodeSystem/location", "code": "69536005"}}]}),
        ("locations", "unknown_answer")),
    "question not in the questionnaire": (
        [*response_items(VALID, BASE), {"linkId": "favourite_colour", "answer": [{"valueString": "red"}]}],
        ("favourite_colour", "unknown_question")),
    "symptom that is not one": (
        with_items(VALID, symptoms={"linkId": "symptoms", "item": [
            {"linkId": "symptoms.itchy", "answer": [{"valueBoolean": True}]}]}),
        ("symptoms.itchy", "unknown_question")),
}


@pytest.mark.parametrize("items, expected", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_an_unreadable_answer_names_its_question(client, items, expected):
    found = [(link_id, code) for link_id, code, _where in issues_of(post(client, response_to(items=items)))]
    assert found == [expected]


def test_a_boolean_answer_reads_true_and_false(client):
    intake = {**VALID, "red_flags": ["fever_chills"], "treatments": []}
    response = post(client, response_to(intake))
    assert response.status_code == 200
    assert [alert["id"] for alert in response.get_json()["alerts"]] == ["possible_infection"]


def test_snomed_body_sites_are_read_back(client):
    intake = {**VALID, "locations": ["head", "hip", "abdomen"], "symptoms": []}
    items = {item["linkId"]: item for item in response_items(intake, BASE)}
    assert {answer["valueCoding"]["system"] for answer in items["locations"]["answer"]} == {"http://snomed.info/sct"}
    response = post(client, response_to(intake))
    assert response.data == evaluate(intake).to_json().encode()


@pytest.mark.parametrize("body, content_type, status", [
    ("age=52", "application/x-www-form-urlencoded", 415),
    ("{not json", FHIR_JSON, 400),
    ("[" * 5000 + "]" * 5000, FHIR_JSON, 400),
    (json.dumps({"resourceType": "Patient"}), FHIR_JSON, 422),
    (json.dumps({"resourceType": "QuestionnaireResponse", "status": "completed", "item": ["age"]}), FHIR_JSON, 422),
    (json.dumps({"resourceType": "QuestionnaireResponse", "status": "done"}), FHIR_JSON, 422),
])
def test_a_body_that_is_no_response_gets_an_operation_outcome(client, body, content_type, status):
    response = client.post(URL, data=body, content_type=content_type)
    assert response.status_code == status
    assert response.mimetype == FHIR_JSON
    assert response.get_json()["resourceType"] == "OperationOutcome"


def test_answers_to_another_questionnaire_are_refused(client):
    resource = {**response_to(VALID), "questionnaire": "http://elsewhere.example/Questionnaire/phq-9"}
    [issue] = post(client, resource).get_json()["issue"]
    assert issue["details"]["coding"][0]["code"] == "other_questionnaire"
    versioned = {**response_to(VALID), "questionnaire": f"{fhir.questionnaire_url(BASE)}|pain-triage/2"}
    assert post(client, versioned).status_code == 200


def test_an_ehr_needs_no_csrf_token_and_nothing_is_stored(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    response = post(app.test_client(), response_to(VALID))
    assert response.status_code == 200
    from web.extensions import db
    from web.models import Submission
    with app.app_context():
        assert db.session.query(Submission).count() == 0
