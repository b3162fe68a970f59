"""The intake JSON Schema, generated from the same contract module as the validator."""
import json
from importlib import resources

from triage import contract as c
from triage.result import RULEBASE_VERSION
from triage.validation import FIELD_NAMES

SCHEMA_ID = "https://pain-triage.example/schemas/intake-2.json"
RESULT_SCHEMA_ID = "https://pain-triage.example/schemas/result-2.json"


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


def _strings(description, vocabulary=None):
    items = {"enum": list(vocabulary)} if vocabulary else {"type": "string"}
    return {"type": "array", "items": items, "description": description}


def _record(required, properties):
    """An object with only these properties, the `required` ones always present."""
    return {"type": "object", "additionalProperties": False, "properties": properties, "required": list(required)}


def _consultation_variants(rule_variant=False):
    """Each consultation with the variants it may carry (`null` where it has none).

    A `not_suggested` item names the variant of the rule that produced it, which may be `null`.
    """
    return [{"properties": {"consultation": {"const": consultation},
                            "variant": {"enum": list(dict.fromkeys((None, *variants) if rule_variant else variants))}}}
            for consultation, variants in c.CONSULTATIONS.items()]


def _result_defs():
    """The items of a result's lists: alerts, suggestions (and withheld), cautions, not_suggested."""
    sources = _strings("source keys of ../spec/sources.md, by number, `general` last")
    regions = {"type": ["array", "null"], "items": {"enum": list(c.REGIONS)},
               "description": "the spine regions that gave the item; null where regions do not apply"}
    consultation = {"enum": list(c.CONSULTATIONS)}
    variant = {"enum": sorted({v for vs in c.CONSULTATIONS.values() for v in vs}, key=lambda v: (v is not None, v or ""))}
    suggestion = _record(
        ("consultation", "variant", "regions", "rule", "because", "conditions", "sources", "education"),
        {"consultation": consultation, "variant": variant, "regions": regions,
         "rule": {"type": "string", "description": "rule ids, sorted and joined by `,`"},
         "because": _strings("identifiers that held"), "conditions": _strings("nurse-readable checks"),
         "sources": sources, "education": {**consultation, "description": "key of the education text"}})
    suggestion["anyOf"] = _consultation_variants()
    alert = _record(("id", "level", "because", "rules", "sources", "message"), {
        "id": {"enum": list(c.ALERTS)}, "level": {"enum": ["emergency", "urgent"]},
        "because": _strings("identifiers that held"), "rules": _strings("clause ids that held"),
        "sources": sources, "message": {"type": "string", "description": "patient text"}})
    alert["anyOf"] = [{"properties": {"id": {"const": ident}, "level": {"const": level}}}
                      for ident, level in c.ALERTS.items()]
    asra = _record(("consultation", "variant", "class"), {
        "consultation": consultation, "variant": variant, "class": {"enum": ["low", "intermediate", "high"]}})
    caution = _record(("id", "applies_to", "because", "rules", "sources", "message"), {
        "id": {"enum": list(c.CAUTIONS)}, "applies_to": _strings("consultations", c.CONSULTATIONS),
        "because": _strings("identifiers that held"), "rules": _strings("`caution.<id>`"),
        "sources": sources, "message": {"type": "string"},
        "asra": {"type": "array", "items": asra}, "drugs": _strings("blood_thinner_names", c.BLOOD_THINNER_NAMES),
        "thrombotic_risk_high": {"type": "boolean"}, "criteria": {"type": "integer", "minimum": 0}})
    extras = {"bleeding_risk": ["asra", "drugs", "thrombotic_risk_high"], "inflammatory_back_pain": ["criteria"]}
    caution["allOf"] = [_implies({"properties": {"id": {"const": ident}}}, {"required": keys})
                        for ident, keys in extras.items()]
    caution["allOf"] += [_implies({"properties": {"id": {"not": {"const": ident}}}},
                                  {"not": {"anyOf": [{"required": [key]} for key in keys]}})
                         for ident, keys in extras.items()]
    not_suggested = _record(("consultation", "variant", "regions", "reason", "rule", "message"), {
        "consultation": consultation, "variant": variant, "regions": regions,
        "reason": {"enum": list(c.REASONS)}, "rule": {"type": "string"}, "message": {"type": "string"}})
    not_suggested["anyOf"] = _consultation_variants(rule_variant=True)
    return {"alert": alert, "suggestion": suggestion, "caution": caution, "not_suggested": not_suggested}


def _listed(name):
    return {"type": "array", "items": {"$ref": f"#/$defs/{name}"}}


def result_schema():
    """Return the JSON Schema (draft 2020-12) of a result (intake.md, "Result")."""
    properties = {
        "contract": {"const": c.CONTRACT}, "rulebase": {"const": RULEBASE_VERSION},
        "scores": _record(("peg",), {"peg": {"type": "number", "minimum": 0, "maximum": 10,
                                             "description": "mean of the three PEG items, one decimal"}}),
        "alerts": _listed("alert"), "suggestions": _listed("suggestion"), "withheld": _listed("suggestion"),
        "cautions": _listed("caution"), "not_suggested": _listed("not_suggested"),
        "patient_view": _record(("level", "alerts", "crisis_line"), {
            "level": {"enum": ["emergency", "urgent", "none"]}, "alerts": _strings("alerts shown", c.ALERTS),
            "crisis_line": {"type": "boolean"}}),
        "red_flags_retracted": _strings("copied from the intake", c.RED_FLAGS),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": RESULT_SCHEMA_ID,
        "title": f"Pain Triage result ({c.CONTRACT})",
        "description": "What the engine concluded for one intake, sorted so the same intake gives the same bytes.",
        **_record(tuple(properties), properties),
        "$defs": _result_defs(),
    }


def schema_json():
    """Return the schema as stable, pretty JSON text."""
    return json.dumps(intake_schema(), indent=2) + "\n"


def shipped_schema_text():
    """Return the schema file shipped in the package (kept equal to `schema_json()` by a test)."""
    return resources.files("triage").joinpath("intake.schema.json").read_text(encoding="utf-8")
