"""The JSON API speaks the contract: 200 with the result, 422 with every problem."""
import json

from triage import evaluate
from triage.schema import intake_schema

INTAKE = {"age": 55, "locations": ["buttock"], "duration_weeks": 20, "pain_average": 6,
          "interference_enjoyment": 6, "interference_activity": 6, "red_flags": [],
          "treatments": [{"type": "home_exercise", "weeks": 10, "relief_percent": 0}]}


def test_evaluate_returns_the_engine_result(client):
    response = client.post("/api/v1/evaluate", json=INTAKE)
    assert response.status_code == 200
    assert response.get_json() == evaluate(INTAKE).to_dict()
    assert response.headers["Cache-Control"] == "no-store"


def test_invalid_intake_gets_422_with_every_problem(client):
    response = client.post("/api/v1/evaluate", json={**INTAKE, "age": 16, "painn_average": 3})
    assert response.status_code == 422
    paths = {p["path"] for p in response.get_json()["problems"]}
    assert paths == {"age", "painn_average"}


def test_non_json_and_broken_json_are_refused(client):
    assert client.post("/api/v1/evaluate", data="age=5").status_code == 415
    broken = client.post("/api/v1/evaluate", data="{", content_type="application/json")
    assert broken.status_code == 400 and broken.get_json()["status"] == 400


def test_oversized_body_gets_413_json(client):
    response = client.post("/api/v1/evaluate", data=json.dumps({"x": "a" * 70000}),
                           content_type="application/json")
    assert response.status_code == 413 and response.get_json()["status"] == 413


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/nothing")
    assert response.status_code == 404 and response.get_json()["status"] == 404


def test_schema_endpoint(client):
    assert client.get("/api/v1/schema").get_json() == intake_schema()
