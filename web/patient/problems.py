"""The contract's validation messages in the patient's language, chosen by each problem's code.

`triage.validate` writes its messages in English. The page never shows that text and never
reads it: it says the same thing from the problem's code, the field and the contract's
bounds, through gettext. The English here is word for word triage's (a test compares them).
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from triage import contract as c
from web.patient.fields import KnowledgeLabel

# The names triage.validation.FIELD_NAMES gives each field, translatable.
FIELD_NAMES = {
    "age": _l("Age"),
    "duration_weeks": _l("How long the pain has lasted"),
    "newest_pain_weeks": _l("When the newest pain began"),
    "pain_average": _l("Average pain"),
    "interference_enjoyment": _l("How much pain got in the way of enjoying life"),
    "interference_activity": _l("How much pain got in the way of daily activity"),
    "locations": _l("Where it hurts"),
    "symptoms": _l("What the pain is like"),
    "red_flags": _l("Safety questions"),
    "health": _l("Health questions"),
    "treatments": _l("Treatments tried"),
    "type": _l("Treatment"),
    "relief_percent": _l("How much it helped"),
    "weeks": _l("How long it was tried"),
    "count": _l("How many times"),
    "relief_weeks": _l("How long the relief lasted"),
    "weeks_ago": _l("How long ago"),
    "area_weeks": _l("How long the pain in each body area has lasted"),
    "red_flags_retracted": _l("Safety answers changed back to no"),
    "blood_thinner_names": _l("Which blood thinners"),
    "region": _l("Where on the spine it was done"),
}
TREATMENT_ROW = re.compile(r"treatments\[(\d+)\]")
LONGEST_SHOWN = 60  # as triage: a longer name or answer is not repeated back


def problem_message(problem, intake, patient_words=False):
    """Return the message for one `triage.Problem` of `intake`, in the request's language.

    With `patient_words`, answers are named by their wording on the page, not by their ids.
    """
    key = "area_weeks" if problem.path.startswith("area_weeks.") else problem.path.rsplit(".", 1)[-1].split("[")[0]
    in_row = TREATMENT_ROW.match(problem.path) is not None
    field = FIELD_NAMES.get(key, problem.path)
    builder = MESSAGES[problem.code]
    if patient_words and problem.code in PATIENT_MESSAGES:
        builder = PATIENT_MESSAGES[problem.code]
    return builder(field=field, key=key, in_row=in_row, path=problem.path, intake=intake)


def _bounds(key, in_row):
    if key == "area_weeks":
        return c.AREA_WEEKS
    return (c.TREATMENT_INTEGERS if in_row else c.INTAKE_INTEGERS)[key]


def _value_at(intake, path):
    """Return the answer an intake path points to (for example "treatments[0].type")."""
    value = intake
    for name, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        value = value[int(index)] if index else value[name]
    return value


def _shown(value, fallback):
    return value if isinstance(value, str) and len(value) <= LONGEST_SHOWN else fallback


def _required(field, **_context):
    return _("%(field)s: please answer this question.", field=field)


def _not_integer(field, key, in_row, **_context):
    low, high = _bounds(key, in_row)
    return _("%(field)s: please give a whole number from %(low)s to %(high)s.", field=field, low=low, high=high)


def _out_of_range(field, key, in_row, **_context):
    low, high = _bounds(key, in_row)
    return _("%(field)s: please give a number from %(low)s to %(high)s.", field=field, low=low, high=high)


def _under_18(**_context):
    return _("This questionnaire is for adults (%(age)s and over). Please speak with your care team, "
             "who will help you another way.", age=c.ADULT_AGE)


def _unknown_key(path, in_row, **_context):
    name = _shown(path.split(".", 1)[1] if "." in path else path, _("(a long name)"))
    return _("There is no question called '%(name)s'. Check the spelling; nothing was evaluated.", name=name)


def _unknown_choice(field, path, intake, **_context):
    choice = _shown(_value_at(intake, path), _("this answer"))
    return _("%(field)s: '%(choice)s' is not one of the choices.", field=field, choice=choice)


def _duplicate(field, path, intake, **_context):
    return _("%(field)s: '%(choice)s' is listed twice.", field=field, choice=_value_at(intake, path))


def _too_few(field, key, **_context):
    return _("%(field)s: please choose at least %(low)s.", field=field, low=c.INTAKE_LISTS[key][1])


def _too_many(field, key, **_context):
    if key == "treatments":
        return _("%(field)s: please list at most %(count)s treatments.", field=field, count=c.MAX_TREATMENTS)
    return _("%(field)s: please choose at most %(high)s.", field=field, high=c.INTAKE_LISTS[key][2])


def _not_list(field, key, **_context):
    if key == "treatments":
        return _("%(field)s: the answer must be a list of treatments.", field=field)
    return _("%(field)s: the answer must be a list of choices.", field=field)


def _not_object(field, path, **_context):
    if path:
        return _("%(field)s: each treatment must be a set of answers.", field=field)
    return _("The intake must be a JSON object of answers.")


def _area_not_chosen(field, **_context):
    return _("%(field)s: a duration was given for an area where no pain was marked.", field=field)


def _needs_parent(field, path, intake, **_context):
    answer = _value_at(intake, path)
    if path.startswith("health"):
        parents = [c.HEALTH_PARENTS[answer]]
    else:
        parents = c.BLOOD_THINNER_PARENTS[answer]
    wanted = _(" or ").join(f"'{parent}'" for parent in parents)
    return _("%(field)s: '%(answer)s' needs the answer %(wanted)s.", field=field, answer=answer, wanted=wanted)


def _region_not_allowed(field, path, intake, **_context):
    kind = _value_at(intake, path.rsplit(".", 1)[0] + ".type")
    return _("%(field)s: this is asked only for spine procedures, not for '%(kind)s'.", field=field, kind=kind)


def _retracted_and_raised(field, path, intake, **_context):
    return _("%(field)s: '%(flag)s' is also answered yes.", field=field, flag=_value_at(intake, path))


MESSAGES = {
    "area_not_chosen": _area_not_chosen,
    "needs_parent": _needs_parent,
    "region_not_allowed": _region_not_allowed,
    "retracted_and_raised": _retracted_and_raised,
    "required": _required,
    "not_integer": _not_integer,
    "out_of_range": _out_of_range,
    "under_18": _under_18,
    "unknown_key": _unknown_key,
    "unknown_choice": _unknown_choice,
    "duplicate": _duplicate,
    "too_few": _too_few,
    "too_many": _too_many,
    "not_list": _not_list,
    "not_object": _not_object,
}


def _needs_parent_in_words(path, intake, **_context):
    answer = _value_at(intake, path)
    if path.startswith("health"):
        kind, parents = "health", [c.HEALTH_PARENTS[answer]]
    else:
        kind, parents = "blood_thinner_name", c.BLOOD_THINNER_PARENTS[answer]
    wanted = _(" or ").join(f"“{KnowledgeLabel('health', parent)}”" for parent in parents)
    return _("You chose “%(answer)s”. Please also choose %(wanted)s, or remove “%(answer)s”.",
             answer=KnowledgeLabel(kind, answer), wanted=wanted)


PATIENT_MESSAGES = {"needs_parent": _needs_parent_in_words}
