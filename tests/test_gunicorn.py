"""Production serving: gunicorn starts the app factory and serves pages."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            return urllib.request.urlopen(url, timeout=2)
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not answer {url}")


def test_gunicorn_serves_the_app_on_a_database_it_creates(tmp_path):
    """Two workers start at once on an empty SQLite file: one creates the schema, both serve and warn."""
    env = {**os.environ,
           "PAIN_TRIAGE_SECRET_KEY": "gunicorn-test-key",
           "PAIN_TRIAGE_CLINIC_NAME": "Test Pain Clinic", "PAIN_TRIAGE_CLINIC_PHONE": "555-0100",
           "PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.sqlite3'}"}
    env.pop("DATABASE_URL", None)
    port = free_port()
    process = subprocess.Popen(
        [BIN / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "web:create_app()"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        page = wait_for(f"http://127.0.0.1:{port}/", process)
        body = page.read().decode()
        assert page.status == 200 and "<html lang=" in body
        assert page.headers["Cache-Control"] == "no-store"
        assert "script-src 'self'" in page.headers["Content-Security-Policy"]
        for _ in range(4):  # reach both workers; each uses the schema and a server-side session
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).status == 200
        api = urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/schema", timeout=5)
        assert api.status == 200
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()
        log = process.stderr.read()
        process.stderr.close()
    # Two workers, limits in memory: every worker warns the operator once at start-up.
    assert log.count("2 worker processes each keep their own failed-login limits") == 2, log
