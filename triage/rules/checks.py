"""Conditions shared by several suggestion rules, each a `Check` with its why-not reason.

Every check reads the case and a named threshold, and words itself for the
nurse with the patient's own values.
"""
from triage.contract import CONSERVATIVE_TYPES
from triage.knowledge import threshold
from triage.rules.base import Check


def duration(case, area, name):
    """The pain of one body area has lasted at least the named number of weeks."""
    weeks, lasted = threshold(name), case.duration(area)
    return Check(lasted >= weeks, "duration_too_short", f"duration({area}) {lasted} >= {weeks}")


def duration_of(case, places, label, name):
    """The newest pain among some locations has lasted at least the named number of weeks."""
    weeks, lasted = threshold(name), case.duration_of(places)
    return Check(lasted is not None and lasted >= weeks, "duration_too_short",
                 f"duration_of({label}) {lasted} >= {weeks}")


def baseline(case):
    """Moderate or worse pain with functional interference."""
    return Check(case.baseline, "pain_below_threshold",
                 f"baseline: pain_average {case.pain_average} >= {threshold('baseline_pain')} and interference "
                 f"(enjoyment {case.interference_enjoyment}, activity {case.interference_activity}) "
                 f">= {threshold('baseline_interference')}")


def describe(row):
    """Word a treatment row for the nurse: weeks tried only where they mean something."""
    if row.type in CONSERVATIVE_TYPES:
        return f"{row.type} {row.weeks} wk {row.relief_percent} %"
    return f"{row.type} {row.relief_percent} %"


def conservative(case, name):
    """Conservative care tried for the named number of weeks gave less than 50 % relief."""
    weeks = threshold(name)
    failures = case.conservative_failures(weeks)
    tried = ", ".join(describe(t) for t in failures)
    return Check(bool(failures), "conservative_care_first",
                 f"conservative_failed({weeks}): {tried or 'none'}")


def no_recent_failure(case, kind, name):
    """No recent row of this type eased the pain by less than the named percent."""
    percent = threshold(name)
    return Check(not case.any_recent_below(kind, percent), "prior_treatment_failed",
                 f"no recent {kind} with relief_percent < {percent}")


def under_yearly_limit(case, kind, name, region=None):
    """Fewer than the named number of this procedure in the recent rows (for a spine region when given)."""
    limit, total = threshold(name), case.total(kind, region)
    where = f" for {region}" if region else ""
    return Check(total < limit, "frequency_limit", f"total({kind}{where}) {total} < {limit}")


def no_recent_surgery(case, region):
    """No spine surgery for the region (or of unknown region) in the last 12 weeks."""
    return Check(not case.recent_spine_surgery(region), "too_soon",
                 f"no spine_surgery for {region} with weeks_ago < {threshold('recent_spine_surgery_weeks')}")


def not_recent_knee_replacement(case):
    """The painful knee was not replaced in the last 6 months."""
    return Check("knee_replacement_last_6_months" not in case.health, "too_soon",
                 f"knee not replaced in the last {threshold('knee_replacement_recent_months')} months")


def failed_treatment_types(case, weeks_name):
    """The conservative-care types that failed, for a suggestion's `because`."""
    return sorted({t.type for t in case.conservative_failures(threshold(weeks_name))})
