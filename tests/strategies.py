"""Hypothesis strategies for intakes (spec/intake.md, version 1).

``valid_intakes()`` draws intakes that satisfy the contract, biased toward the
clinically interesting corners of rules.md (radiating spine pain, blocks near
80 % relief, weeks near 4/6/12/26/52). ``invalid_intakes()`` draws intakes that
break the contract in at least one way. Both are deferred, so the ``triage``
package is imported only when a test runs.
"""
from hypothesis import strategies as st

# Ranges as intake.md states them (kept here, not read from the code under test).
INTAKE_INTEGERS = {
    "age": (18, 120),
    "duration_weeks": (0, 2600),
    "newest_pain_weeks": (0, 2600),
    "pain_average": (0, 10),
    "interference_enjoyment": (0, 10),
    "interference_activity": (0, 10),
}
TREATMENT_INTEGERS = {
    "relief_percent": (0, 100),
    "weeks": (0, 2600),
    "count": (1, 50),
    "relief_weeks": (0, 520),
    "weeks_ago": (0, 2600),
}
REQUIRED = ("age", "locations", "duration_weeks", "pain_average",
            "interference_enjoyment", "interference_activity", "red_flags")
OPTIONAL_LISTS = ("symptoms", "health")
TREATMENT_REQUIRED = ("type", "relief_percent")
TOP_KEYS = set(INTAKE_INTEGERS) | set(REQUIRED) | {"symptoms", "health", "treatments"}
TREATMENT_KEYS = set(TREATMENT_INTEGERS) | {"type"}

# Values near the thresholds of rules.md.
WEEKS_NEAR = (0, 1, 2, 3, 4, 5, 6, 11, 12, 25, 26, 51, 52)
RELIEF_NEAR = (0, 49, 50, 74, 75, 79, 80, 100)
SCORE_NEAR = (3, 4)
AGE_NEAR = (18, 49, 50, 69, 70, 120)
LOCATION_SETS = (
    ("lower_back", "leg"), ("lower_back", "buttock", "leg"), ("neck", "arm"),
    ("neck", "shoulder", "hand"), ("lower_back",), ("neck",), ("upper_back",),
    ("buttock",), ("knee",), ("head",), ("head", "neck"), ("shoulder",), ("hand",),
    ("foot", "leg"),
)
SYMPTOM_SETS = (
    ("radiates_below_knee",), ("radiates_down_arm",), ("leg_pain_walking_eased_sitting",),
    ("worse_twisting_leaning_back",), ("tender_muscle_knot",),
    ("tender_muscle_knot", "widespread_pain"),
    ("scalp_tender_back_of_head", "shooting_electric"),
    ("pain_out_of_proportion", "touch_sensitivity", "limb_color_temperature_change",
     "limb_swelling_sweating"),
    ("pain_out_of_proportion", "touch_sensitivity", "limb_stiffness_or_skin_changes"),
)
HEALTH_SETS = (("knee_osteoarthritis",), ("knee_replacement",), ("blood_thinner", "antiplatelet"))
PROCEDURE_BIAS = ("medial_branch_block", "facet_rfa", "epidural_steroid_injection",
                  "sacroiliac_joint_injection", "trigger_point_injection", "genicular_nerve_block",
                  "genicular_rfa", "spine_surgery", "physical_therapy", "home_exercise",
                  "acetaminophen", "knee_joint_injection")


def _contract():
    from triage import contract

    return contract


def _near(values, low, high):
    """Draw an integer in [low, high], often one of the threshold values."""
    inside = [value for value in values if low <= value <= high]
    return st.one_of(st.sampled_from(inside), st.integers(low, high))


def _unique_list(vocabulary, min_size=0, presets=(), max_size=None):
    """Draw a duplicate-free list from vocabulary, sometimes a preset combination."""
    free = st.lists(st.sampled_from(vocabulary), min_size=min_size,
                    max_size=max_size or len(vocabulary), unique=True)
    if not presets:
        return free
    return st.one_of(st.sampled_from([list(p) for p in presets]), free)


def _treatment(contract):
    optional = {
        "weeks": _near(WEEKS_NEAR, 0, 2600),
        "count": _near((1, 2, 3, 4), 1, 50),
        "relief_weeks": _near(WEEKS_NEAR, 0, 520),
        "weeks_ago": _near(WEEKS_NEAR, 0, 2600),
    }
    return st.fixed_dictionaries(
        {"type": st.one_of(st.sampled_from(PROCEDURE_BIAS),
                           st.sampled_from(contract.TREATMENT_TYPES)),
         "relief_percent": _near(RELIEF_NEAR, 0, 100)},
        optional=optional)


