"""FHIR and CSV exports."""
import csv
import io
import json

from flask import Blueprint, Response, current_app
from flask_login import login_required
from sqlalchemy.orm import selectinload

from web import fhir
from web.audit import record_now
from web.extensions import db
from web.models import Submission
from web.nurse.account import enforce_idle_timeout
from web.nurse.queries import PRIORITIES, queue_statement
from web.nurse.review import queue_filters

bp = Blueprint("exports", __name__)
bp.before_request(enforce_idle_timeout)

FHIR_JSON = "application/fhir+json"
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_COLUMNS = ("checkin_code", "submitted_at", "priority", "status", "locations", "peg", "alerts",
               "suggestions", "withheld", "cautions", "reviewed_at", "reviewed_by", "review_note")


def fhir_base():
    """The FHIR base URL: the configured FHIR_BASE_URL, never the request's Host header."""
    return current_app.config["FHIR_BASE_URL"].rstrip("/")


def fhir_response(resource):
    """Send a FHIR resource as JSON."""
    return Response(json.dumps(resource, ensure_ascii=False), mimetype=FHIR_JSON)


@bp.route("/fhir/Questionnaire/pain-intake")
def questionnaire():
    """The intake Questionnaire (public: it holds no patient data)."""
    return fhir_response(fhir.questionnaire(fhir_base()))


@bp.route("/fhir/QuestionnaireResponse/<record_id:submission_id>")
@login_required
def questionnaire_response(submission_id):
    """One submission as a FHIR QuestionnaireResponse (staff only, audited)."""
    submission = db.get_or_404(Submission, submission_id)
    record_now("export_fhir", submission=submission)
    return fhir_response(fhir.questionnaire_response(submission, fhir_base()))


@bp.route("/nurse/export.csv")
@login_required
def queue_csv():
    """The queue under its current filter as CSV (staff only, audited)."""
    status, code = queue_filters()
    statement = queue_statement(status, code).options(selectinload(Submission.reviewed_by))
    submissions = db.session.execute(statement).scalars().all()
    record_now("export_csv", detail=f"status={status}" + (f" code={code}" if code else "")
               + f" rows={len(submissions)}")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows([neutralise(cell) for cell in csv_row(submission)] for submission in submissions)
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=pain-triage-queue.csv"})


def csv_row(submission):
    """One submission as the cells of CSV_COLUMNS."""
    result = submission.result
    return (
        submission.checkin_code, fhir.instant(submission.created_at), PRIORITIES[submission.priority],
        submission.status, ";".join(submission.intake["locations"]), result["scores"]["peg"],
        ";".join(alert["id"] for alert in result["alerts"]),
        ";".join(_consultation(item) for item in result["suggestions"]),
        ";".join(_consultation(item) for item in result["withheld"]),
        ";".join(caution["id"] for caution in result["cautions"]),
        fhir.instant(submission.reviewed_at) if submission.reviewed_at else "",
        submission.reviewed_by.username if submission.reviewed_by else "",
        submission.review_note or "",
    )


def _consultation(item):
    return f"{item['consultation']}:{item['variant']}" if item["variant"] else item["consultation"]


def neutralise(value):
    """Return a cell as text that a spreadsheet shows and never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
