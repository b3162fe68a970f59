"""The identifiers and ranges of spec/intake.md, written here from the spec, not read from the engine.

Strategies and property tests draw from these, so a vocabulary the engine forgets
or misspells shows up as a rejected intake instead of going unnoticed.
Version 1 ids are the version 2 ids minus those intake.md marks "(new)".
"""
AREAS = {
    "head": ("head",),
    "neck_arm": ("neck", "shoulder", "arm", "hand"),
    "back_leg": ("upper_back", "chest_wall", "abdomen", "lower_back", "buttock", "hip", "leg", "foot"),
    "knee": ("knee",),
}
AREA_OF = {location: area for area, locations in AREAS.items() for location in locations}
LOCATIONS = ("head", "neck", "shoulder", "arm", "hand", "upper_back", "chest_wall", "abdomen",
             "lower_back", "buttock", "hip", "leg", "knee", "foot")
SPINE_REGIONS = ("neck", "upper_back", "lower_back")

SYMPTOMS_V1 = (
    "radiates_below_knee", "radiates_down_arm", "numbness_tingling", "shooting_electric",
    "leg_pain_walking_eased_sitting", "worse_twisting_leaning_back", "tender_muscle_knot",
    "scalp_tender_back_of_head", "touch_sensitivity", "limb_color_temperature_change",
    "limb_swelling_sweating", "limb_stiffness_or_skin_changes", "pain_out_of_proportion",
    "widespread_pain")
SYMPTOMS = SYMPTOMS_V1 + ("pain_getting_worse", "wakes_second_half_night", "better_with_movement",
                          "better_with_nsaid")

RED_FLAGS_V1 = (
    "bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb", "progressive_weakness",
    "hands_clumsy_or_unsteady", "symptoms_after_recent_injection", "sudden_severe_headache",
    "headache_fever_stiff_neck", "headache_with_neuro_symptoms", "headache_changed_pattern",
    "chest_pain_breathless", "aortic_aneurysm", "limb_swelling_or_cold", "fever_chills",
    "cancer_history", "unexplained_weight_loss", "night_rest_pain", "major_trauma",
    "self_harm_thoughts", "self_harm_plan")
RED_FLAGS = RED_FLAGS_V1 + ("limb_suddenly_cold_pale", "joint_hot_swollen")

HEALTH_V1 = (
    "blood_thinner", "antiplatelet", "bleeding_disorder", "diabetes", "pregnant", "allergy_contrast",
    "allergy_local_anesthetic", "allergy_steroid", "implanted_device", "active_infection",
    "immunosuppressed", "osteoporosis", "long_term_steroids", "knee_osteoarthritis",
    "knee_replacement", "daily_opioid_or_sedative", "sleep_apnea", "no_driver")
HEALTH = HEALTH_V1 + (
    "diabetes_insulin", "stent_or_clot_last_year", "kidney_or_liver_disease", "allergy_latex",
    "allergy_skin_cleaner", "injection_drug_use", "postpartum_6_weeks", "aortic_aneurysm_known",
    "knee_replacement_last_6_months", "knee_replacement_checked", "psoriasis",
    "family_spondyloarthritis", "arthritis_history", "enthesitis_history")
# Follow-up health items and the item each needs (intake.md, Validation).
HEALTH_PARENT = {"diabetes_insulin": "diabetes", "knee_replacement_last_6_months": "knee_replacement",
                 "knee_replacement_checked": "knee_replacement"}

