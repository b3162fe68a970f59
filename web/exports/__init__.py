"""FHIR and CSV exports."""
import csv
import io
import json

from flask import Blueprint, Response, current_app, request
from flask_login import login_required
from pydantic import ValidationError
from sqlalchemy.orm import selectinload

from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from triage import evaluate, validate
from web import fhir
from web import fhir_response as answers
from web.api import nesting_depth
from web.audit import record_now
from web.extensions import csrf, db
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
    return fhir_response(answers.questionnaire_response(submission, fhir_base()))


@bp.post("/fhir/QuestionnaireResponse/$evaluate")
@csrf.exempt
def evaluate_response():
    """Evaluate a QuestionnaireResponse to the intake Questionnaire; nothing is stored.

    The result is the contract's JSON; any answer that cannot be read, and any problem the
    contract finds, comes back as one OperationOutcome issue naming its question's linkId.
    """
    if not request.is_json:
        return outcome([issue("not-supported", "unsupported_media_type",
                              "Send the QuestionnaireResponse as application/fhir+json.")], 415)
    try:
        resource = request.get_json(silent=True)
    except RecursionError:
        resource = None
    if not isinstance(resource, dict) or nesting_depth(resource, answers.MAX_DEPTH) > answers.MAX_DEPTH:
        return outcome([issue("structure", "not_json", "The body is not a JSON object of a sensible depth.")], 400)
    problems = response_problems(resource)
    if problems:
        return outcome(problems, 422)
    intake, unreadable = answers.read_response(resource, fhir_base())
    problems = [issue("invalid", p.code, p.message, p.link_id, p.expression) for p in unreadable]
    for problem in [] if problems else validate(intake):
        link_id, expression = answers.problem_link_id(problem.path, intake)
        problems.append(issue("required" if problem.code == "required" else "value",
                              problem.code, problem.message, link_id, expression))
    if problems:
        return outcome(problems, 422)
    return current_app.response_class(evaluate(intake).to_json(), mimetype="application/json")


def response_problems(resource):
    """Return the issues that make a body no QuestionnaireResponse to this Questionnaire."""
    if resource.get("resourceType") != "QuestionnaireResponse":
        return [issue("structure", "not_questionnaire_response", "The body must be a QuestionnaireResponse.")]
    try:
        QuestionnaireResponse.model_validate(resource)
    except ValidationError as error:
        return [issue("structure", "fhir_structure", detail["msg"], expression=".".join(
            ["QuestionnaireResponse", *(str(part) for part in detail["loc"])])) for detail in error.errors()]
    answered = str(resource.get("questionnaire", "")).split("|", 1)[0]
    if answered and answered != fhir.questionnaire_url(fhir_base()):
        return [issue("invalid", "other_questionnaire", f"This endpoint reads answers to "
                      f"{fhir.questionnaire_url(fhir_base())} only.", expression="QuestionnaireResponse.questionnaire")]
    return []


def issue(code, problem_code, message, link_id=None, expression=None):
    """One OperationOutcome issue; the linkId of the question is in `diagnostics` and `expression`."""
    found = {"severity": "error", "code": code,
             "details": {"coding": [{"system": fhir.code_system(fhir_base(), "intake_problem"),
                                     "code": problem_code}], "text": message}}
    if link_id is not None:
        found["diagnostics"] = f"linkId: {link_id}"
    if expression is not None:
        found["expression"] = [expression]
    return found


def outcome(issues, status):
    """Answer with a FHIR OperationOutcome."""
    resource = {"resourceType": "OperationOutcome", "issue": issues}
    return Response(json.dumps(resource, ensure_ascii=False), status=status, mimetype=FHIR_JSON)


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
