"""The facts the rule engine reasons over.

Intake answers and derived terms come in; alerts, suggestions and why-not
reasons are declared by rules and read back after `run()`.
"""
from experta import Fact, Field


class Answer(Fact):
    """One answer the patient gave: a red flag, health item, symptom or location."""

    kind = Field(str, mandatory=True)
    id = Field(str, mandatory=True)


class Term(Fact):
    """A derived term of rules.md section 1 that holds for this intake."""

    name = Field(str, mandatory=True)


class Measures(Fact):
    """The numbers the safety rules compare: age and how new the pain is."""

    age = Field(int, mandatory=True)
    duration_weeks = Field(int, mandatory=True)
    new_pain_weeks = Field(int, mandatory=True)


class Alert(Fact):
    """A red flag conclusion; any alert withholds every suggestion."""

    id = Field(str, mandatory=True)
    level = Field(str, mandatory=True)


class Suggestion(Fact):
    """A consultation that may be discussed (or is withheld behind an alert)."""

    consultation = Field(str, mandatory=True)
    variant = Field(lambda v: v is None or isinstance(v, str), mandatory=True)
    withheld = Field(bool, default=False)


class WhyNot(Fact):
    """A consultation whose pattern is present but which is not suggested, and why."""

    consultation = Field(str, mandatory=True)
    variant = Field(lambda v: v is None or isinstance(v, str), mandatory=True)
    reason = Field(str, mandatory=True)
