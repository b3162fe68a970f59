"""The nurse's words: caution texts (triage/knowledge/text/nurse.yaml) and clinical terms.

rules.md section 4 fixes what the nurse is told per caution; section 5 asks that patterns
built from the patient's answers are labelled patient-reported, not as diagnoses.
"""
import re

import pytest

from text_vocabulary import (
    ALERTS,
    AREAS,
    BLOOD_THINNER_NAMES,
    CAUTIONS,
    DERIVED_TERMS,
    HEALTH,
    RED_FLAGS,
    REGIONS,
    SYMPTOMS,
)
from triage.knowledge import nurse_text, threshold
from web.nurse.terms import CLINICAL_TERMS, because_term, term

NURSE = nurse_text()


def flat(value):
    return " ".join(value.split())


def test_nurse_text_has_cautions_and_derived_terms():
    assert tuple(NURSE) == ("cautions", "derived")


@pytest.mark.parametrize("caution", CAUTIONS)
def test_every_caution_has_a_nurse_text(caution):
    entry = NURSE["cautions"][caution]
    assert isinstance(entry["nurse"], str) and entry["nurse"].strip()


def test_no_nurse_text_for_an_unknown_caution():
    assert set(NURSE["cautions"]) == set(CAUTIONS)


def test_bleeding_risk_nurse_text():
    entry = NURSE["cautions"]["bleeding_risk"]
    assert entry["thrombotic_risk_high"] == "High thrombotic risk: do not interrupt without the prescriber."
    assert "plan the interval with the prescriber using S33" in flat(entry["nurse"])
    assert f"age {threshold('asra_older_age')} or over" in flat(entry["nurse"])


def test_diabetes_steroid_nurse_text():
    entry = NURSE["cautions"]["diabetes_steroid"]
    assert "insulin" in entry["insulin"]
    assert re.search(r"HbA1c above 7 %", flat(entry["nurse"]))
    assert "up to 21 days after an epidural" in flat(entry["nurse"])


def test_contrast_allergy_shellfish_note():
    assert NURSE["cautions"]["allergy"]["allergy_contrast"] == (
        "A shellfish allergy alone is not a contrast allergy.")


def test_opioid_safety_nurse_text():
    text = flat(NURSE["cautions"]["opioid_safety"]["nurse"])
    assert "naloxone" in text and "benzodiazepine" in text and "genicular ablation" in text


def test_inflammatory_back_pain_nurse_texts_follow_the_criteria_thresholds():
    entry = NURSE["cautions"]["inflammatory_back_pain"]
    assert entry["refer"].startswith(f"{threshold('axspa_refer_criteria')} or more criteria")
    assert "rheumatology referral" in entry["refer"]
    assert entry["test"].startswith(f"{threshold('axspa_min_criteria')} criteria")
    assert "HLA-B27" in entry["test"]
    assert "NG59" in flat(entry["nurse"])


@pytest.mark.parametrize("criteria, refer, test", [(3, False, True), (4, True, False), (5, True, False)])
def test_the_nurse_sees_the_referral_line_from_four_criteria_and_the_test_line_at_three(criteria, refer, test):
    # rules.md §4 inflammatory_back_pain: 3 criteria -> consider HLA-B27/MRI; 4 or more -> referral (NG65).
    from web.nurse.present import nurse_caution
    lines = nurse_caution({"id": "inflammatory_back_pain", "criteria": criteria, "because": ["axspa_screen"]})
    entry = NURSE["cautions"]["inflammatory_back_pain"]
    assert (entry["refer"] in lines, entry["test"] in lines) == (refer, test)


@pytest.mark.parametrize("caution, needed", [
    ("aortic_aneurysm_known", "surveillance plan"),
    ("knee_replacement_review", "ESR/CRP"),
    ("mixed_durations", "check which pain it is for"),
])
def test_caution_nurse_wording(caution, needed):
    assert needed in flat(NURSE["cautions"][caution]["nurse"])


@pytest.mark.parametrize("ident", DERIVED_TERMS)
def test_every_derived_term_has_a_nurse_label(ident):
    assert ident in NURSE["derived"], f"nurse.yaml derived has no label for {ident}"


@pytest.mark.parametrize("ident", ("radicular", "lumbar_radicular", "cervical_radicular",
                                   "claudication", "si_pattern", "myofascial", "occipital_pattern"))
def test_patterns_from_answers_are_marked_patient_reported(ident):
    assert because_term(ident).endswith("(patient-reported)")


def test_radicular_pattern_label():
    assert because_term("radicular") == "Radicular pain pattern (patient-reported)"
    assert "(possible myelopathy)" in term("red_flag", "hands_clumsy_or_unsteady")


def test_recent_spine_procedure_label_follows_the_thresholds():
    label = because_term("recent_spine_procedure")
    assert f"within {threshold('recent_spine_procedure_weeks')} weeks" in label
    assert f"within {threshold('recent_spine_surgery_weeks')} weeks" in label


@pytest.mark.parametrize("kind, ids", [
    ("symptom", SYMPTOMS), ("red_flag", RED_FLAGS), ("health", HEALTH),
    ("blood_thinner_name", BLOOD_THINNER_NAMES), ("area", AREAS), ("region", REGIONS),
    ("alert", tuple(ALERTS)), ("caution", CAUTIONS),
])
def test_every_contract_2_id_has_a_clinical_term(kind, ids):
    missing = [ident for ident in ids if ident not in CLINICAL_TERMS[kind]]
    assert not missing, f"web/nurse/terms.py has no {kind} term for {missing}"


def test_changed_red_flags_are_labelled_as_version_2_asks_them():
    window = threshold("recent_spine_procedure_weeks")
    assert f"within {window} weeks of a spine injection" in term("red_flag", "symptoms_after_recent_injection")
    assert "new or worse" in term("red_flag", "aortic_aneurysm")
    assert "over days or weeks" in term("red_flag", "limb_swelling_or_cold")
    assert f"{threshold('postpartum_weeks')} weeks" in term("health", "postpartum_6_weeks")
