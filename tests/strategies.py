"""Hypothesis strategies for intakes (spec/intake.md, version 2; version 1 intakes too).

``valid_intakes()`` draws version 2 intakes: free ones over every field, version 1
style patients with the new fields added, and patients aimed at each consultation
and variant (scenarios.py). ``v1_intakes()`` draws what the version 1
questionnaire could send (no new field or id, at most 100 rows): version 2 must
accept every one. ``invalid_intakes()`` breaks one field; ``cross_field_invalid_intakes()``
breaks a rule between fields (area keys, regions, parents, retractions, row count).
Vocabularies come from spec_ids.py, written from the spec.
"""
from hypothesis import strategies as st

import spec_ids as ids
from cross_field import broken_between_fields
from scenarios import (AGE_NEAR, RELIEF_NEAR, WEEKS_NEAR, fill_new_fields, near, targeted_intakes,
                       unique_list, v1_scenario_intakes)

SCORE_NEAR = (3, 4)
LOCATION_SETS = (
    ("lower_back", "leg"), ("lower_back", "buttock", "leg"), ("neck", "arm"),
    ("neck", "shoulder", "hand"), ("lower_back",), ("neck",), ("upper_back",), ("neck", "lower_back"),
    ("buttock",), ("knee",), ("head",), ("head", "neck"), ("shoulder",), ("hand",), ("foot", "leg"),
)
SYMPTOM_SETS = (
    ("radiates_below_knee",), ("radiates_down_arm",), ("leg_pain_walking_eased_sitting",),
    ("worse_twisting_leaning_back",), ("tender_muscle_knot",), ("tender_muscle_knot", "widespread_pain"),
    ("scalp_tender_back_of_head", "shooting_electric"),
    ("pain_out_of_proportion", "touch_sensitivity", "limb_color_temperature_change", "limb_swelling_sweating"),
    ("pain_out_of_proportion", "touch_sensitivity", "limb_stiffness_or_skin_changes"),
)
IBP_SYMPTOMS = (("wakes_second_half_night", "better_with_movement"), ("better_with_nsaid",),
                ("pain_getting_worse",), ("wakes_second_half_night", "better_with_movement", "better_with_nsaid"))
HEALTH_SETS = (("knee_osteoarthritis",), ("knee_replacement",), ("blood_thinner", "antiplatelet"))
PROCEDURE_BIAS = ("medial_branch_block", "facet_rfa", "epidural_steroid_injection",
                  "sacroiliac_joint_injection", "trigger_point_injection", "genicular_nerve_block",
                  "genicular_rfa", "spine_surgery", "physical_therapy", "home_exercise",
                  "acetaminophen", "knee_joint_injection")


def _treatment(region):
    optional = {
        "weeks": near(WEEKS_NEAR, 0, 2600),
        "count": near((1, 2, 3, 4), 1, 50),
        "relief_weeks": near(WEEKS_NEAR, 0, 520),
        "weeks_ago": near(WEEKS_NEAR, 0, 2600),
    }
    base = st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(PROCEDURE_BIAS), st.sampled_from(ids.TREATMENT_TYPES)),
         "relief_percent": near(RELIEF_NEAR, 0, 100)}, optional=optional)
    if not region:
        return base
    return base.flatmap(lambda row: st.one_of(st.just(row), st.builds(
        lambda r: {**row, "region": r}, st.sampled_from(ids.SPINE_REGIONS)))
        if row["type"] in ids.REGION_TYPES else st.just(row))


def _free_intakes(version):
    symptoms, flags, health = ((ids.SYMPTOMS_V1, ids.RED_FLAGS_V1, ids.HEALTH_V1) if version == 1
                               else (ids.SYMPTOMS, ids.RED_FLAGS, ids.HEALTH))
    required = {
        "age": near(AGE_NEAR, 18, 120),
        "locations": unique_list(ids.LOCATIONS, 1, LOCATION_SETS),
        "duration_weeks": near(WEEKS_NEAR, 0, 2600),
        "pain_average": near(SCORE_NEAR, 0, 10),
        "interference_enjoyment": near(SCORE_NEAR, 0, 10),
        "interference_activity": near(SCORE_NEAR, 0, 10),
        "red_flags": st.one_of(st.just([]), st.just([]), unique_list(flags)),
    }
    optional = {
        "newest_pain_weeks": near(WEEKS_NEAR, 0, 2600),
        "symptoms": unique_list(symptoms, 0, SYMPTOM_SETS + (IBP_SYMPTOMS if version == 2 else ())),
        "health": unique_list(health, 0, HEALTH_SETS),
        "treatments": st.lists(_treatment(region=version == 2), max_size=6),
    }
    return st.fixed_dictionaries(required, optional=optional)


