"""The derived terms of rules.md section 1, computed once per intake.

Rules read these by name. A value the patient did not give (an optional
treatment key left out) is never "below" or "at least" anything: every
comparison here goes through `_below` / `_at_least`, which are false for None.
"""
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from triage import contract as c
from triage.knowledge import threshold


WEEKS_PER_YEAR = 52  # a unit, not a threshold: onset_age reads the back_leg duration in whole years


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
    region: str | None = None

    @property
    def recent(self):
        """Less than a year ago, or when the patient did not say."""
        return self.weeks_ago is None or self.weeks_ago < threshold("recent_weeks")

    def for_region(self, region):
        """Whether this row counts for a spine region: its region is that one, or unknown (rules.md §0)."""
        return self.region is None or self.region == region


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
    area_weeks: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))
    red_flags_retracted: frozenset = frozenset()
    blood_thinner_names: frozenset = frozenset()

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
            area_weeks=MappingProxyType(dict(intake.get("area_weeks", {}))),
            red_flags_retracted=frozenset(intake.get("red_flags_retracted", ())),
            blood_thinner_names=frozenset(intake.get("blood_thinner_names", ())),
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

    # --- durations per body area (rules.md §1) --------------------------------------
    def duration(self, area):
        """How long the most recent pain of one body area has lasted, in weeks."""
        return self.area_weeks.get(area, self.duration_weeks)

    def duration_field(self, area):
        """The intake field an area's duration was read from."""
        return "area_weeks" if area in self.area_weeks else "duration_weeks"

    @staticmethod
    def area_of(location):
        """The body area a location belongs to."""
        return c.AREA_OF[location]

    def duration_of(self, places):
        """The shortest area duration over the given locations the patient marked (None if none)."""
        weeks = [self.duration(c.AREA_OF[place]) for place in places if place in self.locations]
        return min(weeks) if weeks else None

    def onset_of(self, places):
        """`duration_of(places)`, or `newest_pain_weeks` when that is smaller."""
        weeks = self.duration_of(places)
        if weeks is None or self.newest_pain_weeks is None:
            return weeks
        return min(weeks, self.newest_pain_weeks)

    @cached_property
    def new_pain_weeks(self):
        return self.onset_of(self.locations)

    @cached_property
    def spine_onset(self):
        return self.onset_of(c.SPINE_LOCATIONS)

    @cached_property
    def head_onset(self):
        return self.onset_of(("head",))

    @cached_property
    def onset_age(self):
        return self.age - self.duration("back_leg") // WEEKS_PER_YEAR

    @cached_property
    def mixed_durations(self):
        """Whether the areas the patient marked have different durations."""
        return len({self.duration(c.AREA_OF[place]) for place in self.locations}) > 1

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
    def facet_regions(self):
        """The spine regions the facet pathway is walked for, in spine order."""
        if not self.axial_spine:
            return ()
        return tuple(region for region in c.SPINE_LOCATIONS if region in self.locations)

    @cached_property
    def si_pattern(self):
        return ("buttock" in self.locations and "radiates_below_knee" not in self.symptoms
                and not self.claudication)

    @cached_property
    def ibp_criteria_met(self):
        """The inflammatory back pain criteria (NICE NG65 1.1.4) that hold, by name."""
        met = [name for name in ("wakes_second_half_night", "better_with_movement", "better_with_nsaid")
               if name in self.symptoms]
        met += [name for name in ("family_spondyloarthritis", "arthritis_history", "enthesitis_history",
                                  "psoriasis") if name in self.health]
        if "buttock" in self.locations:
            met.append("buttock")
        if self.onset_age < threshold("axspa_young_onset_age"):
            met.append("onset_age")
        return tuple(sorted(met))

    @cached_property
    def ibp_criteria(self):
        return len(self.ibp_criteria_met)

    @cached_property
    def axspa_screen(self):
        return (bool(self.locations & {"lower_back", "buttock"})
                and self.duration("back_leg") >= threshold("axspa_duration_weeks")
                and self.onset_age < threshold("axspa_onset_age")
                and self.ibp_criteria >= threshold("axspa_min_criteria"))

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
    def rows(self, kind, recent_only=True, region=None):
        """Treatment rows of one type (recent ones unless told otherwise; for a spine region when given)."""
        return [t for t in self.treatments if t.type == kind and (t.recent or not recent_only)
                and (region is None or t.for_region(region))]

    def attributed(self, kind, region):
        """Recent rows of a spine type that are evidence for a region: its own, or unknown with one region."""
        only = self.facet_regions == (region,)
        return [t for t in self.rows(kind) if t.region == region or (t.region is None and only)]

    def has_any(self, kind):
        """Whether any row of this type exists, however long ago."""
        return any(t.type == kind for t in self.treatments)

    def total(self, kind, region=None):
        """Sum of `count` over recent rows of one type (for a spine region when given)."""
        return sum(t.count for t in self.rows(kind, region=region))

    @staticmethod
    def latest(rows):
        """The row with the smallest `weeks_ago` (first listed on a tie), or None if none gives it."""
        dated = [t for t in rows if t.weeks_ago is not None]
        return min(dated, key=lambda t: t.weeks_ago) if dated else None

    def any_recent_below(self, kind, percent, region=None):
        """Whether a recent row of this type eased the pain by less than `percent`."""
        return any(_below(t.relief_percent, percent) for t in self.rows(kind, region=region))

    def conservative_failures(self, weeks):
        """Recent conservative-care rows tried `weeks` or more with relief below 50 %."""
        limit = threshold("conservative_relief_failed")
        return [t for t in self.treatments if t.type in c.CONSERVATIVE_TYPES and t.recent
                and _at_least(t.weeks, weeks) and _below(t.relief_percent, limit)]

    def conservative_failed(self, weeks):
        return bool(self.conservative_failures(weeks))

    def positive_mbb(self, region):
        """How many test blocks attributed to a region gave at least 80 % relief."""
        return sum(1 for t in self.attributed("medial_branch_block", region)
                   if _at_least(t.relief_percent, threshold("mbb_positive_relief")))

    def negative_mbb(self, region):
        """Whether a recent test block for a region gave less than 80 % relief."""
        return self.any_recent_below("medial_branch_block", threshold("mbb_positive_relief"), region)

    @cached_property
    def several_facet_regions(self):
        """Two or more facet regions: a row without region cannot then be attributed."""
        return len(self.facet_regions) > 1

    @cached_property
    def unattributed_mbb(self):
        return self.several_facet_regions and any(t.region is None for t in self.rows("medial_branch_block"))

    @cached_property
    def spine_procedure_undated(self):
        return any(t.type in c.SPINE_PROCEDURE_TYPES and t.weeks_ago is None for t in self.treatments)

    @cached_property
    def dated_recent_spine_procedure(self):
        """A spine injection less than 6 weeks ago or spine surgery less than 12 weeks ago."""
        injection, surgery = threshold("recent_spine_procedure_weeks"), threshold("recent_spine_surgery_weeks")
        return any(_below(t.weeks_ago, surgery if t.type == "spine_surgery" else injection)
                   for t in self.treatments if t.type in c.SPINE_PROCEDURE_TYPES)

    @cached_property
    def recent_spine_procedure(self):
        return self.dated_recent_spine_procedure or self.spine_procedure_undated

    def recent_spine_surgery(self, region):
        """Spine surgery for a region (or of unknown region) less than 12 weeks ago."""
        return any(_below(t.weeks_ago, threshold("recent_spine_surgery_weeks"))
                   for t in self.treatments if t.type == "spine_surgery" and t.for_region(region))

    @cached_property
    def steroid_injections(self):
        return sum(self.total(kind) for kind in c.STEROID_INJECTION_TYPES)

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
