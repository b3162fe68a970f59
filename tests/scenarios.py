"""Coherent patients for the strategies: one per rule pattern of rules.md §3, drawn near its thresholds.

``targeted_intakes()`` mixes one sub-strategy per consultation and variant, so each
is suggested in a measurable share of drawn intakes (scripts/strategy_coverage.py
measures it). ``fill_new_fields`` adds the version 2 fields consistently: area
durations for the chosen locations, regions on spine rows, drug names with their
health item, follow-up health items with their parent, retracted flags disjoint
from the given ones.
"""
from hypothesis import strategies as st

import spec_ids as ids

WEEKS_NEAR = (0, 1, 2, 3, 4, 5, 6, 11, 12, 25, 26, 51, 52, 104, 260)
RELIEF_NEAR = (0, 49, 50, 74, 75, 79, 80, 100)
AGE_NEAR = (18, 34, 35, 36, 37, 44, 45, 46, 47, 49, 50, 69, 70, 74, 75, 120)
LONG_WEEKS = (12, 13, 26, 52, 104, 260, 520)


def near(values, low, high):
    """Draw an integer in [low, high], often one of the threshold values."""
    inside = [value for value in values if low <= value <= high]
    return st.one_of(st.sampled_from(inside), st.integers(low, high))


def unique_list(vocabulary, min_size=0, presets=(), max_size=None):
    """Draw a duplicate-free list from vocabulary, sometimes a preset combination."""
    free = st.lists(st.sampled_from(vocabulary), min_size=min_size,
                    max_size=max_size or len(vocabulary), unique=True)
    if not presets:
        return free
    return st.one_of(st.sampled_from([list(p) for p in presets]), free)


def with_parents(health):
    """Add the parent of every follow-up health item present (intake.md, Validation)."""
    needed = [ids.HEALTH_PARENT[item] for item in health if item in ids.HEALTH_PARENT]
    return list(health) + [parent for parent in dict.fromkeys(needed) if parent not in health]


def areas_of(locations):
    """The AREAs the locations touch, in a fixed order."""
    return [area for area in ids.AREAS if any(ids.AREA_OF[loc] == area for loc in locations)]


def fill_new_fields(draw, intake):
    """Add version 2 fields to a valid intake, keeping it valid."""
    areas = areas_of(intake["locations"])
    style = draw(st.sampled_from(["none", "web_form", "some_areas"]))
    if style == "web_form" and len(areas) >= 2:
        weeks = {area: draw(near(WEEKS_NEAR + LONG_WEEKS, 0, 2600)) for area in areas}
        intake["area_weeks"] = weeks
        intake["duration_weeks"] = max(weeks.values())
        intake.pop("newest_pain_weeks", None)
    elif style == "some_areas":
        chosen = draw(st.lists(st.sampled_from(areas), unique=True, max_size=len(areas)))
        if chosen:
            intake["area_weeks"] = {area: draw(near(WEEKS_NEAR, 0, 2600)) for area in chosen}
    intake["health"] = with_parents(intake.get("health", []))
    allowed = [name for name in ids.BLOOD_THINNER_NAMES if name_allowed(name, intake["health"])]
    if allowed and draw(st.booleans()):
        intake["blood_thinner_names"] = draw(unique_list(allowed, 1, max_size=3))
    others = [flag for flag in ids.RED_FLAGS if flag not in intake["red_flags"]]
    # `others` is empty when every red flag was answered yes: nothing is left to retract.
    if others and draw(st.integers(0, 4)) == 0:
        intake["red_flags_retracted"] = draw(unique_list(others, 1, max_size=3))
    for treatment in intake.get("treatments", []):
        if treatment["type"] in ids.REGION_TYPES and "region" not in treatment and draw(st.booleans()):
            treatment["region"] = draw(st.sampled_from(ids.SPINE_REGIONS))
    return intake


