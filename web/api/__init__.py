"""The JSON API: evaluate an intake without storing it (no patient record is kept)."""
from flask import Blueprint, current_app, jsonify, request

from triage import InvalidIntake, evaluate
from triage.schema import intake_schema
from web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.post("/evaluate")
@csrf.exempt
def evaluate_intake():
    """Return the result for a posted intake, or 422 with every problem."""
    if not request.is_json:
        return jsonify(error="Send the intake as application/json.", status=415), 415
    intake = request.get_json(silent=True)
    if intake is None:
        return jsonify(error="The body is not valid JSON.", status=400), 400
    try:
        result = evaluate(intake)
    except InvalidIntake as error:
        return jsonify(problems=[p.to_dict() for p in error.problems], status=422), 422
    return current_app.response_class(result.to_json(), mimetype="application/json")


@bp.get("/schema")
def schema():
    """Return the intake JSON Schema."""
    return jsonify(intake_schema())
