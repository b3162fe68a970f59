"""The identifiers and field rules of the intake contract (spec/intake.md, version 2).

This module is the single source of truth for the validator, the JSON Schema,
the web form and the FHIR Questionnaire: change an identifier here and all of
them follow.
"""
from triage.knowledge import threshold

CONTRACT = "pain-triage/2"

# This version is for the United States: texts name these numbers and configuration
# cannot change them (rules.md §2.1).
EMERGENCY_NUMBER = "911"
CRISIS_LINE = "988"

LOCATIONS = (
    "head", "neck", "shoulder", "arm", "hand", "upper_back", "chest_wall",
    "abdomen", "lower_back", "buttock", "hip", "leg", "knee", "foot",
)
SPINE_LOCATIONS = ("neck", "upper_back", "lower_back")
LIMB_LOCATIONS = ("arm", "hand", "leg", "foot")

SYMPTOMS = (
    "radiates_below_knee", "radiates_down_arm", "numbness_tingling",
    "shooting_electric", "leg_pain_walking_eased_sitting",
    "worse_twisting_leaning_back", "tender_muscle_knot",
    "scalp_tender_back_of_head", "touch_sensitivity",
    "limb_color_temperature_change", "limb_swelling_sweating",
    "limb_stiffness_or_skin_changes", "pain_out_of_proportion",
    "widespread_pain", "pain_getting_worse", "wakes_second_half_night",
    "better_with_movement", "better_with_nsaid",
)

RED_FLAGS = (
    "bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb",
    "progressive_weakness", "hands_clumsy_or_unsteady",
    "symptoms_after_recent_injection", "sudden_severe_headache",
    "headache_fever_stiff_neck", "headache_with_neuro_symptoms",
    "headache_changed_pattern", "chest_pain_breathless", "aortic_aneurysm",
    "limb_swelling_or_cold", "limb_suddenly_cold_pale", "joint_hot_swollen",
    "fever_chills", "cancer_history",
    "unexplained_weight_loss", "night_rest_pain", "major_trauma",
    "self_harm_thoughts", "self_harm_plan",
)

HEALTH = (
    "blood_thinner", "antiplatelet", "bleeding_disorder", "stent_or_clot_last_year",
    "kidney_or_liver_disease", "diabetes", "diabetes_insulin", "pregnant",
    "postpartum_6_weeks", "allergy_contrast", "allergy_local_anesthetic",
    "allergy_steroid", "allergy_latex", "allergy_skin_cleaner", "implanted_device",
    "active_infection", "immunosuppressed", "injection_drug_use", "osteoporosis",
    "long_term_steroids", "aortic_aneurysm_known", "knee_osteoarthritis",
    "knee_replacement", "knee_replacement_last_6_months", "knee_replacement_checked",
    "psoriasis", "family_spondyloarthritis", "arthritis_history", "enthesitis_history",
    "daily_opioid_or_sedative", "sleep_apnea", "no_driver",
)
# Follow-up health items and the item each needs.
HEALTH_PARENTS = {
    "diabetes_insulin": "diabetes",
    "knee_replacement_last_6_months": "knee_replacement",
    "knee_replacement_checked": "knee_replacement",
}

