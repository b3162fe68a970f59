"""Repeat radiofrequency ablation, facet and genicular (rules.md 3.4).

Only the first condition that fails is named: the nurse sees the one thing that
stands in the way, in the order a clinician would check them.
"""
from experta import MATCH, Rule

from triage.facts import FacetRegion, Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id


class RepeatAblationRules(RuleHelpers):
    """A repeat ablation is discussed only after long, strong relief from the last one."""

    def repeat_checks(self, rows, kind, relief_weeks_name, knee=False, regions_unclear=False):
        """The ordered conditions of 3.4 over `rows` (any date); only the first that fails is returned."""
        case = self.case
        if not case.baseline:
            return [checks.baseline(case)]
        recent = sum(t.count for t in rows if t.recent)
        latest = case.latest(rows)
        limit, min_relief = threshold("rfa_repeat_relief_failed"), threshold(relief_weeks_name)
        min_weeks_ago = threshold("rfa_repeat_min_weeks_ago")
        ordered = [
            lambda: Check(recent < threshold("rfa_repeat_max_per_year"), "frequency_limit",
                          f"total({kind}) {recent} < {threshold('rfa_repeat_max_per_year')}"),
            lambda: Check(latest is not None, "information_missing", f"latest({kind}) gives weeks_ago"),
            lambda: Check(not (latest.relief_percent < limit or (latest.relief_weeks is not None
                                                                  and latest.relief_weeks < min_relief)),
                          "prior_treatment_failed",
                          f"latest({kind}) relief_percent {latest.relief_percent} >= {limit} and relief_weeks "
                          f"not below {min_relief}"),
            lambda: Check(latest.weeks_ago >= min_weeks_ago and not (knee and self.knee_replaced_recently()),
                          "too_soon", f"latest({kind}) weeks_ago {latest.weeks_ago} >= {min_weeks_ago}"
                          + (", knee not replaced recently" if knee else "")),
            lambda: Check(latest.relief_weeks is not None and not (regions_unclear and latest.region is None),
                          "information_missing",
                          f"latest({kind}) relief_weeks given ({latest.relief_weeks} >= {min_relief})"
                          + (" and its region known" if regions_unclear else "")),
        ]
        passed = [checks.baseline(case)]
        for make in ordered:
            check = make()
            if not check.ok:
                return [check]
            passed.append(check)
        return passed

    def knee_replaced_recently(self):
        return "knee_replacement_last_6_months" in self.case.health

    @Rule(FacetRegion(region=MATCH.region, ablated=True), salience=SUGGEST)
    @rule_id("rfa.facet_repeat")
    def repeat_rfa_facet(self, region):
        case = self.case
        rows = case.rows("facet_rfa", recent_only=False, region=region)
        self.consider("radiofrequency_ablation", "facet_repeat",
                      self.repeat_checks(rows, "facet_rfa", "facet_rfa_min_relief_weeks",
                                         regions_unclear=case.several_facet_regions),
                      ["axial_spine", "baseline", "facet_rfa"], regions=[region])

    @Rule(Term(name="knee_pattern"), Term(name="any_genicular_rfa"), salience=SUGGEST)
    @rule_id("rfa.genicular_repeat")
    def repeat_rfa_genicular(self):
        rows = self.case.rows("genicular_rfa", recent_only=False)
        self.consider("radiofrequency_ablation", "genicular",
                      self.repeat_checks(rows, "genicular_rfa", "genicular_rfa_min_relief_weeks", knee=True),
                      ["knee_pattern", "baseline", "genicular_rfa"])
