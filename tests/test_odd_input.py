"""No input gives a 500: nested JSON, NUL bytes, huge page numbers, odd cookies and hosts, fuzzing."""
import json
import logging
import re

import pytest
from conftest import STAFF_PASSWORD, make_app, sign_in
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import AnyConverter

from web.extensions import db
from web.models import User
from web.nurse.account import hash_password

API = "/api/v1/evaluate"


def deep_object(levels):
    return '{"a":' * levels + "1" + "}" * levels


@pytest.mark.parametrize("body", [
    deep_object(5000),            # past Python's recursion limit: the parser itself fails
    "[" * 20000 + "]" * 20000,
    deep_object(40),              # parses, but no intake is nested like this
    json.dumps({"age": 50, "treatments": [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]}),
], ids=["object-5000", "list-20000", "object-40", "treatments-20"])
def test_deeply_nested_json_is_a_calm_400(client, caplog, body):
    with caplog.at_level(logging.ERROR):
        response = client.post(API, data=body, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json() == {"error": "The body is nested too deeply.", "status": 400}
    assert not caplog.records, "nothing may reach the error log"


def test_an_ordinary_intake_is_not_too_deep(client):
    intake = {"age": 55, "locations": ["buttock"], "duration_weeks": 20, "pain_average": 6,
              "interference_enjoyment": 6, "interference_activity": 6, "red_flags": [],
              "treatments": [{"type": "home_exercise", "weeks": 10, "relief_percent": 0}]}
    assert client.post(API, json=intake).status_code == 200


def test_api_errors_are_json_and_keep_their_headers(client):
    response = client.get(API)
    assert response.status_code == 405 and response.get_json() == {"error": "Method Not Allowed", "status": 405}
    assert set(response.headers["Allow"].split(", ")) == {"OPTIONS", "POST"}
    assert client.post(API, data=deep_object(10), content_type="text/plain").get_json()["status"] == 415


# --- NUL bytes: PostgreSQL cannot store them, so they must never reach a query ---

@pytest.mark.parametrize("field", ["username", "password"])
def test_a_nul_byte_in_the_login_form_is_a_400(db_app, field):
    data = {"username": "nina", "password": "pw", field: "ni\x00na"}
    response = db_app.test_client().post("/nurse/login", data=data)
    assert response.status_code == 400
    assert "We could not use what you sent" in response.get_data(as_text=True)


def test_nul_bytes_in_patient_answers_are_a_400(db_app):
    client = db_app.test_client()
    client.post("/start")
    assert client.post("/questions/safety", data={"action": "next", "fever_chills": "no\x00"}).status_code == 400
    assert client.post("/language", data={"lang": "es", "next": "/\x00"}).status_code == 400
    assert client.get("/questions/safety").status_code == 200


def test_nul_bytes_in_staff_fields_and_filters_are_a_400(db_app, admin_client, add_submission):
    from test_nurse_queue import SCIATICA

    submission_id = add_submission(SCIATICA, "NUL001")
    assert admin_client.post(f"/nurse/submissions/{submission_id}/review",
                             data={"note": "fine\x00"}).status_code == 400
    assert admin_client.get("/nurse/admin/audit?user=a%00b").status_code == 400
    assert admin_client.get("/nurse/?code=AB%00").status_code == 400
    assert admin_client.get("/nurse/").status_code == 200


# --- Page numbers ---

@pytest.mark.parametrize("page", ["9" * 40, "-5", "0", "abc", "1e9", "9" * 5000, ""])
def test_any_page_number_shows_a_page(db_app, admin_client, page):
    assert admin_client.get(f"/nurse/?page={page}").status_code == 200
    assert admin_client.get(f"/nurse/?status=all&page={page}").status_code == 200
    assert admin_client.get(f"/nurse/admin/audit?page={page}").status_code == 200


def test_page_numbers_are_clamped():
    from web.nurse.queries import MAX_PAGE, page_number

    assert [page_number(text) for text in (None, "", "x", "0", "-3", "7", str(10 ** 30))] == \
           [1, 1, 1, 1, 1, 7, MAX_PAGE]


@pytest.mark.parametrize("submission_id", [2**31, 2**63, 10**30])
def test_a_submission_number_past_any_database_integer_is_not_found(db_app, admin_client, submission_id):
    for url in (f"/nurse/submissions/{submission_id}", f"/nurse/submissions/{submission_id}/print",
                f"/fhir/QuestionnaireResponse/{submission_id}"):
        assert admin_client.get(url).status_code == 404, url
    assert admin_client.post(f"/nurse/submissions/{submission_id}/review", data={"note": ""}).status_code == 404


def test_audit_dates_at_the_edges_of_the_calendar_bound_nothing(db_app, admin_client):
    page = admin_client.get("/nurse/admin/audit?since=0001-01-01&until=9999-12-31")
    assert page.status_code == 200
    assert "Signed in" in page.get_data(as_text=True)


# --- Cookies and hosts ---

@pytest.mark.parametrize("value", ["é" * 10, "\x00", "a" * 4000, "=;,"])
def test_an_odd_session_cookie_is_a_fresh_session(client, value):
    client.set_cookie("pt_session", value)
    assert client.get("/").status_code == 200


def test_a_malformed_host_is_a_400(client):
    response = client.get("/", headers={"Host": "x" * 3000})
    assert response.status_code == 400


# --- A quick fuzz over every route ---

TEXT = st.one_of(st.text(max_size=40), st.sampled_from(["\x00", "9" * 40, "-1", "0", "%", "é", "../..",
                                                         "0001-01-01", "9999-12-31"]))
SUBMISSION_IDS = st.one_of(st.integers(min_value=0, max_value=10 ** 30), st.just(1))


@pytest.fixture(scope="module")
def fuzzed_app(tmp_path_factory):
    """One app for the fuzz, with an admin to sign in as and a client kept signed in."""
    app = make_app(tmp_path_factory.mktemp("fuzz"), LOGIN_LIMIT_ADDRESS="1000 per minute")
    with app.app_context():
        db.session.add(User(username="ada", role="admin",
                            password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()
    app.admin_client = app.test_client()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def staff_client(app):
    """The fuzz's admin client, signed in again only when a request signed it out."""
    client = app.admin_client
    if client.get("/nurse/").status_code != 200:
        assert sign_in(client, "ada").status_code == 302
    return client


def routes(app):
    """Every (rule, method) of the app but static files."""
    return sorted(((rule, method) for rule in app.url_map.iter_rules() if rule.endpoint != "static"
                   for method in rule.methods - {"HEAD", "OPTIONS"}), key=lambda pair: (pair[0].rule, pair[1]))


@st.composite
def requests(draw, app):
    rule, method = draw(st.sampled_from(routes(app)))
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[name] = draw(st.sampled_from(sorted(converter.items)))
        else:
            values[name] = draw(SUBMISSION_IDS)
    path = re.sub(r"<[^>]+>", lambda match: str(values[match.group(0).strip("<>").split(":")[-1]]), rule.rule)
    fields = draw(st.dictionaries(st.sampled_from(["page", "status", "code", "user", "action", "since",
                                                   "until", "next", "lang", "action", "username",
                                                   "password", "note", "age", "fever_chills",
                                                   "locations", "duration_weeks", "csrf_token"]),
                                  TEXT, max_size=5))
    return method, path, fields, draw(st.booleans())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_request_gives_a_server_error(fuzzed_app, data):
    method, path, fields, signed_in = data.draw(requests(fuzzed_app))
    client = staff_client(fuzzed_app) if signed_in else fuzzed_app.test_client()
    if method == "GET":
        response = client.get(path, query_string=fields)
    else:
        response = client.open(path, method=method, data=fields)
    assert response.status_code < 500, (method, path, fields, response.status_code)
    if path.startswith("/api/"):
        assert response.is_json, (method, path)
