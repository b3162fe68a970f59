"""The intake JSON Schema, generated from the same contract module as the validator."""
import json
from importlib import resources

from triage import contract as c
from triage.validation import FIELD_NAMES

SCHEMA_ID = "https://pain-triage.example/schemas/intake-2.json"


def _integer(bounds, description):
    low, high = bounds
    return {"type": "integer", "minimum": low, "maximum": high, "description": description}


def _choices(vocabulary, low, high, description):
    return {"type": "array", "items": {"enum": list(vocabulary)}, "uniqueItems": True,
            "minItems": low, "maxItems": high, "description": description}


def _contains(key, ident):
    """A schema that holds when the list answer `key` includes `ident`."""
    return {"properties": {key: {"contains": {"const": ident}}}, "required": [key]}


def _implies(condition, consequence):
    return {"if": condition, "then": consequence}


def cross_field_rules():
    """The contract's rules between answers (intake.md, Validation), as JSON Schema conditions."""
    rules = [_implies({"properties": {"area_weeks": {"required": [area]}}, "required": ["area_weeks"]},
                      {"properties": {"locations": {"contains": {"enum": list(places)}}}})
             for area, places in c.AREAS.items()]
    rules += [_implies(_contains("health", item), _contains("health", parent))
              for item, parent in c.HEALTH_PARENTS.items()]
    rules += [_implies(_contains("blood_thinner_names", name), {"anyOf": [_contains("health", p) for p in parents]})
              for name, parents in c.BLOOD_THINNER_PARENTS.items()]
    rules += [_implies(_contains("red_flags", flag), {"not": _contains("red_flags_retracted", flag)})
              for flag in c.RED_FLAGS]
    return rules


def intake_schema():
    """Return the JSON Schema (draft 2020-12) of an intake."""
    properties = {key: _integer(bounds, FIELD_NAMES[key]) for key, bounds in c.INTAKE_INTEGERS.items()}
    for key, (vocabulary, low, high) in c.INTAKE_LISTS.items():
        properties[key] = _choices(vocabulary, low, high, FIELD_NAMES[key])
    treatment = {
        "type": "object",
        "additionalProperties": False,
        "required": list(c.TREATMENT_REQUIRED),
        "properties": {"type": {"enum": list(c.TREATMENT_TYPES), "description": "What was tried"},
                       **{key: _integer(bounds, FIELD_NAMES[key])
                          for key, bounds in c.TREATMENT_INTEGERS.items()},
                       "region": {"enum": list(c.REGIONS), "description": FIELD_NAMES["region"] + " (only on "
                                  + ", ".join(c.REGION_TYPES) + ")"}},
        "if": {"properties": {"type": {"enum": list(c.REGION_TYPES)}}},
        "else": {"not": {"required": ["region"]}},
    }
    properties["area_weeks"] = {
        "type": "object", "additionalProperties": False, "description": FIELD_NAMES["area_weeks"]
        + " (each area must hold a location in `locations`)",
        "properties": {area: _integer(c.AREA_WEEKS, f"weeks of pain in {', '.join(places)}")
                       for area, places in c.AREAS.items()},
    }
    properties["treatments"] = {"type": "array", "items": {"$ref": "#/$defs/treatment"},
                                "maxItems": c.MAX_TREATMENTS, "description": FIELD_NAMES["treatments"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Pain Triage intake ({c.CONTRACT})",
        "description": "A patient's answers. Integers must be JSON integers: true, null, 5.0 and \"5\" are rejected "
                       "by the validator (JSON Schema itself cannot tell 5.0 from 5).",
        "type": "object",
        "additionalProperties": False,
        "required": list(c.INTAKE_REQUIRED),
        "properties": properties,
        "allOf": cross_field_rules(),
        "$defs": {"treatment": treatment},
    }


def schema_json():
    """Return the schema as stable, pretty JSON text."""
    return json.dumps(intake_schema(), indent=2) + "\n"


def shipped_schema_text():
    """Return the schema file shipped in the package (kept equal to `schema_json()` by a test)."""
    return resources.files("triage").joinpath("intake.schema.json").read_text(encoding="utf-8")
