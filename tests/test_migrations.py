"""Migrations: upgrade from empty, downgrade, upgrade again; and they match the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text, update
from sqlalchemy.exc import DatabaseError

from web import create_app
from web.audit import record_now
from web.extensions import db
from web.models import AuditEvent

TABLES = {"alembic_version", "audit_event", "cds_card", "cds_feedback", "cds_token_seen", "draft",
          "rulebase_signoff", "safety_stop", "server_session", "staff_user", "submission"}


@pytest.fixture
def bare_app(db_url, tmp_path):
    """An app on an empty database: no create_all, the migrations do the work."""
    app = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": db_url})
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def tables():
    return set(inspect(db.engine).get_table_names())


def differences():
    """What alembic's autogenerate would still change to reach the models."""
    with db.engine.connect() as connection:
        return compare_metadata(MigrationContext.configure(connection), db.metadata)


def test_upgrade_downgrade_upgrade(bare_app):
    assert tables() == set()
    upgrade()
    assert tables() == TABLES
    downgrade(revision="base")
    assert tables() == {"alembic_version"}
    upgrade()
    assert tables() == TABLES


def test_migrations_match_the_models(bare_app):
    upgrade()
    assert differences() == []


def test_migrated_audit_log_is_append_only(bare_app):
    upgrade()
    record_now("purge", username="cli:test")
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(update(AuditEvent).values(detail="changed"))
    db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("REPLACE INTO audit_event (id, at, action) VALUES (1, '2026-01-01', 'login')"))
        db.session.rollback()
    downgrade(revision="base")
    upgrade()  # the triggers (and on PostgreSQL their function) were dropped cleanly
    record_now("purge", username="cli:test")


def test_flask_init_upgrades_an_empty_database(bare_app):
    result = bare_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    assert "Database is up to date." in result.output
    assert tables() == TABLES


def test_sqlite_start_up_upgrades_a_database_of_the_previous_release(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'previous.sqlite3'}"
    previous = create_app({"TESTING": True, "SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": url})
    with previous.app_context():
        upgrade(revision="172e607fc5b3")
        db.session.execute(text("INSERT INTO audit_event (at, action, username) "
                                "VALUES ('2026-11-30 09:00:00', 'purge', 'cli:test')"))
        db.session.commit()
        db.engine.dispose()
    monkeypatch.setenv("PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI", url)
    monkeypatch.setenv("PAIN_TRIAGE_SECRET_KEY", "test")
    monkeypatch.setenv("PAIN_TRIAGE_CLINIC_NAME", "Test Pain Clinic")
    monkeypatch.setenv("PAIN_TRIAGE_CLINIC_PHONE", "555-0100")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()  # as `flask run` and gunicorn start it
    with app.app_context():
        assert "draft_key" in {column["name"] for column in inspect(db.engine).get_columns("submission")}
        assert differences() == []
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text("REPLACE INTO audit_event (id, at, action) VALUES (1, '2026-01-01', 'login')"))
        db.session.rollback()
        assert db.session.execute(text("SELECT username FROM audit_event")).scalars().all() == ["cli:test"]
        db.session.remove()
        db.engine.dispose()
