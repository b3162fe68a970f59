"""FHIR R4 exports: the intake Questionnaire and each submission's QuestionnaireResponse."""
import json
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from conftest import SPEC_DIR, make_app
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from triage.contract import HEALTH, LOCATIONS, RED_FLAGS, SYMPTOMS, TREATMENT_TYPES
from web import fhir
from web.demo import DEMO_PATIENTS

BASE = "http://clinic.test/fhir"
VALUE_KEYS = {"integer": "valueInteger", "choice": "valueCoding", "boolean": "valueBoolean"}


def golden_intakes():
    """Every valid golden-case intake, plus the demo patients."""
    cases = [(path.stem, json.loads(path.read_text())) for path in sorted((SPEC_DIR / "cases").glob("*.json"))]
    intakes = [(name, case["intake"]) for name, case in cases if not case["expect"].get("invalid")]
    intakes += [(f"demo-{number}", intake) for number, (_, _, intake) in enumerate(DEMO_PATIENTS, start=1)]
    return intakes


def stored(intake, code="FHIR01"):
    """Something shaped like a stored Submission."""
    return SimpleNamespace(id=7, checkin_code=code, intake=intake, lang="en",
                           created_at=datetime(2025, 3, 4, 9, 30, tzinfo=timezone.utc))


def questions_by_link_id(items, found=None):
    found = {} if found is None else found
    for item in items:
        found[item["linkId"]] = item
        questions_by_link_id(item.get("item", []), found)
    return found


QUESTIONS = questions_by_link_id(fhir.questionnaire(BASE)["item"])


def check_answers(items, questions, parent=None):
    """Every answer names a question of the Questionnaire and has the type that question asks for."""
    for item in items:
        question = questions.get(item["linkId"])
        assert question is not None, f"{item['linkId']} is not in the Questionnaire"
        if parent is not None:
            assert item["linkId"].startswith(parent + "."), item["linkId"]
        if question["type"] == "group":
            assert "answer" not in item
            check_answers(item["item"], questions, parent=question["linkId"])
            continue
        answers = item["answer"]
        assert answers, f"{item['linkId']} has an empty answer list"
        assert question.get("repeats") or len(answers) == 1, item["linkId"]
        for answer in answers:
            assert list(answer) == [VALUE_KEYS[question["type"]]], item["linkId"]
            if question["type"] == "choice":
                allowed = [option["valueCoding"] for option in question["answerOption"]]
                assert answer["valueCoding"] in allowed, item["linkId"]


def check_required(items, questions_list):
    """Every required question of a level is answered at that level."""
    answered = {item["linkId"] for item in items}
    for question in questions_list:
        if question.get("required"):
            assert question["linkId"] in answered, question["linkId"]


def test_questionnaire_is_valid_r4():
    resource = fhir.questionnaire(BASE)
    parsed = Questionnaire.model_validate(resource)
    assert parsed.url == f"{BASE}/Questionnaire/pain-intake"
    assert parsed.status == "active"


def test_questionnaire_is_generated_from_the_contract():
    codes = {link_id: [option["valueCoding"]["code"] for option in QUESTIONS[link_id]["answerOption"]]
             for link_id in ("locations", "symptoms", "health", "treatments.type")}
    assert codes == {"locations": list(LOCATIONS), "symptoms": list(SYMPTOMS), "health": list(HEALTH),
                     "treatments.type": list(TREATMENT_TYPES)}
    assert [item["linkId"] for item in QUESTIONS["red_flags"]["item"]] == [f"red_flags.{flag}" for flag in RED_FLAGS]
    assert QUESTIONS["age"]["extension"] == [{"url": fhir.MIN_VALUE, "valueInteger": 18},
                                             {"url": fhir.MAX_VALUE, "valueInteger": 120}]
    assert all(QUESTIONS[f"red_flags.{flag}"]["required"] for flag in RED_FLAGS)


def test_link_ids_are_unique():
    def all_link_ids(items):
        for item in items:
            yield item["linkId"]
            yield from all_link_ids(item.get("item", []))

    link_ids = list(all_link_ids(fhir.questionnaire(BASE)["item"]))
    assert len(link_ids) == len(set(link_ids))