def _free_intakes():
    contract = _contract()
    required = {
        "age": _near(AGE_NEAR, 18, 120),
        "locations": _unique_list(contract.LOCATIONS, 1, LOCATION_SETS),
        "duration_weeks": _near(WEEKS_NEAR, 0, 2600),
        "pain_average": _near(SCORE_NEAR, 0, 10),
        "interference_enjoyment": _near(SCORE_NEAR, 0, 10),
        "interference_activity": _near(SCORE_NEAR, 0, 10),
        "red_flags": st.one_of(st.just([]), st.just([]), _unique_list(contract.RED_FLAGS)),
    }
    optional = {
        "newest_pain_weeks": _near(WEEKS_NEAR, 0, 2600),
        "symptoms": _unique_list(contract.SYMPTOMS, 0, SYMPTOM_SETS),
        "health": _unique_list(contract.HEALTH, 0, HEALTH_SETS),
        "treatments": st.lists(_treatment(contract), max_size=6),
    }
    return st.fixed_dictionaries(required, optional=optional)


# Coherent patients: a pattern of rules.md with the treatments its rules look at.
SCENARIOS = (
    (("lower_back", "leg"), ("radiates_below_knee",), (), ("epidural_steroid_injection", "spine_surgery")),
    (("neck", "arm"), ("radiates_down_arm",), (), ("epidural_steroid_injection",)),
    (("lower_back", "buttock"), ("leg_pain_walking_eased_sitting",), (), ("epidural_steroid_injection",)),
    (("lower_back",), ("worse_twisting_leaning_back",), (),
     ("medial_branch_block", "medial_branch_block", "facet_rfa", "spine_surgery")),
    (("neck",), (), (), ("medial_branch_block", "facet_rfa")),
    (("buttock",), (), (), ("sacroiliac_joint_injection",)),
    (("shoulder",), ("tender_muscle_knot",), (), ("trigger_point_injection",)),
    (("upper_back",), ("tender_muscle_knot",), (), ("trigger_point_injection", "medial_branch_block")),
    (("head",), ("scalp_tender_back_of_head", "shooting_electric"), (), ("occipital_nerve_block",)),
    (("knee",), (), ("knee_osteoarthritis",),
     ("knee_joint_injection", "genicular_nerve_block", "genicular_rfa")),
    (("knee",), (), ("knee_replacement",), ("genicular_nerve_block", "genicular_rfa")),
    (("hand", "arm"), SYMPTOM_SETS[7], (), ("sympathetic_block",)),
)
QUIET_HEALTH = ("blood_thinner", "antiplatelet", "bleeding_disorder", "diabetes",
                "allergy_contrast", "allergy_local_anesthetic", "allergy_steroid",
                "implanted_device", "daily_opioid_or_sedative", "sleep_apnea", "no_driver")


def _procedure_row(kind):
    optional = {
        "count": _near((1, 2, 3, 4), 1, 50),
        "relief_weeks": _near((5, 6, 11, 12, 25, 26, 52), 0, 520),
        "weeks_ago": _near(WEEKS_NEAR, 0, 2600),
    }
    return st.fixed_dictionaries(
        {"type": st.just(kind), "relief_percent": _near(RELIEF_NEAR, 0, 100)}, optional=optional)


@st.composite
def _scenario_intakes(draw):
    contract = _contract()
    locations, symptoms, health, procedures = draw(st.sampled_from(SCENARIOS))
    conservative = {
        "type": draw(st.sampled_from(contract.CONSERVATIVE_TYPES)),
        "relief_percent": draw(_near((0, 20, 49, 50), 0, 100)),
        "weeks": draw(_near((3, 4, 5, 6, 8), 0, 2600)),
    }
    first_line = [conservative, {"type": "physical_therapy", "relief_percent": 10, "weeks": 8},
                  {"type": "acetaminophen", "relief_percent": 10, "weeks": 8}]
    rows = draw(st.lists(st.sampled_from(procedures).flatmap(_procedure_row), max_size=3))
    intake = {
        "age": draw(_near((18, 49, 50, 69, 70), 18, 120)),
        "locations": list(locations),
        "duration_weeks": draw(_near(WEEKS_NEAR, 0, 2600)),
        "pain_average": draw(st.integers(3, 10)),
        "interference_enjoyment": draw(st.integers(3, 10)),
        "interference_activity": draw(st.integers(0, 10)),
        "red_flags": draw(st.one_of(st.just([]), _unique_list(contract.RED_FLAGS, 0, (), 1))),
        "symptoms": list(symptoms),
        "health": list(health) + draw(_unique_list(QUIET_HEALTH, 0, (), 2)),
        "treatments": draw(st.permutations(first_line[:draw(st.integers(1, 3))] + rows)),
    }
    if draw(st.booleans()):
        intake["newest_pain_weeks"] = draw(_near(WEEKS_NEAR, 0, 2600))
    return intake


def _valid_intakes():
    return st.one_of(_free_intakes(), _scenario_intakes())


def valid_intakes():
    """Draw intakes that intake.md accepts."""
    return st.deferred(_valid_intakes)


# ---- invalid intakes: a valid intake plus one or more violations ----

