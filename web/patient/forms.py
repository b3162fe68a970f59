"""One form per step. Each builds its part of the intake from its answers, and `triage.validate`
judges the whole intake of the patient's draft with that part in it, so ranges, identifiers and
cross-field rules have one source of truth.

Forms only add the checks the contract cannot make: a safety question left unanswered (the
contract lists only "yes" answers), "none of these" ticked beside another answer, a typed age
that is not a number, and questions whose "I don't know" is an answer of its own.
"""
from flask import abort
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

from triage import validate
from triage.contract import (AREAS, BLOOD_THINNER_NAMES, BLOOD_THINNER_PARENTS, HEALTH_PARENTS, LOCATIONS,
                             RED_FLAGS, TREATMENT_TYPES)
from web.patient.fields import (KnowledgeLabel, ManyChoices, OneChoice, ShortText, bucket_choices,
                                choices, knowledge_choices)
from web.patient.problems import problem_message
from web.patient.steps import (DURATION_BUCKETS, MAX_SEPARATE_ROWS, NONE, SCALE_VALUES, SEPARATE_ROW_TYPES,
                               STEPS, bucket_number, chosen_areas, follow_ups, relevant_health,
                               relevant_symptoms)

MESSAGES = {
    "yes_no": _l("Choose yes or no."),
    "age_number": _l("Enter your age in years as a whole number, for example 52."),
    "area_weeks": _l("Choose how long you have had this pain."),
    "choose_or_none": _l("Choose at least one answer, or choose “None of these”."),
    "none_and_some": _l("You chose “None of these” and another answer. Choose one or the other."),
    "weeks": _l("Choose how long you tried it, or “I don’t remember”."),
    "count": _l("Choose how many times you have had it."),
    "relief_weeks": _l("Choose how long the relief lasted, or “I don’t know”."),
    "weeks_ago": _l("Choose how long ago it was, or “I don’t know”."),
    "region": _l("Choose where on the spine it was done, or “I don’t know”."),
}

NONE_CHOICE = choices([(NONE, _l("None of these"))])
YES_NO = (("yes", _l("Yes")), ("no", _l("No")))
SCALE = choices((number, number) for number in SCALE_VALUES)
SCALE_HINT = {
    "pain": _l("0 means no pain. 10 means pain as bad as you can imagine."),
    "interference": _l("0 means it does not get in the way. 10 means it completely gets in the way."),
}


# Each step's builder of its part of the intake, registered as the step forms are defined.
PART_BUILDERS = {}


def draft_intake(answers):
    """Build the intake of a draft's answers, step by step (parts of unanswered steps stay out)."""
    intake = {}
    for step in STEPS:
        if step in PART_BUILDERS:
            intake.update(PART_BUILDERS[step](answers))
    return intake


class StepForm(FlaskForm):
    """Form-wide policy: the draft as context, garbage rejected, problems mapped to fields."""

    step = None
    keys = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.step is not None and cls.step not in PART_BUILDERS:
            PART_BUILDERS[cls.step] = cls.part_from

    def __init__(self, *args, answers=None, **kwargs):
        self.context = answers or {}
        super().__init__(*args, **kwargs)
        self.restrict_choices()
        if any(getattr(field, "is_garbage", lambda: False)() for field in self):
            abort(400)
        for field in self:
            field.errors = []
        self.other_errors = []

    def restrict_choices(self):
        """Offer only the choices that the earlier answers make relevant."""

    def answers(self):
        """Return what the draft stores for this step: the raw choices, nothing derived."""
        return {field.name: field.data for field in self if field.name != "csrf_token"}

    @classmethod
    def part_from(cls, answers):
        """Return this step's part of the intake, built from the draft's answers (each step defines it)."""
        raise TypeError(f"{cls.__name__} must define part_from")

    def answer_checks(self):
        """Add the messages that only the form can give."""

    def check(self):
        """Judge this step's answers within the patient's whole draft; return True when there is nothing to fix.

        The engine's validator sees the real intake, so its cross-field rules (a duration for an
        area with no pain marked, a follow-up without its parent) are judged; only the problems
        of this step's answers are shown here, each beside its question.
        """
        self.answer_checks()
        intake = draft_intake({**self.context, self.step: self.answers()})
        for problem in validate(intake):
            if problem.path.split("[", 1)[0].split(".", 1)[0] not in self.keys:
                continue
            message = problem_message(problem, intake, patient_words=True)
            field = self.field_for(problem.path)
            if field is None:
                self.other_errors.append(message)
            elif not field.errors:
                field.errors.append(message)
        return not self.has_errors()

    def field_for(self, path):
        """Return the field that answers an intake path, or None."""
        return self._fields.get(path.split("[", 1)[0].split(".", 1)[0])

    def has_errors(self):
        """Tell whether any message is waiting to be shown."""
        return bool(self.other_errors) or any(field.errors for field in self)

    def error_fields(self):
        """Return the fields with messages, in page order."""
        return [field for field in self if field.errors]

    def summary_text(self, field):
        """Return a field's messages as the error summary lists them."""
        return " ".join(str(message) for message in field.errors)

    def require(self, field, message):
        """Ask for an answer where the contract would read silence as "unknown"."""
        if field.data is None:
            field.errors.append(MESSAGES[message])

    def none_or_some(self, field):
        """Check a checkbox group that has a "None of these" choice."""
        if not field.data:
            field.errors.append(MESSAGES["choose_or_none"])
        elif NONE in field.data and len(field.data) > 1:
            field.errors.append(MESSAGES["none_and_some"])


