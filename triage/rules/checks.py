"""Conditions shared by several suggestion rules, each a `Check` with its why-not reason.

Every check reads the case and a named threshold, and words itself for the
nurse with the patient's own values.
"""
from triage.contract import CONSERVATIVE_TYPES
from triage.knowledge import threshold
from triage.rules.base import Check


def duration(case, name):
    """The pain has lasted at least the named number of weeks."""
    weeks = threshold(name)
    return Check(case.duration_weeks >= weeks, "duration_too_short",
                 f"duration_weeks {case.duration_weeks} >= {weeks}")


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


def under_yearly_limit(case, kind, name):
    """Fewer than the named number of this procedure in the recent rows."""
    limit = threshold(name)
    return Check(case.total(kind) < limit, "frequency_limit",
                 f"total({kind}) {case.total(kind)} < {limit}")


def no_recent_surgery(case):
    """No spine surgery in the last 12 weeks."""
    return Check(not case.recent_spine_surgery, "too_soon",
                 f"no spine_surgery with weeks_ago < {threshold('recent_spine_surgery_weeks')}")


def failed_treatment_types(case, weeks_name):
    """The conservative-care types that failed, for a suggestion's `because`."""
    return sorted({t.type for t in case.conservative_failures(threshold(weeks_name))})
