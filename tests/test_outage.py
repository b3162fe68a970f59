"""PostgreSQL stopped mid-run: a calm 503, no traceback, nothing half-written, and recovery."""
import pytest
from sqlalchemy import create_engine, func, select, text

import pgcluster
from conftest import make_app
from test_patient_flow import SCIATICA_AFTER_PHYSIO, answer_all
from web.extensions import db
from web.models import Draft, Submission

pytestmark = pytest.mark.postgres
INTAKE = {"age": 52, "locations": ["neck"], "duration_weeks": 9, "pain_average": 7,
          "interference_enjoyment": 6, "interference_activity": 8, "symptoms": [], "red_flags": [],
          "health": [], "treatments": []}


@pytest.fixture(scope="module")
def own_cluster():
    """A cluster of this module's own, so stopping it disturbs no other test."""
    try:
        cluster = pgcluster.Cluster().start()
    except (pgcluster.ClusterError, OSError) as error:
        pytest.fail(f"PostgreSQL could not be started: {error}")
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_app(own_cluster, tmp_path):
    admin = create_engine(own_cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("DROP DATABASE IF EXISTS outage WITH (FORCE)"))
        connection.execute(text("CREATE DATABASE outage"))
    admin.dispose()
    app = make_app(tmp_path, SQLALCHEMY_DATABASE_URI=own_cluster.url_for("outage"))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def counts(app):
    with app.app_context():
        return tuple(db.session.execute(select(func.count()).select_from(model)).scalar_one()
                     for model in (Submission, Draft))


def test_postgresql_stopped_mid_run_gives_a_calm_503_and_recovers(own_cluster, pg_app, caplog):
    patient = pg_app.test_client()
    answer_all(patient, SCIATICA_AFTER_PHYSIO)
    assert counts(pg_app) == (0, 1)

    own_cluster.pause()
    try:
        down = [patient.post("/questions/submit"), patient.get("/questions/review"),
                patient.post("/api/v1/evaluate", json=INTAKE)]
    finally:
        own_cluster.resume()

    submit_page, review_page, api = down
    assert [response.status_code for response in down] == [503, 503, 503]
    for response in (submit_page, review_page):
        page = response.get_data(as_text=True)
        assert response.mimetype == "text/html" and "We cannot reach our records right now" in page
        assert "Traceback" not in page and "psycopg" not in page and "OperationalError" not in page
        assert response.headers["Retry-After"] == "30"
    assert api.mimetype == "application/json"
    assert api.get_json() == {"error": "Service Unavailable", "status": 503}
    assert "Traceback" not in caplog.text

    assert counts(pg_app) == (0, 1)  # nothing half-written: the draft waits, no submission
    assert patient.get("/questions/review").status_code == 200
    response = patient.post("/questions/submit")
    assert response.status_code == 302 and response.location == "/results"
    assert patient.get("/results").status_code == 200
    assert counts(pg_app) == (1, 0)


def test_postgresql_stopping_inside_the_submit_leaves_the_draft_whole(own_cluster, pg_app, monkeypatch):
    import web.patient.submission as submission_module

    patient = pg_app.test_client()
    answer_all(patient, SCIATICA_AFTER_PHYSIO)
    real_evaluate = submission_module.evaluate

    def evaluate_then_lose_the_database(intake):
        result = real_evaluate(intake)
        own_cluster.pause()  # the draft is read; the submission is not yet written
        return result

    monkeypatch.setattr(submission_module, "evaluate", evaluate_then_lose_the_database)
    try:
        response = patient.post("/questions/submit")
    finally:
        own_cluster.resume()
    monkeypatch.undo()
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and "Nothing is lost" in page and "Traceback" not in page
    assert counts(pg_app) == (0, 1)
    assert patient.post("/questions/submit").location == "/results"
    assert counts(pg_app) == (1, 0)
