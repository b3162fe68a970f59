"""Cautions (rules.md section 4): what the nurse must plan for, per consultation.

Most cautions are raised only for a consultation that is present (suggested or
withheld); those marked "always" in rules.md are raised without one. Cautions fire
last, when every consultation and alert is known.
"""
from experta import MATCH, NOT, OR, P, Rule

from triage.contract import ALLERGY_ITEMS, STEROID_VARIANTS
from triage.facts import Alert, Answer, Measures, Suggestion, Term, WhyNot
from triage.knowledge import threshold
from triage.rules.base import CAUTION, RuleHelpers, rule_id

BLEEDING = ("blood_thinner", "antiplatelet", "bleeding_disorder")
CLASSES = ("low", "intermediate", "high")
# The duration threshold of each variant that `mixed_durations` compares newest_pain_weeks with.
DURATION_OF_VARIANT = {
    ("epidural_steroid_injection", "lumbar"): "esi_duration_weeks",
    ("epidural_steroid_injection", "cervical"): "esi_duration_weeks",
    ("facet_joint_injection", "diagnostic_block"): "facet_duration_weeks",
    ("sacroiliac_joint_injection", "diagnostic"): "si_duration_weeks",
    ("nerve_block", "occipital"): "occipital_duration_weeks",
    ("nerve_block", "genicular"): "knee_duration_weeks",
    ("nerve_block", "sympathetic"): "crps_duration_weeks",
}


# The treatment rows whose yearly count blocks each consultation and variant (rules.md 3.1-3.6).
COUNTED_ROWS = {
    ("epidural_steroid_injection", "lumbar"): "epidural_steroid_injection",
    ("epidural_steroid_injection", "cervical"): "epidural_steroid_injection",
    ("radiofrequency_ablation", "facet_repeat"): "facet_rfa",
    ("radiofrequency_ablation", "genicular"): "genicular_rfa",
    ("sacroiliac_joint_injection", "therapeutic"): "sacroiliac_joint_injection",
    ("trigger_point_injection", None): "trigger_point_injection",
}


def health(*ids):
    """Match a health answer among `ids`, binding it to `item`."""
    return Answer(kind="health", id=P(lambda value: value in ids) & MATCH.item)


def has(kind, ident):
    """Match one answer of a kind."""
    return Answer(kind=kind, id=ident)


def present():
    """Match each consultation and variant that is suggested or withheld."""
    return Suggestion(consultation=MATCH.consultation, variant=MATCH.variant)


