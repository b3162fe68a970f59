"""Muscle and nerve consultations: trigger points (3.6), occipital (3.7) and sympathetic blocks (3.9)."""
from experta import Rule

from triage.contract import LIMB_LOCATIONS
from triage.facts import Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id

CRPS_CATEGORIES = {"touch_sensitivity", "limb_color_temperature_change", "limb_swelling_sweating",
                   "limb_stiffness_or_skin_changes"}


class SoftTissueRules(RuleHelpers):
    """Trigger point injections, occipital nerve blocks and sympathetic blocks."""

    @Rule(Term(name="myofascial"), salience=SUGGEST)
    @rule_id("tpi.myofascial")
    def soft_tissue_trigger_point(self):
        case = self.case
        rows = case.rows("trigger_point_injection")
        relief, relief_weeks = threshold("tpi_prior_relief_failed"), threshold("tpi_min_relief_weeks")
        interval = threshold("tpi_min_interval_weeks")
        failed_before = any(t.relief_percent < relief or (t.relief_weeks is not None and t.relief_weeks < relief_weeks)
                            for t in rows)
        too_soon = any(t.weeks_ago is not None and t.weeks_ago < interval for t in rows)
        self.consider("trigger_point_injection", None, [
            checks.baseline(case),
            checks.conservative(case, "tpi_conservative_weeks"),
            Check("widespread_pain" not in case.symptoms, "widespread_pain", "no widespread_pain"),
            checks.under_yearly_limit(case, "trigger_point_injection", "tpi_max_per_year"),
            Check(not failed_before, "prior_treatment_failed",
                  f"no recent trigger_point_injection with relief_percent < {relief} or relief_weeks < {relief_weeks}"),
            Check(not too_soon, "too_soon", f"no trigger_point_injection with weeks_ago < {interval}"),
        ], ["myofascial", "tender_muscle_knot", "baseline", "conservative_failed",
            *checks.failed_treatment_types(case, "tpi_conservative_weeks")])

    @Rule(Term(name="occipital_pattern"), salience=SUGGEST)
    @rule_id("nerve_block.occipital")
    def soft_tissue_occipital(self):
        case = self.case
        self.consider("nerve_block", "occipital", [
            checks.duration(case, "head", "occipital_duration_weeks"),
            checks.baseline(case),
            checks.no_recent_failure(case, "occipital_nerve_block", "occipital_prior_relief_failed"),
        ], ["occipital_pattern", "head", "scalp_tender_back_of_head", "shooting_electric",
            "baseline", case.duration_field("head")])

    @Rule(Term(name="crps_pattern"), salience=SUGGEST)
    @rule_id("nerve_block.sympathetic")
    def soft_tissue_sympathetic(self):
        case = self.case
        categories = sorted(case.symptoms & CRPS_CATEGORIES)
        limbs = [place for place in LIMB_LOCATIONS if place in case.locations]
        self.consider("nerve_block", "sympathetic", [
            checks.duration_of(case, LIMB_LOCATIONS, "arm, hand, leg, foot", "crps_duration_weeks"),
            checks.baseline(case),
            checks.no_recent_failure(case, "sympathetic_block", "sympathetic_prior_relief_failed"),
        ], ["crps_pattern", "pain_out_of_proportion", *categories, "baseline",
            *sorted({case.duration_field(case.area_of(place)) for place in limbs})],
            pattern=[f"crps_pattern: limb, pain_out_of_proportion, crps_categories {case.crps_categories} "
                     f">= {threshold('crps_min_categories')}"])
