"""The audit trail: what is recorded, the admin page, and that rows never change."""
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from web.audit import ACTIONS, record_now
from web.demo import DEMO_PATIENTS
from web.extensions import db
from web.models import AuditEvent

SCIATICA = DEMO_PATIENTS[0][2]


def events(app):
    with app.app_context():
        rows = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        return [(row.action, row.username, row.checkin_code, row.remote_addr) for row in rows]


def test_every_look_at_a_submission_is_recorded(db_app, add_submission, nurse_client):
    submission_id = add_submission(SCIATICA, "AUD001")
    address = {"REMOTE_ADDR": "192.0.2.7"}
    nurse_client.get(f"/nurse/submissions/{submission_id}", environ_base=address)
    nurse_client.get(f"/nurse/submissions/{submission_id}/print", environ_base=address)
    nurse_client.get(f"/fhir/QuestionnaireResponse/{submission_id}", environ_base=address)
    nurse_client.get("/nurse/export.csv", environ_base=address)
    nurse_client.post(f"/nurse/submissions/{submission_id}/review", data={"note": ""}, environ_base=address)
    nurse_client.post("/nurse/logout", environ_base=address)
    assert events(db_app) == [
        ("login", "nina", None, "127.0.0.1"),
        ("view", "nina", "AUD001", "192.0.2.7"),
        ("print", "nina", "AUD001", "192.0.2.7"),
        ("export_fhir", "nina", "AUD001", "192.0.2.7"),
        ("export_csv", "nina", None, "192.0.2.7"),
        ("review", "nina", "AUD001", "192.0.2.7"),
        ("logout", "nina", None, "192.0.2.7"),
    ]


def test_audit_rows_name_the_user_and_submission(db_app, add_submission, nurse_client):
    submission_id = add_submission(SCIATICA, "AUD002")
    nurse_client.get(f"/nurse/submissions/{submission_id}")
    with db_app.app_context():
        view = db.session.execute(select(AuditEvent).filter_by(action="view")).scalar_one()
        assert view.submission_id == submission_id and view.user_id is not None
        assert view.at is not None


@pytest.mark.parametrize("statement", [
    update(AuditEvent).values(username="someone-else"),
    delete(AuditEvent),
])
def test_the_database_refuses_to_change_or_delete_audit_rows(db_app, statement):
    with db_app.app_context():
        record_now("purge", username="cli:test", detail="a row to protect")
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(statement)
            db.session.commit()
        db.session.rollback()
        assert db.session.execute(select(AuditEvent.username)).scalar_one() == "cli:test"


def test_the_orm_cannot_edit_an_audit_row_either(db_app):
    with db_app.app_context():
        event = record_now("purge", username="cli:test")
        event.detail = "edited"
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.commit()
        db.session.rollback()
        db.session.delete(db.session.get(AuditEvent, event.id))
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.commit()


SQLITE_REWRITES = [
    "REPLACE INTO audit_event (id, at, action, username) VALUES (:id, '2026-01-01 00:00:00', 'login', 'x')",
    "INSERT OR REPLACE INTO audit_event (id, at, action, username) VALUES (:id, '2026-01-01 00:00:00', 'login', 'x')",
    "INSERT INTO audit_event (id, at, action, username) VALUES (:id, '2026-01-01 00:00:00', 'login', 'x') "
    "ON CONFLICT (id) DO UPDATE SET username = 'x'",
]


@pytest.mark.parametrize("statement", SQLITE_REWRITES)
def test_sqlite_refuses_to_replace_an_audit_row(app, statement):
    with app.app_context():
        event = record_now("purge", username="cli:test", detail="a row to protect")
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement), {"id": event.id})
        db.session.rollback()
        assert db.session.execute(select(AuditEvent.username)).scalars().all() == ["cli:test"]
        record_now("logout", username="cli:test")  # new rows are still welcome


def test_truncate_is_refused_on_postgresql(db_app):
    with db_app.app_context():
        if db.engine.dialect.name != "postgresql":
            assert db.engine.dialect.name == "sqlite"  # SQLite has no TRUNCATE
            return
        record_now("purge", username="cli:test")
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("TRUNCATE audit_event"))
        db.session.rollback()


def test_unknown_actions_are_a_programming_error(db_app):
    with db_app.app_context(), pytest.raises(ValueError):
        record_now("peeked")


@pytest.fixture
def trail(db_app, add_submission, nurse_client, admin_client):
    """A trail with views by two people and a failed sign-in."""
    first = add_submission(SCIATICA, "TRL001")
    second = add_submission(SCIATICA, "TRL002")
    nurse_client.get(f"/nurse/submissions/{first}")
    admin_client.get(f"/nurse/submissions/{second}")
    db_app.test_client().post("/nurse/login", data={"username": "mallory", "password": "guess"})
    return admin_client


def rows_of(page):
    return page.count("<tr><td>")


@pytest.mark.parametrize("query, expected_rows", [
    ({}, 5),                                  # 2 logins, 2 views, 1 failed sign-in
    ({"user": "nina"}, 2),
    ({"action": "view"}, 2),
    ({"code": "trl002"}, 1),
    ({"action": "login_failed"}, 1),
    ({"user": "mallory"}, 0),                 # a name that is no account is not kept verbatim
    ({"since": date.today().isoformat(), "until": date.today().isoformat()}, 5),
    ({"until": (date.today() - timedelta(days=2)).isoformat()}, 0),
    ({"action": "not-an-action"}, 5),         # an invalid filter is ignored, not an error
])
def test_admin_page_filters(trail, query, expected_rows):
    response = trail.get("/nurse/admin/audit", query_string=query)
    assert response.status_code == 200
    assert rows_of(response.get_data(as_text=True)) == expected_rows


def test_admin_page_shows_who_what_where(trail):
    page = trail.get("/nurse/admin/audit?action=view").get_data(as_text=True)
    assert "<td>nina</td>" in page and "<td>ada</td>" in page
    assert ACTIONS["view"] in page and "127.0.0.1" in page and "TRL001" in page
