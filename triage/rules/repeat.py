"""Repeat radiofrequency ablation, facet and genicular (rules.md 3.4)."""
from experta import Rule

from triage.facts import Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id


class RepeatAblationRules(RuleHelpers):
    """A repeat ablation is discussed only after long, strong relief from the last one."""

    def repeat_checks(self, kind, relief_weeks_name):
        """The ordered conditions of 3.4; only the first that fails is reported."""
        case = self.case
        latest = case.latest(kind)
        relief_limit = threshold("rfa_repeat_relief_failed")
        min_relief_weeks = threshold(relief_weeks_name)
        min_weeks_ago = threshold("rfa_repeat_min_weeks_ago")
        ordered = [checks.baseline(case),
                   checks.under_yearly_limit(case, kind, "rfa_repeat_max_per_year"),
                   Check(latest is not None, "information_missing", f"latest({kind}) gives weeks_ago")]
        if latest is not None:
            failed_relief = latest.relief_percent < relief_limit or (
                latest.relief_weeks is not None and latest.relief_weeks < min_relief_weeks)
            ordered += [
                Check(not failed_relief, "prior_treatment_failed",
                      f"latest({kind}) relief_percent {latest.relief_percent} >= {relief_limit} and relief_weeks "
                      f"{latest.relief_weeks if latest.relief_weeks is not None else 'unknown'} "
                      f"not below {min_relief_weeks}"),
                Check(latest.weeks_ago >= min_weeks_ago, "too_soon",
                      f"latest({kind}) weeks_ago {latest.weeks_ago} >= {min_weeks_ago}"),
                Check(latest.relief_weeks is not None, "information_missing",
                      f"latest({kind}) relief_weeks given ({latest.relief_weeks} >= {min_relief_weeks})"),
            ]
        first_failure = next((check for check in ordered if not check.ok), None)
        return ordered if first_failure is None else [first_failure]

    @Rule(Term(name="axial_spine"), Term(name="any_facet_rfa"), salience=SUGGEST)
    @rule_id("rfa.facet_repeat")
    def repeat_rfa_facet(self):
        self.consider("rfa.facet_repeat", "radiofrequency_ablation", "facet_repeat",
                      self.repeat_checks("facet_rfa", "facet_rfa_min_relief_weeks"),
                      ["axial_spine", "baseline", "facet_rfa"])

    @Rule(Term(name="knee_pattern"), Term(name="any_genicular_rfa"), salience=SUGGEST)
    @rule_id("rfa.genicular_repeat")
    def repeat_rfa_genicular(self):
        self.consider("rfa.genicular_repeat", "radiofrequency_ablation", "genicular",
                      self.repeat_checks("genicular_rfa", "genicular_rfa_min_relief_weeks"),
                      ["knee_pattern", "baseline", "genicular_rfa"])