def name_allowed(name, health):
    """Whether a blood thinner name has its health item (intake.md, BLOOD_THINNER_NAME)."""
    if name in ids.ANTICOAGULANTS:
        return "blood_thinner" in health
    if name in ids.ANTIPLATELETS:
        return "antiplatelet" in health
    return bool({"blood_thinner", "antiplatelet"} & set(health))


def row(kind, relief=RELIEF_NEAR, weeks_ago=WEEKS_NEAR, relief_weeks=WEEKS_NEAR, counts=(1, 2, 3, 4),
        region=None):
    """Draw one procedure row of `kind`, its numbers near the given values (relief one of them)."""
    optional = {"count": near(counts, 1, 50), "relief_weeks": near(relief_weeks, 0, 520),
                "weeks_ago": near(weeks_ago, 0, 2600)}
    required = {"type": st.just(kind), "relief_percent": st.sampled_from(relief)}
    if region is not None:
        optional["region"] = st.sampled_from(region)
    return st.fixed_dictionaries(required, optional=optional)


def dated(kind, relief, weeks_ago, relief_weeks, region=None):
    """A row that gives weeks_ago and relief_weeks, count 1, each one of the given values."""
    fields = {"type": st.just(kind), "relief_percent": st.sampled_from(relief), "count": st.just(1),
              "weeks_ago": st.sampled_from(weeks_ago), "relief_weeks": st.sampled_from(relief_weeks)}
    if region is not None:
        fields["region"] = st.sampled_from(region)
    return st.fixed_dictionaries(fields)


CONSERVATIVE_FAILED = st.fixed_dictionaries({
    "type": st.sampled_from(ids.CONSERVATIVE_TYPES), "relief_percent": near((0, 20, 49, 50), 0, 100),
    "weeks": near((3, 4, 5, 6, 8), 0, 2600)})
KNEE_FIRST_LINE = [{"type": "physical_therapy", "relief_percent": 10, "weeks": 8},
                   {"type": "acetaminophen", "relief_percent": 20, "weeks": 8},
                   {"type": "knee_joint_injection", "relief_percent": 30, "weeks_ago": 30}]
CRPS = ("pain_out_of_proportion", "touch_sensitivity", "limb_color_temperature_change",
        "limb_swelling_sweating")
AXIAL_SETS = (("lower_back",), ("neck",), ("upper_back",), ("neck", "lower_back"),
              ("upper_back", "lower_back"), ("neck", "upper_back", "lower_back"))
LOW_BACK_SETS = (("lower_back",), ("neck", "lower_back"), ("upper_back", "lower_back"))
BACK = ("lower_back",)
MBB = "medial_branch_block"

