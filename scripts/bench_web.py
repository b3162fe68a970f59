"""Patient questionnaire: server time of submit-and-show-results, and the heaviest page's weight.

    python scripts/bench_web.py [--runs 100]

Each run answers the seven steps of a fresh questionnaire (not timed), then times the submit
request (validate, evaluate, store in one transaction, redirect) and the results page that
follows it, in-process with the Flask test client on a SQLite file in a temp folder. CSRF
checks are off so the script does not have to scrape tokens; they cost microseconds.

The weight is HTML + CSS + JS (the body map SVG is inline in the HTML) of every page of the
flow, and of the results page of each golden case with suggestions, uncompressed.
"""
import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from triage import evaluate
from triage.contract import RED_FLAGS
from web import create_app
from web.extensions import db
from web.models import Submission

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT.parent / "shared" / "spec" / "cases"
ANSWERS = {
    "safety": {flag: "no" for flag in RED_FLAGS},
    "about": {"age": "52", "locations": ["lower_back", "buttock", "leg"]},
    "pain": {"area_weeks_back_leg": "6", "pain_average": "7",
             "interference_enjoyment": "6", "interference_activity": "8"},
    "feel": {"symptoms": ["radiates_below_knee", "numbness_tingling"]},
    "tried": {"types": ["physical_therapy", "anti_inflammatory"], "separate_rows": "1"},
    "details": {"row0_weeks": "6", "row0_relief_percent": "25", "row1_weeks": "6", "row1_relief_percent": "0"},
    "health": {"health": ["blood_thinner"]},
}


def make_app(folder):
    """An app on its own SQLite file."""
    app = create_app({"SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite3'}"})
    with app.app_context():
        db.create_all()
    return app


def answer_everything(client, pages=None):
    """Start a questionnaire and answer each step; collect each page's HTML if asked."""
    client.post("/start")
    for step, answers in ANSWERS.items():
        if pages is not None:
            pages[step] = client.get(f"/questions/{step}").data
        response = client.post(f"/questions/{step}", data={**answers, "action": "next"})
        assert response.status_code == 302, (step, response.status_code)


def time_submissions(app, runs):
    """Return (submit ms, submit + results ms) for each run."""
    submit_times, total_times = [], []
    for _run in range(runs):
        client = app.test_client()
        answer_everything(client)
        start = time.perf_counter()
        response = client.post("/questions/submit")
        middle = time.perf_counter()
        page = client.get(response.location)
        end = time.perf_counter()
        assert response.status_code == 302 and page.status_code == 200
        submit_times.append((middle - start) * 1000)
        total_times.append((end - start) * 1000)
    return submit_times, total_times


def page_weights(app):
    """Return {page name: bytes of HTML} for the whole flow and each golden results page."""
    pages = {}
    client = app.test_client()
    pages["start"] = client.get("/").data
    answer_everything(client, pages)
    pages["review"] = client.get("/questions/review").data
    client.post("/questions/submit")
    pages["results (sciatica)"] = client.get("/results").data
    emergency = app.test_client()
    emergency.post("/start")
    emergency.post("/questions/safety", data={**ANSWERS["safety"], "saddle_numbness": "yes", "action": "next"})
    pages["emergency"] = emergency.get("/emergency").data
    for path in sorted(CASES.glob("*.json")):
        intake = json.loads(path.read_text())["intake"]
        result = evaluate(intake).to_dict() if "invalid" not in path.name else None
        if result and result["suggestions"]:
            pages[f"results ({path.stem})"] = results_page(app, intake, result)
    return {name: len(html) for name, html in pages.items()}


def results_page(app, intake, result):
    """Store a submission for a golden intake and fetch its results page."""
    with app.app_context():
        submission = Submission.of_result(intake, result, f"{abs(hash(json.dumps(intake))) % 10**6:06d}")
        db.session.add(submission)
        db.session.commit()
        submission_id = submission.id
    client = app.test_client()
    with client.session_transaction() as session:
        session["submission_id"] = submission_id
    return client.get("/results").data


def main():
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder))
        time_submissions(app, 3)  # warm up: the first evaluation builds this thread's engine
        submit_times, total_times = time_submissions(app, runs)
        weights = page_weights(app)
    assets = sum((ROOT / "static" / name).stat().st_size for name in ("css/app.css", "js/patient.js"))
    print(f"submit (POST), median of {runs}: {statistics.median(submit_times):.1f} ms")
    print(f"submit and show results (POST + GET), median of {runs}: {statistics.median(total_times):.1f} ms "
          f"(p90 {statistics.quantiles(total_times, n=10)[-1]:.1f} ms)")
    heaviest = max(weights, key=weights.get)
    print(f"CSS + JS: {assets / 1024:.1f} KB")
    for name, size in sorted(weights.items(), key=lambda item: -item[1])[:5]:
        print(f"  {name}: HTML {size / 1024:.1f} KB, with CSS + JS {(size + assets) / 1024:.1f} KB")
    print(f"heaviest page: {heaviest}, {(weights[heaviest] + assets) / 1024:.1f} KB uncompressed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
