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


def _weeks_or_unknown(value):
    return value is None or isinstance(value, int)


class Measures(Fact):
    """The numbers the safety rules compare: age and how new the pain is (None where no such pain)."""

    age = Field(int, mandatory=True)
    new_pain_weeks = Field(_weeks_or_unknown, mandatory=True)
    spine_onset = Field(_weeks_or_unknown, mandatory=True)
    head_onset = Field(_weeks_or_unknown, mandatory=True)
    newest_pain_weeks = Field(_weeks_or_unknown, mandatory=True)
    steroid_injections = Field(int, mandatory=True)


class FacetRegion(Fact):
    """One spine region of `facet_regions` and its test-block and ablation history (rules.md 3.2-3.4)."""

    region = Field(str, mandatory=True)
    ablated = Field(bool, mandatory=True)       # a facet_rfa row for the region exists, any date
    tested = Field(bool, mandatory=True)        # a recent medial_branch_block row for the region
    negative = Field(bool, mandatory=True)      # negative_mbb(R)
    positive = Field(int, mandatory=True)       # positive_mbb(R)


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
