"""Server-side sessions: a row only when something must be stored, keys kept only as hashes,
idle sessions and drafts expire, and the check-in code survives a failed session write."""
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from conftest import make_app, sign_in
from test_patient_flow import SCIATICA_AFTER_PHYSIO, STEP_ORDER, answer_all, post_step
from web.extensions import db
from web.models import Draft, ServerSession, Submission
from web.sessions import DatabaseSessionInterface

CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')
CODE = re.compile(r'class="checkin__code[^"]*">([A-Z0-9]{6})<')
SESSION_IDLE, DRAFT_IDLE = 60 * 60, 2 * 60 * 60


@pytest.fixture
def csrf_app(tmp_path):
    """An app with CSRF checks on, as in production."""
    application = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def rows(app, model=ServerSession):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def cookie(client):
    found = client.get_cookie("pt_session")
    return found.value if found else None


@pytest.mark.parametrize("path", ["/", "/no-such-page", "/questions/about", "/nurse/login", "/results",
                                  "/api/v1/schema", "/static/css/app.css"])
def test_a_cookieless_page_view_stores_no_session(csrf_app, path):
    client = csrf_app.test_client()
    for _ in range(3):
        client.get(path).close()
        client.delete_cookie("pt_session")
    assert rows(csrf_app) == 0


def test_a_form_read_without_a_session_can_still_be_sent(csrf_app):
    client = csrf_app.test_client()
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    assert rows(csrf_app) == 0 and cookie(client)
    assert client.get("/").status_code == 200 and rows(csrf_app) == 0
    response = client.post("/language", data={"lang": "es", "next": "/", "csrf_token": token})
    assert response.status_code == 302
    assert rows(csrf_app) == 1
    assert 'lang="es"' in client.get("/").get_data(as_text=True)[:200]


def test_the_staff_login_form_works_without_a_stored_session(csrf_app, tmp_path):
    from conftest import STAFF_PASSWORD
    from web.models import User
    from web.nurse.account import hash_password

    with csrf_app.app_context():
        db.session.add(User(username="nina", password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()
    client = csrf_app.test_client()
    token = CSRF.search(client.get("/nurse/login").get_data(as_text=True)).group(1)
    assert rows(csrf_app) == 0
    response = client.post("/nurse/login", data={"username": "nina", "password": STAFF_PASSWORD,
                                                 "csrf_token": token})
    assert response.status_code == 302 and rows(csrf_app) == 1


def test_a_forged_form_is_still_refused(csrf_app):
    client = csrf_app.test_client()
    client.get("/")
    other = csrf_app.test_client()
    token = CSRF.search(other.get("/").get_data(as_text=True)).group(1)
    assert client.post("/language", data={"lang": "es", "csrf_token": token}).status_code == 400
    assert rows(csrf_app) == 0


def every_stored_text(app):
    """Every value of every row of every table, as text."""
    with app.app_context():
        return "\n".join(repr(tuple(row)) for table in db.metadata.sorted_tables
                         for row in db.session.execute(table.select()))


def test_the_database_never_holds_a_session_cookie(db_app, create_staff):
    patient = db_app.test_client()
    patient.get("/")
    seen = {cookie(patient)}
    answer_all(patient, SCIATICA_AFTER_PHYSIO)
    seen.add(cookie(patient))
    patient.post("/questions/submit")
    seen.add(cookie(patient))
    create_staff("nina")
    nurse = db_app.test_client()
    sign_in(nurse, "nina")
    seen.add(cookie(nurse))
    seen.discard(None)
    assert len(seen) >= 3 and rows(db_app) == 2
    stored = every_stored_text(db_app)
    assert not [token for token in seen if token in stored]


def test_an_idle_session_expires_after_exactly_the_limit(app, client):
    clock = app.extensions["clock"]
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    clock.advance(SESSION_IDLE)
    assert client.get("/questions/pain").status_code == 200
    clock.advance(SESSION_IDLE + 1)
    assert client.get("/questions/pain").location == "/"


def test_an_idle_draft_expires_even_while_its_session_lives(tmp_path):
    app = make_app(tmp_path, DRAFT_IDLE_SECONDS=600)
    clock, client = app.extensions["clock"], app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    clock.advance(300)
    assert client.get("/questions/pain").status_code == 200  # reading keeps the session, not the draft
    clock.advance(300)
    assert client.get("/questions/pain").status_code == 200
    clock.advance(1)
    assert client.get("/questions/pain").location == "/"
    assert rows(app, Draft) == 0


def test_saving_a_step_keeps_the_draft_alive(tmp_path):
    app = make_app(tmp_path, DRAFT_IDLE_SECONDS=600)
    clock, client = app.extensions["clock"], app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    clock.advance(500)
    assert post_step(client, "pain", SCIATICA_AFTER_PHYSIO["pain"]).location == "/questions/feel"
    clock.advance(500)
    assert client.get("/questions/feel").status_code == 200


def fail_session_writes(monkeypatch):
    def refuse(session):
        raise OperationalError("UPDATE server_session", {}, Exception("database is locked"))

    monkeypatch.setattr(DatabaseSessionInterface, "_store", staticmethod(refuse))


def test_a_failed_session_write_after_the_submit_still_shows_the_code(app, client, monkeypatch):
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    fail_session_writes(monkeypatch)
    response = client.post("/questions/submit")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Traceback" not in page
    with app.app_context():
        code = db.session.execute(select(Submission.checkin_code)).scalar_one()
    assert CODE.findall(page)[0] == code
    assert rows(app, Draft) == 0
    monkeypatch.undo()
    assert client.get("/").status_code == 200


def test_a_kiosk_shows_the_code_on_its_finish_screen_when_the_session_write_fails(tmp_path, monkeypatch):
    app = make_app(tmp_path, KIOSK_MODE=True)
    tablet = app.test_client()
    tablet.get("/kiosk")
    tablet.post("/kiosk/start", data={"lang": "en"})
    for step in STEP_ORDER:
        post_step(tablet, step, SCIATICA_AFTER_PHYSIO[step])
    fail_session_writes(monkeypatch)
    response = tablet.post("/questions/submit")
    page = response.get_data(as_text=True)
    with app.app_context():
        code = db.session.execute(select(Submission.checkin_code)).scalar_one()
    assert response.status_code == 200 and f'<p class="checkin__code">{code}</p>' in page
    assert "Please hand the tablet to the front desk." in page
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'


def test_a_page_whose_session_cannot_be_stored_says_so_instead_of_moving_on(app, client, monkeypatch):
    client.get("/")
    fail_session_writes(monkeypatch)
    response = client.post("/start")
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Location" not in response.headers
    assert "We cannot reach our records right now" in page and "Traceback" not in page
    assert response.headers["Cache-Control"] == "no-store"


def test_a_late_request_with_a_forgotten_key_never_sends_that_key_back(app, client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    old = cookie(client)
    client.post("/finish")
    assert cookie(client) != old
    left_behind = app.test_client()  # a request from a page the patient already left
    left_behind.set_cookie("pt_session", old)
    response = left_behind.get("/")
    assert response.status_code == 200 and response.headers.getlist("Set-Cookie") == []
    assert rows(app) == 0