# (locations, symptoms, health, row strategies): one recipe per consultation and variant.
RECIPES = {
    "esi_lumbar": (st.sampled_from([("lower_back", "leg"), ("lower_back", "buttock", "leg")]),
                   st.sampled_from([("radiates_below_knee",), ("leg_pain_walking_eased_sitting",),
                                    ("radiates_below_knee", "leg_pain_walking_eased_sitting")]),
                   (), [row("epidural_steroid_injection", (49, 50, 80), (1, 2, 6, 20), (1, 2, 6),
                            (1, 2, 3, 4), ids.SPINE_REGIONS), row("spine_surgery", weeks_ago=(11, 12, 52))]),
    "esi_cervical": (st.just(("neck", "arm")), st.just(("radiates_down_arm",)), (),
                     [row("epidural_steroid_injection", (50, 80), (2, 20), (2, 6), (1, 3, 4), ids.SPINE_REGIONS)]),
    "facet_diagnostic": (st.sampled_from(AXIAL_SETS), st.just(()), (),
                         [row("spine_surgery", weeks_ago=(11, 12, 52), region=ids.SPINE_REGIONS)]),
    "facet_confirmatory": (st.sampled_from(LOW_BACK_SETS), st.just(()), (),
                           [dated(MBB, (80, 90), (8, 20), (1,), BACK)]),
    "rfa_facet": (st.sampled_from(LOW_BACK_SETS), st.just(()), (),
                  [dated(MBB, (80, 90), (8, 20), (1,), BACK), dated(MBB, (85, 80, 79), (4, 10), (1,), BACK)]),
    "rfa_facet_repeat": (st.sampled_from(LOW_BACK_SETS), st.just(()), (),
                         [dated("facet_rfa", (80, 50, 49), (60, 26, 25), (40, 26, 25), BACK)]),
    "si_diagnostic": (st.sampled_from([("buttock",), ("lower_back", "buttock")]), st.just(()), (), []),
    "si_therapeutic": (st.sampled_from([("buttock",), ("lower_back", "buttock")]), st.just(()), (),
                       [dated("sacroiliac_joint_injection", (80, 75, 90, 74), (20, 60), (12, 26, 11, 4))]),
    "tpi": (st.sampled_from([("shoulder",), ("upper_back",), ("neck", "shoulder")]),
            st.just(("tender_muscle_knot",)), (), [row("trigger_point_injection", (50, 80), (6, 20), (6, 12), (1, 2))]),
    "occipital": (st.just(("head",)), st.just(("scalp_tender_back_of_head", "shooting_electric")), (),
                  [row("occipital_nerve_block", (49, 50, 80))]),
    "genicular_block": (st.just(("knee",)), st.just(()), ("knee_osteoarthritis",), []),
    "genicular_rfa": (st.just(("knee",)), st.just(()), ("knee_osteoarthritis",),
                      [row("genicular_nerve_block", (50, 70), (4, 20))]),
    "genicular_repeat": (st.just(("knee",)), st.just(()), ("knee_replacement",),
                         [dated("genicular_rfa", (80, 50, 49), (60, 26, 25), (20, 12, 11))]),
    "sympathetic": (st.sampled_from([("hand", "arm"), ("foot", "leg")]), st.just(CRPS), (),
                    [row("sympathetic_block", (49, 50, 80))]),
}
# Recipes whose rows are always given; the others keep a drawn subset of their rows.
ROWS_ALWAYS = {"facet_confirmatory", "rfa_facet", "rfa_facet_repeat", "si_therapeutic", "genicular_rfa",
               "genicular_repeat"}
QUIET_HEALTH = ("blood_thinner", "antiplatelet", "bleeding_disorder", "diabetes", "allergy_contrast",
                "allergy_latex", "implanted_device", "daily_opioid_or_sedative", "sleep_apnea",
                "no_driver", "kidney_or_liver_disease", "stent_or_clot_last_year", "long_term_steroids",
                "psoriasis", "knee_replacement_checked", "diabetes_insulin", "aortic_aneurysm_known")


@st.composite
def _recipe_intake(draw, name):
    location_strategy, symptom_strategy, health, rows = RECIPES[name]
    locations = list(draw(location_strategy))
    drawn_rows = [draw(strategy) for strategy in rows]
    if name not in ROWS_ALWAYS:
        drawn_rows = [r for r in drawn_rows if draw(st.booleans())]
    # Usually conservative care failed (first row); sometimes only a row near its thresholds, or none.
    # sampled_from draws its first values most often, so the usual case comes first.
    care = [{"type": "physical_therapy", "relief_percent": 10, "weeks": 8}, draw(CONSERVATIVE_FAILED)]
    care = {"failed": care[:1], "both": care, "near": care[1:], "none": []}[
        draw(st.sampled_from(("failed", "both", "near", "none")))]
    knee_care = KNEE_FIRST_LINE[:draw(st.sampled_from((3, 3, 3, 2)))] if "knee" in locations else []
    intake = {
        "age": draw(st.one_of(st.integers(40, 70), near(AGE_NEAR, 18, 120))),
        "locations": locations,
        "duration_weeks": draw(st.sampled_from(LONG_WEEKS + (11, 4, 3))),
        "pain_average": draw(st.sampled_from((6, 4, 8, 10, 3))),
        "interference_enjoyment": draw(st.sampled_from((6, 4, 3))),
        "interference_activity": draw(st.sampled_from((6, 0, 4, 3, 10))),
        "red_flags": draw(st.one_of(st.just([]), st.just([]), st.just([]), unique_list(ids.RED_FLAGS, 0, (), 1))),
        "symptoms": list(draw(symptom_strategy)),
        "health": list(health) + draw(unique_list(QUIET_HEALTH, 0, (), 2)),
        "treatments": draw(st.permutations(care + knee_care + drawn_rows)),
    }
    if not intake["treatments"]:
        del intake["treatments"]
    return fill_new_fields(draw, intake)


