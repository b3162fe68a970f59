"""FHIR R4 views of the intake: the Questionnaire it answers, and one QuestionnaireResponse.

Pure functions: plain dicts in, plain dicts out. The Questionnaire's items are
generated from the contract's identifiers (triage/contract.py), so a new
symptom or health item appears here without a change to this file.
"""

from triage import knowledge
from triage.contract import (CONTRACT, INTAKE_INTEGERS, INTAKE_LISTS, INTAKE_REQUIRED, RED_FLAGS,
                             TREATMENT_INTEGERS, TREATMENT_REQUIRED, TREATMENT_TYPES)

QUESTIONNAIRE_ID = "pain-intake"
MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"

# The question each intake key answers, as the nurse would ask it.
QUESTION_TEXT = {
    "age": "Age in years",
    "locations": "Where does it hurt?",
    "duration_weeks": "How many weeks has the main pain lasted?",
    "newest_pain_weeks": "If another pain began more recently, how many weeks ago did it begin?",
    "pain_average": "Average pain in the past week (0-10)",
    "interference_enjoyment": "How much pain interfered with enjoyment of life in the past week (0-10)",
    "interference_activity": "How much pain interfered with general activity in the past week (0-10)",
    "symptoms": "What is the pain like?",
    "red_flags": "Safety questions (each answered yes or no)",
    "health": "Health, medicines, allergies and practical matters",
    "treatments": "Treatments tried for this pain (one entry per treatment or procedure)",
    "treatments.type": "Treatment",
    "treatments.relief_percent": "Best relief, in percent",
    "treatments.weeks": "How many weeks it was tried",
    "treatments.count": "How many times in the past 12 months",
    "treatments.relief_weeks": "How many weeks the relief lasted",
    "treatments.weeks_ago": "How many weeks ago the most recent one was",
}
# Answer lists in the order the questionnaire asks them, with their label kind.
CHOICE_KINDS = {"locations": "location", "symptoms": "symptom", "health": "health"}
ITEM_ORDER = ("age", "locations", "duration_weeks", "newest_pain_weeks", "pain_average",
              "interference_enjoyment", "interference_activity", "symptoms", "red_flags",
              "health", "treatments")


def questionnaire_url(base):
    """The canonical URL of the intake Questionnaire under a FHIR base URL."""
    return f"{base}/Questionnaire/{QUESTIONNAIRE_ID}"


def code_system(base, kind):
    """The code system of one kind of answer (location, symptom, ...)."""
    return f"{base}/CodeSystem/{kind.replace('_', '-')}"


def questionnaire(base):
    """Return the FHIR R4 Questionnaire that describes the intake contract."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": questionnaire_url(base),
        "version": CONTRACT,
        "name": "PainIntake",
        "title": "Pain clinic intake",
        "status": "active",
        "subjectType": ["Patient"],
        "description": "The questions a patient answers before an interventional pain clinic visit.",
        "item": [_question(base, link_id) for link_id in ITEM_ORDER],
    }


def _question(base, link_id):
    if link_id == "red_flags":
        return {"linkId": "red_flags", "type": "group", "text": QUESTION_TEXT["red_flags"],
                "required": True,
                "item": [{"linkId": f"red_flags.{ident}", "type": "boolean", "required": True,
                          "text": knowledge.label("red_flag", ident)} for ident in RED_FLAGS]}
    if link_id == "treatments":
        return {"linkId": "treatments", "type": "group", "text": QUESTION_TEXT["treatments"],
                "repeats": True, "item": _treatment_questions(base)}
    if link_id in CHOICE_KINDS:
        return _choice(base, link_id, CHOICE_KINDS[link_id], INTAKE_LISTS[link_id][0],
                       required=link_id in INTAKE_REQUIRED, repeats=True)
    return _integer(link_id, INTAKE_INTEGERS[link_id], required=link_id in INTAKE_REQUIRED)


def _treatment_questions(base):
    questions = [_choice(base, "treatments.type", "treatment", TREATMENT_TYPES,
                         required=True, repeats=False)]
    questions += [_integer(f"treatments.{key}", bounds, required=key in TREATMENT_REQUIRED)
                  for key, bounds in TREATMENT_INTEGERS.items()]
    return questions


def _integer(link_id, bounds, required):
    low, high = bounds
    return {"linkId": link_id, "type": "integer", "text": QUESTION_TEXT[link_id], "required": required,
            "extension": [{"url": MIN_VALUE, "valueInteger": low},
                          {"url": MAX_VALUE, "valueInteger": high}]}


def _choice(base, link_id, kind, vocabulary, required, repeats):
    return {"linkId": link_id, "type": "choice", "text": QUESTION_TEXT[link_id],
            "required": required, "repeats": repeats,
            "answerOption": [{"valueCoding": _coding(base, kind, ident)} for ident in vocabulary]}


def _coding(base, kind, ident):
    return {"system": code_system(base, kind), "code": ident, "display": knowledge.label(kind, ident)}


def questionnaire_response(submission, base):
    """Return the FHIR R4 QuestionnaireResponse of one stored submission."""
    intake = submission.intake
    items = [item for link_id in ITEM_ORDER for item in _answers(base, link_id, intake)]
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(submission.id),
        "identifier": {"system": f"{base}/checkin-code", "value": submission.checkin_code},
        "questionnaire": questionnaire_url(base),
        "status": "completed",
        "authored": instant(submission.created_at),
        "language": submission.lang,
        "item": items,
    }


def _answers(base, link_id, intake):
    """Return the response items for one question ([] when the patient left it out)."""
    if link_id == "red_flags":
        said_yes = set(intake["red_flags"])
        return [{"linkId": "red_flags", "item": [
            {"linkId": f"red_flags.{ident}", "answer": [{"valueBoolean": ident in said_yes}]}
            for ident in RED_FLAGS]}]
    if link_id == "treatments":
        return [{"linkId": "treatments", "item": _treatment_answers(base, row)}
                for row in intake.get("treatments", [])]
    if link_id in CHOICE_KINDS:
        chosen = intake.get(link_id, [])
        kind = CHOICE_KINDS[link_id]
        return [{"linkId": link_id, "answer": [{"valueCoding": _coding(base, kind, ident)}
                                                for ident in chosen]}] if chosen else []
    if intake.get(link_id) is None:
        return []
    return [{"linkId": link_id, "answer": [{"valueInteger": intake[link_id]}]}]


def _treatment_answers(base, row):
    items = [{"linkId": "treatments.type",
              "answer": [{"valueCoding": _coding(base, "treatment", row["type"])}]}]
    items += [{"linkId": f"treatments.{key}", "answer": [{"valueInteger": row[key]}]}
              for key in TREATMENT_INTEGERS if row.get(key) is not None]
    return items


def instant(moment):
    """An ISO 8601 time with its offset (stored times are always aware: web.clock.UTCDateTime)."""
    return moment.isoformat(timespec="seconds")
