"""Properties every evaluation must have, whatever the intake (spec/intake.md, rules.md)."""
import copy
import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from strategies import intakes_with_bad_fields, invalid_intakes, minor_intakes, valid_intakes

FAST = settings(max_examples=300, deadline=None)
LEVEL_ORDER = {"emergency": 0, "urgent": 1}


def variant_key(variant):
    """Sort key putting a null variant first."""
    return (variant is not None, variant or "")


def is_sorted(items, key):
    keys = [key(item) for item in items]
    return keys == sorted(keys)


def shuffled_keys(value, rng):
    """Deep-copy value with the key order of every dict shuffled (list order kept)."""
    if isinstance(value, dict):
        keys = list(value)
        rng.shuffle(keys)
        return {key: shuffled_keys(value[key], rng) for key in keys}
    if isinstance(value, list):
        return [shuffled_keys(item, rng) for item in value]
    return value


def pair_set(items):
    return {(item["consultation"], item["variant"]) for item in items}


def check_sorted(result):
    assert is_sorted(result["alerts"], lambda a: (LEVEL_ORDER[a["level"]], a["id"])), result["alerts"]
    for key in ("suggestions", "withheld"):
        assert is_sorted(result[key], lambda s: (s["consultation"], variant_key(s["variant"]))), key
    assert is_sorted(result["cautions"], lambda c: c["id"]), result["cautions"]
    assert is_sorted(result["not_suggested"], lambda n: (
        n["consultation"], variant_key(n.get("variant")), n["reason"])), result["not_suggested"]


def check_identifiers(result, contract):
    for alert in result["alerts"]:
        assert contract.ALERTS.get(alert["id"]) == alert["level"], alert
    for item in result["suggestions"] + result["withheld"]:
        assert item["variant"] in contract.CONSULTATIONS[item["consultation"]], item
    assert {caution["id"] for caution in result["cautions"]} <= set(contract.CAUTIONS)
    for entry in result["not_suggested"]:
        assert entry["consultation"] in contract.CONSULTATIONS, entry
        assert entry["reason"] in contract.REASONS, entry
        variant = entry.get("variant")
        assert variant is None or variant in contract.CONSULTATIONS[entry["consultation"]], entry
    assert len({a["id"] for a in result["alerts"]}) == len(result["alerts"]), "duplicate alert"
    assert len({c["id"] for c in result["cautions"]}) == len(result["cautions"]), "duplicate caution"
    every = result["suggestions"] + result["withheld"]
    assert len(pair_set(every)) == len(every), "a consultation variant listed twice"


def check_explained(result, knowledge):
    source_keys = set(knowledge.sources()) | {"general"}
    education = knowledge.patient_text("en")["consultations"]
    for item in result["suggestions"] + result["withheld"]:
        assert isinstance(item["rule"], str) and item["rule"], item
        assert isinstance(item["because"], list) and item["because"], item
        assert item["sources"] and set(item["sources"]) <= source_keys, item
        assert item["education"] in education, item
    for alert in result["alerts"]:
        assert alert["because"] and isinstance(alert["message"], str) and alert["message"], alert
        assert set(alert.get("sources", [])) <= source_keys, alert
    for entry in result["not_suggested"]:
        assert isinstance(entry["message"], str) and entry["message"], entry


def check_alert_policy(result):
    """rules.md 2 and 4: alerts move everything to withheld; cautions need something present."""
    if result["alerts"]:
        assert result["suggestions"] == [], "an alert left suggestions for the patient"
    else:
        assert result["withheld"] == [], "withheld without an alert"
    if not result["suggestions"] and not result["withheld"]:
        assert {c["id"] for c in result["cautions"]} <= {"frequency_limit"}, result["cautions"]


def check_scores(intake, result):
    items = (intake["pain_average"], intake["interference_enjoyment"], intake["interference_activity"])
    assert abs(result["scores"]["peg"] - round(sum(items) / 3, 1)) < 1e-9, result["scores"]
    assert result["contract"] == "pain-triage/1"


@FAST
@given(valid_intakes(), st.randoms(use_true_random=False))
def test_valid_intake_evaluates_to_a_well_formed_result(intake, rng):
    """A valid intake validates, evaluates and gives a sorted, explained, deterministic result."""
    import triage
    from triage import contract, knowledge

    pristine = copy.deepcopy(intake)
    assert triage.validate(intake) == []
    result = triage.evaluate(intake).to_dict()
    assert intake == pristine, "evaluate changed its input"
    check_scores(intake, result)
    check_alert_policy(result)
    check_identifiers(result, contract)
    check_explained(result, knowledge)
    check_sorted(result)
    first = json.dumps(result, sort_keys=False)
    assert json.dumps(triage.evaluate(intake).to_dict(), sort_keys=False) == first
    reordered = shuffled_keys(intake, random.Random(rng.random()))
    assert json.dumps(triage.evaluate(reordered).to_dict(), sort_keys=False) == first


@FAST
@given(valid_intakes())
def test_an_alert_withholds_but_changes_nothing_else(intake):
    """rules.md 2: adding chest_pain_breathless moves every suggestion to withheld; why-nots and cautions stay."""
    import triage

    if "chest_pain_breathless" in intake["red_flags"]:
        return
    before = triage.evaluate(intake).to_dict()
    alarmed = dict(intake, red_flags=intake["red_flags"] + ["chest_pain_breathless"])
    after = triage.evaluate(alarmed).to_dict()
    assert "chest_pain" in {alert["id"] for alert in after["alerts"]}
    assert after["suggestions"] == []
    assert pair_set(after["withheld"]) == pair_set(before["suggestions"] + before["withheld"])
    assert [c["id"] for c in after["cautions"]] == [c["id"] for c in before["cautions"]]

    def why_not(result):
        return [(n["consultation"], n.get("variant"), n["reason"]) for n in result["not_suggested"]]

    assert why_not(after) == why_not(before)


@FAST
@given(invalid_intakes())
def test_invalid_intake_is_reported_and_refused(intake):
    """An invalid intake gives problems (never an exception) and evaluate refuses it with the same list."""
    import pytest
    import triage

    problems = triage.validate(intake)
    assert isinstance(problems, list) and problems, f"accepted: {intake!r}"
    for problem in problems:
        assert isinstance(problem.path, str), problem
        assert isinstance(problem.code, str), problem
        assert isinstance(problem.message, str) and problem.message.strip(), problem
    with pytest.raises(triage.InvalidIntake) as refused:
        triage.evaluate(intake)
    assert refused.value.problems == problems


@FAST
@given(intakes_with_bad_fields())
def test_every_bad_field_is_reported_at_its_path(case):
    """intake.md Validation: every problem at once, each at its field path (treatments[1].relief_percent)."""
    import triage

    intake, paths = case
    reported = {problem.path for problem in triage.validate(intake)}
    assert paths <= reported, f"missing paths {sorted(paths - reported)}; reported {sorted(reported)}"


@settings(max_examples=50, deadline=None)
@given(minor_intakes())
def test_minor_is_told_the_questionnaire_is_for_adults(intake):
    """intake.md: under 18, the message says the questionnaire is for adults and to speak with the care team."""
    import triage

    messages = [p.message.lower() for p in triage.validate(intake) if p.path == "age"]
    assert any("adult" in m and "care team" in m for m in messages), messages
