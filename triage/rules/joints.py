"""Joint consultations: sacroiliac injections (3.5) and the knee pathway (3.8)."""
from experta import NOT, OR, Rule

from triage.facts import Answer, Term
from triage.knowledge import threshold
from triage.rules import checks
from triage.rules.base import SUGGEST, Check, RuleHelpers, rule_id

SI = "sacroiliac_joint_injection"


class JointRules(RuleHelpers):
    """Sacroiliac joint injections, genicular nerve blocks and genicular ablation."""

    @Rule(Term(name="si_pattern"), NOT(Term(name="recent_si_injection")), salience=SUGGEST)
    @rule_id("si.diagnostic")
    def joint_si_diagnostic(self):
        case = self.case
        self.consider(SI, "diagnostic", [
            checks.duration(case, "back_leg", "si_duration_weeks"),
            checks.baseline(case),
            checks.conservative(case, "si_conservative_weeks"),
        ], ["si_pattern", "buttock", "baseline", case.duration_field("back_leg"), "conservative_failed",
            *checks.failed_treatment_types(case, "si_conservative_weeks")])

    def si_repeat_check(self, rows):
        """From the second injection in a year, the latest must have helped long enough (3.5)."""
        total = sum(t.count for t in rows)
        if total < threshold("si_repeat_after"):
            return []
        latest = self.case.latest(rows)
        weeks = threshold("si_repeat_min_relief_weeks")
        if latest is None or latest.relief_weeks is None:
            return [Check(False, "information_missing",
                          f"total({SI}) {total} >= {threshold('si_repeat_after')}: latest gives relief_weeks")]
        return [Check(latest.relief_weeks >= weeks, "prior_treatment_failed",
                      f"latest({SI}) relief_weeks {latest.relief_weeks} >= {weeks}")]

    @Rule(Term(name="si_pattern"), Term(name="recent_si_injection"), salience=SUGGEST)
    @rule_id("si.therapeutic")
    def joint_si_therapeutic(self):
        case = self.case
        good, bad = threshold("si_therapeutic_relief"), threshold("si_prior_relief_failed")
        rows = case.rows(SI)
        helped = any(t.relief_percent >= good for t in rows) and not any(t.relief_percent < bad for t in rows)
        self.consider(SI, "therapeutic", [
            checks.baseline(case),
            Check(helped, "prior_treatment_failed",
                  f"a recent {SI} with relief_percent >= {good}, none below {bad}"),
            checks.under_yearly_limit(case, SI, "si_max_per_year"),
            *self.si_repeat_check(rows),
        ], ["si_pattern", "buttock", "baseline", SI])

    @Rule(Term(name="baseline"), Answer(kind="location", id="buttock"), OR(Term(name="lumbar_radicular"), Term(name="claudication")),
          salience=SUGGEST)
    @rule_id("si.radicular_pain")
    def joint_si_radicular(self):
        self.not_suggested(SI, None, "radicular_pain")

    @Rule(Term(name="knee_pattern"), NOT(Term(name="any_genicular_rfa")),
          NOT(Term(name="recent_genicular_block")), salience=SUGGEST)
    @rule_id("nerve_block.genicular")
    def joint_genicular_block(self):
        case = self.case
        failures = case.knee_first_line_failures()
        self.consider("nerve_block", "genicular", [
            checks.duration(case, "knee", "knee_duration_weeks"),
            checks.baseline(case),
            Check(bool(failures), "first_line_care_first",
                  "knee_first_line_failed: " + (", ".join(checks.describe(t) for t in failures) or "no")),
            checks.not_recent_knee_replacement(case),
        ], ["knee_pattern", *sorted(case.health & {"knee_osteoarthritis", "knee_replacement"}),
            "baseline", case.duration_field("knee"), "knee_first_line_failed", *sorted({t.type for t in failures})])

    @Rule(Term(name="knee_pattern"), NOT(Term(name="any_genicular_rfa")),
          Term(name="recent_genicular_block"), salience=SUGGEST)
    @rule_id("rfa.genicular")
    def joint_genicular_rfa(self):
        case = self.case
        relief = threshold("genicular_block_positive_relief")
        self.consider("radiofrequency_ablation", "genicular", [
            Check(not case.any_recent_below("genicular_nerve_block", relief), "prior_treatment_failed",
                  f"every recent genicular_nerve_block relief_percent >= {relief}"),
            checks.baseline(case),
            checks.not_recent_knee_replacement(case),
        ], ["knee_pattern", "baseline", "genicular_nerve_block"])
