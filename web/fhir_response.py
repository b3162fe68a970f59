"""QuestionnaireResponses to the intake Questionnaire (web/fhir.py): written from an intake, read back.

`response_items(intake)` is the export (and what tests send to `$evaluate`); `read_response(qr)`
turns a response, from this app or from any form engine, back into an intake, with a problem per
answer it cannot read. The contract (`triage.validate`) then judges the intake itself, and
`problem_link_id` names the question each of its problems is about.
"""
import re
from dataclasses import dataclass

from triage.contract import AREAS, INTAKE_INTEGERS, RED_FLAGS, TREATMENT_INTEGERS
from web import fhir

VALUE_KEYS = ("valueInteger", "valueCoding", "valueBoolean")
INTEGERS = tuple(INTAKE_INTEGERS)
CODED_LISTS = ("locations", "blood_thinner_names", "red_flags_retracted")
CHECKLISTS = tuple(fhir.CHECKLISTS)
# The order of the top-level answers, as the Questionnaire asks them.
ORDER = ("red_flags", "age", "locations", "duration_weeks", "area_weeks", "newest_pain_weeks", *fhir.PEG,
         "symptoms", "treatments", "health", "blood_thinner_names", "red_flags_retracted")


@dataclass(frozen=True)
class AnswerProblem:
    """An answer that cannot be read: which question, where in the response, and why."""

    link_id: str
    expression: str
    code: str
    message: str


def questionnaire_response(submission, base):
    """Return the FHIR R4 QuestionnaireResponse of one stored submission."""
    return {
        "resourceType": "QuestionnaireResponse",
        "id": str(submission.id),
        "identifier": {"system": f"{base}/checkin-code", "value": submission.checkin_code},
        "questionnaire": fhir.questionnaire_url(base),
        "status": "completed",
        "authored": fhir.instant(submission.created_at),
        "language": submission.lang,
        "item": response_items(submission.intake, base),
    }


def response_items(intake, base):
    """Return the answers of an intake as QuestionnaireResponse items ([] for each key left out)."""
    return [item for key in ORDER if key in intake for item in _items(key, intake[key], base)]


def _items(key, value, base):
    if key == "red_flags":
        said_yes = set(value)
        return [{"linkId": key, "item": [{"linkId": f"red_flags.{ident}", "answer": [{"valueBoolean": ident in said_yes}]}
                                         for ident in RED_FLAGS]}]
    if key in CHECKLISTS:
        return [{"linkId": key, "item": [{"linkId": f"{key}.{ident}", "answer": [{"valueBoolean": True}]}
                                         for ident in value]}] if value else []
    if key in CODED_LISTS:
        kind = fhir.CHOICE_KINDS[key]
        return [{"linkId": key, "answer": [{"valueCoding": fhir.coding(base, kind, ident)} for ident in value]}] \
            if value else []
    if key == "area_weeks":
        return [{"linkId": key, "item": [_integer(f"area_weeks.{area}", weeks) for area, weeks in value.items()]}] \
            if value else []
    if key == "treatments":
        return [{"linkId": key, "item": _treatment_items(row, base)} for row in value]
    return [_integer(key, value)]


def _integer(link_id, value):
    return {"linkId": link_id, "answer": [{"valueInteger": value}]}


def _treatment_items(row, base):
    items = [{"linkId": "treatments.type", "answer": [{"valueCoding": fhir.coding(base, "treatment", row["type"])}]}]
    if "region" in row:
        items.append({"linkId": "treatments.region",
                      "answer": [{"valueCoding": fhir.coding(base, "region", row["region"])}]})
    items += [_integer(f"treatments.{key}", row[key]) for key in TREATMENT_INTEGERS if key in row]
    return items


def path_of(*link_ids, index=None):
    """Return the FHIRPath of an item, by its linkIds from the top (index: which repeat of the first)."""
    steps = [f"item.where(linkId='{link_ids[0]}')" + (f"[{index}]" if index is not None else "")]
    steps += [f"item.where(linkId='{link_id}')" for link_id in link_ids[1:]]
    return ".".join(["QuestionnaireResponse", *steps])


