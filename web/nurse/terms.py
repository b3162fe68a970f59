"""The nurse's words for the contract's identifiers (triage/contract.py).

Patients read plain wording (triage/knowledge/text); nurses read clinical
terms. An identifier missing here is shown as itself, spaced out, so a new
engine term never breaks the page.
"""
CLINICAL_TERMS = {
    "location": {
        "head": "Head", "neck": "Neck (cervical)", "shoulder": "Shoulder", "arm": "Arm",
        "hand": "Hand", "upper_back": "Upper back (thoracic)", "chest_wall": "Chest wall",
        "abdomen": "Abdomen", "lower_back": "Lower back (lumbar)", "buttock": "Buttock",
        "hip": "Hip", "leg": "Leg", "knee": "Knee", "foot": "Foot",
    },
    "symptom": {
        "radiates_below_knee": "Radiation below the knee",
        "radiates_down_arm": "Radiation into the arm or hand",
        "numbness_tingling": "Paraesthesia or numbness in a limb",
        "shooting_electric": "Lancinating (shooting, electric) pain",
        "leg_pain_walking_eased_sitting": "Neurogenic claudication pattern (eased by sitting or flexion)",
        "worse_twisting_leaning_back": "Pain on extension or rotation",
        "tender_muscle_knot": "Taut band or trigger point",
        "scalp_tender_back_of_head": "Occipital tenderness with allodynia of the scalp",
        "touch_sensitivity": "Allodynia or hyperaesthesia (sensory)",
        "limb_color_temperature_change": "Skin colour or temperature asymmetry (vasomotor)",
        "limb_swelling_sweating": "Oedema or sweating asymmetry (sudomotor)",
        "limb_stiffness_or_skin_changes": "Reduced range, weakness, tremor or trophic change (motor/trophic)",
        "pain_out_of_proportion": "Pain disproportionate to an inciting event",
        "widespread_pain": "Widespread pain",
    },
    "red_flag": {
        "bladder_bowel_change": "New bladder or bowel dysfunction",
        "saddle_numbness": "Saddle anaesthesia or new sexual dysfunction",
        "both_legs_weak_or_numb": "Bilateral leg pain, weakness or numbness",
        "progressive_weakness": "Progressive motor weakness",
        "hands_clumsy_or_unsteady": "Hand clumsiness or gait disturbance (myelopathy)",
        "symptoms_after_recent_injection": "New neurological or infective signs within 2 weeks of a spine procedure",
        "sudden_severe_headache": "Thunderclap headache",
        "headache_fever_stiff_neck": "Headache with fever and meningism",
        "headache_with_neuro_symptoms": "Headache with focal neurological symptoms",
        "headache_changed_pattern": "New, changed, positional or Valsalva-triggered headache",
        "chest_pain_breathless": "Chest pain with dyspnoea or on exertion",
        "aortic_aneurysm": "Known aortic aneurysm or pulsatile abdominal mass with back pain",
        "limb_swelling_or_cold": "New limb swelling, pallor, cyanosis or coldness",
        "fever_chills": "Fever or chills",
        "cancer_history": "History of cancer",
        "unexplained_weight_loss": "Unexplained weight loss",
        "night_rest_pain": "Constant night or rest pain",
        "major_trauma": "Significant trauma within 3 months",
        "self_harm_thoughts": "Thoughts of death or self-harm (past 2 weeks)",
        "self_harm_plan": "Self-harm plan, intent or recent self-harm",
    },
    "health": {
        "blood_thinner": "Anticoagulant", "antiplatelet": "Antiplatelet agent",
        "bleeding_disorder": "Bleeding or clotting disorder", "diabetes": "Diabetes mellitus",
        "pregnant": "Pregnant or possibly pregnant", "allergy_contrast": "Contrast allergy",
        "allergy_local_anesthetic": "Local anaesthetic allergy",
        "allergy_steroid": "Corticosteroid allergy",
        "implanted_device": "Implanted electrical device (pacemaker, ICD, stimulator)",
        "active_infection": "Active infection under treatment",
        "immunosuppressed": "Immunosuppressed", "osteoporosis": "Osteoporosis",
        "long_term_steroids": "Systemic corticosteroids for 3 months or more",
        "knee_osteoarthritis": "Knee osteoarthritis (physician-diagnosed)",
        "knee_replacement": "Knee arthroplasty",
        "daily_opioid_or_sedative": "Daily opioid or sedative", "sleep_apnea": "Obstructive sleep apnoea",
        "no_driver": "No escort home after a procedure",
    },
    "treatment": {
        "physical_therapy": "Physical therapy", "home_exercise": "Home exercise programme",
        "anti_inflammatory": "NSAID", "acetaminophen": "Acetaminophen",
        "muscle_relaxant": "Muscle relaxant", "nerve_pain_medication": "Neuropathic agent",
        "chiropractic": "Chiropractic", "acupuncture": "Acupuncture", "massage": "Massage",
        "opioid": "Opioid", "epidural_steroid_injection": "Epidural steroid injection",
        "facet_joint_injection": "Facet joint injection", "medial_branch_block": "Medial branch block",
        "facet_rfa": "Facet radiofrequency ablation",
        "sacroiliac_joint_injection": "Sacroiliac joint injection",
        "trigger_point_injection": "Trigger point injection",
        "occipital_nerve_block": "Occipital nerve block", "sympathetic_block": "Sympathetic block",
        "knee_joint_injection": "Intra-articular knee injection",
        "genicular_nerve_block": "Genicular nerve block", "genicular_rfa": "Genicular radiofrequency ablation",
        "spine_surgery": "Spine surgery",
    },
    "consultation": {
        "epidural_steroid_injection": "Epidural steroid injection",
        "facet_joint_injection": "Facet joint pathway (medial branch block)",
        "radiofrequency_ablation": "Radiofrequency ablation", "nerve_block": "Nerve block",
        "trigger_point_injection": "Trigger point injection",
        "sacroiliac_joint_injection": "Sacroiliac joint injection",
    },
    "variant": {
        "lumbar": "lumbar", "cervical": "cervical", "diagnostic_block": "diagnostic block",
        "confirmatory_block": "confirmatory block", "facet": "facet", "facet_repeat": "facet, repeat",
        "genicular": "genicular", "occipital": "occipital", "sympathetic": "sympathetic",
        "diagnostic": "diagnostic", "therapeutic": "therapeutic",
    },
    "alert": {
        "cauda_equina": "Possible cauda equina syndrome",
        "post_injection_complication": "Possible post-procedure complication",
        "headache_emergency": "Headache red flag (emergency)", "chest_pain": "Chest pain",
        "aortic_aneurysm": "Possible aortic aneurysm", "self_harm_emergency": "Self-harm: plan or intent",
        "neurologic_deficit": "Neurological deficit", "possible_infection": "Possible spinal infection",
        "possible_malignancy": "Possible malignancy", "possible_fracture": "Possible fracture",
        "headache_warning": "Headache red flag (urgent)", "limb_circulation": "Limb circulation or clot",
        "self_harm_risk": "Self-harm thoughts",
    },
    "caution": {
        "bleeding_risk": "Bleeding risk (anticoagulant, antiplatelet or bleeding disorder)",
        "diabetes_steroid": "Diabetes: steroid raises glucose", "pregnancy": "Pregnancy",
        "allergy": "Allergy", "implanted_device": "Implanted device with radiofrequency ablation",
        "active_infection": "Active infection", "immunosuppressed": "Immunosuppression",
        "sedation_risk": "Sedation risk", "transport": "No escort home",
        "cancer_history": "History of cancer", "frequency_limit": "Frequency limit reached",
    },
    "reason": {
        "duration_too_short": "Duration below threshold", "pain_below_threshold": "Pain or function below threshold",
        "conservative_care_first": "Conservative care not yet tried long enough",
        "first_line_care_first": "First-line knee care not yet failed",
        "axial_pain_only": "Axial pain only (no radicular component)",
        "radicular_pain": "Radicular pain to address first", "prior_treatment_failed": "Prior treatment failed",
        "frequency_limit": "Frequency limit reached", "too_soon": "Too soon after the last procedure or surgery",
        "widespread_pain": "Widespread pain", "information_missing": "Information missing",
    },
    "derived": {
        "peg": "PEG score", "baseline": "Moderate pain with functional interference",
        "new_pain_weeks": "Recent onset", "spine": "Spinal pain", "limb": "Limb pain",
        "lumbar_radicular": "Lumbar radicular pain", "cervical_radicular": "Cervical radicular pain",
        "claudication": "Neurogenic claudication", "radicular": "Radicular pain",
        "axial_spine": "Axial spinal pain", "conservative_failed": "Conservative care failed",
        "positive_mbb": "Positive medial branch block", "negative_mbb": "Negative medial branch block",
        "recent_spine_procedure": "Spine procedure within 2 weeks",
        "recent_spine_surgery": "Spine surgery within 12 weeks", "si_pattern": "Sacroiliac pattern",
        "myofascial": "Myofascial pattern", "occipital_pattern": "Occipital neuralgia pattern",
        "knee_pattern": "Knee osteoarthritis or arthroplasty", "knee_first_line_failed": "First-line knee care failed",
        "crps_categories": "Budapest symptom categories", "crps_pattern": "Possible CRPS (Budapest symptoms)",
        "duration_weeks": "Duration", "age": "Age",
    },
}

# `because` lists mix answers and derived terms; look them up in this order.
BECAUSE_KINDS = ("derived", "red_flag", "symptom", "health", "treatment", "location")


def term(kind, ident):
    """Return the clinical term for one identifier."""
    if ident is None:
        return ""
    return CLINICAL_TERMS[kind].get(ident, ident.replace("_", " "))


def because_term(ident):
    """Return the clinical term for an identifier of a `because` list, whatever its kind."""
    for kind in BECAUSE_KINDS:
        if ident in CLINICAL_TERMS[kind]:
            return CLINICAL_TERMS[kind][ident]
    return ident.replace("_", " ")


def consultation_term(consultation, variant):
    """Return 'Epidural steroid injection, lumbar' for a consultation and its variant."""
    name = term("consultation", consultation)
    return f"{name}, {term('variant', variant)}" if variant else name
