"""Cautions (rules.md section 4): what changes the day of a procedure.

A caution is raised only for a consultation that is present (suggested or
withheld), except `frequency_limit`, which follows the why-not reasons.
"""
from experta import MATCH, NOT, P, Rule

from triage.facts import Alert, Answer, Suggestion, WhyNot
from triage.rules.base import CAUTION, RuleHelpers, rule_id

BLEEDING = ("blood_thinner", "antiplatelet", "bleeding_disorder")
ALLERGIES = ("allergy_contrast", "allergy_local_anesthetic", "allergy_steroid")
CLASSES = ("low", "intermediate", "high")


def health(*ids):
    """Match a health answer among `ids`."""
    return Answer(kind="health", id=P(lambda value: value in ids))


def present():
    """Match each consultation that is suggested or withheld."""
    return Suggestion(consultation=MATCH.consultation, variant=MATCH.variant)


class CautionRules(RuleHelpers):
    """Health factors that the nurse must plan for, per consultation."""

    @Rule(health(*BLEEDING), present(), salience=CAUTION)
    @rule_id("caution.bleeding_risk")
    def caution_bleeding_risk(self, consultation, variant):
        self.add_caution("bleeding_risk", "caution.bleeding_risk", consultation)
        self.findings.asra[(consultation, variant)] = self.asra_class(consultation, variant)

    def asra_class(self, consultation, variant):
        """ASRA bleeding-risk class of a procedure for this patient [S33]."""
        neck = "neck" in self.case.locations
        intermediate = (consultation == "epidural_steroid_injection"
                        or (consultation, variant) == ("nerve_block", "sympathetic")
                        or (neck and consultation == "facet_joint_injection")
                        or (neck and (consultation, variant) in {("radiofrequency_ablation", "facet"),
                                                                 ("radiofrequency_ablation", "facet_repeat")}))
        level = 1 if intermediate else 0
        health_items = self.case.health
        if "bleeding_disorder" in health_items or {"blood_thinner", "antiplatelet"} <= health_items:
            level += 1
        return CLASSES[level]

    @Rule(health("diabetes"), present(), salience=CAUTION)
    @rule_id("caution.diabetes_steroid")
    def caution_diabetes_steroid(self, consultation):
        if consultation != "radiofrequency_ablation":
            self.add_caution("diabetes_steroid", "caution.diabetes_steroid", consultation)

    @Rule(health("pregnant"), present(), salience=CAUTION)
    @rule_id("caution.pregnancy")
    def caution_pregnancy(self, consultation):
        self.add_caution("pregnancy", "caution.pregnancy", consultation)

    @Rule(health(*ALLERGIES), present(), salience=CAUTION)
    @rule_id("caution.allergy")
    def caution_allergy(self, consultation):
        self.add_caution("allergy", "caution.allergy", consultation)

    @Rule(health("implanted_device"), Suggestion(consultation="radiofrequency_ablation"), salience=CAUTION)
    @rule_id("caution.implanted_device")
    def caution_implanted_device(self):
        self.add_caution("implanted_device", "caution.implanted_device", "radiofrequency_ablation")

    @Rule(health("active_infection"), present(), salience=CAUTION)
    @rule_id("caution.active_infection")
    def caution_active_infection(self, consultation):
        self.add_caution("active_infection", "caution.active_infection", consultation)

    @Rule(health("immunosuppressed"), present(), salience=CAUTION)
    @rule_id("caution.immunosuppressed")
    def caution_immunosuppressed(self, consultation):
        self.add_caution("immunosuppressed", "caution.immunosuppressed", consultation)

    @Rule(health("daily_opioid_or_sedative", "sleep_apnea"), present(), salience=CAUTION)
    @rule_id("caution.sedation_risk")
    def caution_sedation_risk(self, consultation):
        self.add_caution("sedation_risk", "caution.sedation_risk", consultation)

    @Rule(health("no_driver"), present(), salience=CAUTION)
    @rule_id("caution.transport")
    def caution_transport(self, consultation):
        self.add_caution("transport", "caution.transport", consultation)

    @Rule(Answer(kind="red_flag", id="cancer_history"), NOT(Alert(id="possible_malignancy")), present(),
          salience=CAUTION)
    @rule_id("caution.cancer_history")
    def caution_cancer_history(self, consultation):
        self.add_caution("cancer_history", "caution.cancer_history", consultation)

    @Rule(WhyNot(reason="frequency_limit", consultation=MATCH.consultation), salience=CAUTION)
    @rule_id("caution.frequency_limit")
    def caution_frequency_limit(self, consultation):
        self.add_caution("frequency_limit", "caution.frequency_limit", consultation)
