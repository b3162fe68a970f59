"""Several app servers on one database: what one does, the others see at once."""
import pytest
from conftest import STAFF_PASSWORD, make_app, sign_in

from web.demo import DEMO_PATIENTS, submission_for
from web.extensions import db
from web.models import User, utcnow
from web.nurse.account import hash_password


@pytest.fixture
def two_servers(db_url, tmp_path):
    """Two independent app instances (own engines and instance folders) on one database."""
    servers = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        servers.append(make_app(tmp_path / name, SQLALCHEMY_DATABASE_URI=db_url))
    first, second = servers
    yield first, second
    for app in (first, second):
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def submit_through(app, intake, code):
    with app.app_context():
        submission = submission_for(intake, code, utcnow())
        db.session.add(submission)
        db.session.commit()
        return submission.id


def add_nurse(app):
    with app.app_context():
        db.session.add(User(username="nina", password_hash=hash_password(STAFF_PASSWORD)))
        db.session.commit()


def test_a_submission_through_one_server_is_in_the_others_queue(two_servers):
    first, second = two_servers
    add_nurse(first)
    reader = second.test_client()
    assert sign_in(reader, "nina").status_code == 302
    assert "MULTI1" not in reader.get("/nurse/").get_data(as_text=True)

    submission_id = submit_through(first, DEMO_PATIENTS[1][2], "MULTI1")
    assert "MULTI1" in reader.get("/nurse/").get_data(as_text=True)

    reader.post(f"/nurse/submissions/{submission_id}/review", data={"note": "seen on server two"})
    writer = first.test_client()
    sign_in(writer, "nina")
    reviewed = writer.get("/nurse/?status=reviewed").get_data(as_text=True)
    assert "MULTI1" in reviewed


def test_a_staff_session_works_on_every_server(two_servers):
    first, second = two_servers
    add_nurse(first)
    on_first = first.test_client()
    sign_in(on_first, "nina")
    on_second = second.test_client()
    on_second.set_cookie("pt_session", on_first.get_cookie("pt_session").value)
    assert on_second.get("/nurse/").status_code == 200
    on_second.post("/nurse/logout")
    assert on_first.get("/nurse/").status_code == 302
