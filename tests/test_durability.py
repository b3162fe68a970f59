"""SQLite flushes to disk at every commit, except a patient's step answers and own-device session.

A write that must survive a power cut (a submission, the audit trail, a staff or kiosk session,
any deletion) is committed with PRAGMA synchronous=FULL; only the writes a patient can repeat at
no cost are committed with NORMAL (web.database.relaxed_durability).
"""
import re

import pytest
from sqlalchemy import event, insert, update

from conftest import STAFF_PASSWORD, make_app, sign_in
from test_patient_flow import SCIATICA_AFTER_PHYSIO, answer_all, post_step
from web.database import DurabilityMixed, relaxed_durability
from web.extensions import db
from web.models import AuditEvent, Draft, utcnow

LEVEL = {1: "NORMAL", 2: "FULL"}
TABLE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+(\w+)", re.IGNORECASE)


def writes_of(app):
    """Record (statement kind, table, synchronous level at that moment) for every write of an app."""
    seen = []
    with app.app_context():
        engine = db.engine

    def record(connection, _cursor, statement, _parameters, _context, _executemany):
        match = TABLE.match(statement)
        if match:
            level = connection.connection.dbapi_connection.execute("PRAGMA synchronous").fetchone()[0]
            seen.append((match.group(1).split()[0].upper(), match.group(2), LEVEL[level]))

    # Registered after the app's own listener, so it sees the level that listener chose.
    event.listen(engine, "before_cursor_execute", record)
    return seen


@pytest.fixture
def writes(app):
    return writes_of(app)


def levels(seen, kind, table):
    return {level for seen_kind, seen_table, level in seen if (seen_kind, seen_table) == (kind, table)}


def test_step_answers_and_the_patient_session_are_relaxed_and_the_submission_is_flushed(client, writes):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    assert levels(writes, "UPDATE", "draft") == {"NORMAL"}
    assert levels(writes, "INSERT", "draft") == {"NORMAL"}
    assert levels(writes, "INSERT", "server_session") == {"NORMAL"}
    writes.clear()
    assert client.post("/questions/submit").location == "/results"
    assert levels(writes, "INSERT", "submission") == {"FULL"}
    # The draft is deleted in the submission's own transaction.
    assert levels(writes, "DELETE", "draft") == {"FULL"}


def test_a_staff_session_and_the_audit_trail_are_flushed(app, client, writes):
    from web.models import User
    from web.nurse.account import hash_password

    with app.app_context():
        db.session.add(User(username="nina", password_hash=hash_password(STAFF_PASSWORD), role="nurse"))
        db.session.commit()
    writes.clear()
    assert sign_in(client, "nina").status_code == 302
    assert client.get("/nurse/").status_code == 200
    assert levels(writes, "INSERT", "audit_event") == {"FULL"}
    assert levels(writes, "INSERT", "server_session") == {"FULL"}
    writes.clear()
    assert client.post("/nurse/logout").status_code == 302
    assert levels(writes, "DELETE", "server_session") == {"FULL"}


def test_a_flushed_write_never_joins_a_relaxed_transaction(app):
    with app.app_context():
        draft = Draft(id="d" * 43, answers={}, completed_steps=[], lang="en", kiosk=False)
        db.session.add(draft)
        db.session.commit()
        with relaxed_durability():
            db.session.execute(update(Draft).where(Draft.id == draft.id).values(updated_at=utcnow()))
        with pytest.raises(DurabilityMixed):
            db.session.execute(insert(AuditEvent).values(action="login", at=utcnow()))
        db.session.rollback()


def test_the_next_transaction_is_flushed_again_after_a_relaxed_one(app, writes):
    with app.app_context():
        with relaxed_durability():
            db.session.add(Draft(id="e" * 43, answers={}, completed_steps=[], lang="en", kiosk=False))
            db.session.commit()
        db.session.execute(update(Draft).where(Draft.id == "e" * 43).values(lang="es"))
        db.session.commit()
    assert [level for _kind, table, level in writes if table == "draft"] == ["NORMAL", "FULL"]


def test_a_pending_audit_row_flushed_inside_a_relaxed_block_is_still_flushed_to_disk(app, writes):
    with app.app_context():
        db.session.add(AuditEvent(action="login", at=utcnow()))
        with relaxed_durability():
            db.session.add(Draft(id="f" * 43, answers={}, completed_steps=[], lang="en", kiosk=False))
            db.session.commit()
    assert [(table, level) for _kind, table, level in writes] == [("audit_event", "FULL"), ("draft", "FULL")]


def test_a_kiosk_session_is_flushed(tmp_path):
    kiosk = make_app(tmp_path, KIOSK_MODE=True)
    seen = writes_of(kiosk)
    tablet = kiosk.test_client()
    assert tablet.get("/kiosk").status_code == 200
    assert tablet.post("/kiosk/start", data={"lang": "en"}).status_code == 302
    assert post_step(tablet, "safety", SCIATICA_AFTER_PHYSIO["safety"]).status_code == 302
    assert levels(seen, "INSERT", "server_session") == {"FULL"}
    assert levels(seen, "UPDATE", "server_session") == {"FULL"}
    # The kiosk's step answers are relaxed like anyone's: a lost step is asked again.
    assert levels(seen, "UPDATE", "draft") == {"NORMAL"}
    with kiosk.app_context():
        db.session.remove()
        db.engine.dispose()
