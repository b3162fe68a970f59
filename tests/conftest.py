"""Shared fixtures: an app on a throwaway SQLite database, its client and CLI runner."""
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from web import create_app
from web.clock import FrozenClock
from web.extensions import db

# Property tests must not depend on how fast the machine or the draw is: in CI and `make test`
# the same examples on every run (a property that fails does so for everyone, never by luck), no
# deadline per example and no "too slow" verdict on data generation when CI shares its cores.
# `HYPOTHESIS_PROFILE=explore` draws fresh examples, many more of them, to look for new failures.
hypothesis_settings.register_profile("shared-machine", deadline=None, derandomize=True, database=None,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.register_profile("explore", deadline=None, max_examples=2000,
                                     suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "shared-machine"))

REPO = Path(__file__).resolve().parent.parent
# One round of PBKDF2: the tests check who may sign in, not how slow a guess is.
CHEAP_PASSWORD_HASH = "pbkdf2:sha256:1"
# The spec, and the golden cases in ../shared/spec/cases, live beside the repository.
SPEC_DIR = Path(os.environ.get("TRIAGE_SPEC_DIR", REPO.parent / "shared" / "spec"))


def make_app(tmp_path, create_schema=True, **overrides):
    """Build an app with its own database and instance folder under tmp_path.

    Its clock stands still (move it with `app.extensions["clock"].advance(seconds)`), and
    staff passwords get a cheap hash: scrypt costs about 160 ms a check, on purpose.
    """
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
        "CLOCK": FrozenClock(),
        "PASSWORD_HASH_METHOD": CHEAP_PASSWORD_HASH,
        # Required settings (a production start refuses to run without them).
        "CLINIC_NAME": "Test Pain Clinic",
        "CLINIC_PHONE": "555-0100",
    }
    config.update(overrides)
    app = create_app(config)
    if create_schema:
        with app.app_context():
            db.create_all()
    return app


@pytest.fixture
def app(tmp_path):
    """An app with an empty database."""
    application = make_app(tmp_path)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """A test client for the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's `flask` commands."""
    return app.test_cli_runner()


# --- Databases for the nurse workspace: every DB test runs on SQLite and PostgreSQL ---

STAFF_PASSWORD = "correct-horse-battery"


@pytest.fixture(scope="session")
def pg_cluster():
    """A throwaway PostgreSQL 15 cluster for the whole test session; fail if it cannot start."""
    import subprocess

    import pgcluster
    from sqlalchemy import create_engine

    try:
        cluster = pgcluster.Cluster().start()
    except (pgcluster.ClusterError, OSError, subprocess.CalledProcessError) as error:
        pytest.fail(f"PostgreSQL could not be started: {error}")
    cluster.admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    yield cluster
    cluster.admin.dispose()
    cluster.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """The URL of an empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.sqlite3'}"
        return
    import uuid

    from sqlalchemy import text

    cluster = request.getfixturevalue("pg_cluster")
    name = f"test_{uuid.uuid4().hex[:16]}"
    with cluster.admin.connect() as connection:
        # FILE_COPY is several times faster than the default WAL_LOG for tiny databases.
        connection.execute(text(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY'))
    yield cluster.url_for(name)
    with cluster.admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture
def db_app(db_url, tmp_path):
    """An app whose schema is created on SQLite or on PostgreSQL."""
    application = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=db_url)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def create_staff(db_app):
    """Create a staff account: create_staff("nina", role="nurse") -> user id."""
    from web.models import User
    from web.nurse.account import hash_password

    def create(username, role="nurse", password=STAFF_PASSWORD):
        with db_app.app_context():
            user = User(username=username, password_hash=hash_password(password), role=role)
            db.session.add(user)
            db.session.commit()
            return user.id

    return create


def sign_in(client, username, password=STAFF_PASSWORD):
    """Sign a test client in through the login form; return the response."""
    return client.post("/nurse/login", data={"username": username, "password": password})


@pytest.fixture
def nurse_client(db_app, create_staff):
    """A client signed in as the nurse 'nina'."""
    create_staff("nina")
    client = db_app.test_client()
    assert sign_in(client, "nina").status_code == 302
    return client


@pytest.fixture
def admin_client(db_app, create_staff):
    """A client signed in as the admin 'ada'."""
    create_staff("ada", role="admin")
    client = db_app.test_client()
    assert sign_in(client, "ada").status_code == 302
    return client


@pytest.fixture
def add_submission(db_app):
    """Store an evaluated intake: add_submission(intake, "ABC123", minutes_ago=5) -> id."""
    from datetime import timedelta

    from web.demo import submission_for
    from web.models import utcnow

    def add(intake, code, minutes_ago=0, status="new"):
        with db_app.app_context():
            submission = submission_for(intake, code, utcnow() - timedelta(minutes=minutes_ago))
            submission.status = status
            db.session.add(submission)
            db.session.commit()
            return submission.id

    return add
