"""A draft becomes exactly one submission, whatever the concurrency, on SQLite and PostgreSQL."""
import re
import threading

from sqlalchemy import func, select

import web.patient.submission as submission_module
from test_patient_flow import SCIATICA_AFTER_PHYSIO, answer_all
from web.extensions import db
from web.models import Draft, Submission

CODE = re.compile(r'class="checkin__code[^"]*">([A-Z0-9]{6})<')


def count(app, model):
    with app.app_context():
        return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def same_browser(app, client, copies):
    """Return test clients that all hold the client's session cookie (two tabs, a double tap)."""
    token = client.get_cookie("pt_session").value
    clients = []
    for _ in range(copies):
        tab = app.test_client()
        tab.set_cookie("pt_session", token)
        clients.append(tab)
    return clients


def submit_together(app, tabs, monkeypatch):
    """Send the submit from every tab at once; each has read the draft before any stores it."""
    barrier = threading.Barrier(len(tabs), timeout=60)
    real_evaluate = submission_module.evaluate

    def evaluate_in_step(intake):
        barrier.wait()  # every request has loaded the draft and is about to store it
        return real_evaluate(intake)

    monkeypatch.setattr(submission_module, "evaluate", evaluate_in_step)
    responses = [None] * len(tabs)

    def send(index):
        responses[index] = tabs[index].post("/questions/submit")

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(tabs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def test_two_simultaneous_submits_store_one_submission_and_both_see_its_code(db_app, monkeypatch):
    client = db_app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    tabs = same_browser(db_app, client, 2)
    responses = submit_together(db_app, tabs, monkeypatch)
    assert [response.status_code for response in responses] == [302, 302]
    assert [response.location for response in responses] == ["/results", "/results"]
    assert count(db_app, Submission) == 1 and count(db_app, Draft) == 0
    with db_app.app_context():
        code = db.session.execute(select(Submission.checkin_code)).scalar_one()
    for tab in tabs:
        page = tab.get("/results")
        assert page.status_code == 200 and CODE.findall(page.get_data(as_text=True))[0] == code


def test_four_simultaneous_submits_still_store_one(db_app, monkeypatch):
    client = db_app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    responses = submit_together(db_app, same_browser(db_app, client, 4), monkeypatch)
    assert {response.location for response in responses} == {"/results"}
    assert count(db_app, Submission) == 1


def test_a_submit_after_the_draft_was_purged_goes_back_to_the_start(db_app, monkeypatch):
    client = db_app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    real_evaluate = submission_module.evaluate

    def purge_meanwhile(intake):
        with db_app.app_context():
            db.session.execute(db.delete(Draft))
            db.session.commit()
        return real_evaluate(intake)

    monkeypatch.setattr(submission_module, "evaluate", purge_meanwhile)
    response = client.post("/questions/submit")
    assert response.status_code == 302 and response.location == "/"
    assert count(db_app, Submission) == 0


def test_patients_answering_at_the_same_time_all_get_their_own_code(db_app):
    patients = 6
    barrier = threading.Barrier(patients, timeout=60)
    pages = [None] * patients

    def patient(index):
        client = db_app.test_client()
        client.get("/")
        barrier.wait()  # every patient starts together: their writes interleave
        answer_all(client, SCIATICA_AFTER_PHYSIO)
        assert client.post("/questions/submit").location == "/results"
        pages[index] = client.get("/results")

    threads = [threading.Thread(target=patient, args=(index,)) for index in range(patients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [page.status_code if page else None for page in pages] == [200] * patients
    codes = {CODE.findall(page.get_data(as_text=True))[0] for page in pages}
    assert len(codes) == patients and count(db_app, Submission) == patients
