"""FHIR R4: the intake Questionnaire form engines render, and each submission's QuestionnaireResponse."""
import json
import re
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest
from conftest import SPEC_DIR, make_app
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from triage import knowledge
from triage.contract import (AREA_WEEKS, AREAS, BLOOD_THINNER_NAMES, HEALTH, INTAKE_INTEGERS, LOCATIONS,
                             RED_FLAGS, REGION_TYPES, REGIONS, SYMPTOMS, TREATMENT_INTEGERS, TREATMENT_TYPES)
from web import fhir
from web.demo import DEMO_PATIENTS
from web.fhir_response import questionnaire_response
from web.patient.details import row_questions
from web.patient.steps import relevant_health, relevant_symptoms

BASE = "http://clinic.test/fhir"
VALUE_KEYS = {"integer": "valueInteger", "choice": "valueCoding", "boolean": "valueBoolean"}
QUESTIONNAIRE = fhir.questionnaire(BASE)


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


QUESTIONS = questions_by_link_id(QUESTIONNAIRE["item"])


def option_codes(link_id):
    return [option["valueCoding"]["code"] for option in QUESTIONS[link_id]["answerOption"]]


def spanish_of(element, field):
    """Return the Spanish that the translation extension gives one text."""
    [extension] = element[f"_{field}"]["extension"]
    assert extension["url"] == "http://hl7.org/fhir/StructureDefinition/translation"
    parts = {part["url"]: part for part in extension["extension"]}
    assert parts["lang"]["valueCode"] == "es"
    return parts["content"]["valueString"]


def enabled(question, answers):
    """Whether a form engine shows a question, given answers {linkId: [values]} (R4 enableWhen)."""
    conditions = question.get("enableWhen")
    if not conditions:
        return True
    met = [(condition.get("answerCoding") or condition.get("answerBoolean")) in answers.get(condition["question"], [])
           for condition in conditions]
    return any(met) if question.get("enableBehavior") == "any" else all(met)


def answers_of(intake, treatment=None):
    """The answers a form engine holds for an intake, as enabled() reads them."""
    found = {"locations": [fhir.coding(BASE, "location", place) for place in intake["locations"]]}
    found.update({f"health.{item}": [True] for item in intake.get("health", [])})
    if treatment:
        found["treatments.type"] = [fhir.coding(BASE, "treatment", treatment)]
    return found


def test_questionnaire_is_valid_r4():
    parsed = Questionnaire.model_validate(QUESTIONNAIRE)
    assert parsed.url == f"{BASE}/Questionnaire/pain-intake"
    assert parsed.status == "active"


def test_link_ids_follow_the_contract():
    expected = {"red_flags", "age", "locations", "duration_weeks", "area_weeks", "newest_pain_weeks",
                "pain_average", "interference_enjoyment", "interference_activity", "symptoms", "treatments",
                "health", "blood_thinner_names", "red_flags_retracted"}
    expected |= {f"red_flags.{flag}" for flag in RED_FLAGS} | {f"symptoms.{s}" for s in SYMPTOMS}
    expected |= {f"health.{h}" for h in HEALTH} | {f"area_weeks.{area}" for area in AREAS}
    expected |= {f"treatments.{key}" for key in ("type", "region", *TREATMENT_INTEGERS)}
    assert set(QUESTIONS) == expected
    assert [item["linkId"] for item in QUESTIONNAIRE["item"]][:3] == ["red_flags", "age", "locations"]


def test_link_ids_are_unique():
    def all_link_ids(items):
        for item in items:
            yield item["linkId"]
            yield from all_link_ids(item.get("item", []))

    link_ids = list(all_link_ids(QUESTIONNAIRE["item"]))
    assert len(link_ids) == len(set(link_ids))


def test_answers_are_the_contracts_identifiers():
    location_codes = {(fhir.coding(BASE, "location", place)["system"], fhir.coding(BASE, "location", place)["code"])
                      for place in LOCATIONS}
    assert len(location_codes) == len(LOCATIONS)
    assert {option["valueCoding"]["display"] for option in QUESTIONS["locations"]["answerOption"]} == \
        {knowledge.label("location", place) for place in LOCATIONS}
    assert option_codes("treatments.type") == list(TREATMENT_TYPES)
    assert option_codes("treatments.region") == list(REGIONS)
    assert option_codes("blood_thinner_names") == list(BLOOD_THINNER_NAMES)
    assert option_codes("red_flags_retracted") == list(RED_FLAGS)
    assert QUESTIONS["treatments"]["repeats"] is True
    assert all(QUESTIONS[f"red_flags.{flag}"]["required"] for flag in RED_FLAGS)


@pytest.mark.parametrize("place, code", [("head", "69536005"), ("abdomen", "113345001"), ("hip", "302543008"),
                                         ("knee", "knee"), ("lower_back", "lower_back")])
