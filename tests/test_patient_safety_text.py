"""Safety wording of the patient text (spec/rules.md 2.1 and 5; research/text-review-v1.md).

Each alert sends the patient to the right place at the right speed, in both languages:
emergency alerts to 911 and the emergency department now; urgent alerts to the clinic first,
then to the fallback of the rules.md 2.1 table, with what would make it an emergency. The
crisis line is 988, and every Spanish text that names it gives the Spanish route. Education
states relief conditionally and carries the after-care and plan sentences of rules.md 5.
"""
import re

import pytest

from test_patient_text import SPANISH_988_ROUTE, TEXT, leaves
from text_vocabulary import ALERTS, CONSULTATIONS, REASONS
from triage.knowledge import LANGUAGES, threshold

EMERGENCY_ALERTS = [alert for alert, level in ALERTS.items() if level == "emergency"]
URGENT_ALERTS = [alert for alert, level in ALERTS.items() if level == "urgent"]
EMERGENCY = {
    "en": re.compile(r"emergency department.*\b911\b|\b911\b.*emergency department", re.S),
    "es": re.compile(r"sala de emergencias.*\b911\b|\b911\b.*sala de emergencias", re.S),
}
FIRST_STEP = {
    "en": re.compile(r"^Contact the clinic today\b"),
    "es": re.compile(r"^Comuníquese (hoy con la clínica|con la clínica hoy)\b"),
}
ED = {"en": "emergency department", "es": "sala de emergencias"}
URGENT_CARE = {"en": "urgent care", "es": "centro de atención urgente"}
# Where each urgent alert sends the patient who cannot reach the clinic (rules.md 2.1 table).
FALLBACK = {
    "neurologic_deficit": {"en": (ED["en"], "few hours"), "es": (ED["es"], "pocas horas")},
    "possible_infection": {"en": (ED["en"], URGENT_CARE["en"], "fever"),
                           "es": (ED["es"], URGENT_CARE["es"], "fiebre")},
    "possible_malignancy": {"en": ("next working day",), "es": ("próximo día hábil",)},
    "possible_fracture": {"en": (URGENT_CARE["en"],), "es": (URGENT_CARE["es"],)},
    "headache_warning": {"en": (URGENT_CARE["en"],), "es": (URGENT_CARE["es"],)},
    "limb_circulation": {"en": (ED["en"], "few hours", "scan"),
                         "es": (ED["es"], "pocas horas", "prueba de imagen")},
    "joint_inflamed": {"en": (ED["en"],), "es": (ED["es"],)},
    "self_harm_risk": {"en": ("crisis line", "own doctor"), "es": ("línea de crisis", "propio médico")},
}
# Urgent care cannot do what these need (same-day scan, blood tests, suicide assessment).
NEVER_URGENT_CARE = ("neurologic_deficit", "limb_circulation", "joint_inflamed", "self_harm_risk")
CRISIS_LINE = {
    "en": re.compile(r"call or text 988.*Suicide & Crisis Lifeline", re.S),
    "es": re.compile(r"(llame|llamar) o (envíe|enviar) un mensaje de texto al 988"
                     r".*Línea de Prevención del Suicidio y Crisis", re.S),
}
BLOOD_THINNER = {
    "en": re.compile(r"Do not stop any blood thinner on your own\. The clinic will plan this with "
                     r"the doctor who prescribes it\."),
    "es": re.compile(r"No deje de tomar ninguna de estas medicinas por su cuenta\. La clínica lo "
                     r"planeará con el médico que se la receta\."),
}
BLOOD_THINNER_ES = "medicina para diluir la sangre"


