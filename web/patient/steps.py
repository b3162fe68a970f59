"""The questionnaire's steps, which questions each location makes relevant, and answer buckets.

Buckets turn words a patient can answer into the numbers of the intake contract. Each
bucket's number lies inside the bucket, and every threshold of the rule base (spec/rules.md:
4, 6, 12, 26 and 52 weeks; 50, 75 and 80 %; 2, 3 and 4 times) falls on a bucket edge, so
no rule ever depends on where inside a bucket the patient really is. Where a bucket has a
lower edge we use it: a threshold is never met by rounding up.
"""
from flask_babel import lazy_gettext as _l

from web.patient.fields import KnowledgeLabel

from triage.contract import (AREA_OF, AREAS, CONSERVATIVE_TYPES, HEALTH, HEALTH_PARENTS, LIMB_LOCATIONS,
                             MEDICINE_TYPES, PROCEDURE_TYPES, REGIONS, SPINE_LOCATIONS, SYMPTOMS)

# Step names in order. "tried" and "details" are two pages of one topic (step 5).
STEPS = ("safety", "about", "pain", "feel", "tried", "details", "health", "review")
QUESTION_STEPS = STEPS[:-1]
SHOWN_NUMBER = {"safety": 1, "about": 2, "pain": 3, "feel": 4, "tried": 5, "details": 5,
                "health": 6, "review": 7}
STEP_COUNT = 7
TITLES = {
    "safety": _l("Safety questions"),
    "about": _l("About you and where it hurts"),
    "pain": _l("How long and how bad"),
    "feel": _l("What the pain feels like"),
    "tried": _l("What you have tried"),
    "details": _l("How those treatments went"),
    "health": _l("Your health"),
    "review": _l("Check your answers"),
}

# Which locations make a symptom question relevant; symptoms not listed are always asked.
# Mirrors the derived terms of rules.md: a symptom is asked where a rule can use it.
_LIMB = set(LIMB_LOCATIONS)
_SPINE = set(SPINE_LOCATIONS)
# The inflammatory back pain questions are asked only about low back or buttock pain.
_LOW_BACK = {"lower_back", "buttock"}
SYMPTOM_LOCATIONS = {
    "radiates_below_knee": {"lower_back", "buttock", "hip", "leg", "knee", "foot"},
    "radiates_down_arm": {"neck", "shoulder", "arm", "hand"},
    "numbness_tingling": _LIMB | _SPINE | {"shoulder", "buttock", "hip", "knee"},
    "leg_pain_walking_eased_sitting": {"lower_back", "buttock"},
    "worse_twisting_leaning_back": _SPINE,
    "tender_muscle_knot": {"neck", "shoulder", "upper_back", "lower_back", "buttock"},
    "scalp_tender_back_of_head": {"head", "neck"},
    "touch_sensitivity": _LIMB,
    "limb_color_temperature_change": _LIMB,
    "limb_swelling_sweating": _LIMB,
    "limb_stiffness_or_skin_changes": _LIMB,
    "pain_out_of_proportion": _LIMB,
    "wakes_second_half_night": _LOW_BACK,
    "better_with_movement": _LOW_BACK,
    "better_with_nsaid": _LOW_BACK,
}
# Health questions about one body part are asked only when it hurts (intake.md, follow-up items).
HEALTH_LOCATIONS = {
    "knee_osteoarthritis": {"knee"}, "knee_replacement": {"knee"},
    "knee_replacement_last_6_months": {"knee"}, "knee_replacement_checked": {"knee"},
    "psoriasis": _LOW_BACK, "family_spondyloarthritis": _LOW_BACK,
    "arthritis_history": _LOW_BACK, "enthesitis_history": _LOW_BACK,
}

# Safety questions in short groups, one phone screen each (heading, question, red flags).
# The groups whose flags can raise an emergency alone come first, so an emergency answer is
# met on the first screens; then the other signs the patient has now; the past comes last.
# tests/test_safety_groups.py asks the engine which flags are emergencies and checks the order.
SAFETY_GROUPS = (
    (_l("Nerves, bladder and bowels"), _l("Is this happening to you now?"),
     ("bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb",
      "symptoms_after_recent_injection")),
    (_l("Headache"), _l("Is this happening to you now?"),
     ("sudden_severe_headache", "headache_fever_stiff_neck", "headache_with_neuro_symptoms")),
    (_l("Chest, belly, arms and legs"), _l("Is this happening to you now?"),
     ("chest_pain_breathless", "aortic_aneurysm", "limb_suddenly_cold_pale")),
    (_l("How you are feeling"), _l("These questions are about the past 2 weeks."),
     ("self_harm_thoughts", "self_harm_plan")),
    (_l("Fever, joints and weakness"), _l("Is this happening to you now?"),
     ("fever_chills", "joint_hot_swollen", "progressive_weakness", "hands_clumsy_or_unsteady")),
    (_l("Headaches, swelling, weight and sleep"), _l("Is this happening to you now?"),
     ("headache_changed_pattern", "limb_swelling_or_cold", "unexplained_weight_loss",
      "night_rest_pain")),
    (_l("Your past"), _l("Is this true for you?"),
     ("cancer_history", "major_trauma")),
)
SAFETY_PAGES = len(SAFETY_GROUPS)

