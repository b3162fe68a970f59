"""SQLite for several threads (write-ahead log, busy timeout), and backups that restore."""
import re
import stat

import pytest
from sqlalchemy import select, text

from conftest import STAFF_PASSWORD, make_app, sign_in
from test_patient_flow import AXIAL_LOW_BACK, SCIATICA_AFTER_PHYSIO, submit
from web.extensions import db
from web.models import AuditEvent, Submission, User
from web.nurse.account import hash_password

CODE = re.compile(r'class="checkin__code[^"]*">([A-Z0-9]{6})<')


@pytest.fixture
def app(tmp_path):
    """An app whose database was made by the migrations, as `make run` makes it."""
    application = make_app(tmp_path, create_schema=False)
    result = application.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_sqlite_writes_ahead_and_waits_for_locks(app):
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar_one() == 15_000


def codes(app):
    with app.app_context():
        return sorted(db.session.execute(select(Submission.checkin_code)).scalars())


def submitted_code(app, answers):
    page = submit(app.test_client(), answers).get_data(as_text=True)
    return CODE.findall(page)[0]


def test_a_backup_restores_what_was_there(app, runner, tmp_path):
    with app.app_context():
        db.session.add(User(username="nina", password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()
    kept = submitted_code(app, SCIATICA_AFTER_PHYSIO)
    copy = tmp_path / "backups" / "monday.sqlite3"
    copy.parent.mkdir()
    result = runner.invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    assert f"Backed up 1 submissions to {copy}." in result.output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with app.app_context():
        assert db.session.execute(select(AuditEvent.action)).scalars().all() == ["backup"]

    later = submitted_code(app, AXIAL_LOW_BACK)
    with app.app_context():
        db.session.execute(db.delete(Submission).where(Submission.checkin_code == kept))
        db.session.commit()
    assert codes(app) == [later]

    result = runner.invoke(args=["restore", "--yes", str(copy)])
    assert result.exit_code == 0, result.output
    assert codes(app) == [kept]
    nurse = app.test_client()
    assert sign_in(nurse, "nina").status_code == 302
    queue = nurse.get("/nurse/").get_data(as_text=True)
    assert kept in queue and later not in queue
    with app.app_context():
        actions = db.session.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    # The trail is rewound with everything else (the backup's own row came after its snapshot).
    assert actions == ["restore", "login"]


def test_a_backup_never_overwrites_a_file(app, runner, tmp_path):
    existing = tmp_path / "exists.sqlite3"
    existing.write_text("keep me")
    result = runner.invoke(args=["backup", str(existing)])
    assert result.exit_code == 1 and "already exists" in result.output
    assert existing.read_text() == "keep me"


def test_restore_refuses_a_file_that_is_not_a_backup(app, runner, tmp_path):
    stranger = tmp_path / "notes.sqlite3"
    stranger.write_text("not a database at all")
    result = runner.invoke(args=["restore", "--yes", str(stranger)])
    assert result.exit_code == 1 and "not a readable SQLite database" in result.output
    assert runner.invoke(args=["backup", str(tmp_path / "fine.sqlite3")]).exit_code == 0