def text(lang, *path):
    node = TEXT[lang]
    for key in path:
        node = node[key]
    return node


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert", EMERGENCY_ALERTS)
def test_emergency_action_sends_to_911_and_the_emergency_department(lang, alert):
    action = text(lang, "alerts", alert, "action")
    assert EMERGENCY[lang].search(action), f"{lang}: {alert} must name 911 and the ED: {action}"
    if alert != "self_harm_emergency":
        assert "988" not in action


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert", URGENT_ALERTS)
def test_urgent_alert_first_step_fallback_and_emergency_escalation(lang, alert):
    entry = text(lang, "alerts", alert)
    if alert == "self_harm_risk":
        assert CRISIS_LINE[lang].search(entry["action"]), f"{lang}: 988 comes first"
        assert re.search(r"clinic today|hoy con la clínica", entry["action"])
    else:
        assert FIRST_STEP[lang].search(entry["action"]), f"{lang}: {alert}: {entry['action']}"
    for needed in FALLBACK[alert][lang]:
        assert needed in entry["fallback"], f"{lang}: {alert} fallback must say {needed!r}"
    if alert in NEVER_URGENT_CARE:
        assert URGENT_CARE[lang] not in entry["fallback"], f"{lang}: {alert}: no urgent care"
    assert re.search(r"\b911\b", entry["also"]) or ED[lang] in entry["also"], (
        f"{lang}: {alert} must say when it becomes an emergency")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert", ("self_harm_emergency", "self_harm_risk"))
def test_self_harm_alerts_give_the_crisis_line(lang, alert):
    action = text(lang, "alerts", alert, "action")
    assert CRISIS_LINE[lang].search(action), f"{lang}: {alert} must give 988: {action}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_self_harm_emergency_has_the_overdose_and_means_safety_lines(lang):
    action = text(lang, "alerts", "self_harm_emergency", "action")
    overdose, means = {
        "en": ("If you have taken too much of any medicine, call 911 now, even if you feel fine.",
               "keep your medicines and any guns away from you"),
        "es": ("Si tomó demasiada cantidad de alguna medicina, llame al 911 ahora, aunque se "
               "sienta bien.", "guarde lejos de usted sus medicinas y cualquier arma"),
    }[lang]
    assert overdose in " ".join(action.split()) and means in action


SPANISH_WITH_988 = [(path, value) for path, value in leaves(TEXT["es"]) if "988" in value]


@pytest.mark.parametrize("path, value", SPANISH_WITH_988, ids=[path for path, _ in SPANISH_WITH_988])
def test_every_spanish_text_naming_988_gives_the_spanish_route(path, value):
    assert SPANISH_988_ROUTE in value, f"es:{path} names 988 without the Spanish route"


def test_the_spanish_route_is_checked_somewhere():
    assert {path for path, _ in SPANISH_WITH_988} >= {
        "alerts/self_harm_emergency/action", "alerts/self_harm_risk/action", "patient_view/crisis_line"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_patient_view_wording(lang):
    view = text(lang, "patient_view")
    expected = {
        "en": {"clinic_call": "Call the clinic: {clinic_phone}",
               "kiosk_emergency": "Tell the front desk right now. If no one is there, call 911.",
               "kiosk_urgent": "Show this screen to the front desk now, before you leave.",
               "crisis_line": "You also told us about thoughts of hurting yourself. You can call "
                              "or text 988 at any time."},
        "es": {"kiosk_urgent": "Muestre esta pantalla en la recepción ahora, antes de irse."},
    }[lang]
    for key, wording in expected.items():
        assert view[key] == wording, f"{lang}: patient_view/{key}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_alert_messages_carry_the_reviewed_points(lang):
    """rules.md 2.1 "(Message: ...)" notes and the review's findings, per alert."""
    infection = text(lang, "alerts", "possible_infection", "explanation")
    assert {"en": "near the spine or in a joint",
            "es": "cerca de la columna o en una articulación"}[lang] in infection
    after_spine = " ".join(text(lang, "alerts", "post_injection_complication").values())
    assert {"en": "after a spine shot or operation",
            "es": "tras una inyección u operación de columna"}[lang] in after_spine
    assert not re.search(r"recent|recient", after_spine, re.IGNORECASE)
    chest = " ".join(text(lang, "alerts", "chest_pain").values())
    assert not re.search(r"aspirin", chest, re.IGNORECASE), "no aspirin advice for chest pain"
    head = text(lang, "alerts", "head_injury_bleeding_risk", "explanation")
    assert {"en": "days or weeks later", "es": "días o semanas después"}[lang] in head
    warning = text(lang, "alerts", "headache_warning", "also")
    assert f"{threshold('postpartum_weeks')} " in warning
    cauda = text(lang, "alerts", "cauda_equina", "action")
    assert {"en": "cauda equina syndrome", "es": "síndrome de cola de caballo"}[lang] in cauda


NO_DRIVING = {"en": "Do not drive yourself", "es": "No maneje usted mismo"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert", ("cauda_equina", "post_injection_complication", "headache_emergency",
                                   "chest_pain", "aortic_aneurysm", "limb_ischemia",
                                   "head_injury_bleeding_risk"))
