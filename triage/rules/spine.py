"""Spine consultations: epidurals (3.1), the facet pathway (3.2) and facet ablation (3.3)."""
from experta import NOT, OR, Rule

from triage.facts import Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id


class SpineRules(RuleHelpers):
    """Epidural steroid injections, facet blocks and facet radiofrequency ablation."""

    def esi_checks(self):
        """The shared conditions and blocks of both epidural variants (3.1)."""
        case = self.case
        soon = threshold("esi_min_interval_weeks")
        too_soon = case.recent_spine_surgery or any(
            t.weeks_ago is not None and t.weeks_ago < soon for t in case.rows("epidural_steroid_injection"))
        return [
            checks.duration(case, "esi_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "esi_conservative_weeks"),
            checks.no_recent_failure(case, "epidural_steroid_injection", "esi_prior_relief_failed"),
            checks.under_yearly_limit(case, "epidural_steroid_injection", "esi_max_per_year"),
            Check(not too_soon, "too_soon",
                  f"no epidural with weeks_ago < {soon}, and no spine_surgery with weeks_ago "
                  f"< {threshold('recent_spine_surgery_weeks')}"),
        ]

    def esi_because(self, *terms):
        failed = checks.failed_treatment_types(self.case, "esi_conservative_weeks")
        return [*terms, "baseline", "duration_weeks", "conservative_failed", *failed]

    @Rule(Term(name="lumbar_radicular"), salience=SUGGEST)
    @rule_id("esi.lumbar.radicular")
    def spine_esi_lumbar_radicular(self):
        self.consider("esi.lumbar.radicular", "epidural_steroid_injection", "lumbar", self.esi_checks(),
                      self.esi_because("lumbar_radicular", "radiates_below_knee"))

    @Rule(Term(name="claudication"), salience=SUGGEST)
    @rule_id("esi.lumbar.claudication")
    def spine_esi_lumbar_claudication(self):
        self.consider("esi.lumbar.claudication", "epidural_steroid_injection", "lumbar", self.esi_checks(),
                      self.esi_because("claudication", "leg_pain_walking_eased_sitting"))

    @Rule(Term(name="cervical_radicular"), salience=SUGGEST)
    @rule_id("esi.cervical")
    def spine_esi_cervical(self):
        self.consider("esi.cervical", "epidural_steroid_injection", "cervical", self.esi_checks(),
                      self.esi_because("cervical_radicular", "radiates_down_arm"))

    @Rule(Term(name="axial_spine"), Term(name="baseline"), salience=SUGGEST)
    @rule_id("esi.axial_pain_only")
    def spine_esi_axial_only(self):
        if self.case.duration_weeks >= threshold("esi_duration_weeks"):
            self.not_suggested("esi.axial_pain_only", "epidural_steroid_injection", None, "axial_pain_only")

    @Rule(Term(name="axial_spine"), NOT(Term(name="any_facet_rfa")), NOT(Term(name="recent_mbb")),
          salience=SUGGEST)
    @rule_id("facet.diagnostic_block")
    def spine_facet_diagnostic(self):
        case = self.case
        self.consider("facet.diagnostic_block", "facet_joint_injection", "diagnostic_block", [
            checks.duration(case, "facet_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "facet_conservative_weeks"),
            checks.no_recent_surgery(case),
        ], ["axial_spine", "baseline", "duration_weeks", "conservative_failed",
            *checks.failed_treatment_types(case, "facet_conservative_weeks")])

    @Rule(Term(name="axial_spine"), Term(name="positive_mbb_once"), NOT(Term(name="negative_mbb")),
          salience=SUGGEST)
    @rule_id("facet.confirmatory_block")
    def spine_facet_confirmatory(self):
        self.consider("facet.confirmatory_block", "facet_joint_injection", "confirmatory_block",
                      [checks.baseline(self.case)],
                      ["axial_spine", "baseline", "positive_mbb", "medial_branch_block"])

    @Rule(Term(name="spine"), OR(Term(name="radicular"), Term(name="claudication")),
          NOT(Term(name="any_facet_rfa")), salience=SUGGEST)
    @rule_id("facet.radicular_pain")
    def spine_facet_radicular(self):
        self.not_suggested("facet.radicular_pain", "facet_joint_injection", None, "radicular_pain")

    @Rule(Term(name="axial_spine"), Term(name="positive_mbb_enough"), NOT(Term(name="negative_mbb")),
          NOT(Term(name="any_facet_rfa")), salience=SUGGEST)
    @rule_id("rfa.facet")
    def spine_rfa_facet(self):
        self.consider("rfa.facet", "radiofrequency_ablation", "facet",
                      [checks.baseline(self.case), checks.no_recent_surgery(self.case)],
                      ["axial_spine", "baseline", "positive_mbb", "medial_branch_block"])

    @Rule(Term(name="axial_spine"), Term(name="negative_mbb"), NOT(Term(name="any_facet_rfa")), salience=SUGGEST)
    @rule_id("rfa.facet.negative_block")
    def spine_rfa_negative_block(self):
        self.not_suggested("rfa.facet.negative_block", "radiofrequency_ablation", "facet", "prior_treatment_failed")