ANTICOAGULANTS = ("warfarin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "heparin_injection")
ANTIPLATELETS = ("aspirin", "clopidogrel", "prasugrel", "ticagrelor", "cilostazol")
BLOOD_THINNER_NAMES = ANTICOAGULANTS + ANTIPLATELETS + ("other",)

CONSERVATIVE_TYPES = ("physical_therapy", "home_exercise", "anti_inflammatory", "acetaminophen",
                      "muscle_relaxant", "nerve_pain_medication", "chiropractic", "acupuncture",
                      "massage")
PROCEDURE_TYPES = ("epidural_steroid_injection", "facet_joint_injection", "medial_branch_block",
                   "facet_rfa", "sacroiliac_joint_injection", "trigger_point_injection",
                   "occipital_nerve_block", "sympathetic_block", "knee_joint_injection",
                   "genicular_nerve_block", "genicular_rfa", "spine_surgery")
TREATMENT_TYPES = CONSERVATIVE_TYPES + ("opioid",) + PROCEDURE_TYPES
REGION_TYPES = ("epidural_steroid_injection", "facet_joint_injection", "medial_branch_block",
                "facet_rfa", "spine_surgery")
MAX_TREATMENTS = 100

INTAKE_INTEGERS = {"age": (18, 120), "duration_weeks": (0, 2600), "newest_pain_weeks": (0, 2600),
                   "pain_average": (0, 10), "interference_enjoyment": (0, 10),
                   "interference_activity": (0, 10)}
AREA_WEEKS = (0, 2600)
TREATMENT_INTEGERS = {"relief_percent": (0, 100), "weeks": (0, 2600), "count": (1, 50),
                      "relief_weeks": (0, 520), "weeks_ago": (0, 2600)}
REQUIRED = ("age", "locations", "duration_weeks", "pain_average", "interference_enjoyment",
            "interference_activity", "red_flags")
TOP_KEYS_V1 = set(INTAKE_INTEGERS) | set(REQUIRED) | {"symptoms", "health", "treatments"}
TOP_KEYS = TOP_KEYS_V1 | {"area_weeks", "red_flags_retracted", "blood_thinner_names"}
TREATMENT_KEYS = set(TREATMENT_INTEGERS) | {"type", "region"}

# rules.md §3: every consultation and its variants (None: no variant).
CONSULTATIONS = {
    "epidural_steroid_injection": ("lumbar", "cervical"),
    "facet_joint_injection": ("diagnostic_block", "confirmatory_block"),
    "radiofrequency_ablation": ("facet", "facet_repeat", "genicular"),
    "nerve_block": ("occipital", "genicular", "sympathetic"),
    "trigger_point_injection": (None,),
    "sacroiliac_joint_injection": ("diagnostic", "therapeutic"),
}
VARIANTS = tuple((consultation, variant) for consultation, variants in CONSULTATIONS.items()
                 for variant in variants)
ALERT_LEVELS = {
    "cauda_equina": "emergency", "post_injection_complication": "emergency",
    "headache_emergency": "emergency", "chest_pain": "emergency", "aortic_aneurysm": "emergency",
    "self_harm_emergency": "emergency", "fever_immunosuppressed": "emergency",
    "septic_joint": "emergency", "limb_ischemia": "emergency", "head_injury_bleeding_risk": "emergency",
    "neurologic_deficit": "urgent", "possible_infection": "urgent", "possible_malignancy": "urgent",
    "possible_fracture": "urgent", "headache_warning": "urgent", "limb_circulation": "urgent",
    "joint_inflamed": "urgent", "self_harm_risk": "urgent",
}
CAUTIONS = ("bleeding_risk", "diabetes_steroid", "steroid_load", "pregnancy", "allergy", "implanted_device",
            "active_infection", "immunosuppressed", "sedation_risk", "opioid_safety", "transport",
            "cancer_history", "night_pain", "aortic_aneurysm_known", "inflammatory_back_pain",
            "knee_replacement_review", "mixed_durations", "frequency_limit")
# rules.md §4: cautions raised even when no consultation is present.
ALWAYS_CAUTIONS = ("opioid_safety", "night_pain", "aortic_aneurysm_known", "inflammatory_back_pain",
                   "frequency_limit")
REASONS = ("duration_too_short", "pain_below_threshold", "conservative_care_first", "first_line_care_first",
           "axial_pain_only", "radicular_pain", "prior_treatment_failed", "frequency_limit", "too_soon",
           "widespread_pain", "information_missing")
# Items that carry `regions` (intake.md, Result); every other item has regions null.
REGION_ITEMS = {("facet_joint_injection", "diagnostic_block"), ("facet_joint_injection", "confirmatory_block"),
                ("radiofrequency_ablation", "facet"), ("radiofrequency_ablation", "facet_repeat")}
# The derived terms named in rules.md §1 (the identifiers of its table).
DERIVED_TERMS = frozenset("""
peg baseline area duration duration_of onset_of new_pain_weeks spine spine_onset head_onset limb
lumbar_radicular cervical_radicular claudication radicular axial_spine facet_regions
conservative_failed total latest positive_mbb negative_mbb unattributed_mbb spine_procedure_undated
recent_spine_procedure recent_spine_surgery si_pattern myofascial occipital_pattern knee_pattern
knee_first_line_failed crps_categories crps_pattern steroid_injections onset_age ibp_criteria axspa_screen
""".split())
SOURCE_KEYS = frozenset(f"S{number}" for number in range(1, 66)) | {"general"}
