"""Sign-in behind a TLS proxy: the real client's address, fair limits, a quiet audit trail."""
import pytest
from conftest import STAFF_PASSWORD, make_app, sign_in
from sqlalchemy import select

from web.extensions import db, limiter
from web.models import AuditEvent

PROXY = {"REMOTE_ADDR": "10.0.0.1"}


def through_proxy(client, username, password, client_address):
    """Sign in as a browser at `client_address` would, through one proxy that appends it."""
    return client.post("/nurse/login", data={"username": username, "password": password},
                       environ_base=PROXY, headers={"X-Forwarded-For": client_address})


def audit_rows(app, action=None):
    with app.app_context():
        statement = select(AuditEvent).order_by(AuditEvent.id)
        if action:
            statement = statement.where(AuditEvent.action == action)
        return [(row.action, row.username, row.remote_addr, row.detail)
                for row in db.session.execute(statement).scalars()]


@pytest.fixture
def proxied_app(db_url, tmp_path):
    """An app told that one proxy stands in front of it."""
    application = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=db_url, PROXY_HOPS=1)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def proxied_staff(proxied_app):
    """Create the nurses nina and ada in the proxied app."""
    from web.models import User
    from web.nurse.account import hash_password

    with proxied_app.app_context():
        for name in ("nina", "ada"):
            db.session.add(User(username=name, password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()
    return proxied_app


def test_the_audit_trail_records_the_client_behind_the_proxy(proxied_staff):
    client = proxied_staff.test_client()
    assert through_proxy(client, "nina", STAFF_PASSWORD, "203.0.113.7").status_code == 302
    assert audit_rows(proxied_staff) == [("login", "nina", "203.0.113.7", None)]


def test_without_a_trusted_proxy_a_forwarded_address_is_ignored(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    response = client.post("/nurse/login", data={"username": "nina", "password": STAFF_PASSWORD},
                           headers={"X-Forwarded-For": "203.0.113.7"})
    assert response.status_code == 302
    assert audit_rows(db_app) == [("login", "nina", "127.0.0.1", None)]


def test_an_attacker_behind_the_proxy_does_not_lock_other_nurses_out(proxied_staff):
    attacker = proxied_staff.test_client()
    statuses = [through_proxy(attacker, "ada", "guess", "198.51.100.66").status_code for _ in range(8)]
    assert statuses == [401] * 5 + [429] * 3
    nurse = proxied_staff.test_client()
    assert through_proxy(nurse, "nina", STAFF_PASSWORD, "203.0.113.7").status_code == 302


def test_a_nurse_sharing_the_attackers_address_can_still_sign_in(db_app, create_staff):
    create_staff("nina")
    create_staff("ada")
    attacker = db_app.test_client()
    for _ in range(8):
        sign_in(attacker, "ada", "guess")
    for number in range(6):
        assert sign_in(attacker, f"guess{number}", "nope").status_code == 401
    assert sign_in(db_app.test_client(), "nina").status_code == 302


def test_the_per_address_limit_still_stops_a_sweep_of_usernames(db_app, create_staff):
    create_staff("nina")
    db_app.config["LOGIN_LIMIT_ADDRESS"] = "3 per minute"
    sweeper = db_app.test_client()
    assert [sign_in(sweeper, f"guess{number}", "nope").status_code for number in range(4)] == [401] * 3 + [429]
    assert sign_in(sweeper, "nina").status_code == 429
    rows = audit_rows(db_app, "login_throttled")
    assert len(rows) == 1 and "by address" in rows[0][3]


def test_one_throttle_window_writes_one_audit_row(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    statuses = [sign_in(client, "nina", "wrong").status_code for _ in range(12)]
    assert statuses == [401] * 5 + [429] * 7
    throttled = audit_rows(db_app, "login_throttled")
    assert throttled == [("login_throttled", "nina", "127.0.0.1", "more than 5 per 1 minute failed sign-ins by account")]
    with db_app.app_context():
        limiter.reset()  # the window is over
    statuses = [sign_in(client, "nina", "wrong").status_code for _ in range(7)]
    assert statuses == [401] * 5 + [429] * 2
    assert len(audit_rows(db_app, "login_throttled")) == 2


def test_a_password_typed_as_a_username_is_not_kept(db_app, create_staff):
    create_staff("nina")
    client = db_app.test_client()
    for _ in range(6):
        sign_in(client, "Tr0ub4dor&3-secret", "anything")
    rows = audit_rows(db_app)
    assert [row[0] for row in rows] == ["login_failed"] * 5 + ["login_throttled"]
    assert not any("Tr0ub4dor" in str(row) for row in rows)
    assert len({row[1] for row in rows}) == 1
    assert rows[0][1].startswith("unknown user (18 characters) #")


def test_unknown_names_are_fingerprinted_with_the_secret_key(tmp_path):
    from web.audit import audit_username

    names = []
    for secret in ("one-secret", "another-secret"):
        (tmp_path / secret).mkdir()
        app = make_app(tmp_path / secret, SECRET_KEY=secret)
        with app.app_context():
            names.append(audit_username(" hunter2 "))
            assert audit_username("") is None
    assert names[0] != names[1]
    assert all(name.startswith("unknown user (7 characters) #") for name in names)


def test_a_negative_number_of_proxies_is_refused_at_start(tmp_path):
    with pytest.raises(ValueError, match="PROXY_HOPS"):
        make_app(tmp_path, PROXY_HOPS=-1)


def test_two_proxies_trust_the_address_the_outer_one_saw(tmp_path):
    app = make_app(tmp_path, PROXY_HOPS=2)
    client = app.test_client()
    client.post("/nurse/login", data={"username": "nobody", "password": "guess"}, environ_base=PROXY,
                headers={"X-Forwarded-For": "6.6.6.6, 203.0.113.7, 10.0.0.2"})
    assert audit_rows(app)[0][2] == "203.0.113.7"
