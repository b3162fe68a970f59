"""Staff sign-in, rate limits, the idle timeout, sign-out, roles, and the route walk."""
import re

import pytest
from conftest import CHEAP_PASSWORD_HASH, STAFF_PASSWORD, make_app, sign_in
from sqlalchemy import select
from werkzeug.security import check_password_hash

from web import create_app
from web.extensions import db
from web.models import AuditEvent, User
from web.nurse.account import hash_password

# Routes anyone may open: the staff login page, static files, the public
# Questionnaire, and the other features' blueprints (patient pages, the API).
# $evaluate stores nothing and returns only what was posted, like /api/v1/evaluate: public.
PUBLIC_ENDPOINTS = {"nurse.login", "static", "exports.questionnaire", "exports.evaluate_response"}
STAFF_PREFIXES = ("/nurse/", "/fhir/QuestionnaireResponse/")


def actions(app):
    with app.app_context():
        return [event.action for event in db.session.execute(
            select(AuditEvent).order_by(AuditEvent.id)).scalars()]


def staff_rules(app):
    """Every staff route of the app, with sample URL values filled in."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC_ENDPOINTS or not rule.rule.startswith(STAFF_PREFIXES):
            continue
        yield rule, re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)


def test_route_walk_sends_anonymous_visitors_to_login(tmp_path):
    app = make_app(tmp_path)
    client = app.test_client()
    walked = list(staff_rules(app))
    assert len(walked) >= 8
    for rule, url in walked:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.location.startswith("/nurse/login"), (method, url)


def test_every_staff_endpoint_is_covered_by_the_walk(tmp_path):
    app = make_app(tmp_path)
    walked = {rule.endpoint for rule, _ in staff_rules(app)}
    blueprint_endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                           if rule.endpoint.startswith(("nurse.", "exports."))}
    assert blueprint_endpoints - walked == PUBLIC_ENDPOINTS - {"static"}


def test_login_succeeds_and_is_audited(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    response = sign_in(client, "nina")
    assert response.status_code == 302 and response.location == "/nurse/"
    assert client.get("/nurse/").status_code == 200
    assert actions(db_app) == ["login"]
    with db_app.app_context():
        user = db.session.execute(select(User).filter_by(username="nina")).scalar_one()
        assert user.last_login_at is not None
        assert user.password_hash.startswith(f"{CHEAP_PASSWORD_HASH}$")


def test_production_hashes_staff_passwords_with_scrypt(tmp_path):
    app = create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    with app.app_context():
        stored = hash_password(STAFF_PASSWORD)
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt" and stored.startswith("scrypt:")
    assert check_password_hash(stored, STAFF_PASSWORD)


@pytest.mark.parametrize("username, password, kept_as", [
    ("nina", "wrong-password", "nina"),
    ("nobody", STAFF_PASSWORD, "unknown user (6 characters) #"),
    ("NINA", STAFF_PASSWORD, "unknown user (4 characters) #"),
])
def test_wrong_credentials_are_refused_and_recorded(db_app, create_staff, username, password, kept_as):
    create_staff("nina")
    client = db_app.test_client()
    response = sign_in(client, username, password)
    assert response.status_code == 401
    assert b"The username or password is not right." in response.data
    assert client.get("/nurse/").status_code == 302
    with db_app.app_context():
        event = db.session.execute(select(AuditEvent)).scalar_one()
        assert (event.action, event.remote_addr) == ("login_failed", "127.0.0.1")
        assert event.username.startswith(kept_as)


def test_login_goes_back_to_a_local_next_page_only(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    response = client.post("/nurse/login?next=/nurse/?status=all",
                           data={"username": "nina", "password": STAFF_PASSWORD})
    assert response.location == "/nurse/?status=all"
    client = db_app.test_client()
    response = client.post("/nurse/login?next=//evil.example/x",
                           data={"username": "nina", "password": STAFF_PASSWORD})
    assert response.location == "/nurse/"


def test_five_failures_per_account_then_even_the_right_password_waits(db_app, create_staff):
    create_staff("nina")
    for attempt in range(5):
        client = db_app.test_client()
        address = {"REMOTE_ADDR": f"10.0.0.{attempt + 1}"}  # a different address each time
        assert client.post("/nurse/login", data={"username": "nina", "password": "nope"},
                           environ_base=address).status_code == 401
    blocked = db_app.test_client().post("/nurse/login", environ_base={"REMOTE_ADDR": "10.0.0.9"},
                                        data={"username": "nina", "password": STAFF_PASSWORD})
    assert blocked.status_code == 429
    assert actions(db_app)[-1] == "login_throttled"


def test_failures_per_address_block_other_accounts_from_it(db_app, create_staff):
    create_staff("nina")
    db_app.config["LOGIN_LIMIT_ADDRESS"] = "5 per minute"
    client = db_app.test_client()
    for number in range(5):
        assert sign_in(client, f"guess{number}", "nope").status_code == 401
    assert sign_in(client, "nina").status_code == 429
    other_address = db_app.test_client()
    assert other_address.post("/nurse/login", data={"username": "nina", "password": STAFF_PASSWORD},
                              environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 302


def test_successful_logins_do_not_count_toward_the_limit(db_app, create_staff):
    create_staff("nina")
    for _ in range(7):
        client = db_app.test_client()
        assert sign_in(client, "nina").status_code == 302


def test_login_form_needs_a_csrf_token(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/nurse/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    page = client.get("/nurse/login").get_data(as_text=True)
    assert re.search(r'name="csrf_token" type="hidden" value="[^"]+"', page)


def test_session_ends_after_fifteen_idle_minutes(db_app, nurse_client):
    clock = db_app.extensions["clock"]
    assert nurse_client.get("/nurse/").status_code == 200
    clock.advance(15 * 60)
    assert nurse_client.get("/nurse/").status_code == 200
    clock.advance(15 * 60 + 1)
    response = nurse_client.get("/nurse/?status=all")
    assert response.status_code == 302
    assert response.location.startswith("/nurse/login?next=")
    assert actions(db_app)[-1] == "session_expired"
    assert nurse_client.get("/nurse/").status_code == 302


def test_logout_ends_the_session(db_app, nurse_client):
    response = nurse_client.post("/nurse/logout")
    assert response.status_code == 302 and response.location == "/nurse/login"
    assert nurse_client.get("/nurse/").status_code == 302
    assert actions(db_app) == ["login", "logout"]


def test_logout_is_post_only(nurse_client):
    assert nurse_client.get("/nurse/logout").status_code == 405


def test_a_disabled_account_is_signed_out_and_cannot_sign_in(db_app, nurse_client):
    with db_app.app_context():
        user = db.session.execute(select(User).filter_by(username="nina")).scalar_one()
        user.active = False
        db.session.commit()
    assert nurse_client.get("/nurse/").status_code == 302
    assert sign_in(db_app.test_client(), "nina").status_code == 401


def test_session_cookie_is_rotated_at_login(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    client.get("/nurse/login")
    client.post("/nurse/login", data={"username": "x", "password": "y"})
    before = client.get_cookie("pt_session")
    sign_in(client, "nina")
    after = client.get_cookie("pt_session")
    assert after is not None and (before is None or before.value != after.value)


def test_admin_pages_are_for_admins_only(nurse_client, admin_client):
    assert nurse_client.get("/nurse/admin/audit").status_code == 403
    assert admin_client.get("/nurse/admin/audit").status_code == 200


def test_login_page_shows_labelled_fields(client):
    page = client.get("/nurse/login").get_data(as_text=True)
    assert '<label class="field__label" for="username">Username</label>' in page
    assert '<label class="field__label" for="password">Password</label>' in page
    assert 'autocomplete="current-password"' in page
