"""The review page: every answer in the patient's words, grouped by step, with a way to change it."""
from flask_babel import gettext as _

from triage.contract import RED_FLAGS
from web.patient.details import BUCKETS, QUESTIONS, align_rows, row_questions
from web.patient.fields import KnowledgeLabel
from web.patient.forms import AboutForm, FeelForm, HealthForm, PainForm, row_plan
from web.patient.steps import DURATION_BUCKETS, TITLES, bucket_words


def review_sections(answers):
    """Return (step, title, [(question, [answer lines])]) for every step, in order."""
    symptoms = FeelForm.part_from(answers)["symptoms"]
    health_part = HealthForm.part_from(answers)
    return [
        ("safety", TITLES["safety"], _safety(answers)),
        ("about", TITLES["about"], _about(answers)),
        ("pain", TITLES["pain"], _pain(answers)),
        ("feel", TITLES["feel"], [(_question(FeelForm, "symptoms"), _labels("symptom", symptoms))]),
        ("tried", TITLES["tried"], _tried(answers)),
        ("health", TITLES["health"], _health(health_part)),
    ]


def _question(form_class, name):
    """Return the question a form field asks (its label)."""
    return getattr(form_class, name).args[0]


def _labels(kind, idents):
    """Return the labels of chosen answers, or "None of these"."""
    return [str(KnowledgeLabel(kind, ident)) for ident in idents] or [_("None of these")]


def _safety(answers):
    raw = answers.get("safety", {})
    yes = [str(KnowledgeLabel("red_flag", flag)) for flag in RED_FLAGS if raw.get(flag) == "yes"]
    no_count = sum(1 for flag in RED_FLAGS if raw.get(flag) == "no")
    lines = [(_("You answered yes to"), yes)] if yes else []
    if no_count:
        lines.append((_("You answered no to"), [_("%(count)s of the %(total)s safety questions",
                                                   count=no_count, total=len(RED_FLAGS))]))
    return lines


def _about(answers):
    places = AboutForm.part_from(answers)["locations"]
    return [(_question(AboutForm, "age"), [answers.get("about", {}).get("age") or ""]),
            (_question(AboutForm, "locations"), _labels("location", places))]


def _pain(answers):
    raw = answers.get("pain", {})
    form = PainForm(formdata=None, data=raw, answers=answers)
    lines = [(field.label.text, [str(bucket_words(DURATION_BUCKETS, raw[field.name]))])
             for field in form.area_fields()]
    for key in ("pain_average", "interference_enjoyment", "interference_activity"):
        lines.append((_question(PainForm, key), [_("%(number)s out of 10", number=raw[key])]))
    return lines


def _tried(answers):
    rows = align_rows(row_plan(answers), answers.get("details", {}).get("rows") or ())
    if not rows:
        return [(_("What you have tried"), [_("None of these")])]
    lines = []
    for row in rows:
        details = [f"{QUESTIONS[key]} {bucket_words(BUCKETS[key], row[key])}"
                   for key in row_questions(row["type"]) if row.get(key) is not None]
        lines.append((str(KnowledgeLabel("treatment", row["type"])), details))
    return lines


def _health(part):
    lines = [(_question(HealthForm, "health"), _labels("health", part["health"]))]
    if part.get("blood_thinner_names"):
        lines.append((_question(HealthForm, "blood_thinner_names"),
                      [str(KnowledgeLabel("blood_thinner_name", name)) for name in part["blood_thinner_names"]]))
    return lines