@st.composite
def _with_new_fields(draw, base):
    return fill_new_fields(draw, dict(draw(base)))


def _v1_intakes():
    return st.one_of(_free_intakes(1), v1_scenario_intakes())


def _valid_intakes():
    # Targeted patients twice as often as each other kind: every variant then appears (strategy_coverage.py).
    return st.one_of(_with_new_fields(_free_intakes(2)), _with_new_fields(v1_scenario_intakes()),
                     targeted_intakes(), targeted_intakes())


def valid_intakes():
    """Draw version 2 intakes that intake.md accepts."""
    return st.deferred(_valid_intakes)


def v1_intakes():
    """Draw intakes the version 1 questionnaire could send (no new field or id, at most 100 rows)."""
    return st.deferred(_v1_intakes)


# ---- invalid intakes: a valid intake plus one or more violations of a single field ----

WRONG_INTEGERS = st.sampled_from([True, False, 5.0, 0.0, 18.5, None, "5", "", [5], {"value": 5}])
NOT_A_LIST = st.sampled_from(["neck", "", None, 5, True, {"neck": True}])
NOT_A_DICT = st.sampled_from([None, 5, "physical_therapy", ["physical_therapy", 10], True])
NOT_AN_INTAKE = st.sampled_from([None, [], [{"age": 40}], "intake", 40, True, 4.5])
LIST_VOCABULARIES = {"locations": ids.LOCATIONS, "symptoms": ids.SYMPTOMS, "red_flags": ids.RED_FLAGS,
                     "health": ids.HEALTH}


def _out_of_range(low, high):
    return st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1))


def _unknown_key(known):
    return st.text(min_size=1, max_size=12).filter(lambda key: key not in known)


def _unknown_id(vocabulary):
    wrong_type = st.sampled_from([5, None, True, 1.5, ["neck"]])
    return st.one_of(st.text(max_size=12).filter(lambda word: word not in vocabulary), wrong_type)


def _bad_integer(draw, intake):
    key = draw(st.sampled_from(sorted(ids.INTAKE_INTEGERS)))
    low, high = ids.INTAKE_INTEGERS[key]
    intake[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))


def _bad_list(draw, intake):
    key, vocabulary = draw(st.sampled_from(sorted(LIST_VOCABULARIES.items())))
    kind = draw(st.sampled_from(["not_a_list", "duplicate", "unknown", "empty_locations"]))
    current = intake.get(key)
    items = list(current) if isinstance(current, list) else []
    if kind == "not_a_list":
        intake[key] = draw(NOT_A_LIST)
    elif kind == "duplicate":
        item = draw(st.sampled_from(items)) if items else draw(st.sampled_from(vocabulary))
        position = draw(st.integers(0, len(items)))
        intake[key] = items[:position] + [item] + items[position:] + ([item] if not items else [])
    elif kind == "unknown":
        intake[key] = items + [draw(_unknown_id(vocabulary))]
    else:
        intake["locations"] = []


def _bad_new_field(draw, intake):
    """Break one of the version 2 fields on its own (type, vocabulary, range)."""
    kind = draw(st.sampled_from(["area_type", "area_key", "area_range", "names", "retracted", "region"]))
    if kind == "area_type":
        intake["area_weeks"] = draw(st.sampled_from([[], "back_leg", 5, None]))
    elif kind == "area_key":
        intake["area_weeks"] = {draw(_unknown_id(tuple(ids.AREAS)).filter(lambda k: isinstance(k, str))): 4}
    elif kind == "area_range":
        locations = intake.get("locations") if isinstance(intake.get("locations"), list) else []
        area = next((ids.AREA_OF[loc] for loc in locations if isinstance(loc, str) and loc in ids.AREA_OF), "head")
        intake["area_weeks"] = {area: draw(st.one_of(WRONG_INTEGERS, _out_of_range(*ids.AREA_WEEKS)))}
    elif kind == "names":
        intake["blood_thinner_names"] = [draw(_unknown_id(ids.BLOOD_THINNER_NAMES))]
    elif kind == "retracted":
        intake["red_flags_retracted"] = [draw(_unknown_id(ids.RED_FLAGS))]
    else:
        rows = intake.get("treatments")  # an earlier mutation may have made it a non-list
        intake["treatments"] = (rows if isinstance(rows, list) else []) + [
            {"type": "medial_branch_block", "relief_percent": 80,
             "region": draw(_unknown_id(ids.SPINE_REGIONS))}]


