"""The JSON API: evaluate an intake without storing it (no patient record is kept)."""
from flask import Blueprint, current_app, jsonify, request
from werkzeug.exceptions import BadRequest

from triage import InvalidIntake, evaluate
from triage.schema import intake_schema
from web.api.openapi import openapi_document
from web.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# An intake is four levels deep (intake, treatments, a treatment, a value); allow some slack.
MAX_DEPTH = 16


@bp.after_request
def options_without_a_page(response):
    """Answer OPTIONS with its `Allow` header and no body, rather than an empty HTML page."""
    if request.method == "OPTIONS" and not response.get_data():
        response.status_code = 204
        del response.headers["Content-Type"]
    return response


@bp.post("/evaluate")
@csrf.exempt
def evaluate_intake():
    """Return the result for a posted intake, or 422 with every problem."""
    if not request.is_json:
        return jsonify(error="Send the intake as application/json.", status=415), 415
    try:
        intake = request.get_json()
    except RecursionError:
        return jsonify(error="The body is nested too deeply.", status=400), 400
    except BadRequest:
        return jsonify(error="The body is not valid JSON.", status=400), 400
    if nesting_depth(intake) > MAX_DEPTH:
        return jsonify(error="The body is nested too deeply.", status=400), 400
    try:
        result = evaluate(intake)
    except InvalidIntake as error:
        return jsonify(problems=[p.to_dict() for p in error.problems], status=422), 422
    return current_app.response_class(result.to_json(), mimetype="application/json")


def nesting_depth(value, limit=MAX_DEPTH):
    """Return how deeply lists and objects nest in a JSON value (without recursion), counting no further than past `limit`."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, depth = pending.pop()
        deepest = max(deepest, depth)
        if depth > limit:
            break
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        pending.extend((child, depth + 1) for child in children)
    return deepest


@bp.get("/schema")
def schema():
    """Return the intake JSON Schema."""
    return jsonify(intake_schema())


@bp.get("/openapi.json")
def openapi():
    """Return the OpenAPI 3.1 document of this API."""
    return jsonify(openapi_document(current_app.config["MAX_CONTENT_LENGTH"]))