# Treatment groups shown on the "what you have tried" page.
HANDS_ON_TYPES = ("physical_therapy", "home_exercise", "chiropractic", "acupuncture", "massage")
MEDICINE_GROUP = tuple(t for t in CONSERVATIVE_TYPES if t not in HANDS_ON_TYPES) + MEDICINE_TYPES
TREATMENT_GROUPS = (
    (_l("Exercise and hands-on care"), HANDS_ON_TYPES),
    (_l("Medicines"), MEDICINE_GROUP),
    (_l("Injections, procedures and surgery"), PROCEDURE_TYPES),
)
# Each of these blocks is its own row: the rules count positive test blocks one by one.
SEPARATE_ROW_TYPES = ("medial_branch_block",)
MAX_SEPARATE_ROWS = 4
NONE = "none"
UNKNOWN = "unknown"

# (choice value, weeks, words). The choice value is what the browser sends.
# Weeks edges of intake.md: 1, 2, 4, 6, 12, 26, 52, 104, 260, 520, 1040 (the last four are
# 2, 5, 10 and 20 years: onset_age reads the back_leg duration in years).
DURATION_BUCKETS = (
    ("0", 0, _l("Less than 1 week")),
    ("1", 1, _l("1 week (7 to 13 days)")),
    ("2", 2, _l("2 to 3 weeks")),
    ("4", 4, _l("4 to 5 weeks")),
    ("6", 6, _l("6 to 11 weeks")),
    ("12", 12, _l("12 weeks (about 3 months) to 6 months")),
    ("26", 26, _l("6 months to 1 year")),
    ("52", 52, _l("1 to 2 years")),
    ("104", 104, _l("2 to 5 years")),
    ("260", 260, _l("5 to 10 years")),
    ("520", 520, _l("10 to 20 years")),
    ("1040", 1040, _l("20 years or more")),
)
WEEKS_AGO_BUCKETS = (
    ("0", 0, _l("Less than 2 weeks ago")),
    ("2", 2, _l("2 to 5 weeks ago")),
    ("6", 6, _l("6 to 11 weeks ago")),
    ("12", 12, _l("12 weeks (about 3 months) to 6 months ago")),
    ("26", 26, _l("6 months to 1 year ago")),
    ("52", 52, _l("More than 1 year ago")),
    (UNKNOWN, None, _l("I don’t know")),
)
RELIEF_WEEKS_BUCKETS = (
    ("0", 0, _l("Less than 1 week")),
    ("1", 1, _l("1 week (7 to 13 days)")),
    ("2", 2, _l("2 to 5 weeks")),
    ("6", 6, _l("6 to 11 weeks")),
    ("12", 12, _l("12 weeks (about 3 months) to 6 months")),
    ("26", 26, _l("6 months or more")),
    (UNKNOWN, None, _l("I don’t know")),
)
TRIED_WEEKS_BUCKETS = DURATION_BUCKETS + ((UNKNOWN, None, _l("I don’t remember")),)
RELIEF_BUCKETS = (
    ("0", 0, _l("Not at all")),
    ("25", 25, _l("A little: less than half (1 to 49 %)")),
    ("50", 50, _l("Half or more, but less than three quarters (50 to 74 %)")),
    ("75", 75, _l("Three quarters or more, but less than 80 % (75 to 79 %)")),
    ("80", 80, _l("80 % or more: nearly all or all of it")),
)
COUNT_BUCKETS = (
    ("1", 1, _l("Once")),
    ("2", 2, _l("2 times")),
    ("3", 3, _l("3 times")),
    ("4", 4, _l("4 times or more")),
)
REGION_BUCKETS = tuple((region, region, KnowledgeLabel("region", region)) for region in REGIONS) + (
    (UNKNOWN, None, _l("I don’t know")),)
SCALE_VALUES = tuple(str(n) for n in range(11))


def bucket_number(buckets, value):
    """Return the number a chosen bucket stands for (None for "I don't know")."""
    for choice, number, _words in buckets:
        if choice == value:
            return number
    raise KeyError(value)


def bucket_words(buckets, value):
    """Return the words of a chosen bucket."""
    for choice, _number, words in buckets:
        if choice == value:
            return words
    raise KeyError(value)


def relevant_symptoms(locations):
    """Return the symptoms worth asking about for these locations, in contract order."""
    chosen = set(locations)
    return tuple(s for s in SYMPTOMS if s not in SYMPTOM_LOCATIONS or SYMPTOM_LOCATIONS[s] & chosen)


def relevant_health(locations):
    """Return the health questions worth asking for these locations, in contract order."""
    chosen = set(locations)
    return tuple(h for h in HEALTH if h not in HEALTH_LOCATIONS or HEALTH_LOCATIONS[h] & chosen)


def follow_ups(parent, shown):
    """Return the shown health items asked only after `parent` is chosen, in contract order."""
    return tuple(item for item in shown if HEALTH_PARENTS.get(item) == parent)


def chosen_areas(locations):
    """Return the body areas these locations touch, in contract order (one duration question each)."""
    touched = {AREA_OF[place] for place in locations}
    return tuple(area for area in AREAS if area in touched)


def step_after(step):
    """Return the step that follows in order."""
    return STEPS[STEPS.index(step) + 1]


def step_before(step):
    """Return the step that comes before, or None for the first."""
    index = STEPS.index(step)
    return STEPS[index - 1] if index else None

