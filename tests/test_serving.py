"""Serving several workers: the worker count, the unshared-limits warning, the health check."""
import logging
import os
from types import SimpleNamespace

import gunicorn  # noqa: F401  (declared_workers reads gunicorn's arguments only when it is loaded)
import pytest
from conftest import REPO, make_app

from web import create_app
from web.serving import declared_workers, unshared_limits_warning

UNDER_GUNICORN = {"SERVER_SOFTWARE": "gunicorn/27.0.1"}


@pytest.mark.parametrize("environ, argv, workers", [
    ({}, ["flask"], 1),
    ({"WEB_CONCURRENCY": "3"}, ["flask"], 3),
    ({"WEB_CONCURRENCY": "zero"}, ["flask"], 1),
    # Outside gunicorn its options mean nothing.
    ({}, ["other", "--workers", "4"], 1),
    (UNDER_GUNICORN, ["gunicorn", "--workers", "4", "web:create_app()"], 4),
    (UNDER_GUNICORN, ["gunicorn", "-w3", "web:create_app()"], 3),
    ({**UNDER_GUNICORN, "WEB_CONCURRENCY": "2"}, ["gunicorn", "web:create_app()"], 2),
    ({**UNDER_GUNICORN, "GUNICORN_CMD_ARGS": "--workers 5"}, ["gunicorn", "web:create_app()"], 5),
    ({**UNDER_GUNICORN, "GUNICORN_CMD_ARGS": "--workers 5"}, ["gunicorn", "-w", "1", "web:create_app()"], 1),
])
def test_the_worker_count_comes_from_gunicorn_and_web_concurrency(environ, argv, workers):
    assert declared_workers(environ, argv) == workers


@pytest.mark.parametrize("storage, workers, warned", [
    ("memory://", 1, False),
    ("memory://", 2, True),
    ("redis://127.0.0.1:6379/0", 4, False),
])
def test_only_several_workers_on_memory_storage_are_warned(storage, workers, warned):
    message = unshared_limits_warning(storage, workers)
    assert (message is not None) is warned
    if warned:
        assert f"up to {workers} times" in message and "PAIN_TRIAGE_RATELIMIT_STORAGE_URI" in message


def warnings_at_start(tmp_path, caplog, **config):
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="web"):
        make_app(tmp_path, **config)
    return [record.getMessage() for record in caplog.records if "failed-login limits" in record.getMessage()]


def test_the_app_warns_at_start_when_workers_keep_limits_in_memory(tmp_path, caplog, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert len(warnings_at_start(tmp_path, caplog)) == 1
    assert warnings_at_start(tmp_path, caplog, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/0") == []
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert warnings_at_start(tmp_path, caplog) == []


def test_the_health_check_answers_without_a_session(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"


def test_the_health_check_says_503_when_the_database_is_unreachable(tmp_path):
    # Nothing listens on port 1 of the loopback: the connection is refused at once.
    app = create_app({"SECRET_KEY": "test", "SQLALCHEMY_DATABASE_URI": "postgresql://nobody@127.0.0.1:1/gone"})
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.get_json() == {"status": "unavailable"}


def read_gunicorn_settings(monkeypatch, **environ):
    import runpy

    for name in ("WEB_CONCURRENCY", "PAIN_TRIAGE_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(REPO / "deploy" / "gunicorn.conf.py"))


def test_the_deploy_settings_read_workers_and_address_from_the_environment(monkeypatch):
    defaults = read_gunicorn_settings(monkeypatch)
    assert (defaults["worker_class"], defaults["workers"], defaults["bind"]) == ("sync", 4, "127.0.0.1:8000")
    chosen = read_gunicorn_settings(monkeypatch, WEB_CONCURRENCY="6", PAIN_TRIAGE_BIND="127.0.0.1:8002")
    assert (chosen["workers"], chosen["bind"]) == (6, "127.0.0.1:8002")


def test_the_deploy_settings_tell_the_app_the_real_worker_count(monkeypatch):
    """Workers set only in the settings file still reach the app's start-up check."""
    settings = read_gunicorn_settings(monkeypatch, WEB_CONCURRENCY="1")  # so the hook's change is undone
    settings["on_starting"](SimpleNamespace(cfg=SimpleNamespace(workers=3)))
    assert declared_workers(dict(os.environ, **UNDER_GUNICORN), ["gunicorn", "web:create_app()"]) == 3
