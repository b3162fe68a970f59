"""The OpenAPI 3.1 document of the JSON API, built from the same functions as the shipped schemas."""
from triage.contract import CONTRACT
from triage.result import RULEBASE_VERSION
from triage.schema import intake_schema, result_schema

OPENAPI_VERSION = "3.1.0"
JSON = "application/json"
NO_STORE = {"Cache-Control": {"description": "Answers hold health data: never cached.",
                              "schema": {"const": "no-store"}, "required": True}}


def embed(schema, name, components):
    """Add a standalone JSON Schema to `components` as `name`, its `$defs` beside it; return its `$ref`.

    The copy drops `$id` and `$schema` (inside the document the OpenAPI dialect applies and
    every `$ref` is resolved against the document) and points its `$defs` refs at the components.
    """
    schema = dict(schema)
    schema.pop("$schema", None)
    schema.pop("$id", None)
    defs = schema.pop("$defs", {})
    renamed = {f"#/$defs/{key}": f"#/components/schemas/{name}_{key}" for key in defs}
    for key, value in defs.items():
        components[f"{name}_{key}"] = _rewrite_refs(value, renamed)
    components[name] = _rewrite_refs(schema, renamed)
    return {"$ref": f"#/components/schemas/{name}"}


def _rewrite_refs(value, renamed):
    if isinstance(value, dict):
        return {key: renamed.get(item, item) if key == "$ref" else _rewrite_refs(item, renamed)
                for key, item in value.items()}
    if isinstance(value, list):
        return [_rewrite_refs(item, renamed) for item in value]
    return value


def _error_schemas():
    problem = {"type": "object", "additionalProperties": False, "required": ["path", "code", "message"],
               "properties": {"path": {"type": "string", "description": "where: a field such as `age` or "
                                                                         "`treatments[0].weeks`; empty for the whole intake"},
                              "code": {"type": "string", "description": "what kind of problem, for programs"},
                              "message": {"type": "string", "description": "a plain sentence, for people"}}}
    return {
        "Error": {"type": "object", "additionalProperties": False, "required": ["error", "status"],
                  "properties": {"error": {"type": "string"}, "status": {"type": "integer"}}},
        "Problem": problem,
        "InvalidIntake": {"type": "object", "additionalProperties": False, "required": ["problems", "status"],
                          "properties": {"problems": {"type": "array", "minItems": 1,
                                                      "items": {"$ref": "#/components/schemas/Problem"}},
                                         "status": {"const": 422}}},
    }


def _error(description, schema="Error", headers=None):
    response = {"description": description,
                "content": {JSON: {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}
    if headers:
        response["headers"] = headers
    return response


def _responses(max_body_bytes):
    return {
        "BadRequest": _error("The body is not JSON, or is nested deeper than any intake."),
        "TooLarge": _error(f"The body is larger than {max_body_bytes} bytes."),
        "NotJson": _error("The body is not sent as `application/json`."),
        "InvalidIntake": _error("The intake breaks the contract: every problem is listed.", "InvalidIntake"),
        "Unavailable": _error("The service cannot reach its database; try again later.", headers={
            "Retry-After": {"description": "seconds to wait", "schema": {"type": "string"}, "required": True}}),
    }


def _ok(description, schema_ref):
    return {"description": description, "headers": NO_STORE, "content": {JSON: {"schema": schema_ref}}}


def _refs(*names):
    return {code: {"$ref": f"#/components/responses/{name}"} for code, name in names}


def _paths(intake, result, max_body_bytes):
    return {
        "/api/v1/evaluate": {"post": {
            "operationId": "evaluateIntake",
            "summary": "Evaluate an intake; nothing is stored",
            "description": f"Returns the result of contract `{CONTRACT}` for the posted intake. The body must be "
                           f"`application/json` and at most {max_body_bytes} bytes. Integers must be JSON "
                           "integers (`5.0`, `true` and `\"5\"` are refused with 422).",
            "requestBody": {"required": True, "content": {JSON: {"schema": intake}}},
            "responses": {"200": _ok("The result", result),
                          **_refs(("400", "BadRequest"), ("413", "TooLarge"), ("415", "NotJson"),
                                  ("422", "InvalidIntake"), ("503", "Unavailable"))},
        }},
        "/api/v1/schema": {"get": {
            "operationId": "intakeSchema",
            "summary": "The intake JSON Schema (draft 2020-12), as shipped in `triage/intake.schema.json`",
            "responses": {"200": _ok("The intake JSON Schema", {"type": "object"}), **_refs(("503", "Unavailable"))},
        }},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openApiDocument",
            "summary": "This OpenAPI document",
            "responses": {"200": _ok("The OpenAPI 3.1 document", {"type": "object"}),
                          **_refs(("503", "Unavailable"))},
        }},
    }


def openapi_document(max_body_bytes):
    """Return the OpenAPI 3.1 document of everything under /api/v1."""
    schemas = _error_schemas()
    intake = embed(intake_schema(), "Intake", schemas)
    result = embed(result_schema(), "Result", schemas)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Pain Triage API",
            "version": f"{CONTRACT} (rule base {RULEBASE_VERSION})",
            "summary": "Evaluate a pain-clinic intake with the triage rule engine.",
            "description": (
                "Authentication: none. The API evaluates the posted intake and keeps nothing (no "
                "record, no session, no log of the answers), so it needs no account; expose it only "
                "where the clinic's network policy allows. Every error under `/api` is JSON "
                "(`{\"error\", \"status\"}`, or `{\"problems\", \"status\"}` for 422), never a page: "
                "404 for an unknown path, 405 with an `Allow` header for a method a path does not "
                f"take, 413 for a body over {max_body_bytes} bytes, 415 for a body that is not "
                "`application/json`, 422 listing every problem of an invalid intake."),
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "security": [],
        "paths": _paths(intake, result, max_body_bytes),
        "components": {"schemas": schemas, "responses": _responses(max_body_bytes)},
    }
