"""The FHIR R4 Questionnaire of the intake, for the app and for any SDC form engine.

Pure functions: plain dicts in, plain dicts out. Items are generated from the contract's
identifiers (triage/contract.py), follow-ups are shown with `enableWhen` exactly where the web
form asks them only after another answer, and every text carries its Spanish through the
standard translation extension, taken from the app's catalog and knowledge text.
How answers become an intake and back is in web/fhir_response.py.
"""
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

from triage import knowledge
from triage.contract import (AREAS, BLOOD_THINNER_NAMES, CONTRACT, HEALTH, HEALTH_PARENTS, INTAKE_INTEGERS,
                             INTAKE_REQUIRED, LOCATIONS, RED_FLAGS, REGION_TYPES, REGIONS, AREA_WEEKS,
                             SYMPTOMS, TREATMENT_INTEGERS, TREATMENT_REQUIRED, TREATMENT_TYPES)
from web.patient.details import ROW_QUESTIONS, row_kind
from web.patient.steps import HEALTH_LOCATIONS, SYMPTOM_LOCATIONS

QUESTIONNAIRE_ID = "pain-intake"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
TRANSLATION = "http://hl7.org/fhir/StructureDefinition/translation"
HIDDEN = "http://hl7.org/fhir/StructureDefinition/questionnaire-hidden"
ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
SNOMED = "http://snomed.info/sct"
CATALOG = Path(__file__).resolve().parent / "translations" / "es" / "LC_MESSAGES" / "messages.po"

# Body sites whose SNOMED CT code we checked in a published value set; every other location
# keeps the product's own code (an unverified code would be worse than none).
# The option keeps the patient's wording as its display; the SNOMED CT term is in the comment.
SNOMED_LOCATIONS = {
    # 69536005 "Head structure": HL7 Belgium BeVSBodySite,
    # https://build.fhir.org/ig/hl7-be/referral/branches/care-proposal/en/ValueSet-be-vs-body-site.html
    "head": "69536005",
    # 113345001 "Abdomen" and 302543008 "Entire hip region": HL7 Belgium BeVSBodySiteNursing,
    # https://build.fhir.org/ig/hl7-be/referral/branches/earlyadopter/ValueSet-be-vs-bodysite-nursing.html
    "abdomen": "113345001",
    "hip": "302543008",
}
# The PEG items carry no LOINC code: no published source we could cite gave the item codes.

BLOOD_THINNER_ITEMS = ("blood_thinner", "antiplatelet")


def N_(text):
    """Mark patient text for the Spanish catalog (babel.cfg extracts it)."""
    return text


TEXT = {
    "title": N_("Pain clinic questions"),
    "red_flags": N_("Safety questions"),
    "age": N_("How old are you?"),
    "locations": N_("Where does it hurt?"),
    "duration_weeks": N_("How many weeks have you had the pain you most want help with?"),
    "area_weeks": N_("If you have pain in more than one part of the body, answer for each part."),
    "area_weeks.AREA": N_("How many weeks ago did the newest pain in %(area)s start?"),
    "newest_pain_weeks": N_("If another pain started later, how many weeks ago did it start?"),
    "pain_average": N_("In the past week, what number best describes your pain on average?"),
    "interference_enjoyment": N_("In the past week, how much has pain got in the way of your enjoyment of life?"),
    "interference_activity": N_("In the past week, how much has pain got in the way of your general activity?"),
    "symptoms": N_("Which of these are true for your pain?"),
    "treatments": N_("What have you tried for this pain?"),
    "treatments.type": N_("What did you try?"),
    "treatments.region": N_("Where on the spine was it done?"),
    "treatments.relief_percent": N_("At its best, how much did it ease your pain? Give a percent from 0 to 100."),
    "treatments.weeks": N_("How many weeks did you try it?"),
    "treatments.count": N_("How many times have you had it in the past 12 months?"),
    "treatments.relief_weeks": N_("How many weeks did the relief last?"),
    "treatments.weeks_ago": N_("How many weeks ago was the most recent one?"),
    "health": N_("Do any of these apply to you?"),
    "blood_thinner_names": N_("Which blood thinners do you take?"),
    "red_flags_retracted": N_("Safety answers changed back to no"),
}
# Which label list of the knowledge text names the answers of each coded question.
CHOICE_KINDS = {"locations": "location", "treatments.type": "treatment", "treatments.region": "region",
                "blood_thinner_names": "blood_thinner_name", "red_flags_retracted": "red_flag"}
