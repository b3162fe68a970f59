"""The shipped JSON Schema and the validator come from one contract and agree."""
import json

import jsonschema
from hypothesis import given, settings

from strategies import invalid_intakes, valid_intakes
from triage import validate
from triage.schema import intake_schema

SCHEMA = jsonschema.Draft202012Validator(intake_schema())


def has_float_or_bool_integer(value):
    """JSON Schema counts 5.0 as an integer; the validator (rightly) does not."""
    if isinstance(value, float) and value.is_integer():
        return True
    if isinstance(value, dict):
        return any(has_float_or_bool_integer(v) for v in value.values())
    if isinstance(value, list):
        return any(has_float_or_bool_integer(v) for v in value)
    return False


@settings(max_examples=200, deadline=None)
@given(valid_intakes())
def test_every_valid_intake_passes_the_schema(intake):
    assert validate(intake) == []
    assert SCHEMA.is_valid(json.loads(json.dumps(intake)))


@settings(max_examples=200, deadline=None)
@given(invalid_intakes())
def test_every_invalid_intake_fails_the_schema(intake):
    assert validate(intake)
    if not has_float_or_bool_integer(intake):
        assert not SCHEMA.is_valid(intake)
