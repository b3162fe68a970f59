"""Properties every evaluation must have, whatever the intake (spec/intake.md and rules.md, version 2).

Identifiers, orders and vocabularies are checked against spec_ids.py, written from the spec.
"""
import copy
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spec_ids as ids
from strategies import (cross_field_invalid_intakes, intakes_with_bad_fields, invalid_intakes, minor_intakes,
                        v1_intakes, valid_intakes)

FAST = settings(max_examples=300, deadline=None)
LEVEL_ORDER = {"emergency": 0, "urgent": 1}
REGION_ORDER = {region: index for index, region in enumerate(ids.SPINE_REGIONS)}
ANSWER_IDS = (set(ids.LOCATIONS) | set(ids.AREAS) | set(ids.SYMPTOMS) | set(ids.RED_FLAGS) | set(ids.HEALTH)
              | set(ids.BLOOD_THINNER_NAMES) | set(ids.TREATMENT_TYPES) | ids.TOP_KEYS | ids.TREATMENT_KEYS)
EMERGENCY_FLAGS = ("bladder_bowel_change", "chest_pain_breathless", "aortic_aneurysm", "self_harm_plan",
                   "limb_suddenly_cold_pale", "sudden_severe_headache", "symptoms_after_recent_injection")


def evaluate(intake):
    import triage

    return triage.evaluate(intake).to_dict()


def variant_key(variant):
    """Sort key putting a null variant first."""
    return (variant is not None, variant or "")


def source_key(key):
    """intake.md: sources by key number (S3 before S12), general last."""
    return (0, int(key[1:])) if key != "general" else (1, 0)


def is_sorted(items, key=lambda item: item):
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


def every_item(result):
    """Alerts, suggestions, withheld, cautions and not_suggested items, each with its list name."""
    for key in ("alerts", "suggestions", "withheld", "cautions", "not_suggested"):
        for item in result[key]:
            yield key, item


def check_sorted(result):
    """intake.md, Ordering."""
    assert is_sorted(result["alerts"], lambda a: (LEVEL_ORDER[a["level"]], a["id"])), result["alerts"]
    for key in ("suggestions", "withheld"):
        assert is_sorted(result[key], lambda s: (s["consultation"], variant_key(s["variant"]))), key
    assert is_sorted(result["cautions"], lambda c: c["id"]), result["cautions"]
    assert is_sorted(result["not_suggested"], lambda n: (
        n["consultation"], variant_key(n["variant"]), n["reason"])), result["not_suggested"]
    assert is_sorted(result["red_flags_retracted"])
    for key, item in every_item(result):
        for field in ("because", "rules", "applies_to", "drugs"):
            if field in item:
                assert is_sorted(item[field]), (key, field, item)
        if "sources" in item:
            assert is_sorted(item["sources"], source_key), (key, item["sources"])
        if item.get("regions") is not None:
            assert is_sorted(item["regions"], REGION_ORDER.get), (key, item)
        if "asra" in item:
            assert is_sorted(item["asra"], lambda a: (a["consultation"], variant_key(a["variant"]))), item


def check_identifiers(result):
    """Every identifier is one of rules.md; one item per id or per consultation and variant."""
    for alert in result["alerts"]:
        assert ids.ALERT_LEVELS.get(alert["id"]) == alert["level"], alert
    for item in result["suggestions"] + result["withheld"]:
        assert item["variant"] in ids.CONSULTATIONS[item["consultation"]], item
    assert {caution["id"] for caution in result["cautions"]} <= set(ids.CAUTIONS)
    for entry in result["not_suggested"]:
        assert entry["reason"] in ids.REASONS, entry
        assert entry["variant"] is None or entry["variant"] in ids.CONSULTATIONS[entry["consultation"]], entry
    assert len({a["id"] for a in result["alerts"]}) == len(result["alerts"]), "duplicate alert"
    assert len({c["id"] for c in result["cautions"]}) == len(result["cautions"]), "duplicate caution"
    every = result["suggestions"] + result["withheld"]
    assert len(pair_set(every)) == len(every), "a consultation variant listed twice"
    why_not = [(n["consultation"], n["variant"], n["reason"]) for n in result["not_suggested"]]
    assert len(set(why_not)) == len(why_not), "a why-not entry listed twice"


