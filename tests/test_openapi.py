"""The OpenAPI document: valid OpenAPI 3.1, built from the shipped schemas, true to the app (schemathesis)."""
import copy
import json

import pytest
import schemathesis
from conftest import make_app
from flask import abort
from hypothesis import HealthCheck, settings
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from sqlalchemy.exc import OperationalError
from test_golden import case_files

from triage import contract, evaluate, validate
from triage.schema import cross_field_rules, intake_schema, result_schema
from web.api.openapi import openapi_document
from web.extensions import db

DOC = "/api/v1/openapi.json"
MAX_CONTENT_LENGTH = 64 * 1024


@pytest.fixture(scope="module")
def api_app(tmp_path_factory):
    """One app for the whole module: schemathesis calls it in-process through WSGI."""
    app = make_app(tmp_path_factory.mktemp("openapi"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def generation_document(document):
    """The served document with the intake's rules between answers left out, for generating bodies only.

    Those 41 rules (an area's weeks need a location there, a follow-up needs its parent, a flag is
    not both given and retracted) multiply into more branches than schemathesis's generator
    expands, so it declines the whole body; `consistent` applies them to every positive body.
    Responses are still checked against the served document's schemas.
    """
    generated = copy.deepcopy(document)
    rules = generated["components"]["schemas"]["Intake"].pop("allOf")
    assert rules == cross_field_rules()
    return generated


def whole_numbers_as_integers(value):
    """Spell `5.0` as `5`: JSON Schema cannot tell them apart, the contract takes only the second."""
    if isinstance(value, dict):
        return {key: whole_numbers_as_integers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [whole_numbers_as_integers(item) for item in value]
    return int(value) if isinstance(value, float) and value.is_integer() else value


def consistent(intake):
    """Make a well-formed intake keep the contract's rules between answers (intake.md, Validation)."""
    intake = whole_numbers_as_integers(intake)
    locations = intake.get("locations", [])
    if isinstance(intake.get("area_weeks"), dict):
        intake["area_weeks"] = {area: weeks for area, weeks in intake["area_weeks"].items()
                                if set(contract.AREAS[area]) & set(locations)}
    health = intake.get("health", [])
    if "health" in intake:
        intake["health"] = health = [item for item in health if contract.HEALTH_PARENTS.get(item, item) in health]
    if "blood_thinner_names" in intake:
        intake["blood_thinner_names"] = [name for name in intake["blood_thinner_names"]
                                         if set(contract.BLOOD_THINNER_PARENTS[name]) & set(health)]
    if "red_flags_retracted" in intake:
        intake["red_flags_retracted"] = [flag for flag in intake["red_flags_retracted"]
                                         if flag not in intake["red_flags"]]
    return intake


# The app's default body limit; a test below checks the app serves exactly this document.
# (schemathesis's fixture-based loader does not run on pytest 9, so the document is loaded here.)
schema = schemathesis.openapi.from_dict(generation_document(openapi_document(MAX_CONTENT_LENGTH)))


SERVED_INTAKE = Draft202012Validator(intake_schema())


@schema.hook
def map_case(context, case):
    """Make every positive intake valid under the served document's full intake schema."""
    if case.meta is not None and case.meta.generation.mode is schemathesis.GenerationMode.POSITIVE \
            and case.operation.path == "/api/v1/evaluate":
        case.body = consistent(case.body)
        assert SERVED_INTAKE.is_valid(case.body), case.body
    return case


@schema.parametrize()
@settings(max_examples=40, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_openapi_document(api_app, case):
    case.call_and_validate(app=api_app)


# --- The document itself ---

INTAKE = {"age": 55, "locations": ["buttock"], "duration_weeks": 20, "pain_average": 6,
          "interference_enjoyment": 6, "interference_activity": 6, "red_flags": [],
          "treatments": [{"type": "home_exercise", "weeks": 10, "relief_percent": 0}]}


def served(app):
    response = app.test_client().get(DOC)
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(api_app):
    document = served(api_app)
    assert document["openapi"].startswith("3.1.")
    validate_openapi(document)


def test_the_fuzz_runs_on_the_document_the_app_serves(api_app):
    assert api_app.config["MAX_CONTENT_LENGTH"] == MAX_CONTENT_LENGTH
    assert served(api_app) == openapi_document(MAX_CONTENT_LENGTH)


def test_the_document_states_the_body_limit_the_app_enforces(tmp_path):
    document = served(make_app(tmp_path, MAX_CONTENT_LENGTH=2000))
    assert "2000 bytes" in document["components"]["responses"]["TooLarge"]["description"]
    assert "2000 bytes" in document["paths"]["/api/v1/evaluate"]["post"]["description"]


def standalone(document, name):
    """Take a schema embedded by `web.api.openapi.embed` back out of the document."""
    schemas = document["components"]["schemas"]
    prefix = f"{name}_"
    defs = {key[len(prefix):]: value for key, value in schemas.items() if key.startswith(prefix)}
    text = json.dumps({**schemas[name], "$defs": defs})
    for key in defs:
        text = text.replace(f'"#/components/schemas/{prefix}{key}"', f'"#/$defs/{key}"')
    return json.loads(text)


@pytest.mark.parametrize("name, source", [("Intake", intake_schema), ("Result", result_schema)])
def test_the_contract_in_the_document_is_the_shipped_schema(api_app, name, source):
    expected = {key: value for key, value in source().items() if key not in ("$schema", "$id")}
    assert standalone(served(api_app), name) == expected


def test_every_api_route_and_method_is_documented(api_app):
    paths = served(api_app)["paths"]
    routes = {(rule.rule, method.lower()) for rule in api_app.url_map.iter_rules() if rule.rule.startswith("/api/")
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path, method) for path, item in paths.items() for method in item}
    assert routes == documented


def test_authentication_is_stated(api_app):
    document = served(api_app)
    assert document["security"] == []
    assert "Authentication: none" in document["info"]["description"]


def test_every_golden_result_meets_the_result_schema():
    intakes, results = Draft202012Validator(intake_schema()), Draft202012Validator(result_schema())
    checked = 0
    for path in case_files():
        intake = json.loads(path.read_text(encoding="utf-8"))["intake"]
        if validate(intake):
            continue
        assert not list(intakes.iter_errors(intake)), path.name
        errors = [error.message for error in results.iter_errors(evaluate(intake).to_dict())]
        assert not errors, (path.name, errors[:3])
        checked += 1
    assert checked >= 27


def test_the_result_schema_refuses_a_variant_of_another_consultation():
    sciatica = {**INTAKE, "locations": ["lower_back", "leg"], "symptoms": ["radiates_below_knee"], "treatments": [
        {"type": "physical_therapy", "weeks": 6, "relief_percent": 20}]}
    result = evaluate(sciatica).to_dict()
    results = Draft202012Validator(result_schema())
    assert results.is_valid(result)
    assert result["suggestions"][0]["consultation"] == "epidural_steroid_injection"
    result["suggestions"][0]["variant"] = "genicular"
    assert not results.is_valid(result)


def test_schemathesis_catches_a_response_the_document_does_not_allow(api_app):
    document = openapi_document(MAX_CONTENT_LENGTH)
    document["components"]["schemas"]["Result"]["properties"]["rulebase"] = {"const": "0.0.0"}
    operation = schemathesis.openapi.from_dict(document)["/api/v1/evaluate"]["POST"]
    with pytest.raises(FailureGroup, match="Response violates schema"):
        operation.Case(body=INTAKE, media_type="application/json").call_and_validate(app=api_app)


def test_a_database_outage_answers_as_the_document_says(tmp_path, monkeypatch):
    import web.api

    def unreachable(intake):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    app = make_app(tmp_path)
    monkeypatch.setattr(web.api, "evaluate", unreachable)
    operation = schemathesis.openapi.from_dict(openapi_document(MAX_CONTENT_LENGTH))["/api/v1/evaluate"]["POST"]
    case = operation.Case(body=INTAKE, media_type="application/json")
    response = case.call_and_validate(app=app, excluded_checks=[not_a_server_error])
    assert response.status_code == 503 and response.headers["retry-after"] == ["30"]


# --- Errors under /api are JSON, never a page ---

def assert_json_error(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == status
    return response


def test_unknown_paths_anywhere_under_api_are_json_404(client):
    for path in ("/api/v1/nothing", "/api/", "/api/v2/evaluate"):
        assert_json_error(client.get(path), 404)


def test_a_method_a_path_does_not_take_is_json_405_with_allow(client):
    response = assert_json_error(client.delete("/api/v1/schema"), 405)
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_options_is_not_a_page(client):
    response = client.options("/api/v1/evaluate")
    assert response.status_code == 204 and "Content-Type" not in response.headers
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}


def test_a_body_over_the_documented_limit_is_json_413(client):
    text = json.dumps(INTAKE)
    at_limit = text[:-1] + " " * (MAX_CONTENT_LENGTH - len(text)) + "}"
    assert len(at_limit) == MAX_CONTENT_LENGTH
    assert client.post("/api/v1/evaluate", data=at_limit, content_type="application/json").status_code == 200
    assert_json_error(client.post("/api/v1/evaluate", data=at_limit + " ", content_type="application/json"), 413)


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None])
def test_a_body_that_is_not_json_is_json_415(client, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    assert_json_error(client.post("/api/v1/evaluate", data=json.dumps(INTAKE), headers=headers), 415)


def test_an_invalid_intake_is_422_with_every_problem(client):
    intake = {**INTAKE, "age": 17, "pain_average": 11, "locations": ["elbow", {}], "painn": 1,
              "treatments": [{"type": "yoga", "relief_percent": 5.0}]}
    response = assert_json_error(client.post("/api/v1/evaluate", json=intake), 422)
    assert [(p["path"], p["code"]) for p in response.get_json()["problems"]] == \
           [(p.path, p.code) for p in validate(intake)]
    assert {p["path"] for p in response.get_json()["problems"]} >= {
        "age", "pain_average", "locations[0]", "locations[1]", "painn", "treatments[0].type",
        "treatments[0].relief_percent"}


@pytest.mark.parametrize("body", ["null", "[]", "5", '"intake"'])
def test_json_that_is_not_an_object_is_422(client, body):
    response = assert_json_error(client.post("/api/v1/evaluate", data=body, content_type="application/json"), 422)
    assert response.get_json()["problems"][0]["code"] == "not_object"


@pytest.mark.parametrize("status", [401, 403])
def test_refusals_under_api_are_json(tmp_path, status):
    app = make_app(tmp_path)
    app.add_url_rule("/api/v1/refused", "refused", lambda: abort(status))
    assert_json_error(app.test_client().get("/api/v1/refused"), status)


def test_deeply_nested_json_is_json_400_not_500(client):
    body = '{"a":' * 5000 + "1" + "}" * 5000
    assert_json_error(client.post("/api/v1/evaluate", data=body, content_type="application/json"), 400)