def test_body_sites_use_snomed_only_where_verified(place, code):
    coding = fhir.coding(BASE, "location", place)
    system = "http://snomed.info/sct" if place in fhir.SNOMED_LOCATIONS else f"{BASE}/CodeSystem/location"
    assert (coding["system"], coding["code"]) == (system, code)


def integer_bounds():
    yield from ((key, bounds) for key, bounds in INTAKE_INTEGERS.items())
    yield from ((f"treatments.{key}", bounds) for key, bounds in TREATMENT_INTEGERS.items())
    yield from ((f"area_weeks.{area}", AREA_WEEKS) for area in AREAS)


@pytest.mark.parametrize("link_id, bounds", list(integer_bounds()))
def test_every_integer_has_the_contracts_bounds(link_id, bounds):
    assert QUESTIONS[link_id]["type"] == "integer"
    assert QUESTIONS[link_id]["extension"] == [{"url": fhir.MIN_VALUE, "valueInteger": bounds[0]},
                                               {"url": fhir.MAX_VALUE, "valueInteger": bounds[1]}]


def texts(items):
    for item in items:
        yield item["linkId"], item, "text"
        for option in item.get("answerOption", []):
            yield f"{item['linkId']}={option['valueCoding']['code']}", option["valueCoding"], "display"
        yield from texts(item.get("item", []))


@pytest.mark.parametrize("where, element, field", list(texts(QUESTIONNAIRE["item"])),
                         ids=[where for where, _, _ in texts(QUESTIONNAIRE["item"])])
def test_every_text_has_its_spanish(where, element, field):
    spanish = spanish_of(element, field)
    assert spanish.strip() and "%(" not in spanish, where


def test_spanish_comes_from_the_catalog_and_the_knowledge_text():
    assert spanish_of(QUESTIONS["age"], "text") == "¿Cuántos años tiene?"
    assert spanish_of(QUESTIONS["symptoms.numbness_tingling"], "text") == \
        knowledge.label("symptom", "numbness_tingling", "es")
    assert spanish_of(QUESTIONS["area_weeks.knee"], "text") == \
        "¿Hace cuántas semanas empezó el dolor más reciente en la rodilla?"
    assert spanish_of(QUESTIONS["treatments.type"]["answerOption"][0]["valueCoding"], "display") == \
        knowledge.label("treatment", TREATMENT_TYPES[0], "es")
    assert spanish_of(QUESTIONNAIRE, "title") == "Preguntas para la clínica del dolor"


def test_every_enable_when_names_an_earlier_question_and_one_of_its_answers():
    order = list(QUESTIONS)
    for link_id, question in QUESTIONS.items():
        for condition in question.get("enableWhen", []):
            source = QUESTIONS[condition["question"]]
            assert order.index(condition["question"]) < order.index(link_id)
            if "answerCoding" in condition:
                assert {"valueCoding": condition["answerCoding"]} in [
                    {"valueCoding": {k: v for k, v in option["valueCoding"].items() if k != "_display"}}
                    for option in source["answerOption"]]
            else:
                assert source["type"] == "boolean" and condition["answerBoolean"] is True


@pytest.mark.parametrize("name, intake", golden_intakes())
def test_symptoms_and_health_are_shown_where_the_web_form_asks_them(name, intake):
    answers = answers_of(intake)
    shown = {s for s in SYMPTOMS if enabled(QUESTIONS[f"symptoms.{s}"], answers)}
    assert shown == set(relevant_symptoms(intake["locations"]))
    asked = set(relevant_health(intake["locations"]))
    parents_yes = {**answers, **{f"health.{item}": [True] for item in asked}}
    assert {h for h in HEALTH if enabled(QUESTIONS[f"health.{h}"], parents_yes)} == asked
    areas = {area for area, places in AREAS.items() if set(places) & set(intake["locations"])}
    assert {area for area in AREAS if enabled(QUESTIONS[f"area_weeks.{area}"], answers)} == areas


@pytest.mark.parametrize("link_id, parent", [("health.diabetes_insulin", "health.diabetes"),
                                             ("health.knee_replacement_last_6_months", "health.knee_replacement"),
                                             ("health.knee_replacement_checked", "health.knee_replacement")])
def test_follow_up_health_items_need_their_parent(link_id, parent):
    knee = {"locations": [fhir.coding(BASE, "location", "knee")]}
    assert not enabled(QUESTIONS[link_id], knee)
    assert enabled(QUESTIONS[link_id], {**knee, parent: [True]})


@pytest.mark.parametrize("health, shown", [([], False), (["blood_thinner"], True), (["antiplatelet"], True),
                                           (["diabetes"], False)])
def test_blood_thinner_names_follow_either_medicine(health, shown):
    assert enabled(QUESTIONS["blood_thinner_names"], answers_of({"locations": ["knee"], "health": health})) is shown


@pytest.mark.parametrize("kind", TREATMENT_TYPES)
def test_treatment_questions_follow_the_type_as_the_web_form_does(kind):
    answers = answers_of({"locations": ["knee"]}, treatment=kind)
    asked = {key for key in ("region", *TREATMENT_INTEGERS) if enabled(QUESTIONS[f"treatments.{key}"], answers)}
    assert asked == set(row_questions(kind))
    assert ("region" in asked) is (kind in REGION_TYPES)