def check_rule_ids(result):
    """rules.md §2 and §4: an alert's rules are its clauses; a caution's rule is caution.<id>."""
    for alert in result["alerts"]:
        assert alert["rules"], alert
        for rule in alert["rules"]:
            assert rule == f"alert.{alert['id']}" or rule.startswith(f"alert.{alert['id']}."), alert
    for caution in result["cautions"]:
        assert caution["rules"] == [f"caution.{caution['id']}"], caution
    for key in ("suggestions", "withheld", "not_suggested"):
        for item in result[key]:
            parts = item["rule"].split(",")
            assert parts == sorted(set(parts)) and all(parts), (key, item)


def check_because(result):
    """Every `because` id is an answer id, a field name or a derived term of rules.md §1."""
    for key, item in every_item(result):
        if key == "not_suggested":
            continue
        assert isinstance(item["because"], list), (key, item)
        unknown = set(item["because"]) - ANSWER_IDS - ids.DERIVED_TERMS
        assert not unknown, f"{key} {item.get('id') or item.get('consultation')}: because names {unknown}"
        if key != "cautions":
            assert item["because"], (key, item)
        assert set(item.get("sources", [])) <= ids.SOURCE_KEYS, (key, item)


def check_regions(intake, result):
    """intake.md: regions on facet items only, within the patient's spine locations."""
    spine = set(intake["locations"]) & set(ids.SPINE_REGIONS)
    for key in ("suggestions", "withheld", "not_suggested"):
        for item in result[key]:
            if (item["consultation"], item["variant"]) in ids.REGION_ITEMS:
                assert item["regions"] and set(item["regions"]) <= spine, (key, item)
            else:
                assert item["regions"] is None, (key, item)


def check_no_confirmatory_beside_ablation(intake, result):
    """rules.md 3.2: no confirmatory block for a region that has a facet_rfa row (region R or none)."""
    rfa_regions = {row.get("region") for row in intake.get("treatments", []) if row["type"] == "facet_rfa"}
    for key in ("suggestions", "withheld", "not_suggested"):
        for item in result[key]:
            if (item["consultation"], item["variant"]) == ("facet_joint_injection", "confirmatory_block"):
                assert None not in rfa_regions and not set(item["regions"]) & rfa_regions, (key, item)


def check_patient_view(result):
    """intake.md, patient_view; rules.md §2.1."""
    view = result["patient_view"]
    raised = [alert["id"] for alert in result["alerts"]]
    emergency = [alert["id"] for alert in result["alerts"] if alert["level"] == "emergency"]
    if emergency:
        assert view["level"] == "emergency" and view["alerts"] == emergency, view
    elif raised:
        assert view["level"] == "urgent" and view["alerts"] == raised, view
    else:
        assert view["level"] == "none" and view["alerts"] == [], view
    crisis = ("self_harm_risk" in raised and "self_harm_risk" not in view["alerts"]
              and "self_harm_emergency" not in raised)
    assert view["crisis_line"] is crisis, view


def check_alert_policy(result):
    """rules.md 2 and 4: alerts move everything to withheld; most cautions need something present."""
    if result["alerts"]:
        assert result["suggestions"] == [], "an alert left suggestions for the patient"
    else:
        assert result["withheld"] == [], "withheld without an alert"
    present = {item["consultation"] for item in result["suggestions"] + result["withheld"]}
    for caution in result["cautions"]:
        if caution["id"] not in ids.ALWAYS_CAUTIONS:
            assert present and set(caution["applies_to"]) <= present, caution
        elif caution["id"] != "frequency_limit":
            assert set(caution["applies_to"]) <= present, caution


