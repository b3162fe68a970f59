"""Expired sessions and abandoned drafts go on their own schedule, apart from submission retention."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

import web.housekeeping
from conftest import make_app
from test_patient_flow import SCIATICA_AFTER_PHYSIO, answer_all
from web.demo import DEMO_PATIENTS
from web.extensions import db
from web.models import Draft, ServerSession, Submission, utcnow

INTERVAL = 10 * 60


def count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def leave_behind(app, sessions, drafts, idle_seconds, prefix="old"):
    """Store sessions and drafts last touched `idle_seconds` ago."""
    with app.app_context():
        then = utcnow() - timedelta(seconds=idle_seconds)
        db.session.add_all([ServerSession(key_hash=f"{prefix}{index:061x}", data={"lang": "en"}, updated_at=then)
                            for index in range(sessions)])
        db.session.add_all([Draft(id=f"{prefix}-{index}", updated_at=then, created_at=then)
                            for index in range(drafts)])
        db.session.commit()


def test_the_cron_command_purges_only_what_has_expired(db_app, add_submission):
    config = db_app.config
    leave_behind(db_app, 3, 2, config["DRAFT_IDLE_SECONDS"] + 1)
    leave_behind(db_app, 1, 0, config["SESSION_IDLE_SECONDS"], prefix="now")  # exactly the limit: usable
    leave_behind(db_app, 0, 1, config["DRAFT_IDLE_SECONDS"], prefix="now")
    add_submission(DEMO_PATIENTS[0][2], "OLD001", minutes_ago=400 * 24 * 60)
    result = db_app.test_cli_runner().invoke(args=["purge-idle"])
    assert result.exit_code == 0, result.output
    assert "Purged 3 expired sessions and 2 abandoned drafts." in result.output
    assert count(db_app, ServerSession) == 1 and count(db_app, Draft) == 1
    assert count(db_app, Submission) == 1  # retention is the clinic's decision, not housekeeping's


@pytest.fixture
def busy_app(tmp_path):
    application = make_app(tmp_path, HOUSEKEEPING_INTERVAL_SECONDS=INTERVAL, HOUSEKEEPING_BATCH=5)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_page_views_sweep_at_most_once_per_interval_and_a_bounded_batch(busy_app):
    clock, client = busy_app.extensions["clock"], busy_app.test_client()
    client.get("/").close()  # the process's first request: the first sweep is one interval away
    leave_behind(busy_app, 12, 7, busy_app.config["DRAFT_IDLE_SECONDS"] + 1)
    clock.advance(INTERVAL - 1)
    client.get("/")
    assert count(busy_app, ServerSession) == 12 and count(busy_app, Draft) == 7
    clock.advance(1)
    client.get("/")
    assert count(busy_app, ServerSession) == 7 and count(busy_app, Draft) == 2
    client.get("/no-such-page")
    assert count(busy_app, ServerSession) == 7
    clock.advance(INTERVAL)
    client.get("/no-such-page")
    assert count(busy_app, ServerSession) == 2 and count(busy_app, Draft) == 0


def test_the_sweep_never_removes_a_patient_still_answering(busy_app):
    clock, client = busy_app.extensions["clock"], busy_app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    clock.advance(INTERVAL)
    assert client.get("/questions/pain").status_code == 200
    assert count(busy_app, Draft) == 1 and count(busy_app, ServerSession) == 1


def test_a_failed_sweep_costs_the_patient_nothing_and_is_tried_again(busy_app, monkeypatch):
    clock, client = busy_app.extensions["clock"], busy_app.test_client()
    client.get("/").close()
    leave_behind(busy_app, 2, 0, busy_app.config["SESSION_IDLE_SECONDS"] + 1)

    def locked(batch=None):
        raise OperationalError("DELETE FROM server_session", {}, Exception("database is locked"))

    monkeypatch.setattr(web.housekeeping, "purge_idle", locked)
    clock.advance(INTERVAL)
    assert client.get("/").status_code == 200
    monkeypatch.undo()
    clock.advance(INTERVAL)
    client.get("/")
    assert count(busy_app, ServerSession) == 0


def test_the_sweep_can_be_turned_off(tmp_path):
    app = make_app(tmp_path, HOUSEKEEPING_INTERVAL_SECONDS=0)
    leave_behind(app, 2, 0, app.config["SESSION_IDLE_SECONDS"] + 1)
    app.extensions["clock"].advance(10 * INTERVAL)
    app.test_client().get("/")
    assert count(app, ServerSession) == 2 and "housekeeping" not in app.extensions
