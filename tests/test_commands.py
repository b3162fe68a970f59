"""Operator commands: staff accounts, retention purge, demo data."""
import re
from datetime import timedelta

import pytest
from conftest import CHEAP_PASSWORD_HASH, sign_in
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from web.demo import DEMO_PATIENTS
from web.extensions import db
from web.models import AuditEvent, Draft, ServerSession, Submission, User, utcnow

PASSWORD = "a-long-enough-password"


@pytest.fixture
def cli(db_app):
    """Run a `flask` command against the app: cli("users", "create", ...) -> result."""
    runner = db_app.test_cli_runner()

    def run(*args, input=None):
        return runner.invoke(args=list(args), input=input)

    return run


def audit_details(app, action):
    with app.app_context():
        return [(event.username, event.detail) for event in db.session.execute(
            select(AuditEvent).filter_by(action=action)).scalars()]


def test_create_user_reads_the_password_from_stdin(db_app, cli):
    result = cli("users", "create", "--role", "admin", "--password-stdin", "ada", input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert "Created admin ada." in result.output
    with db_app.app_context():
        user = db.session.execute(select(User).filter_by(username="ada")).scalar_one()
        assert user.role == "admin" and user.password_hash.startswith(f"{CHEAP_PASSWORD_HASH}$")
        assert check_password_hash(user.password_hash, PASSWORD)
    [(who, detail)] = audit_details(db_app, "user_create")
    assert who.startswith("cli:") and detail == "admin ada"
    assert sign_in(db_app.test_client(), "ada", PASSWORD).status_code == 302


def test_create_user_prompts_twice_for_the_password(db_app, cli):
    result = cli("users", "create", "nina", input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output
    with db_app.app_context():
        assert db.session.execute(select(User.role).filter_by(username="nina")).scalar_one() == "nurse"


@pytest.mark.parametrize("args, stdin, message", [
    (["--password-stdin", "nina"], "short\n", "at least 12 characters"),
    (["--role", "doctor", "--password-stdin", "nina"], PASSWORD + "\n", "Invalid value for '--role'"),
])
def test_create_user_refuses_bad_input(db_app, cli, args, stdin, message):
    result = cli("users", "create", *args, input=stdin)
    assert result.exit_code != 0 and message in result.output
    with db_app.app_context():
        assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 0


def test_create_user_refuses_a_taken_name(cli):
    cli("users", "create", "--password-stdin", "nina", input=PASSWORD + "\n")
    result = cli("users", "create", "--password-stdin", "nina", input=PASSWORD + "\n")
    assert result.exit_code == 1 and "already exists" in result.output


def test_disable_user_ends_sign_in(db_app, cli):
    cli("users", "create", "--password-stdin", "nina", input=PASSWORD + "\n")
    client = db_app.test_client()
    sign_in(client, "nina", PASSWORD)
    result = cli("users", "disable", "nina")
    assert result.exit_code == 0 and "Disabled nina." in result.output
    assert client.get("/nurse/").status_code == 302
    assert sign_in(db_app.test_client(), "nina", PASSWORD).status_code == 401
    assert [detail for _, detail in audit_details(db_app, "user_disable")] == ["nina"]
    assert cli("users", "disable", "nobody").exit_code == 1


def test_purge_deletes_old_submissions_drafts_and_sessions_but_keeps_the_audit(db_app, cli, add_submission,
                                                                               nurse_client):
    old = add_submission(DEMO_PATIENTS[0][2], "OLD001", minutes_ago=31 * 24 * 60)
    new = add_submission(DEMO_PATIENTS[0][2], "NEW001", minutes_ago=29 * 24 * 60)
    nurse_client.get(f"/nurse/submissions/{old}")
    long_ago = utcnow() - timedelta(days=40)
    with db_app.app_context():
        db.session.add_all([Draft(id="d-old", updated_at=long_ago, created_at=long_ago), Draft(id="d-new"),
                            ServerSession(key_hash="0" * 64, data={}, updated_at=long_ago)])
        db.session.commit()
        audit_rows = db.session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()

    result = cli("purge", "--older-than", "30")
    assert result.exit_code == 0, result.output
    assert "1 submissions, 1 drafts; 1 expired sessions" in result.output
    with db_app.app_context():
        assert db.session.execute(select(Submission.id)).scalars().all() == [new]
        assert db.session.execute(select(Draft.id)).scalars().all() == ["d-new"]
        assert db.session.get(ServerSession, "0" * 64) is None
        events = db.session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars().all()
        assert len(events) == audit_rows + 1
        assert events[1].checkin_code == "OLD001"  # the view of the purged submission stays
        assert events[-1].action == "purge" and "older than 30 days" in events[-1].detail


def test_purge_needs_a_positive_number_of_days(cli):
    assert cli("purge", "--older-than", "0").exit_code == 2
    assert cli("purge").exit_code == 2


def test_seed_demo_once(db_app, cli):
    first = cli("seed-demo")
    assert first.exit_code == 0, first.output
    password = re.search(r"password: (\S+)", first.output).group(1)
    assert sign_in(db_app.test_client(), "nurse", password).status_code == 302
    with db_app.app_context():
        priorities = db.session.execute(select(Submission.priority)).scalars().all()
        statuses = db.session.execute(select(Submission.status)).scalars().all()
    assert len(priorities) == len(DEMO_PATIENTS) >= 20
    assert {0, 1, 2} <= set(priorities) and {"new", "reviewed"} == set(statuses)

    second = cli("seed-demo")
    assert second.exit_code == 0 and "nothing to do" in second.output
    assert "password" not in second.output
    with db_app.app_context():
        assert db.session.execute(select(func.count()).select_from(Submission)).scalar_one() == len(DEMO_PATIENTS)


def test_seed_demo_covers_the_workspace(db_app, cli):
    cli("seed-demo")
    with db_app.app_context():
        results = db.session.execute(select(Submission.result)).scalars().all()
    alerts = {alert["id"] for result in results for alert in result["alerts"]}
    consultations = {item["consultation"] for result in results for item in result["suggestions"]}
    cautions = {caution["id"] for result in results for caution in result["cautions"]}
    assert {"cauda_equina", "headache_emergency"} <= alerts and len(alerts) >= 6
    assert len(consultations) == 6
    assert {"bleeding_risk", "diabetes_steroid", "pregnancy"} <= cautions
    assert any(result["withheld"] for result in results)