WRONG_INTEGERS = st.sampled_from([True, False, 5.0, 0.0, 18.5, None, "5", "", [5], {"value": 5}])
NOT_A_LIST = st.sampled_from(["neck", "", None, 5, True, {"neck": True}])
NOT_A_DICT = st.sampled_from([None, 5, "physical_therapy", ["physical_therapy", 10], True])
NOT_AN_INTAKE = st.sampled_from([None, [], [{"age": 40}], "intake", 40, True, 4.5])


def _out_of_range(low, high):
    return st.one_of(st.integers(max_value=low - 1), st.integers(min_value=high + 1))


def _unknown_key(known):
    return st.text(min_size=1, max_size=12).filter(lambda key: key not in known)


def _unknown_id(vocabulary):
    wrong_type = st.sampled_from([5, None, True, 1.5, ["neck"]])
    return st.one_of(st.text(max_size=12).filter(lambda word: word not in vocabulary), wrong_type)


def _list_vocabularies(contract):
    return {"locations": contract.LOCATIONS, "symptoms": contract.SYMPTOMS,
            "red_flags": contract.RED_FLAGS, "health": contract.HEALTH}


def _bad_integer(draw, intake):
    key = draw(st.sampled_from(sorted(INTAKE_INTEGERS)))
    low, high = INTAKE_INTEGERS[key]
    intake[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))


def _bad_list(draw, intake, contract):
    key, vocabulary = draw(st.sampled_from(sorted(_list_vocabularies(contract).items())))
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


def _bad_top_level(draw, intake):
    kind = draw(st.sampled_from(["unknown_key", "missing", "null_optional", "treatments"]))
    if kind == "unknown_key":
        intake[draw(_unknown_key(TOP_KEYS))] = draw(st.sampled_from([3, "x", None, []]))
    elif kind == "missing":
        intake.pop(draw(st.sampled_from(REQUIRED)), None)
    elif kind == "null_optional":
        intake[draw(st.sampled_from(["newest_pain_weeks", "symptoms", "health", "treatments"]))] = None
    else:
        intake["treatments"] = draw(st.sampled_from(
            ["physical_therapy", 3, {"type": "physical_therapy", "relief_percent": 10}]))


def _bad_treatment_row(draw, row, contract):
    kind = draw(st.sampled_from(["integer", "unknown_key", "missing", "type"]))
    if kind == "integer":
        key = draw(st.sampled_from(sorted(TREATMENT_INTEGERS)))
        low, high = TREATMENT_INTEGERS[key]
        row[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))
    elif kind == "unknown_key":
        row[draw(_unknown_key(TREATMENT_KEYS))] = draw(st.sampled_from([3, "x", None]))
    elif kind == "missing":
        row.pop(draw(st.sampled_from(TREATMENT_REQUIRED)), None)
    else:
        row["type"] = draw(_unknown_id(contract.TREATMENT_TYPES))


def _bad_treatment(draw, intake, contract):
    rows = intake.get("treatments")
    if not isinstance(rows, list):
        rows = []
    rows = list(rows)
    dict_rows = [index for index, row in enumerate(rows) if isinstance(row, dict)]
    if dict_rows and draw(st.booleans()):
        index = draw(st.sampled_from(dict_rows))
        rows[index] = dict(rows[index])
        _bad_treatment_row(draw, rows[index], contract)
    else:
        rows.insert(draw(st.integers(0, len(rows))), draw(NOT_A_DICT))
    intake["treatments"] = rows


@st.composite
def _broken_intake(draw):
    contract = _contract()
    intake = dict(draw(_valid_intakes()))
    mutations = (
        lambda: _bad_integer(draw, intake),
        lambda: _bad_list(draw, intake, contract),
        lambda: _bad_top_level(draw, intake),
        lambda: _bad_treatment(draw, intake, contract),
        lambda: intake.__setitem__("age", draw(st.integers(-5, 17))),
    )
    for index in draw(st.lists(st.integers(0, len(mutations) - 1), min_size=1, max_size=3)):
        mutations[index]()
    return intake


def invalid_intakes():
    """Draw intakes with at least one contract violation, or no intake object at all."""
    return st.one_of(NOT_AN_INTAKE, st.deferred(_broken_intake))


# ---- targeted violations whose field path intake.md fixes ----

@st.composite
def _intake_with_bad_fields(draw):
    intake = dict(draw(_valid_intakes()))
    paths = set()
    for key in draw(st.lists(st.sampled_from(sorted(INTAKE_INTEGERS)), min_size=1, max_size=3,
                             unique=True)):
        low, high = INTAKE_INTEGERS[key]
        intake[key] = draw(st.one_of(WRONG_INTEGERS, _out_of_range(low, high)))
        paths.add(key)
    rows = [dict(row) for row in intake.get("treatments", [])]
    for index, row in enumerate(rows):
        if draw(st.booleans()):
            key = draw(st.sampled_from(sorted(TREATMENT_INTEGERS)))
            low, high = TREATMENT_INTEGERS[key]
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