class ResponseReader:
    """Read one QuestionnaireResponse into an intake, noting every answer it cannot read."""

    def __init__(self, base):
        self.base = base
        self.codes = {kind: {(coding["system"], coding["code"]): ident
                             for ident in fhir.CHOICE_VOCABULARIES[link_id]
                             for coding in [fhir.coding(base, kind, ident)]}
                      for link_id, kind in fhir.CHOICE_KINDS.items()}
        self.problems = []

    def problem(self, link_ids, code, message, index=None):
        self.problems.append(AnswerProblem(link_ids[-1], path_of(*link_ids, index=index), code, message))

    def read(self, items):
        """Return the intake these top-level items answer."""
        intake = {}
        for item in items:
            link_id = item.get("linkId")
            if link_id in intake and link_id != "treatments":
                self.problem([link_id], "repeated", "This question is answered more than once.")
            elif link_id in INTEGERS:
                self.put(intake, link_id, self.integer(item, [link_id]))
            elif link_id in CODED_LISTS:
                intake[link_id] = self.codings(item, [link_id], fhir.CHOICE_KINDS[link_id])
            elif link_id in CHECKLISTS:
                intake[link_id] = self.checklist(item, link_id)
            elif link_id == "area_weeks":
                intake[link_id] = self.area_weeks(item)
            elif link_id == "treatments":
                intake.setdefault("treatments", []).append(
                    self.treatment(item, len(intake.get("treatments", []))))
            else:
                self.problem([str(link_id)], "unknown_question", "This is not a question of the pain intake.")
        return intake

    @staticmethod
    def put(target, key, value):
        if value is not None:
            target[key] = value

    def answers(self, item, link_ids, index=None, many=False):
        """Return an item's answers, noting a question answered twice where one answer is allowed."""
        answers = item.get("answer") or []
        if not many and len(answers) > 1:
            self.problem(link_ids, "one_answer", "Give one answer to this question.", index)
            return []
        return answers

    def integer(self, item, link_ids, index=None):
        for answer in self.answers(item, link_ids, index):
            value = answer.get("valueInteger")
            if isinstance(value, int) and not isinstance(value, bool):
                return value
            self.problem(link_ids, "not_integer", "Answer with a whole number.", index)
        return None

    def codings(self, item, link_ids, kind, index=None, many=True):
        idents = []
        for answer in self.answers(item, link_ids, index, many=many):
            value = answer.get("valueCoding") or {}
            ident = self.codes[kind].get((value.get("system"), value.get("code")))
            if ident is None:
                self.problem(link_ids, "unknown_answer", "This answer is not one of the question's choices.", index)
            else:
                idents.append(ident)
        return idents

    def checklist(self, group, link_id):
        """Return the identifiers answered yes; every safety question needs a yes or a no."""
        kind, idents = fhir.CHECKLISTS[link_id]
        said = {}
        for item in group.get("item") or []:
            child = item.get("linkId", "")
            ident = child[len(link_id) + 1:] if child.startswith(f"{link_id}.") else None
            if ident not in idents:
                self.problem([link_id, child], "unknown_question", "This is not a question of the pain intake.")
                continue
            for answer in self.answers(item, [link_id, child]):
                if not isinstance(answer.get("valueBoolean"), bool):
                    self.problem([link_id, child], "not_boolean", "Answer yes or no.")
                else:
                    said[ident] = answer["valueBoolean"]
        if link_id == "red_flags":
            for ident in idents:
                if ident not in said:
                    self.problem([link_id, f"red_flags.{ident}"], "required", "Choose yes or no.")
        return [ident for ident in said if said[ident]]

    def area_weeks(self, group):
        weeks = {}
        for item in group.get("item") or []:
            child = item.get("linkId", "")
            area = child[len("area_weeks."):] if child.startswith("area_weeks.") else None
            if area not in AREAS:
                self.problem(["area_weeks", child], "unknown_question", "This is not a question of the pain intake.")
            else:
                self.put(weeks, area, self.integer(item, ["area_weeks", child]))
        return weeks

    def treatment(self, group, index):
        row = {}
        for item in group.get("item") or []:
            child = item.get("linkId", "")
            key = child[len("treatments."):] if child.startswith("treatments.") else None
            link_ids = ["treatments", child]
            if key in ("type", "region"):
                found = self.codings(item, link_ids, fhir.CHOICE_KINDS[child], index, many=False)
                self.put(row, key, found[0] if found else None)
            elif key in TREATMENT_INTEGERS:
                self.put(row, key, self.integer(item, link_ids, index))
            else:
                self.problem(link_ids, "unknown_question", "This is not a question of the pain intake.", index)
        return row


def read_response(resource, base):
    """Return (intake, problems) for the answers of a QuestionnaireResponse."""
    reader = ResponseReader(base)
    return reader.read(resource.get("item") or []), reader.problems


_INDEXED = re.compile(r"^(\w+)\[(\d+)\](?:\.(\w+))?$")


def problem_link_id(path, intake):
    """Return (linkId, FHIRPath) of the question a contract problem (triage.Problem.path) is about."""
    match = _INDEXED.match(path)
    if path.startswith("area_weeks."):
        return path, path_of("area_weeks", path)
    if not match:
        key = path or "QuestionnaireResponse"
        return key, path_of(key) if path else "QuestionnaireResponse"
    key, index, field = match.group(1), int(match.group(2)), match.group(3)
    if key == "treatments":
        link_id = f"treatments.{field}" if field else "treatments"
        return link_id, path_of("treatments", *([link_id] if field else []), index=index)
    if key in CHECKLISTS:
        ident = intake[key][index]
        return f"{key}.{ident}", path_of(key, f"{key}.{ident}")
    return key, path_of(key)


# A response nests about ten levels (response, item, group, item, answer, coding); allow slack.
MAX_DEPTH = 32