def check_contract(intake, result):
    items = (intake["pain_average"], intake["interference_enjoyment"], intake["interference_activity"])
    assert abs(result["scores"]["peg"] - round(sum(items) / 3, 1)) < 1e-9, result["scores"]
    assert result["contract"] == "pain-triage/2" and result["rulebase"] == "2.0.0"
    assert result["red_flags_retracted"] == sorted(intake.get("red_flags_retracted", []))


@FAST
@given(valid_intakes(), st.randoms(use_true_random=False))
def test_valid_intake_evaluates_to_a_well_formed_result(intake, rng):
    """A valid intake validates, evaluates and gives a sorted, explained, deterministic result."""
    import triage

    pristine = copy.deepcopy(intake)
    assert triage.validate(intake) == []
    result = evaluate(intake)
    assert intake == pristine, "evaluate changed its input"
    check_contract(intake, result)
    check_alert_policy(result)
    check_patient_view(result)
    check_identifiers(result)
    check_rule_ids(result)
    check_because(result)
    check_regions(intake, result)
    check_no_confirmatory_beside_ablation(intake, result)
    check_sorted(result)
    first = json.dumps(result, sort_keys=False)
    assert json.dumps(evaluate(intake), sort_keys=False) == first, "two evaluations differ"
    reordered = shuffled_keys(intake, random.Random(rng.random()))
    assert json.dumps(evaluate(reordered), sort_keys=False) == first, "key order changed the result"


@FAST
@given(valid_intakes(), st.sampled_from(EMERGENCY_FLAGS))
def test_any_emergency_shows_the_patient_only_emergencies(intake, flag):
    """rules.md §2.1: with any emergency alert the patient sees only the emergency alerts."""
    retracted = intake.get("red_flags_retracted", [])
    alarmed = dict(intake, red_flags=list(dict.fromkeys(intake["red_flags"] + [flag])),
                   red_flags_retracted=[item for item in retracted if item != flag])
    result = evaluate(alarmed)
    emergency = [alert["id"] for alert in result["alerts"] if alert["level"] == "emergency"]
    assert emergency, result["alerts"]
    assert result["patient_view"]["level"] == "emergency"
    assert result["patient_view"]["alerts"] == emergency, result["patient_view"]


@FAST
@given(v1_intakes())
def test_every_version_1_intake_is_accepted(intake):
    """intake.md: every valid version 1 intake with at most 100 rows is valid and evaluated under version 2."""
    import triage

    assert triage.validate(intake) == []
    result = evaluate(intake)
    assert result["contract"] == "pain-triage/2"
    check_patient_view(result)
    check_sorted(result)


@FAST
@given(valid_intakes())
def test_an_alert_withholds_but_changes_nothing_else(intake):
    """rules.md 2: adding chest_pain_breathless moves every suggestion to withheld; why-nots and cautions stay."""
    if "chest_pain_breathless" in intake["red_flags"] + intake.get("red_flags_retracted", []):
        return
    before = evaluate(intake)
    after = evaluate(dict(intake, red_flags=intake["red_flags"] + ["chest_pain_breathless"]))
    assert "chest_pain" in {alert["id"] for alert in after["alerts"]}
    assert after["suggestions"] == []
    assert pair_set(after["withheld"]) == pair_set(before["suggestions"] + before["withheld"])
    assert [c["id"] for c in after["cautions"]] == [c["id"] for c in before["cautions"]]

    def why_not(result):
        return [(n["consultation"], n["variant"], n["reason"]) for n in result["not_suggested"]]

    assert why_not(after) == why_not(before)


def check_refused(intake):
    """validate() lists problems (never raises) and evaluate() refuses with the same list."""
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
@given(invalid_intakes())
def test_invalid_intake_is_reported_and_refused(intake):
    """An invalid intake gives problems (never an exception) and evaluate refuses it with the same list."""
    check_refused(intake)


@FAST
@given(cross_field_invalid_intakes())
def test_a_rule_between_fields_is_enforced(case):
    """intake.md, Validation: area keys, regions, parents, retractions and the 100-row limit."""
    intake, _rule = case
    check_refused(intake)


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
