"""The derived terms of rules.md section 1, computed once per intake.

Rules read these by name. A value the patient did not give (an optional
treatment key left out) is never "below" or "at least" anything: every
comparison here goes through `_below` / `_at_least`, which are false for None.
"""
from dataclasses import dataclass, field
from functools import cached_property

from triage import contract as c
from triage.knowledge import threshold


def _below(value, limit):
    return value is not None and value < limit


def _at_least(value, limit):
    return value is not None and value >= limit


@dataclass(frozen=True)
class Treatment:
    """One treatment row, with the contract's defaults filled in."""

    type: str
    relief_percent: int
    weeks: int = 0
    count: int = 1
    relief_weeks: int | None = None
    weeks_ago: int | None = None

    @property
    def recent(self):
        """Less than a year ago, or when the patient did not say."""
        return self.weeks_ago is None or self.weeks_ago < threshold("recent_weeks")


@dataclass(frozen=True)
class Case:
    """A valid intake and everything rules.md derives from it."""

    age: int
    locations: frozenset
    duration_weeks: int
    newest_pain_weeks: int | None
    pain_average: int
    interference_enjoyment: int
    interference_activity: int
    symptoms: frozenset
    red_flags: frozenset
    health: frozenset
    treatments: tuple = field(default=())

    @classmethod
    def from_intake(cls, intake):
        """Build a case from a validated intake dict."""
        return cls(
            age=intake["age"],
            locations=frozenset(intake["locations"]),
            duration_weeks=intake["duration_weeks"],
            newest_pain_weeks=intake.get("newest_pain_weeks"),
            pain_average=intake["pain_average"],
            interference_enjoyment=intake["interference_enjoyment"],
            interference_activity=intake["interference_activity"],
            symptoms=frozenset(intake.get("symptoms", ())),
            red_flags=frozenset(intake["red_flags"]),
            health=frozenset(intake.get("health", ())),
            treatments=tuple(Treatment(**row) for row in intake.get("treatments", ())),
        )

    # --- scores and pain pattern -------------------------------------------------
    @cached_property
    def peg(self):
        """Mean of the three PEG items, one decimal (half rounds up)."""
        total = self.pain_average + self.interference_enjoyment + self.interference_activity
        return int(total * 10 / 3 + 0.5) / 10

    @cached_property
    def baseline(self):
        return self.pain_average >= threshold("baseline_pain") and (
            self.interference_enjoyment >= threshold("baseline_interference")
            or self.interference_activity >= threshold("baseline_interference"))

    @cached_property
    def new_pain_weeks(self):
        if self.newest_pain_weeks is None:
            return self.duration_weeks
        return min(self.duration_weeks, self.newest_pain_weeks)

    @cached_property
    def spine(self):
        return bool(self.locations & set(c.SPINE_LOCATIONS))

    @cached_property
    def limb(self):
        return bool(self.locations & set(c.LIMB_LOCATIONS))

    @cached_property
    def lumbar_radicular(self):
        return "radiates_below_knee" in self.symptoms and bool(
            self.locations & {"lower_back", "buttock", "leg"})

    @cached_property
    def cervical_radicular(self):
        return "radiates_down_arm" in self.symptoms and bool(
            self.locations & {"neck", "shoulder", "arm", "hand"})

    @cached_property
    def claudication(self):
        return "leg_pain_walking_eased_sitting" in self.symptoms and bool(
            self.locations & {"lower_back", "buttock"})

    @cached_property
    def radicular(self):
        return self.lumbar_radicular or self.cervical_radicular

    @cached_property
    def axial_spine(self):
        return self.spine and not self.radicular and not self.claudication

    @cached_property
    def si_pattern(self):
        return "buttock" in self.locations and "radiates_below_knee" not in self.symptoms

    @cached_property
    def myofascial(self):
        return "tender_muscle_knot" in self.symptoms and bool(
            self.locations & {"neck", "shoulder", "upper_back", "lower_back", "buttock"})

    @cached_property
    def occipital_pattern(self):
        return "head" in self.locations and {"scalp_tender_back_of_head", "shooting_electric"} <= self.symptoms

    @cached_property
    def knee_pattern(self):
        return "knee" in self.locations and bool(self.health & {"knee_osteoarthritis", "knee_replacement"})

    @cached_property
    def crps_categories(self):
        return len(self.symptoms & {"touch_sensitivity", "limb_color_temperature_change",
                                    "limb_swelling_sweating", "limb_stiffness_or_skin_changes"})

    @cached_property
    def crps_pattern(self):
        return (self.limb and "pain_out_of_proportion" in self.symptoms
                and self.crps_categories >= threshold("crps_min_categories"))

    # --- treatment history -------------------------------------------------------
    def rows(self, kind, recent_only=True):
        """Treatment rows of one type (recent ones unless told otherwise)."""
        return [t for t in self.treatments if t.type == kind and (t.recent or not recent_only)]

    def has_any(self, kind):
        """Whether any row of this type exists, however long ago."""
        return any(t.type == kind for t in self.treatments)

    def total(self, kind):
        """Sum of `count` over recent rows of one type."""
        return sum(t.count for t in self.rows(kind))

    def latest(self, kind):
        """The row of this type with the smallest `weeks_ago` (first on a tie), or None."""
        dated = [t for t in self.treatments if t.type == kind and t.weeks_ago is not None]
        return min(dated, key=lambda t: t.weeks_ago) if dated else None

    def any_recent_below(self, kind, percent):
        """Whether a recent row of this type eased the pain by less than `percent`."""
        return any(_below(t.relief_percent, percent) for t in self.rows(kind))

    def conservative_failures(self, weeks):
        """Recent conservative-care rows tried `weeks` or more with relief below 50 %."""
        limit = threshold("conservative_relief_failed")
        return [t for t in self.treatments if t.type in c.CONSERVATIVE_TYPES and t.recent
                and _at_least(t.weeks, weeks) and _below(t.relief_percent, limit)]

    def conservative_failed(self, weeks):
        return bool(self.conservative_failures(weeks))

    @cached_property
    def positive_mbb(self):
        return sum(1 for t in self.rows("medial_branch_block")
                   if _at_least(t.relief_percent, threshold("mbb_positive_relief")))

    @cached_property
    def negative_mbb(self):
        return self.any_recent_below("medial_branch_block", threshold("mbb_positive_relief"))

    @cached_property
    def recent_spine_procedure(self):
        limit = threshold("recent_spine_procedure_weeks")
        return any(t.type in c.SPINE_PROCEDURE_TYPES and t.weeks_ago is not None and t.weeks_ago <= limit
                   for t in self.treatments)

    @cached_property
    def recent_spine_surgery(self):
        return any(_below(t.weeks_ago, threshold("recent_spine_surgery_weeks"))
                   for t in self.treatments if t.type == "spine_surgery")

    def knee_first_line_failures(self):
        """The rows that make `knee_first_line_failed` true, or [] when it is false."""
        weeks, limit = threshold("knee_first_line_weeks"), threshold("knee_first_line_relief_failed")

        def failed(kinds, min_weeks):
            return [t for t in self.treatments if t.type in kinds and t.recent
                    and _at_least(t.weeks, min_weeks) and _below(t.relief_percent, limit)]

        exercise = failed({"physical_therapy", "home_exercise"}, weeks)
        medicine = failed({"anti_inflammatory", "acetaminophen"}, weeks)
        injection = failed({"knee_joint_injection"}, 0)
        if exercise and medicine and ("knee_replacement" in self.health or injection):
            return exercise + medicine + injection
        return []

    @cached_property
    def knee_first_line_failed(self):
        return bool(self.knee_first_line_failures())
