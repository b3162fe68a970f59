"""PostgreSQL: the app's role may read and add to the audit trail, and nothing more."""
import uuid

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError

from test_patient_flow import SCIATICA_AFTER_PHYSIO, submit
from web import create_app
from web.dbroles import RoleError
from web.extensions import db

pytestmark = pytest.mark.postgres


@pytest.fixture
def roles(pg_cluster):
    """An owner role, an app role, and a database the owner owns; (owner_url, app_url, app_role)."""
    suffix = uuid.uuid4().hex[:10]
    owner, app_role, name = f"owner_{suffix}", f"app_{suffix}", f"roles_{suffix}"
    with pg_cluster.admin.connect() as connection:
        connection.execute(text(f'CREATE ROLE "{owner}" LOGIN'))
        connection.execute(text(f'CREATE ROLE "{app_role}" LOGIN'))
        connection.execute(text(f'CREATE DATABASE "{name}" OWNER "{owner}" STRATEGY FILE_COPY'))
    as_role = f"postgresql+psycopg://{{}}@127.0.0.1:{pg_cluster.port}/{name}".format
    yield as_role(owner), as_role(app_role), app_role
    with pg_cluster.admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        connection.execute(text(f'DROP ROLE "{app_role}"'))
        connection.execute(text(f'DROP ROLE "{owner}"'))


def app_on(url, tmp_path, **config):
    return create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False,
                       "SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1",
                       "RATELIMIT_ENABLED": False, **config})


def dispose(app):
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def migrated(roles, tmp_path):
    """Run `flask init` as the owner with the app role configured; yield the app role's engine."""
    owner_url, app_url, app_role = roles
    owner_app = app_on(owner_url, tmp_path, DATABASE_APP_ROLE=app_role)
    result = owner_app.test_cli_runner().invoke(args=["init"])
    assert result.exit_code == 0, result.output
    dispose(owner_app)
    engine = create_engine(app_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO audit_event (at, action, username) "
                                "VALUES (now(), 'purge', 'cli:test')"))
    yield engine
    engine.dispose()


@pytest.mark.parametrize("statement, refusal", [
    ("UPDATE audit_event SET username = 'someone-else'", "permission denied"),
    ("DELETE FROM audit_event", "permission denied"),
    ("TRUNCATE audit_event", "permission denied"),
    ("ALTER TABLE audit_event DISABLE TRIGGER ALL", "must be owner"),
    ("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change", "must be owner"),
    ("DROP TRIGGER audit_event_no_change ON audit_event", "must be owner"),
    ("DROP TABLE audit_event", "must be owner"),
    ("ALTER TABLE audit_event OWNER TO CURRENT_USER", "must be owner"),
])
def test_the_app_role_cannot_rewrite_the_audit_trail(migrated, statement, refusal):
    with migrated.connect() as connection, pytest.raises(ProgrammingError, match=refusal):
        connection.execute(text(statement))
    with migrated.connect() as connection:
        assert connection.execute(text("SELECT username FROM audit_event")).scalars().all() == ["cli:test"]


def test_the_app_role_cannot_change_the_schema_version(migrated):
    with migrated.connect() as connection, pytest.raises(ProgrammingError, match="permission denied"):
        connection.execute(text("UPDATE alembic_version SET version_num = 'x'"))


def test_the_app_runs_as_the_app_role(migrated, roles, tmp_path):
    _, app_url, _ = roles
    app = app_on(app_url, tmp_path)
    try:
        runner = app.test_cli_runner()
        created = runner.invoke(args=["users", "create", "--password-stdin", "nina"],
                                input="correct-horse-battery\n")
        assert created.exit_code == 0, created.output
        page = submit(app.test_client(), SCIATICA_AFTER_PHYSIO)
        assert page.status_code == 200 and "check-in code" in page.get_data(as_text=True)
    finally:
        dispose(app)
    with migrated.connect() as connection:
        actions = connection.execute(text("SELECT action FROM audit_event ORDER BY id")).scalars().all()
    assert actions == ["purge", "user_create"]


def test_the_owner_itself_is_refused_as_the_app_role(roles, tmp_path):
    owner_url, _, _ = roles
    owner = owner_url.split("//", 1)[1].split("@", 1)[0]
    app = app_on(owner_url, tmp_path, DATABASE_APP_ROLE=owner)
    try:
        result = app.test_cli_runner().invoke(args=["init"])
        assert isinstance(result.exception, RoleError) and "could disable the audit triggers" in str(result.exception)
    finally:
        dispose(app)


def test_the_readme_pg_dump_and_pg_restore_bring_the_data_back(migrated, roles, tmp_path):
    import subprocess

    owner_url, app_url, app_role = roles
    libpq = owner_url.replace("postgresql+psycopg://", "postgresql://")
    app = app_on(app_url, tmp_path)
    try:
        submit(app.test_client(), SCIATICA_AFTER_PHYSIO)
        dump = tmp_path / "pain-triage.dump"
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq], check=True, capture_output=True)
        with migrated.connect() as connection:
            connection.execute(text("DELETE FROM submission"))
        owner = libpq.split("//", 1)[1].split("@", 1)[0]
        subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", f"--role={owner}",
                        f"--dbname={libpq}", str(dump)], check=True, capture_output=True)
        owner_app = app_on(owner_url, tmp_path, DATABASE_APP_ROLE=app_role)
        regrant = owner_app.test_cli_runner().invoke(args=["init"])
        dispose(owner_app)
        assert regrant.exit_code == 0, regrant.output
        with migrated.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM submission")).scalar_one() == 1
            with pytest.raises(ProgrammingError, match="permission denied"):
                connection.execute(text("DELETE FROM audit_event"))
        assert submit(app.test_client(), SCIATICA_AFTER_PHYSIO).status_code == 200
    finally:
        dispose(app)
