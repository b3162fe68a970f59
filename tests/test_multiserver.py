"""The production shape: two gunicorn instances on one PostgreSQL, sharing login limits in Redis.

PostgreSQL and Redis run as an unprivileged user on free loopback ports; each instance
is a real gunicorn with two sync workers started with deploy/gunicorn.conf.py. A patient
here is an HTTP client with its own cookie and CSRF token (tests/http_patient.py); moving
it from one port to the other is what a proxy does between requests.
"""
import http.client
import threading
import time
import uuid
from types import SimpleNamespace

import pytest
from appserver import AppServer
from conftest import STAFF_PASSWORD
from http_patient import ANSWERS, Patient, UnexpectedPage, answer, begin, complete_questionnaire, finish, sign_in
from redisserver import RedisError, RedisServer
from sqlalchemy import text

pytestmark = [pytest.mark.multiserver, pytest.mark.postgres]

SECRET_KEY = "multiserver-test-key"
UNSHARED_WARNING = "keep their own failed-login limits"
# The kill test: patients running at once, questionnaires each, and after how many
# acknowledged submissions the victim dies.
PATIENTS = 6
ROUNDS = 3
KILL_AFTER = 4
DEADLINE_SECONDS = 120
CONNECTION_LOST = (OSError, http.client.HTTPException)