CHOICE_VOCABULARIES = {"locations": LOCATIONS, "treatments.type": TREATMENT_TYPES, "treatments.region": REGIONS,
                       "blood_thinner_names": BLOOD_THINNER_NAMES, "red_flags_retracted": RED_FLAGS}
# Yes-or-no checklists: a group of one boolean per identifier, like the safety questions.
CHECKLISTS = {"red_flags": ("red_flag", RED_FLAGS), "symptoms": ("symptom", SYMPTOMS), "health": ("health", HEALTH)}
PEG = ("pain_average", "interference_enjoyment", "interference_activity")


def questionnaire_url(base):
    """The canonical URL of the intake Questionnaire under a FHIR base URL."""
    return f"{base}/Questionnaire/{QUESTIONNAIRE_ID}"


def code_system(base, kind):
    """The product's code system of one kind of answer (location, treatment, ...)."""
    return f"{base}/CodeSystem/{kind.replace('_', '-')}"


@lru_cache(maxsize=1)
def spanish_catalog():
    """Return the app's Spanish catalog (the .po, so it is never stale)."""
    with CATALOG.open("rb") as source:
        return read_po(source, locale="es")


def spanish(text):
    """Return the Spanish of one catalog message."""
    message = spanish_catalog().get(text)
    if message is None or not message.string:
        raise KeyError(f"no Spanish for {text!r} in {CATALOG}")
    return message.string


def translated(spanish_text):
    """Return the primitive extension that gives a text's Spanish."""
    return {"extension": [{"url": TRANSLATION, "extension": [
        {"url": "lang", "valueCode": "es"}, {"url": "content", "valueString": spanish_text}]}]}


def text_of(link_id):
    """Return an item's `text` and `_text` in English and Spanish."""
    return {"text": TEXT[link_id], "_text": translated(spanish(TEXT[link_id]))}


def label_of(kind, ident):
    """Return the English and Spanish labels of one identifier of the knowledge text."""
    return knowledge.label(kind, ident, "en"), knowledge.label(kind, ident, "es")


def coding(base, kind, ident):
    """Return the Coding of one answer: SNOMED CT where verified, else the product's code system."""
    english = knowledge.label(kind, ident, "en")
    if kind == "location" and ident in SNOMED_LOCATIONS:
        return {"system": SNOMED, "code": SNOMED_LOCATIONS[ident], "display": english}
    return {"system": code_system(base, kind), "code": ident, "display": english}


def questionnaire(base):
    """Return the FHIR R4 Questionnaire that asks the intake of contract 2."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": questionnaire_url(base),
        "version": CONTRACT,
        "name": "PainIntake",
        "language": "en",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "The questions a patient answers before an interventional pain clinic visit "
                       "(contract pain-triage/2).",
        "title": TEXT["title"], "_title": translated(spanish(TEXT["title"])),
        "item": items(base),
    }


def items(base):
    """Return the top-level items in the order the web form asks them."""
    return [
        checklist(base, "red_flags", required=True),
        integer("age"), choice(base, "locations", repeats=True, required=True, control="check-box"),
        integer("duration_weeks"), area_weeks(base), integer("newest_pain_weeks"),
        *[integer(key) for key in PEG],
        checklist(base, "symptoms"),
        treatments(base),
        checklist(base, "health"),
        {**choice(base, "blood_thinner_names", repeats=True, control="check-box"),
         **shown_when([answered_yes(f"health.{item}") for item in BLOOD_THINNER_ITEMS])},
        {**choice(base, "red_flags_retracted", repeats=True),
         "extension": [{"url": HIDDEN, "valueBoolean": True}]},
    ]


def bounds(low, high):
    """Return the minValue and maxValue extensions of an integer question."""
    return [{"url": MIN_VALUE, "valueInteger": low}, {"url": MAX_VALUE, "valueInteger": high}]


def integer(link_id):
    """Return an integer question of the intake or of a treatment row, with its bounds."""
    key = link_id.rsplit(".", 1)[-1]
    in_row = link_id.startswith("treatments.")
    low, high = TREATMENT_INTEGERS[key] if in_row else INTAKE_INTEGERS[key]
    return {"linkId": link_id, "type": "integer", **text_of(link_id),
            "required": key in (TREATMENT_REQUIRED if in_row else INTAKE_REQUIRED), "extension": bounds(low, high)}


def choice(base, link_id, repeats=False, required=False, control=None):
    """Return a coded question whose answers are the contract's identifiers."""
    kind = CHOICE_KINDS[link_id]
    item = {"linkId": link_id, "type": "choice", **text_of(link_id), "required": required,
            "repeats": repeats, "answerOption": [option(base, kind, ident)
                                                 for ident in CHOICE_VOCABULARIES[link_id]]}
    if control:
        item["extension"] = [item_control(control)]
    return item