class SafetyForm(StepForm):
    """Step 1: the red flags of one safety group (all of them when no group is given), yes or no."""

    step = "safety"
    keys = ("red_flags",)

    def __init__(self, *args, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Answers sent with this page to questions of other groups (a client that sends every
        # answer at once): each is a plain yes or no, already checked for garbage, and kept.
        self.other_answers = {}
        for flag in RED_FLAGS:
            if group is not None and flag not in group:
                if self[flag].data is not None:
                    self.other_answers[flag] = self[flag].data
                del self[flag]

    @property
    def flags(self):
        """Return the red flags this form asks, in contract order."""
        return [flag for flag in RED_FLAGS if flag in self]

    @classmethod
    def part_from(cls, answers):
        raw = answers.get(cls.step, {})
        return {"red_flags": [flag for flag in RED_FLAGS if raw.get(flag) == "yes"]}

    def answer_checks(self):
        for flag in self.flags:
            self.require(self[flag], "yes_no")

    def summary_text(self, field):
        """Name the question: several "Choose yes or no" would not say which."""
        return f"{field.label.text} {super().summary_text(field)}"


for _flag in RED_FLAGS:
    setattr(SafetyForm, _flag, OneChoice(KnowledgeLabel("red_flag", _flag), choices(YES_NO)))


class AboutForm(StepForm):
    """Step 2: age and where it hurts."""

    step = "about"
    keys = ("age", "locations")
    age = ShortText(_l("How old are you?"), max_length=3, description=_l("In years."))
    locations = ManyChoices(_l("Where does it hurt?"), knowledge_choices("location", LOCATIONS),
                            description=_l("Choose every place that hurts."))

    @classmethod
    def part_from(cls, answers):
        raw = answers.get(cls.step, {})
        part = {"locations": [place for place in LOCATIONS if place in (raw.get("locations") or ())]}
        age = (raw.get("age") or "").strip()
        if age.isascii() and age.isdigit():
            part["age"] = int(age)
        return part

    def answer_checks(self):
        age = self.age.data or ""
        if age and not (age.isascii() and age.isdigit()):
            self.age.errors.append(MESSAGES["age_number"])


class PainForm(StepForm):
    """Step 3: how long, one question per body area (in words, mapped to weeks), and how bad (PEG)."""

    step = "pain"
    keys = ("duration_weeks", "area_weeks", "pain_average", "interference_enjoyment", "interference_activity")
    pain_average = OneChoice(_l("In the past week, what number best describes your pain on average?"),
                             SCALE, description=SCALE_HINT["pain"])
    interference_enjoyment = OneChoice(
        _l("In the past week, how much has pain got in the way of your enjoyment of life?"),
        SCALE, description=SCALE_HINT["interference"])
    interference_activity = OneChoice(
        _l("In the past week, how much has pain got in the way of your general activity?"),
        SCALE, description=SCALE_HINT["interference"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        places = AboutForm.part_from(self.context)["locations"]
        shown = chosen_areas(places)
        for area in AREAS:
            field = self[area_field(area)]
            if area not in shown:
                # Not asked: an answer sent for it (a page left open from before) is dropped.
                del self[area_field(area)]
                continue
            here = [str(KnowledgeLabel("location", place)).lower() for place in places if place in AREAS[area]]
            field.label.text = _("How long have you had the pain in your %(places)s?",
                                 places=", ".join(here))
            if len(here) > 1:
                field.description = _("If these pains started at different times, answer for the one "
                                      "that started most recently.")

    def area_fields(self):
        """Return the duration questions asked on this page, in area order."""
        return [self[area_field(area)] for area in AREAS if area_field(area) in self]

    @classmethod
    def part_from(cls, answers):
        raw = answers.get(cls.step, {})
        weeks = {}
        for area in chosen_areas(AboutForm.part_from(answers)["locations"]):
            if raw.get(area_field(area)) is not None:
                weeks[area] = bucket_number(DURATION_BUCKETS, raw[area_field(area)])
        part = {}
        if weeks:
            part["duration_weeks"] = max(weeks.values())
        if len(weeks) > 1:
            part["area_weeks"] = weeks
        for key in ("pain_average", "interference_enjoyment", "interference_activity"):
            if raw.get(key) is not None:
                part[key] = int(raw[key])
        return part

    def answer_checks(self):
        for field in self.area_fields():
            self.require(field, "area_weeks")

    def field_for(self, path):
        if path.startswith("area_weeks."):
            return self._fields.get(area_field(path[len("area_weeks."):]))
        if path == "duration_weeks":
            fields = self.area_fields()
            return fields[0] if len(fields) == 1 else None
        return super().field_for(path)


def area_field(area):
    """Return the name of the duration question about one body area."""
    return f"area_weeks_{area}"


for _area in AREAS:
    setattr(PainForm, area_field(_area), OneChoice(_l("How long have you had this pain?"),
                                                   bucket_choices(DURATION_BUCKETS)))


class ShownForLocations(StepForm):
    """A checklist that offers only what the chosen locations make relevant.

    Answers to choices that end up hidden (the patient changed the locations) are dropped
    here, in one place, and never reach the intake.
    """

    kind = None        # the knowledge label kind of the choices ("symptom", "health")
    relevant = None    # locations -> the identifiers worth asking about

    @property
    def checklist(self):
        return self[self.keys[0]]

    def restrict_choices(self):
        places = AboutForm.part_from(self.context)["locations"]
        self.checklist.choices = knowledge_choices(self.kind, self.relevant(places)) + NONE_CHOICE

    @classmethod
    def part_from(cls, answers):
        key = cls.keys[0]
        shown = cls.relevant(AboutForm.part_from(answers)["locations"])
        chosen = answers.get(cls.step, {}).get(key) or ()
        return {key: [item for item in shown if item in chosen]}

    def answer_checks(self):
        self.none_or_some(self.checklist)


class FeelForm(ShownForLocations):
    """Step 4: what the pain feels like, asking only what the locations make relevant."""

    step = "feel"
    keys = ("symptoms",)
    kind = "symptom"
    relevant = staticmethod(relevant_symptoms)
    symptoms = ManyChoices(_l("Which of these are true for your pain?"),
                           description=_l("Choose all that apply."))


class TriedForm(StepForm):
    """Step 5, first page: which treatments were tried (details follow on the next page)."""

    step = "tried"
    types = ManyChoices(_l("What have you tried for this pain?"),
                        knowledge_choices("treatment", TREATMENT_TYPES) + NONE_CHOICE,
                        description=_l("Choose everything you have tried, even if it did not help."))
    separate_rows = OneChoice(
        _l("If you had medial branch blocks: how many blocks do you remember the result of?"),
        choices((str(n), str(n)) for n in range(1, MAX_SEPARATE_ROWS + 1)), default="1",
        description=_l("Each test block is asked about on its own."))

    @classmethod
    def part_from(cls, answers):
        return {}

    def answer_checks(self):
        self.none_or_some(self.types)


def row_plan(answers):
    """Return the treatment type of each details row, in the order they are asked."""
    raw = answers.get("tried", {})
    chosen = set(raw.get("types") or ())
    separate = int(raw.get("separate_rows") or 1)
    plan = []
    for kind in TREATMENT_TYPES:
        if kind in chosen:
            plan += [kind] * (separate if kind in SEPARATE_ROW_TYPES else 1)
    return tuple(plan)


# The health items after which the drug list is asked ("other" needs either).
DRUG_LIST_PARENTS = BLOOD_THINNER_PARENTS["other"]


class HealthForm(ShownForLocations):
    """Step 6: health factors that matter for safety and planning, with their follow-up questions.

    Follow-ups sit under the item they follow. Without JavaScript every one is shown, and one
    answered without its parent is judged by the engine's validator like any other problem;
    with JavaScript a follow-up is hidden, and not sent, until its parent is chosen.
    """

    step = "health"
    keys = ("health", "blood_thinner_names")
    kind = "health"
    relevant = staticmethod(relevant_health)
    health = ManyChoices(_l("Do any of these apply to you?"), description=_l("Choose all that apply."))
    blood_thinner_names = ManyChoices(_l("Which blood thinners do you take?"),
                                      knowledge_choices("blood_thinner_name", BLOOD_THINNER_NAMES),
                                      description=_l("Choose all that you take. You can skip this "
                                                     "if you are not sure."))

    def layout(self):
        """Yield (option, follow-up options, parents that show the drug list after it) in page order."""
        options = list(self.health.options())
        shown = [option[1] for option in options]
        last_parent = max((shown.index(p) for p in DRUG_LIST_PARENTS if p in shown), default=None)
        for index, option in enumerate(options):
            if option[1] in HEALTH_PARENTS:
                continue
            below = follow_ups(option[1], shown)
            subs = [other for other in options if other[1] in below]
            yield option, subs, DRUG_LIST_PARENTS if index == last_parent else ()

    @classmethod
    def part_from(cls, answers):
        part = super().part_from(answers)
        chosen = answers.get(cls.step, {}).get("blood_thinner_names") or ()
        names = [name for name in BLOOD_THINNER_NAMES if name in chosen]
        if names:
            part["blood_thinner_names"] = names
        return part