class ConsultationCautions(RuleHelpers):
    """Cautions raised for the consultations present."""

    def present_consultations(self):
        """Every consultation suggested or withheld so far (all of them, once cautions fire)."""
        return {consultation for consultation, _ in self.findings.suggestions}

    @Rule(Term(name="bleeding_risk_factor"), present(), salience=CAUTION)
    @rule_id("caution.bleeding_risk")
    def caution_bleeding_risk(self, consultation, variant):
        case = self.case
        self.findings.asra[(consultation, variant)] = self.asra_class(consultation, variant)
        self.add_caution([consultation], self.bleeding_because(),
                         drugs=sorted(case.blood_thinner_names),
                         thrombotic_risk_high="stent_or_clot_last_year" in case.health)

    def bleeding_because(self):
        case = self.case
        because = sorted(case.health & {*BLEEDING, "kidney_or_liver_disease", "stent_or_clot_last_year"})
        if self.older_on_thinner():
            because.append("age")
        return because

    def older_on_thinner(self):
        case = self.case
        return case.age >= threshold("asra_older_age") and bool(case.health & {"blood_thinner", "antiplatelet"})

    def asra_class(self, consultation, variant):
        """ASRA bleeding-risk class of one present consultation for this patient [S33]."""
        regions = self.findings.suggestions[(consultation, variant)]["regions"] or ()
        facet_item = consultation == "facet_joint_injection" or (
            consultation == "radiofrequency_ablation" and variant in ("facet", "facet_repeat"))
        intermediate = (consultation == "epidural_steroid_injection"
                        or (consultation, variant) == ("nerve_block", "sympathetic")
                        or (facet_item and "neck" in regions))
        items = self.case.health
        higher = ("bleeding_disorder" in items or {"blood_thinner", "antiplatelet"} <= items
                  or "kidney_or_liver_disease" in items or self.older_on_thinner())
        return CLASSES[int(intermediate) + int(higher)]

    @Rule(has("health", "diabetes"), present(), salience=CAUTION)
    @rule_id("caution.diabetes_steroid")
    def caution_diabetes_steroid(self, consultation, variant):
        if (consultation, variant) in STEROID_VARIANTS:
            self.add_caution([consultation], sorted(self.case.health & {"diabetes", "diabetes_insulin"}))

    @Rule(OR(Measures(steroid_injections=P(lambda n: n >= threshold("steroid_load_injections"))),
             has("health", "long_term_steroids")), present(), salience=CAUTION)
    @rule_id("caution.steroid_load")
    def caution_steroid_load(self, consultation, variant):
        if (consultation, variant) not in STEROID_VARIANTS:
            return
        case = self.case
        many = case.steroid_injections >= threshold("steroid_load_injections")
        self.add_caution([consultation], [*(["steroid_injections"] if many else []),
                                          *sorted(case.health & {"long_term_steroids"})])

    @Rule(has("health", "pregnant"), present(), salience=CAUTION)
    @rule_id("caution.pregnancy")
    def caution_pregnancy(self, consultation):
        self.add_caution([consultation], ["pregnant"])

    @Rule(health(*ALLERGY_ITEMS), present(), salience=CAUTION)
    @rule_id("caution.allergy")
    def caution_allergy(self, item, consultation):
        self.add_caution([consultation], [item])

    @Rule(has("health", "implanted_device"), Suggestion(consultation="radiofrequency_ablation"), salience=CAUTION)
    @rule_id("caution.implanted_device")
    def caution_implanted_device(self):
        self.add_caution(["radiofrequency_ablation"], ["implanted_device"])

    @Rule(has("health", "active_infection"), present(), salience=CAUTION)
    @rule_id("caution.active_infection")
    def caution_active_infection(self, consultation):
        self.add_caution([consultation], ["active_infection"])

    @Rule(has("health", "immunosuppressed"), present(), salience=CAUTION)
    @rule_id("caution.immunosuppressed")
    def caution_immunosuppressed(self, consultation):
        self.add_caution([consultation], ["immunosuppressed"])

    @Rule(health("daily_opioid_or_sedative", "sleep_apnea"), present(), salience=CAUTION)
    @rule_id("caution.sedation_risk")
    def caution_sedation_risk(self, item, consultation):
        self.add_caution([consultation], [item])

    @Rule(has("health", "no_driver"), present(), salience=CAUTION)
    @rule_id("caution.transport")
    def caution_transport(self, consultation):
        self.add_caution([consultation], ["no_driver"])

    @Rule(has("red_flag", "cancer_history"), NOT(Alert(id="possible_malignancy")), present(), salience=CAUTION)
    @rule_id("caution.cancer_history")
    def caution_cancer_history(self, consultation):
        self.add_caution([consultation], ["cancer_history"])

    @Rule(has("health", "knee_replacement"), NOT(has("health", "knee_replacement_checked")),
          Suggestion(consultation=MATCH.consultation, variant="genicular"), salience=CAUTION)
    @rule_id("caution.knee_replacement_review")
    def caution_knee_replacement_review(self, consultation):
        self.add_caution([consultation], ["knee_replacement"])

    @Rule(Measures(newest_pain_weeks=P(lambda weeks: weeks is not None)), present(), salience=CAUTION)
    @rule_id("caution.mixed_durations")
    def caution_mixed_durations(self, consultation, variant):
        name = DURATION_OF_VARIANT.get((consultation, variant))
        if name and self.case.newest_pain_weeks < threshold(name):
            self.add_caution([consultation], ["newest_pain_weeks"])


class StandingCautions(ConsultationCautions):
    """Cautions raised whether or not a consultation is present ("always" in rules.md §4)."""

    @Rule(has("health", "daily_opioid_or_sedative"), salience=CAUTION)
    @rule_id("caution.opioid_safety")
    def caution_opioid_safety(self):
        self.add_caution(self.present_consultations(), ["daily_opioid_or_sedative"])

    @Rule(has("red_flag", "night_rest_pain"), NOT(Alert(id="possible_malignancy")), salience=CAUTION)
    @rule_id("caution.night_pain")
    def caution_night_pain(self):
        self.add_caution(self.present_consultations(), ["night_rest_pain"])

    @Rule(has("health", "aortic_aneurysm_known"), salience=CAUTION)
    @rule_id("caution.aortic_aneurysm_known")
    def caution_aortic_aneurysm_known(self):
        self.add_caution(self.present_consultations(), ["aortic_aneurysm_known"])

    @Rule(Term(name="axspa_screen"), salience=CAUTION)
    @rule_id("caution.inflammatory_back_pain")
    def caution_inflammatory_back_pain(self):
        case = self.case
        self.add_caution(self.present_consultations(), ["axspa_screen", *case.ibp_criteria_met],
                         criteria=case.ibp_criteria)

    @Rule(WhyNot(reason="frequency_limit", consultation=MATCH.consultation, variant=MATCH.variant),
          salience=CAUTION)
    @rule_id("caution.frequency_limit")
    def caution_frequency_limit(self, consultation, variant):
        self.add_caution([consultation], [COUNTED_ROWS[(consultation, variant)]])


class CautionRules(StandingCautions):
    """Every caution of rules.md section 4."""