def option(base, kind, ident):
    """Return one answer option with its Spanish display."""
    value = coding(base, kind, ident)
    return {"valueCoding": {**value, "_display": translated(knowledge.label(kind, ident, "es"))}}


def item_control(code):
    """Return the SDC item-control extension (how a form engine should draw the question)."""
    return {"url": ITEM_CONTROL, "valueCodeableConcept": {"coding": [
        {"system": "http://hl7.org/fhir/questionnaire-item-control", "code": code}]}}


def checklist(base, link_id, required=False):
    """Return a group of yes-or-no questions, one per identifier, each shown when the web form asks it."""
    kind, idents = CHECKLISTS[link_id]
    children = []
    for ident in idents:
        english, spanish_label = label_of(kind, ident)
        child = {"linkId": f"{link_id}.{ident}", "type": "boolean", "text": english,
                 "_text": translated(spanish_label), "required": required}
        children.append({**child, **follow_up(base, link_id, ident)})
    return {"linkId": link_id, "type": "group", **text_of(link_id), "required": required, "item": children}


def follow_up(base, link_id, ident):
    """Return the enableWhen of one checklist item, from the web form's own rules (web/patient/steps.py).

    A follow-up health item needs its parent answered yes; the parent's own condition covers
    the location (a disabled question has no answer), as the web form asks them in turn.
    """
    if link_id == "health" and ident in HEALTH_PARENTS:
        return shown_when([answered_yes(f"health.{HEALTH_PARENTS[ident]}")])
    places = {"symptoms": SYMPTOM_LOCATIONS, "health": HEALTH_LOCATIONS}.get(link_id, {}).get(ident, ())
    return shown_when([chosen(base, "locations", "location", place) for place in LOCATIONS if place in places])


def shown_when(conditions):
    """Return enableWhen (any condition enables the item); {} for no condition."""
    if not conditions:
        return {}
    return {"enableWhen": conditions, **({"enableBehavior": "any"} if len(conditions) > 1 else {})}


def chosen(base, question, kind, ident):
    """An enableWhen condition: this answer was chosen."""
    return {"question": question, "operator": "=", "answerCoding": coding(base, kind, ident)}


def answered_yes(question):
    """An enableWhen condition: this yes-or-no question was answered yes."""
    return {"question": question, "operator": "=", "answerBoolean": True}


def area_weeks(base):
    """Return the per-area durations, each shown when a location of its area is chosen."""
    children = []
    for area, places in AREAS.items():
        english, spanish_label = label_of("area", area)
        children.append({"linkId": f"area_weeks.{area}", "type": "integer",
                         "text": TEXT["area_weeks.AREA"] % {"area": english},
                         "_text": translated(spanish(TEXT["area_weeks.AREA"]) % {"area": spanish_label}),
                         "required": False, "extension": bounds(*AREA_WEEKS),
                         **shown_when([chosen(base, "locations", "location", place) for place in places])})
    return {"linkId": "area_weeks", "type": "group", **text_of("area_weeks"), "item": children}


def treatments(base):
    """Return the repeating treatment group; each question is shown for the types the web form asks it."""
    children = [choice(base, "treatments.type", required=True, control="drop-down"),
                {**choice(base, "treatments.region", control="radio-button"),
                 **shown_when([chosen(base, "treatments.type", "treatment", kind) for kind in REGION_TYPES])}]
    for key in TREATMENT_INTEGERS:
        asked_for = [kind for kind in TREATMENT_TYPES if key in ROW_QUESTIONS[row_kind(kind)]]
        condition = [] if len(asked_for) == len(TREATMENT_TYPES) else asked_for
        children.append({**integer(f"treatments.{key}"),
                         **shown_when([chosen(base, "treatments.type", "treatment", kind) for kind in condition])})
    return {"linkId": "treatments", "type": "group", **text_of("treatments"), "repeats": True, "item": children}


def instant(moment):
    """An ISO 8601 time with its offset (stored times are always aware: web.clock.UTCDateTime)."""
    return moment.isoformat(timespec="seconds")