def targeted_intakes():
    """Draw a patient aimed at one consultation and variant (each recipe equally often)."""
    return st.one_of(*[_recipe_intake(name) for name in RECIPES])


# Version 1 style patients: a pattern of rules.md with the treatments its rules look at.
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
    (("knee",), (), ("knee_osteoarthritis",), ("knee_joint_injection", "genicular_nerve_block", "genicular_rfa")),
    (("knee",), (), ("knee_replacement",), ("genicular_nerve_block", "genicular_rfa")),
    (("hand", "arm"), CRPS, (), ("sympathetic_block",)),
)
QUIET_HEALTH_V1 = ("blood_thinner", "antiplatelet", "bleeding_disorder", "diabetes", "allergy_contrast",
                   "allergy_local_anesthetic", "allergy_steroid", "implanted_device",
                   "daily_opioid_or_sedative", "sleep_apnea", "no_driver")


def _procedure_row(kind):
    optional = {
        "count": near((1, 2, 3, 4), 1, 50),
        "relief_weeks": near((5, 6, 11, 12, 25, 26, 52), 0, 520),
        "weeks_ago": near(WEEKS_NEAR, 0, 2600),
    }
    return st.fixed_dictionaries(
        {"type": st.just(kind), "relief_percent": near(RELIEF_NEAR, 0, 100)}, optional=optional)


@st.composite
def v1_scenario_intakes(draw):
    """Draw a version 1 style patient: a rules.md pattern with the treatments its rules look at."""
    locations, symptoms, health, procedures = draw(st.sampled_from(SCENARIOS))
    conservative = {
        "type": draw(st.sampled_from(ids.CONSERVATIVE_TYPES)),
        "relief_percent": draw(near((0, 20, 49, 50), 0, 100)),
        "weeks": draw(near((3, 4, 5, 6, 8), 0, 2600)),
    }
    first_line = [conservative, {"type": "physical_therapy", "relief_percent": 10, "weeks": 8},
                  {"type": "acetaminophen", "relief_percent": 10, "weeks": 8}]
    rows = draw(st.lists(st.sampled_from(procedures).flatmap(_procedure_row), max_size=3))
    intake = {
        "age": draw(near((18, 49, 50, 69, 70), 18, 120)),
        "locations": list(locations),
        "duration_weeks": draw(near(WEEKS_NEAR, 0, 2600)),
        "pain_average": draw(st.integers(3, 10)),
        "interference_enjoyment": draw(st.integers(3, 10)),
        "interference_activity": draw(st.integers(0, 10)),
        "red_flags": draw(st.one_of(st.just([]), unique_list(ids.RED_FLAGS_V1, 0, (), 1))),
        "symptoms": list(symptoms),
        "health": list(health) + draw(unique_list(QUIET_HEALTH_V1, 0, (), 2)),
        "treatments": draw(st.permutations(first_line[:draw(st.integers(1, 3))] + rows)),
    }
    if draw(st.booleans()):
        intake["newest_pain_weeks"] = draw(near(WEEKS_NEAR, 0, 2600))
    return intake
