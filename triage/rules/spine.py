"""Spine consultations: epidurals (3.1), the facet pathway and facet ablation (3.2-3.3).

The facet pathway is walked once per spine region of `facet_regions`: each region
is a `FacetRegion` fact, and the first matching step of 3.2 applies to it.
"""
from experta import MATCH, NOT, OR, P, Rule

from triage.facts import FacetRegion, Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id

ESI = "epidural_steroid_injection"


def region(**state):
    """Match a facet region in a given state, binding its name to `region`."""
    return FacetRegion(region=MATCH.region, ablated=False, **state)


class SpineRules(RuleHelpers):
    """Epidural steroid injections, facet blocks and facet radiofrequency ablation."""

    def esi_checks(self, spine_region, area):
        """The conditions of one epidural variant, counting the rows for its spine region (3.1)."""
        case = self.case
        rows = case.rows(ESI, region=spine_region)
        relief, short = threshold("esi_prior_relief_failed"), threshold("esi_min_relief_weeks")
        latest = case.latest(rows)
        short_relief = latest is not None and latest.relief_weeks is not None and latest.relief_weeks < short
        failed = short_relief or any(t.relief_percent < relief for t in rows)
        soon = threshold("esi_min_interval_weeks")
        too_soon = case.recent_spine_surgery(spine_region) or any(
            t.weeks_ago is not None and t.weeks_ago < soon for t in rows)
        return [
            checks.duration(case, area, "esi_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "esi_conservative_weeks"),
            Check(not failed, "prior_treatment_failed",
                  f"no epidural for {spine_region} with relief_percent < {relief}, and the latest did not give "
                  f"relief_weeks < {short}"),
            checks.under_yearly_limit(case, ESI, "esi_max_per_year", spine_region),
            Check(not too_soon, "too_soon",
                  f"no epidural for {spine_region} with weeks_ago < {soon}, and no spine_surgery for "
                  f"{spine_region} with weeks_ago < {threshold('recent_spine_surgery_weeks')}"),
        ]

    def esi_because(self, area, *terms):
        failed = checks.failed_treatment_types(self.case, "esi_conservative_weeks")
        return [*terms, "baseline", self.case.duration_field(area), "conservative_failed", *failed]

    @Rule(Term(name="lumbar_radicular"), salience=SUGGEST)
    @rule_id("esi.lumbar.radicular")
    def spine_esi_lumbar_radicular(self):
        self.consider(ESI, "lumbar", self.esi_checks("lower_back", "back_leg"),
                      self.esi_because("back_leg", "lumbar_radicular", "radiates_below_knee"))

    @Rule(Term(name="claudication"), salience=SUGGEST)
    @rule_id("esi.lumbar.claudication")
    def spine_esi_lumbar_claudication(self):
        self.consider(ESI, "lumbar", self.esi_checks("lower_back", "back_leg"),
                      self.esi_because("back_leg", "claudication", "leg_pain_walking_eased_sitting"))

    @Rule(Term(name="cervical_radicular"), salience=SUGGEST)
    @rule_id("esi.cervical")
    def spine_esi_cervical(self):
        self.consider(ESI, "cervical", self.esi_checks("neck", "neck_arm"),
                      self.esi_because("neck_arm", "cervical_radicular", "radiates_down_arm"))

    @Rule(Term(name="axial_spine"), Term(name="baseline"), salience=SUGGEST)
    @rule_id("esi.axial_pain_only")
    def spine_esi_axial_only(self):
        weeks = self.case.duration_of(("neck", "upper_back", "lower_back"))
        if weeks >= threshold("esi_duration_weeks"):
            self.not_suggested(ESI, None, "axial_pain_only")

    @Rule(Term(name="spine"), OR(Term(name="radicular"), Term(name="claudication")), salience=SUGGEST)
    @rule_id("facet.radicular_pain")
    def spine_facet_radicular(self):
        self.not_suggested("facet_joint_injection", None, "radicular_pain")

    @Rule(region(negative=True), salience=SUGGEST)
    @rule_id("rfa.facet.negative_block")
    def spine_rfa_negative_block(self, region):
        self.not_suggested("radiofrequency_ablation", "facet", "prior_treatment_failed", [region])

    @Rule(region(negative=False), Term(name="unattributed_mbb"), salience=SUGGEST)
    @rule_id("facet.block_region_unknown")
    def spine_facet_block_region_unknown(self, region):
        self.not_suggested("facet_joint_injection", "confirmatory_block", "information_missing", [region])
        self.not_suggested("radiofrequency_ablation", "facet", "information_missing", [region])

    def after_blocks(self, spine_region):
        """The conditions once test blocks have been positive (3.2 steps 3 and 4)."""
        return [checks.baseline(self.case), checks.no_recent_surgery(self.case, spine_region)]

    @Rule(region(negative=False, positive=P(lambda n: n >= threshold("mbb_blocks_for_rfa"))),
          NOT(Term(name="unattributed_mbb")), salience=SUGGEST)
    @rule_id("rfa.facet")
    def spine_rfa_facet(self, region):
        self.consider("radiofrequency_ablation", "facet", self.after_blocks(region),
                      ["axial_spine", "baseline", "positive_mbb", "medial_branch_block"],
                      pattern=[f"positive_mbb({region}) {self.case.positive_mbb(region)} >= "
                               f"{threshold('mbb_blocks_for_rfa')}"], regions=[region])

    @Rule(region(negative=False, positive=P(lambda n: n == threshold("mbb_blocks_for_confirmatory"))),
          NOT(Term(name="unattributed_mbb")), salience=SUGGEST)
    @rule_id("facet.confirmatory_block")
    def spine_facet_confirmatory(self, region):
        self.consider("facet_joint_injection", "confirmatory_block", self.after_blocks(region),
                      ["axial_spine", "baseline", "positive_mbb", "medial_branch_block"],
                      pattern=[f"positive_mbb({region}) == {threshold('mbb_blocks_for_confirmatory')}"],
                      regions=[region])

    @Rule(region(tested=False), salience=SUGGEST)
    @rule_id("facet.diagnostic_block")
    def spine_facet_diagnostic(self, region):
        case = self.case
        area = case.area_of(region)
        self.consider("facet_joint_injection", "diagnostic_block", [
            checks.duration(case, area, "facet_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "facet_conservative_weeks"),
            checks.no_recent_surgery(case, region),
        ], ["axial_spine", "baseline", case.duration_field(area), "conservative_failed",
            *checks.failed_treatment_types(case, "facet_conservative_weeks")], regions=[region])