@pytest.fixture(scope="module")
def redis_server():
    """A throwaway Redis for the login limits of every instance."""
    try:
        server = RedisServer().start()
    except (RedisError, OSError) as error:
        pytest.fail(f"Redis could not be started: {error}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def shared_database(pg_cluster):
    """A fresh PostgreSQL database upgraded by the migrations, with two staff accounts."""
    from flask_migrate import upgrade

    from web import create_app
    from web.extensions import db
    from web.models import User
    from web.nurse.account import hash_password

    name = f"multi_{uuid.uuid4().hex[:12]}"
    with pg_cluster.admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}" STRATEGY FILE_COPY'))
    url = pg_cluster.url_for(name)
    app = create_app({"SECRET_KEY": SECRET_KEY, "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()  # what `flask --app web init` does
        for username in ("nina", "olga"):
            db.session.add(User(username=username, password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()
        db.engine.dispose()
    yield url
    with pg_cluster.admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))


@pytest.fixture(scope="module")
def deployment(shared_database, redis_server):
    """Two running instances, a third to be killed, and a nurse already signed in on the first."""
    import os

    env = {**os.environ, "DATABASE_URL": shared_database, "PAIN_TRIAGE_SECRET_KEY": SECRET_KEY,
           "PAIN_TRIAGE_RATELIMIT_STORAGE_URI": redis_server.url,
           "PAIN_TRIAGE_CLINIC_NAME": "Test Pain Clinic", "PAIN_TRIAGE_CLINIC_PHONE": "555-0100"}
    for name in ("PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI", "WEB_CONCURRENCY", "GUNICORN_CMD_ARGS"):
        env.pop(name, None)
    instances = [AppServer(env) for _ in range(3)]
    try:
        for instance in [instance.launch() for instance in instances]:
            instance.wait_until_healthy()
        print("instances healthy after", ", ".join(f"{instance.started_in:.1f} s" for instance in instances))
        first, second, victim = instances
        nurse = Patient(first.port)
        assert sign_in(nurse, "nina", STAFF_PASSWORD).status == 302
        yield SimpleNamespace(first=first, second=second, victim=victim, nurse=nurse)
    finally:
        for instance in instances:
            instance.request_stop()  # all at once; each then waits for its own
        for instance in instances:
            instance.close()


def in_queue(nurse, code):
    """Return True when the nurse's queue search finds this check-in code."""
    page = nurse.get(f"/nurse/?code={code}")
    assert page.status == 200, page.status
    return f">{code}<" in page.text


def test_instances_share_limits_so_none_warns_at_start(deployment):
    for instance in (deployment.first, deployment.second, deployment.victim):
        assert "Booting worker" in instance.log()
        assert UNSHARED_WARNING not in instance.log()


def test_a_patient_who_starts_on_one_server_finishes_on_the_other(deployment):
    patient = Patient(deployment.first.port)
    begin(patient)
    answer(patient, ANSWERS[:3])
    patient.port = deployment.second.port
    answer(patient, ANSWERS[3:])
    code = finish(patient)
    patient.port = deployment.first.port
    assert f">{code}<" in patient.get("/results").text
    assert in_queue(deployment.nurse, code)


def test_submissions_from_both_servers_land_in_one_queue(deployment):
    codes = [complete_questionnaire(Patient(instance.port))
             for instance in (deployment.first, deployment.second) * 2]
    assert len(set(codes)) == 4
    on_second = Patient(deployment.second.port)
    on_second.cookie = deployment.nurse.cookie  # the same staff session, through the other server
    for code in codes:
        assert in_queue(deployment.nurse, code) and in_queue(on_second, code)


def test_the_login_limit_is_shared_by_every_server(deployment):
    attacker = Patient(deployment.first.port)
    for attempt in range(1, 21):
        status = sign_in(attacker, "olga", "not-the-password").status
        if status == 429:
            break
        assert status == 401, status
    assert status == 429, "the first server never throttled"
    assert attempt > 1
    # The other server has never seen these attempts itself, yet refuses even the right password.
    elsewhere = Patient(deployment.second.port)
    assert sign_in(elsewhere, "olga", STAFF_PASSWORD).status == 429


class KillRun:
    """Patients answering through two servers while one of them is killed."""

    def __init__(self, survivor, victim):
        self.survivor, self.victim = survivor, victim
        self.lock = threading.Lock()
        self.acknowledged = []  # (check-in code, server port, before the kill?)
        self.interrupted = 0
        self.failures = []
        self.kill_now = threading.Event()
        self.killed = threading.Event()

    def patient(self, number):
        """Run ROUNDS questionnaires; when the server dies, carry on through the survivor."""
        server = self.victim if number % 2 == 0 else self.survivor
        for _round in range(ROUNDS):
            try:
                code = complete_questionnaire(Patient(server.port))
            except CONNECTION_LOST + (UnexpectedPage,) as error:
                if server is self.survivor or not self.killed.is_set() and not self.kill_now.is_set():
                    with self.lock:
                        self.failures.append(f"port {server.port}: {error!r}")
                    return
                with self.lock:
                    self.interrupted += 1
                server = self.survivor  # the proxy marks the dead server down
                continue
            self._acknowledge(code, server)

    def _acknowledge(self, code, server):
        with self.lock:
            self.acknowledged.append((code, server.port, not self.killed.is_set()))
            through_victim = any(port == self.victim.port for _code, port, _before in self.acknowledged)
            if len(self.acknowledged) >= KILL_AFTER and through_victim:
                self.kill_now.set()

    def killer(self):
        """Kill the victim, master and workers, once enough submissions were acknowledged."""
        self.kill_now.wait(DEADLINE_SECONDS)
        self.killed.set()
        self.victim.kill()


def test_killing_one_server_mid_run_loses_no_acknowledged_submission(deployment):
    victim = deployment.victim
    run = KillRun(deployment.first, victim)
    started = time.monotonic()
    killer = threading.Thread(target=run.killer)
    patients = [threading.Thread(target=run.patient, args=(number,)) for number in range(PATIENTS)]
    for thread in (killer, *patients):
        thread.start()
    for thread in patients:
        thread.join(DEADLINE_SECONDS)
    elapsed = time.monotonic() - started
    run.kill_now.set()  # a run that never reached the kill ends here, and fails below
    killer.join(DEADLINE_SECONDS)
    assert not any(thread.is_alive() for thread in (killer, *patients)), "the run did not finish"
    assert run.failures == []
    through_victim = [code for code, port, before in run.acknowledged if port == victim.port]
    after_kill = [code for code, port, before in run.acknowledged if not before]
    assert through_victim and after_kill
    print(f"kill run: {len(run.acknowledged)} acknowledged ({len(through_victim)} through the killed server, "
          f"{len(after_kill)} after the kill), {run.interrupted} interrupted, {elapsed:.1f} s")
    for code, _port, _before in run.acknowledged:
        assert in_queue(deployment.nurse, code), code