@pytest.mark.parametrize("name, intake", golden_intakes())
def test_response_is_valid_and_answers_the_questionnaire(name, intake):
    resource = fhir.questionnaire_response(stored(intake), BASE)
    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == fhir.questionnaire(BASE)["url"]
    check_answers(resource["item"], QUESTIONS)
    check_required(resource["item"], fhir.questionnaire(BASE)["item"])
    for group in resource["item"]:
        if group["linkId"] in ("red_flags", "treatments"):
            check_required(group["item"], QUESTIONS[group["linkId"]]["item"])


def test_response_carries_every_answer():
    intake = DEMO_PATIENTS[7][2]  # knee, blood thinner, three treatments
    resource = fhir.questionnaire_response(stored(intake, "KNEE01"), BASE)
    by_link = {}
    for item in resource["item"]:
        by_link.setdefault(item["linkId"], []).append(item)
    assert by_link["age"][0]["answer"] == [{"valueInteger": 71}]
    assert [a["valueCoding"]["code"] for a in by_link["health"][0]["answer"]] == intake["health"]
    red_flags = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in by_link["red_flags"][0]["item"]}
    assert set(red_flags.values()) == {False} and len(red_flags) == len(RED_FLAGS)
    treatments = [{item["linkId"]: item["answer"][0] for item in group["item"]} for group in by_link["treatments"]]
    assert len(treatments) == 3
    assert treatments[2]["treatments.weeks_ago"] == {"valueInteger": 30}
    assert "symptoms" not in by_link and "newest_pain_weeks" not in by_link
    assert resource["identifier"] == {"system": f"{BASE}/checkin-code", "value": "KNEE01"}
    assert resource["authored"] == "2025-03-04T09:30:00+00:00"


def test_red_flags_answered_yes_are_true():
    resource = fhir.questionnaire_response(stored(DEMO_PATIENTS[1][2]), BASE)
    group = next(item for item in resource["item"] if item["linkId"] == "red_flags")
    said_yes = {item["linkId"] for item in group["item"] if item["answer"][0]["valueBoolean"]}
    assert said_yes == {"red_flags.saddle_numbness", "red_flags.bladder_bowel_change"}


def test_questionnaire_route_is_public_fhir_json(client):
    response = client.get("/fhir/Questionnaire/pain-intake")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    Questionnaire.model_validate(response.get_json())
    assert response.get_json()["url"] == "https://pain-triage.invalid/fhir/Questionnaire/pain-intake"


def test_response_route_is_for_staff_and_valid(add_submission, nurse_client, db_app):
    submission_id = add_submission(DEMO_PATIENTS[3][2], "FHIR02")
    anonymous = db_app.test_client().get(f"/fhir/QuestionnaireResponse/{submission_id}")
    assert anonymous.status_code == 302 and anonymous.location.startswith("/nurse/login")
    response = nurse_client.get(f"/fhir/QuestionnaireResponse/{submission_id}")
    assert response.mimetype == "application/fhir+json"
    resource = response.get_json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["id"] == str(submission_id)
    assert nurse_client.get("/fhir/QuestionnaireResponse/999").get_json() == {"error": "Not Found", "status": 404}


def test_configured_base_url_is_used(app):
    app.config["FHIR_BASE_URL"] = "https://clinic.example.org/fhir"
    resource = app.test_client().get("/fhir/Questionnaire/pain-intake").get_json()
    assert resource["url"] == "https://clinic.example.org/fhir/Questionnaire/pain-intake"


@pytest.mark.parametrize("host", ["evil.example", "clinic.example.org:8443"])
def test_urls_never_follow_the_host_header(app, host):
    resource = app.test_client().get("/fhir/Questionnaire/pain-intake", headers={"Host": host}).get_json()
    assert host not in str(resource)
    assert resource["url"] == "https://pain-triage.invalid/fhir/Questionnaire/pain-intake"


def test_urls_never_follow_forwarded_host_behind_a_proxy(tmp_path):
    app = make_app(tmp_path, PROXY_HOPS=1, FHIR_BASE_URL="https://clinic.example.org/fhir/")
    resource = app.test_client().get("/fhir/Questionnaire/pain-intake",
                                     headers={"X-Forwarded-Host": "evil.example"}).get_json()
    assert resource["url"] == "https://clinic.example.org/fhir/Questionnaire/pain-intake"
