"""The nurse's words for the contract's identifiers (triage/contract.py).

Patients read plain wording (triage/knowledge/text); nurses read clinical
terms. An identifier missing here is shown as itself, spaced out, so a new
engine term never breaks the page. Windows that are thresholds are read from
triage/knowledge/thresholds.yaml, and derived terms from text/nurse.yaml, so a
number is written once.
"""
from triage.knowledge import nurse_text, threshold

_INJECTION_WEEKS = threshold("recent_spine_procedure_weeks")
_SURGERY_WEEKS = threshold("recent_spine_surgery_weeks")
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
        "leg_pain_walking_eased_sitting": "Neurogenic claudication pattern, eased by sitting or flexion (patient-reported)",
        "worse_twisting_leaning_back": "Pain on extension or rotation",
        "tender_muscle_knot": "Taut band or trigger point",
        "scalp_tender_back_of_head": "Occipital tenderness with allodynia of the scalp",
        "touch_sensitivity": "Allodynia or hyperaesthesia (sensory)",
        "limb_color_temperature_change": "Skin colour or temperature asymmetry (vasomotor)",
        "limb_swelling_sweating": "Oedema or sweating asymmetry (sudomotor)",
        "limb_stiffness_or_skin_changes": "Reduced range, weakness, tremor or trophic change (motor/trophic)",
        "pain_out_of_proportion": "Pain disproportionate to an inciting event",
        "widespread_pain": "Widespread pain",
        "pain_getting_worse": "Progressive pain, worse week by week despite rest",
        "wakes_second_half_night": "Back pain waking in the second half of the night",
        "better_with_movement": "Back pain better with movement, worse with rest",
        "better_with_nsaid": "Back pain much better within 48 hours of an NSAID",
    },
    "red_flag": {
        "bladder_bowel_change": "New bladder or bowel dysfunction",
        "saddle_numbness": "Saddle anaesthesia or new sexual dysfunction",
        "both_legs_weak_or_numb": "Bilateral leg pain, weakness or numbness",
        "progressive_weakness": "Progressive motor weakness",
        "hands_clumsy_or_unsteady": "Hand clumsiness or gait disturbance (possible myelopathy)",
        "symptoms_after_recent_injection": (
            f"New neurological or infective signs within {_INJECTION_WEEKS} weeks of a spine "
            f"injection or {_SURGERY_WEEKS} weeks of spine surgery"),
        "sudden_severe_headache": "Thunderclap headache",
        "headache_fever_stiff_neck": "Headache with fever and meningism",
        "headache_with_neuro_symptoms": "Headache with focal neurological symptoms",
        "headache_changed_pattern": "New, changed, positional or Valsalva-triggered headache",
        "chest_pain_breathless": "Chest pain with dyspnoea or on exertion",
        "aortic_aneurysm": ("Pulsatile abdominal mass with back pain, or known aortic aneurysm with "
                            "new or worse back or abdominal pain"),
        "limb_swelling_or_cold": "New limb swelling, pallor, cyanosis or coldness over days or weeks",
        "limb_suddenly_cold_pale": "Sudden (within hours) cold, pale or cyanotic limb (possible acute ischaemia)",
        "joint_hot_swollen": "Hot, swollen, very painful joint in the last few days",
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
        "bleeding_disorder": "Bleeding or clotting disorder",
        "stent_or_clot_last_year": (
            f"Coronary stent, myocardial infarction, stroke or venous thromboembolism in the last "
            f"{threshold('thrombotic_recent_months')} months"),
        "kidney_or_liver_disease": "Severe renal or hepatic disease",
        "diabetes": "Diabetes mellitus", "diabetes_insulin": "Insulin-treated diabetes",
        "pregnant": "Pregnant or possibly pregnant",
        "postpartum_6_weeks": f"Postpartum (within {threshold('postpartum_weeks')} weeks)",
        "allergy_contrast": "Contrast allergy",
        "allergy_local_anesthetic": "Local anaesthetic allergy",
        "allergy_steroid": "Corticosteroid allergy", "allergy_latex": "Latex allergy",
        "allergy_skin_cleaner": "Iodine or chlorhexidine skin antiseptic allergy",
        "implanted_device": "Implanted electrical device (pacemaker, ICD, stimulator)",
        "active_infection": "Active infection under treatment",
        "immunosuppressed": "Immunosuppressed",
        "injection_drug_use": "Non-prescribed injection drug use (past year)",
        "osteoporosis": "Osteoporosis",
        "long_term_steroids": "Systemic corticosteroids for 3 months or more",
        "aortic_aneurysm_known": "Known aortic aneurysm",
        "knee_osteoarthritis": "Knee osteoarthritis (physician-diagnosed)",
        "knee_replacement": "Knee arthroplasty",
        "knee_replacement_last_6_months": (
            f"Knee arthroplasty within {threshold('knee_replacement_recent_months')} months"),
        "knee_replacement_checked": "Arthroplasty reviewed by the surgeon since the pain began",
        "psoriasis": "Psoriasis (skin or nails, current or past)",
        "family_spondyloarthritis": "First-degree relative with spondyloarthritis",
        "arthritis_history": "Inflammatory arthritis (current or past)",
        "enthesitis_history": "Enthesitis (current or past)",
        "daily_opioid_or_sedative": "Daily opioid or sedative", "sleep_apnea": "Obstructive sleep apnoea",
        "no_driver": "No escort home after a procedure",
    },
    "blood_thinner_name": {
        "warfarin": "Warfarin", "apixaban": "Apixaban", "rivaroxaban": "Rivaroxaban",
        "edoxaban": "Edoxaban", "dabigatran": "Dabigatran",
        "heparin_injection": "Heparin or low-molecular-weight heparin (enoxaparin)",
        "aspirin": "Aspirin (daily)", "clopidogrel": "Clopidogrel", "prasugrel": "Prasugrel",
        "ticagrelor": "Ticagrelor", "cilostazol": "Cilostazol", "other": "Other (not listed)",
    },
    "area": {
        "head": "Head", "neck_arm": "Neck and upper limb", "back_leg": "Trunk, back and lower limb",
        "knee": "Knee",
    },
    "region": {"neck": "Cervical", "upper_back": "Thoracic", "lower_back": "Lumbar"},
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
        "fever_immunosuppressed": "Fever while immunosuppressed (possible neutropenic sepsis)",
        "septic_joint": "Possible septic arthritis or prosthetic joint infection",
        "limb_ischemia": "Possible acute limb ischaemia",
        "head_injury_bleeding_risk": "Head injury with bleeding risk (possible intracranial bleed)",
        "neurologic_deficit": "Neurological deficit", "possible_infection": "Possible spinal or joint infection",
        "possible_malignancy": "Possible malignancy", "possible_fracture": "Possible fracture",
        "headache_warning": "Headache red flag (urgent)", "limb_circulation": "Limb circulation or clot",
        "joint_inflamed": "Hot swollen joint without fever (septic arthritis not excluded)",
        "self_harm_risk": "Self-harm thoughts",
    },
    "caution": {
        "bleeding_risk": "Bleeding risk (anticoagulant, antiplatelet or bleeding disorder)",
        "diabetes_steroid": "Diabetes: steroid raises glucose", "pregnancy": "Pregnancy",
        "allergy": "Allergy", "implanted_device": "Implanted device with radiofrequency ablation",
        "active_infection": "Active infection", "immunosuppressed": "Immunosuppression",
        "sedation_risk": "Sedation risk", "transport": "No escort home",
        "cancer_history": "History of cancer", "frequency_limit": "Frequency limit reached",
        "steroid_load": "Cumulative steroid load", "opioid_safety": "Opioid safety (naloxone)",
        "night_pain": "Night or rest pain without other malignancy flags",
        "aortic_aneurysm_known": "Known aortic aneurysm", "inflammatory_back_pain": "Possible inflammatory back pain",
        "knee_replacement_review": "Replaced knee: surgical review before genicular procedures",
        "mixed_durations": "Pains of different durations",
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
    "derived": dict(nurse_text()["derived"]),
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
