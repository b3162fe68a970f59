"""Shared fixtures: an app on a throwaway SQLite database, its client and CLI runner."""
import os
from pathlib import Path

import pytest

from web import create_app
from web.extensions import db

REPO = Path(__file__).resolve().parent.parent
SPEC_DIR = Path(os.environ.get("TRIAGE_SPEC_DIR", REPO.parent / "shared" / "spec"))


def make_app(tmp_path, **overrides):
    """Build an app with its own database and instance folder under tmp_path."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite3'}",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": True,
    }
    config.update(overrides)
    app = create_app(config)
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
