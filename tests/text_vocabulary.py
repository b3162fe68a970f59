"""The identifiers of contract 2 that the patient and nurse text must cover.

Read from triage.contract, plus the ids that spec/intake.md and spec/rules.md version 2 add.
The text is written for contract 2 while the engine moves to it: the union keeps the text
checks on the version 2 vocabulary either way, and an id the contract adds that is not
listed here still needs its text.
"""
from triage import contract


def _with(name, added):
    """Return the contract's ids named `name`, then the added ones not already there."""
    return tuple(dict.fromkeys(tuple(getattr(contract, name, ())) + added))


LOCATIONS = contract.LOCATIONS
TREATMENT_TYPES = contract.TREATMENT_TYPES
CONSULTATIONS = contract.CONSULTATIONS
REASONS = contract.REASONS
SYMPTOMS = _with("SYMPTOMS", (
    "pain_getting_worse", "wakes_second_half_night", "better_with_movement", "better_with_nsaid"))
RED_FLAGS = _with("RED_FLAGS", ("limb_suddenly_cold_pale", "joint_hot_swollen"))
HEALTH = _with("HEALTH", (
    "diabetes_insulin", "stent_or_clot_last_year", "kidney_or_liver_disease", "allergy_latex",
    "allergy_skin_cleaner", "injection_drug_use", "postpartum_6_weeks", "aortic_aneurysm_known",
    "knee_replacement_last_6_months", "knee_replacement_checked", "psoriasis",
    "family_spondyloarthritis", "arthritis_history", "enthesitis_history"))
BLOOD_THINNER_NAMES = _with("BLOOD_THINNER_NAMES", (
    "warfarin", "apixaban", "rivaroxaban", "edoxaban", "dabigatran", "heparin_injection",
    "aspirin", "clopidogrel", "prasugrel", "ticagrelor", "cilostazol", "other"))
AREAS = _with("AREAS", ("head", "neck_arm", "back_leg", "knee"))
REGIONS = _with("REGIONS", ("neck", "upper_back", "lower_back"))
ALERTS = {**contract.ALERTS,
          "fever_immunosuppressed": "emergency", "septic_joint": "emergency",
          "limb_ischemia": "emergency", "head_injury_bleeding_risk": "emergency",
          "joint_inflamed": "urgent"}
CAUTIONS = _with("CAUTIONS", (
    "night_pain", "aortic_aneurysm_known", "knee_replacement_review", "inflammatory_back_pain",
    "opioid_safety", "steroid_load", "mixed_durations"))
ALLERGIES = tuple(ident for ident in HEALTH if ident.startswith("allergy_"))
# Derived terms and field names of spec/rules.md section 1 that a result may name in `because`
# (and `frequency_limit`, which the frequency-limit caution names), each with a sentence.
DERIVED_TERMS = (
    "baseline", "spine", "spine_onset", "head_onset", "limb", "lumbar_radicular",
    "cervical_radicular", "claudication", "radicular", "axial_spine", "conservative_failed",
    "si_pattern", "myofascial", "occipital_pattern", "knee_pattern", "knee_first_line_failed",
    "crps_pattern", "positive_mbb", "negative_mbb", "recent_spine_procedure",
    "spine_procedure_undated", "recent_spine_surgery", "axspa_screen", "steroid_injections",
    "onset_age", "frequency_limit", "new_pain_weeks", "newest_pain_weeks", "duration_weeks",
    "area_weeks", "age",
    "blood_thinner_names",
)
# Answer ids: their patient sentence starts with "You told us" / "Nos dijo".
ANSWER_IDS = RED_FLAGS + SYMPTOMS + HEALTH + LOCATIONS