def test_emergency_actions_say_not_to_drive(lang, alert):
    assert NO_DRIVING[lang] in text(lang, "alerts", alert, "action")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_bleeding_risk_says_not_to_stop_blood_thinner(lang):
    message = text(lang, "cautions", "bleeding_risk", "message")
    assert BLOOD_THINNER[lang].search(" ".join(message.split())), (
        f"{lang}: bleeding_risk must say not to stop any blood thinner on your own and that "
        f"the clinic will plan it with the prescribing doctor; message is: {message}")
    assert re.search(r"aspirin", message) and "clopidogrel" in message


def test_spanish_blood_thinner_wording_covers_antiplatelets():
    """"Anticoagulante" alone misses aspirin and clopidogrel (review F07)."""
    for path, value in leaves(TEXT["es"]):
        if "anticoagulante" in value:
            assert BLOOD_THINNER_ES in value, f"es:{path} says only 'anticoagulante': {value}"
    for consultation in CONSULTATIONS:
        prepare = text("es", "consultations", consultation, "sections", "how_to_prepare")
        assert BLOOD_THINNER_ES in " ".join(prepare.split()), f"es:{consultation} how_to_prepare"


def test_opioid_safety_patient_wording():
    assert " ".join(text("en", "cautions", "opioid_safety", "message").split()) == (
        "If you take opioid pain medicine every day, ask the clinic about naloxone. "
        "It can undo an overdose.")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sympathetic_block_says_exam_and_rehabilitation(lang):
    variant = " ".join(text(lang, "consultations", "nerve_block", "variants", "sympathetic").split())
    like, exam, rehab = {
        "en": ("like those seen in", r"Only a doctor's exam can tell", r"physical therapy and rehab"),
        "es": ("se parecen a las de", r"Solo el examen de un médico puede decir",
               r"terapia física y rehabilitación"),
    }[lang]
    assert like in variant, f"{lang}: the sympathetic text must say the answers are like CRPS"
    assert re.search(exam, variant), f"{lang}: the sympathetic text must say only an exam can tell"
    assert re.search(rehab, variant), f"{lang}: the sympathetic text must say blocks support rehab"


NO_RELIEF = {"en": "little or no relief", "es": "poco o ningún alivio"}
PLAN = {"en": "Shots work best as one part of a plan",
        "es": "Las inyecciones funcionan mejor como una parte de un plan"}
SPINE_AFTER_CARE = {
    "en": ("clean and dry", "about 2 days", "new weakness or numbness in an arm or leg",
           "bladder or bowel changes", "fever or chills", "severe headache", "stiff neck"),
    "es": ("limpio y seco", "unos 2 días", "adormecimiento nuevo en un brazo o una pierna",
           "cambios al orinar o evacuar", "fiebre o escalofríos", "dolor de cabeza fuerte",
           "cuello rígido"),
}
KNEE_AFTER_CARE = {"en": "hot, red and swollen", "es": "caliente, roja e hinchada"}
SPINE_CONSULTATIONS = ("epidural_steroid_injection", "facet_joint_injection",
                       "sacroiliac_joint_injection", "radiofrequency_ablation")


def sections(lang, consultation):
    return {name: " ".join(value.split()) if isinstance(value, str) else value
            for name, value in text(lang, "consultations", consultation, "sections").items()}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("consultation", CONSULTATIONS)
def test_relief_is_conditional_and_may_not_come(lang, consultation):
    relief = sections(lang, consultation)["how_long_relief_lasts"]
    assert NO_RELIEF[lang] in relief, f"{lang}: {consultation} must say some get little or no relief"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("consultation", SPINE_CONSULTATIONS)