def test_retracted_flags_are_hidden_from_the_patient():
    assert {"url": fhir.HIDDEN, "valueBoolean": True} in QUESTIONS["red_flags_retracted"]["extension"]


def check_answers(items, parent=None):
    """Every answer names a question of the Questionnaire and has the type that question asks for."""
    for item in items:
        question = QUESTIONS.get(item["linkId"])
        assert question is not None, f"{item['linkId']} is not in the Questionnaire"
        if parent is not None:
            assert item["linkId"].startswith(parent + "."), item["linkId"]
        if question["type"] == "group":
            assert "answer" not in item
            check_answers(item["item"], parent=question["linkId"])
            continue
        answers = item["answer"]
        assert answers, f"{item['linkId']} has an empty answer list"
        assert question.get("repeats") or len(answers) == 1, item["linkId"]
        for answer in answers:
            assert list(answer) == [VALUE_KEYS[question["type"]]], item["linkId"]
            if question["type"] == "choice":
                allowed = [{k: v for k, v in option["valueCoding"].items() if k != "_display"}
                           for option in question["answerOption"]]
                assert answer["valueCoding"] in allowed, item["linkId"]


def check_required(items, questions_list):
    """Every required question of a level is answered at that level."""
    answered = {item["linkId"] for item in items}
    for question in questions_list:
        if question.get("required"):
            assert question["linkId"] in answered, question["linkId"]


@pytest.mark.parametrize("name, intake", golden_intakes())
def test_response_is_valid_and_answers_the_questionnaire(name, intake):
    resource = questionnaire_response(stored(intake), BASE)
    QuestionnaireResponse.model_validate(resource)
    assert resource["questionnaire"] == QUESTIONNAIRE["url"]
    check_answers(resource["item"])
    check_required(resource["item"], QUESTIONNAIRE["item"])
    for group in resource["item"]:
        if group["linkId"] in ("red_flags", "treatments"):
            check_required(group["item"], QUESTIONS[group["linkId"]]["item"])


def test_response_carries_every_answer():
    intake = DEMO_PATIENTS[7][2]  # knee, blood thinner, three treatments
    resource = questionnaire_response(stored(intake, "KNEE01"), BASE)
    by_link = {}
    for item in resource["item"]:
        by_link.setdefault(item["linkId"], []).append(item)
    assert by_link["age"][0]["answer"] == [{"valueInteger": 71}]
    assert [item["linkId"] for item in by_link["health"][0]["item"]] == [f"health.{h}" for h in intake["health"]]
    red_flags = {item["linkId"]: item["answer"][0]["valueBoolean"] for item in by_link["red_flags"][0]["item"]}
    assert set(red_flags.values()) == {False} and len(red_flags) == len(RED_FLAGS)
    treatments = [{item["linkId"]: item["answer"][0] for item in group["item"]} for group in by_link["treatments"]]
    assert len(treatments) == 3
    assert treatments[2]["treatments.weeks_ago"] == {"valueInteger": 30}
    assert "symptoms" not in by_link and "newest_pain_weeks" not in by_link
    assert resource["identifier"] == {"system": f"{BASE}/checkin-code", "value": "KNEE01"}
    assert resource["authored"] == "2025-03-04T09:30:00+00:00"


def test_red_flags_answered_yes_are_true():
    resource = questionnaire_response(stored(DEMO_PATIENTS[1][2]), BASE)
    group = next(item for item in resource["item"] if item["linkId"] == "red_flags")
    said_yes = {item["linkId"] for item in group["item"] if item["answer"][0]["valueBoolean"]}
    assert said_yes == {"red_flags.saddle_numbness", "red_flags.bladder_bowel_change"}


def test_new_fields_of_contract_2_are_answered():
    intake = {"age": 60, "locations": ["neck", "knee"], "duration_weeks": 30, "area_weeks": {"knee": 6},
              "pain_average": 5, "interference_enjoyment": 5, "interference_activity": 5, "red_flags": [],
              "red_flags_retracted": ["fever_chills"], "health": ["antiplatelet"], "blood_thinner_names": ["aspirin"],
              "treatments": [{"type": "facet_rfa", "relief_percent": 80, "region": "neck"}]}
    items = {item["linkId"]: item for item in questionnaire_response(stored(intake), BASE)["item"]}
    assert items["area_weeks"]["item"] == [{"linkId": "area_weeks.knee", "answer": [{"valueInteger": 6}]}]
    assert [a["valueCoding"]["code"] for a in items["blood_thinner_names"]["answer"]] == ["aspirin"]
    assert [a["valueCoding"]["code"] for a in items["red_flags_retracted"]["answer"]] == ["fever_chills"]
    region = next(i for i in items["treatments"]["item"] if i["linkId"] == "treatments.region")
    assert region["answer"][0]["valueCoding"]["code"] == "neck"


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