# Which blood thinner names need which health item ("other" needs either).
ANTICOAGULANTS = ("warfarin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "heparin_injection")
ANTIPLATELETS = ("aspirin", "clopidogrel", "prasugrel", "ticagrelor", "cilostazol")
BLOOD_THINNER_NAMES = ANTICOAGULANTS + ANTIPLATELETS + ("other",)
BLOOD_THINNER_PARENTS = {
    **{name: ("blood_thinner",) for name in ANTICOAGULANTS},
    **{name: ("antiplatelet",) for name in ANTIPLATELETS},
    "other": ("blood_thinner", "antiplatelet"),
}

# Body areas: the unit of the duration questions.
AREAS = {
    "head": ("head",),
    "neck_arm": ("neck", "shoulder", "arm", "hand"),
    "back_leg": ("upper_back", "chest_wall", "abdomen", "lower_back", "buttock", "hip", "leg", "foot"),
    "knee": ("knee",),
}
AREA_OF = {location: area for area, places in AREAS.items() for location in places}

CONSERVATIVE_TYPES = (
    "physical_therapy", "home_exercise", "anti_inflammatory", "acetaminophen",
    "muscle_relaxant", "nerve_pain_medication", "chiropractic", "acupuncture",
    "massage",
)
MEDICINE_TYPES = ("opioid",)
PROCEDURE_TYPES = (
    "epidural_steroid_injection", "facet_joint_injection",
    "medial_branch_block", "facet_rfa", "sacroiliac_joint_injection",
    "trigger_point_injection", "occipital_nerve_block", "sympathetic_block",
    "knee_joint_injection", "genicular_nerve_block", "genicular_rfa",
    "spine_surgery",
)
TREATMENT_TYPES = CONSERVATIVE_TYPES + MEDICINE_TYPES + PROCEDURE_TYPES
SPINE_PROCEDURE_TYPES = (
    "epidural_steroid_injection", "facet_joint_injection",
    "medial_branch_block", "facet_rfa", "sacroiliac_joint_injection",
    "spine_surgery",
)
# The treatment types whose rows may name a spine region (intake.md, TREATMENT object).
REGION_TYPES = (
    "epidural_steroid_injection", "facet_joint_injection", "medial_branch_block",
    "facet_rfa", "spine_surgery",
)
REGIONS = SPINE_LOCATIONS
ALLERGY_ITEMS = tuple(item for item in HEALTH if item.startswith("allergy_"))
# The consultations and variants that may contain steroid (rules.md §1, steroid variants).
STEROID_VARIANTS = frozenset({
    ("epidural_steroid_injection", "lumbar"), ("epidural_steroid_injection", "cervical"),
    ("sacroiliac_joint_injection", "diagnostic"), ("sacroiliac_joint_injection", "therapeutic"),
    ("trigger_point_injection", None), ("nerve_block", "occipital"), ("nerve_block", "sympathetic"),
})
# Injections that may contain steroid, counted for the steroid load (rules.md §1).
STEROID_INJECTION_TYPES = (
    "epidural_steroid_injection", "facet_joint_injection", "sacroiliac_joint_injection",
    "trigger_point_injection", "occipital_nerve_block", "knee_joint_injection",
)

# Integer fields: (minimum, maximum).
INTAKE_INTEGERS = {
    "age": (18, 120),
    "duration_weeks": (0, 2600),
    "newest_pain_weeks": (0, 2600),
    "pain_average": (0, 10),
    "interference_enjoyment": (0, 10),
    "interference_activity": (0, 10),
}
AREA_WEEKS = (0, 2600)
INTAKE_LISTS = {
    # key: (vocabulary, minimum items, maximum items)
    "locations": (LOCATIONS, 1, len(LOCATIONS)),
    "symptoms": (SYMPTOMS, 0, len(SYMPTOMS)),
    "red_flags": (RED_FLAGS, 0, len(RED_FLAGS)),
    "health": (HEALTH, 0, len(HEALTH)),
    "red_flags_retracted": (RED_FLAGS, 0, len(RED_FLAGS)),
    "blood_thinner_names": (BLOOD_THINNER_NAMES, 0, len(BLOOD_THINNER_NAMES)),
}
INTAKE_REQUIRED = (
    "age", "locations", "duration_weeks", "pain_average",
    "interference_enjoyment", "interference_activity", "red_flags",
)
TREATMENT_INTEGERS = {
    "relief_percent": (0, 100),
    "weeks": (0, 2600),
    "count": (1, 50),
    "relief_weeks": (0, 520),
    "weeks_ago": (0, 2600),
}
TREATMENT_REQUIRED = ("type", "relief_percent")
TREATMENT_DEFAULTS = {"weeks": 0, "count": 1}
MAX_TREATMENTS = threshold("max_treatment_rows")
ADULT_AGE = 18

CONSULTATIONS = {
    "epidural_steroid_injection": ("lumbar", "cervical"),
    "facet_joint_injection": ("diagnostic_block", "confirmatory_block"),
    "radiofrequency_ablation": ("facet", "facet_repeat", "genicular"),
    "nerve_block": ("occipital", "genicular", "sympathetic"),
    "trigger_point_injection": (None,),
    "sacroiliac_joint_injection": ("diagnostic", "therapeutic"),
}
ALERTS = {
    "cauda_equina": "emergency",
    "post_injection_complication": "emergency",
    "headache_emergency": "emergency",
    "chest_pain": "emergency",
    "aortic_aneurysm": "emergency",
    "self_harm_emergency": "emergency",
    "fever_immunosuppressed": "emergency",
    "septic_joint": "emergency",
    "limb_ischemia": "emergency",
    "head_injury_bleeding_risk": "emergency",
    "neurologic_deficit": "urgent",
    "possible_infection": "urgent",
    "possible_malignancy": "urgent",
    "possible_fracture": "urgent",
    "headache_warning": "urgent",
    "limb_circulation": "urgent",
    "joint_inflamed": "urgent",
    "self_harm_risk": "urgent",
}
CAUTIONS = (
    "bleeding_risk", "diabetes_steroid", "steroid_load", "pregnancy", "allergy",
    "implanted_device", "active_infection", "immunosuppressed",
    "sedation_risk", "opioid_safety", "transport", "cancer_history", "night_pain",
    "aortic_aneurysm_known", "inflammatory_back_pain", "knee_replacement_review",
    "mixed_durations", "frequency_limit",
)
REASONS = (
    "duration_too_short", "pain_below_threshold", "conservative_care_first",
    "first_line_care_first", "axial_pain_only", "radicular_pain",
    "prior_treatment_failed", "frequency_limit", "too_soon",
    "widespread_pain", "information_missing",
)