def test_spine_procedures_are_one_part_of_a_plan_with_after_care(lang, consultation):
    found = sections(lang, consultation)
    assert PLAN[lang] in found["what_it_can_show"], f"{lang}: {consultation} plan sentence"
    for needed in SPINE_AFTER_CARE[lang]:
        assert needed in found["after_care"], f"{lang}: {consultation} after_care lacks {needed!r}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("consultation", ("radiofrequency_ablation", "nerve_block"))
def test_knee_procedures_say_when_a_hot_knee_needs_care(lang, consultation):
    assert KNEE_AFTER_CARE[lang] in sections(lang, consultation)["after_care"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ablation_relief_follows_rules_section_5(lang):
    relief = sections(lang, "radiofrequency_ablation")["how_long_relief_lasts"]
    spine, knee, cooled = {
        "en": ("If it works, relief from spine RFA often lasts 6 to 12 months, and sometimes up "
               "to 2 years.", "less than 3 months", "cooled"),
        "es": ("Si funciona, el alivio de la RFA en la columna suele durar de 6 a 12 meses, y a "
               "veces hasta 2 años.", "menos de 3 meses", "enfriado"),
    }[lang]
    assert spine in relief and knee in relief and cooled in relief
    assert not re.search(r"3 (to|a) 12", relief), "knee ablation is not 3 to 12 months"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_epidural_evidence_and_fda_follow_up(lang):
    found = sections(lang, "epidural_steroid_injection")
    new_severe, follow_up = {
        "en": ("new, severe nerve pain", "These are very rare. Ask your doctor how they apply to you."),
        "es": ("dolor de nervio fuerte y reciente", "Esto es muy raro. Pregunte a su médico"),
    }[lang]
    assert new_severe in found["evidence"]
    assert follow_up in found["common_risks"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("consultation", CONSULTATIONS)
def test_every_question_list_asks_about_cover(lang, consultation):
    questions = sections(lang, consultation)["questions_to_ask"]
    cover = {"en": "covered by my", "es": "cubre mi seguro"}[lang]
    assert any(cover in question for question in questions), f"{lang}: {consultation}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_variants_describe_use_not_indication(lang):
    for consultation in CONSULTATIONS:
        for variant, value in text(lang, "consultations", consultation, "variants").items():
            assert not re.search(r"\b(It|This shot) is for\b|\bEs para\b", value), (
                f"{lang}: {consultation}.{variant} reads as an indication: {value}")


def test_prior_treatment_failed_covers_first_ablations():
    message = " ".join(text("en", "reasons", "prior_treatment_failed", "message").split())
    assert message.startswith(
        "This is usually done only when an earlier shot or test block helped enough.")


def test_radicular_reason_is_not_about_facet_joints_only():
    message = text("en", "reasons", "radicular_pain", "message")
    assert "facet" not in message and "spine joints" not in message


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_intro_says_what_an_interventional_pain_doctor_is(lang):
    intro = " ".join(text(lang, "intro", "what_is_interventional").split())
    for needed in {"en": ("interventional pain doctor", "one part of a plan",
                          "do not work for everyone"),
                   "es": ("médico de dolor intervencionista", "una parte de un plan",
                          "No funcionan en todas las personas")}[lang]:
        assert needed in intro


NEXT_STEP = {"en": "care team", "es": "equipo de atención"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("reason", REASONS)
def test_reason_gives_a_next_step(lang, reason):
    message = text(lang, "reasons", reason, "message")
    assert NEXT_STEP[lang] in message, f"{lang}: reasons/{reason} must name the care team as next step"


NEVER = {
    "en": re.compile(r"\brecommend|\byou should\b"
                     r"|\byou have (CRPS|cauda|cancer|arthritis|a fracture)", re.IGNORECASE),
    "es": re.compile(r"recomend|usted debería|usted tiene (SDRC|cáncer|artritis|una fractura)",
                     re.IGNORECASE),
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_text_never_recommends_or_diagnoses(lang):
    found = [(path, value) for path, value in leaves(TEXT[lang])
             if isinstance(value, str) and NEVER[lang].search(value)]
    assert not found, f"{lang}: wording that recommends or diagnoses: {found}"
