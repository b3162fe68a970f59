"""Joint consultations: sacroiliac injections (3.5) and the knee pathway (3.8)."""
from experta import NOT, Rule

from triage.facts import Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id


class JointRules(RuleHelpers):
    """Sacroiliac joint injections, genicular nerve blocks and genicular ablation."""

    @Rule(Term(name="si_pattern"), NOT(Term(name="recent_si_injection")), salience=SUGGEST)
    @rule_id("si.diagnostic")
    def joint_si_diagnostic(self):
        case = self.case
        self.consider("si.diagnostic", "sacroiliac_joint_injection", "diagnostic", [
            checks.duration(case, "si_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "si_conservative_weeks"),
        ], ["si_pattern", "buttock", "baseline", "duration_weeks", "conservative_failed",
            *checks.failed_treatment_types(case, "si_conservative_weeks")])

    @Rule(Term(name="si_pattern"), Term(name="recent_si_injection"), salience=SUGGEST)
    @rule_id("si.therapeutic")
    def joint_si_therapeutic(self):
        case = self.case
        good = threshold("si_therapeutic_relief")
        bad = threshold("si_prior_relief_failed")
        rows = case.rows("sacroiliac_joint_injection")
        helped = any(t.relief_percent >= good for t in rows) and not any(t.relief_percent < bad for t in rows)
        self.consider("si.therapeutic", "sacroiliac_joint_injection", "therapeutic", [
            checks.baseline(case),
            Check(helped, "prior_treatment_failed",
                  f"a recent sacroiliac_joint_injection with relief_percent >= {good}, none below {bad}"),
            checks.under_yearly_limit(case, "sacroiliac_joint_injection", "si_max_per_year"),
        ], ["si_pattern", "buttock", "baseline", "sacroiliac_joint_injection"])

    @Rule(Term(name="knee_pattern"), NOT(Term(name="any_genicular_rfa")),
          NOT(Term(name="recent_genicular_block")), salience=SUGGEST)
    @rule_id("nerve_block.genicular")
    def joint_genicular_block(self):
        case = self.case
        failures = case.knee_first_line_failures()
        self.consider("nerve_block.genicular", "nerve_block", "genicular", [
            checks.duration(case, "knee_duration_weeks"),
            checks.baseline(case),
            Check(bool(failures), "first_line_care_first",
                  "knee_first_line_failed: " + (", ".join(checks.describe(t) for t in failures) or "no")),
        ], ["knee_pattern", *sorted(case.health & {"knee_osteoarthritis", "knee_replacement"}),
            "baseline", "duration_weeks", "knee_first_line_failed", *sorted({t.type for t in failures})])

    @Rule(Term(name="knee_pattern"), NOT(Term(name="any_genicular_rfa")),
          Term(name="recent_genicular_block"), salience=SUGGEST)
    @rule_id("rfa.genicular")
    def joint_genicular_rfa(self):
        case = self.case
        self.consider("rfa.genicular", "radiofrequency_ablation", "genicular", [
            checks.baseline(case),
            Check(not case.any_recent_below("genicular_nerve_block", threshold("genicular_block_positive_relief")),
                  "prior_treatment_failed",
                  f"every recent genicular_nerve_block relief_percent >= "
                  f"{threshold('genicular_block_positive_relief')}"),
        ], ["knee_pattern", "baseline", "genicular_nerve_block"])