def _bad_top_level(draw, intake):
    kind = draw(st.sampled_from(["unknown_key", "missing", "null_optional", "treatments"]))
    if kind == "unknown_key":
        intake[draw(_unknown_key(ids.TOP_KEYS))] = draw(st.sampled_from([3, "x", None, []]))
    elif kind == "missing":
        intake.pop(draw(st.sampled_from(ids.REQUIRED)), None)
    elif kind == "null_optional":
        intake[draw(st.sampled_from(["newest_pain_weeks", "symptoms", "health", "treatments", "area_weeks",
                                     "red_flags_retracted", "blood_thinner_names"]))] = None
    else:
        intake["treatments"] = draw(st.sampled_from(
            ["physical_therapy", 3, {"type": "physical_therapy", "relief_percent": 10}]))


def _bad_treatment_row(draw, row):
    kind = draw(st.sampled_from(["integer", "unknown_key", "missing", "type"]))
    if kind == "integer":
        key = draw(st.sampled_from(sorted(ids.TREATMENT_INTEGERS)))
        low, high = ids.TREATMENT_INTEGERS[key]
        row[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))
    elif kind == "unknown_key":
        row[draw(_unknown_key(ids.TREATMENT_KEYS))] = draw(st.sampled_from([3, "x", None]))
    elif kind == "missing":
        row.pop(draw(st.sampled_from(("type", "relief_percent"))), None)
    else:
        row["type"] = draw(_unknown_id(ids.TREATMENT_TYPES))


def _bad_treatment(draw, intake):
    rows = intake.get("treatments")
    rows = list(rows) if isinstance(rows, list) else []
    dict_rows = [index for index, row in enumerate(rows) if isinstance(row, dict)]
    if dict_rows and draw(st.booleans()):
        index = draw(st.sampled_from(dict_rows))
        rows[index] = dict(rows[index])
        _bad_treatment_row(draw, rows[index])
    else:
        rows.insert(draw(st.integers(0, len(rows))), draw(NOT_A_DICT))
    intake["treatments"] = rows


@st.composite
def _broken_intake(draw):
    intake = dict(draw(_valid_intakes()))
    mutations = (
        lambda: _bad_integer(draw, intake),
        lambda: _bad_list(draw, intake),
        lambda: _bad_top_level(draw, intake),
        lambda: _bad_treatment(draw, intake),
        lambda: _bad_new_field(draw, intake),
        lambda: intake.__setitem__("age", draw(st.integers(-5, 17))),
    )
    for index in draw(st.lists(st.integers(0, len(mutations) - 1), min_size=1, max_size=3)):
        mutations[index]()
    return intake


def invalid_intakes():
    """Draw intakes with at least one field that breaks the contract, or no intake object at all."""
    return st.one_of(NOT_AN_INTAKE, st.deferred(_broken_intake))


def cross_field_invalid_intakes():
    """Draw (intake, rule): a valid intake broken by one rule between fields."""
    return st.deferred(lambda: broken_between_fields(_valid_intakes()))


# ---- targeted violations whose field path intake.md fixes ----

@st.composite
def _intake_with_bad_fields(draw):
    intake = dict(draw(_valid_intakes()))
    paths = set()
    for key in draw(st.lists(st.sampled_from(sorted(ids.INTAKE_INTEGERS)), min_size=1, max_size=3,
                             unique=True)):
        low, high = ids.INTAKE_INTEGERS[key]
        intake[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))
        paths.add(key)
    rows = [dict(row) for row in intake.get("treatments", [])]
    for index, row in enumerate(rows):
        if draw(st.booleans()):
            key = draw(st.sampled_from(sorted(ids.TREATMENT_INTEGERS)))
            low, high = ids.TREATMENT_INTEGERS[key]
            row[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))
            paths.add(f"treatments[{index}].{key}")
    if rows:
        intake["treatments"] = rows
    return intake, paths


def intakes_with_bad_fields():
    """Draw (intake, paths): integer fields given wrong values, with the paths they must be reported at."""
    return st.deferred(_intake_with_bad_fields)


def minor_intakes():
    """Draw otherwise valid intakes from someone under 18."""
    return st.deferred(lambda: st.builds(
        lambda intake, age: {**intake, "age": age}, _valid_intakes(), st.integers(0, 17)))
