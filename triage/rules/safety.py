"""Alerts (rules.md section 2): red flags that override every suggestion."""
from experta import AS, MATCH, P, Rule

from triage.facts import Alert, Answer, Measures, Suggestion, Term
from triage.knowledge import threshold
from triage.rules.base import ALERT, WITHHOLD, RuleHelpers, rule_id


def flag(*ids):
    """Match a red flag answered yes, binding its id to `flag`."""
    return Answer(kind="red_flag", id=P(lambda value: value in ids) & MATCH.flag)


def health(*ids):
    """Match a health answer, binding its id to `item`."""
    return Answer(kind="health", id=P(lambda value: value in ids) & MATCH.item)


def new_pain_below(name):
    """Match when the newest pain began fewer weeks ago than a threshold."""
    return Measures(new_pain_weeks=P(lambda weeks: weeks < threshold(name)))


class SafetyRules(RuleHelpers):
    """Red flags, checked for every intake, at the highest salience."""

    @Rule(flag("bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb"), salience=ALERT)
    @rule_id("alert.cauda_equina")
    def safety_cauda_equina(self, flag):
        self.raise_alert("cauda_equina", "emergency", "alert.cauda_equina", [flag])

    @Rule(flag("symptoms_after_recent_injection"), salience=ALERT)
    @rule_id("alert.post_injection_complication.reported")
    def safety_post_injection_reported(self, flag):
        self.raise_alert("post_injection_complication", "emergency",
                         "alert.post_injection_complication.reported", [flag])

    @Rule(Term(name="recent_spine_procedure"),
          flag("fever_chills", "progressive_weakness", "headache_fever_stiff_neck", "sudden_severe_headache"),
          salience=ALERT)
    @rule_id("alert.post_injection_complication.recent_procedure")
    def safety_post_injection_recent_procedure(self, flag):
        self.raise_alert("post_injection_complication", "emergency",
                         "alert.post_injection_complication.recent_procedure", [flag, "recent_spine_procedure"])

    @Rule(flag("sudden_severe_headache", "headache_fever_stiff_neck", "headache_with_neuro_symptoms"),
          salience=ALERT)
    @rule_id("alert.headache_emergency")
    def safety_headache_emergency(self, flag):
        self.raise_alert("headache_emergency", "emergency", "alert.headache_emergency", [flag])

    @Rule(flag("chest_pain_breathless"), salience=ALERT)
    @rule_id("alert.chest_pain")
    def safety_chest_pain(self, flag):
        self.raise_alert("chest_pain", "emergency", "alert.chest_pain", [flag])

    @Rule(flag("aortic_aneurysm"), salience=ALERT)
    @rule_id("alert.aortic_aneurysm")
    def safety_aortic_aneurysm(self, flag):
        self.raise_alert("aortic_aneurysm", "emergency", "alert.aortic_aneurysm", [flag])

    @Rule(flag("self_harm_plan"), salience=ALERT)
    @rule_id("alert.self_harm_emergency")
    def safety_self_harm_emergency(self, flag):
        self.raise_alert("self_harm_emergency", "emergency", "alert.self_harm_emergency", [flag])

    @Rule(flag("progressive_weakness", "hands_clumsy_or_unsteady"), salience=ALERT)
    @rule_id("alert.neurologic_deficit")
    def safety_neurologic_deficit(self, flag):
        self.raise_alert("neurologic_deficit", "urgent", "alert.neurologic_deficit", [flag])

    @Rule(flag("fever_chills"), salience=ALERT)
    @rule_id("alert.possible_infection.fever")
    def safety_infection_fever(self, flag):
        self.raise_alert("possible_infection", "urgent", "alert.possible_infection.fever", [flag])

    @Rule(Term(name="spine"), health("immunosuppressed", "active_infection"),
          new_pain_below("new_pain_infection_malignancy_weeks"), salience=ALERT)
    @rule_id("alert.possible_infection.risk_factor")
    def safety_infection_risk_factor(self, item):
        self.raise_alert("possible_infection", "urgent", "alert.possible_infection.risk_factor",
                         [item, "spine", "new_pain_weeks"])

    @Rule(flag("unexplained_weight_loss"), salience=ALERT)
    @rule_id("alert.possible_malignancy.weight_loss")
    def safety_malignancy_weight_loss(self, flag):
        self.raise_alert("possible_malignancy", "urgent", "alert.possible_malignancy.weight_loss", [flag])

    @Rule(flag("cancer_history", "night_rest_pain"), Term(name="spine"), salience=ALERT)
    @rule_id("alert.possible_malignancy.spine")
    def safety_malignancy_spine(self, flag):
        self.raise_alert("possible_malignancy", "urgent", "alert.possible_malignancy.spine", [flag, "spine"])

    @Rule(flag("cancer_history", "night_rest_pain"), new_pain_below("new_pain_infection_malignancy_weeks"),
          salience=ALERT)
    @rule_id("alert.possible_malignancy.new_pain")
    def safety_malignancy_new_pain(self, flag):
        self.raise_alert("possible_malignancy", "urgent", "alert.possible_malignancy.new_pain",
                         [flag, "new_pain_weeks"])

    @Rule(flag("major_trauma"), salience=ALERT)
    @rule_id("alert.possible_fracture.trauma")
    def safety_fracture_trauma(self, flag):
        self.raise_alert("possible_fracture", "urgent", "alert.possible_fracture.trauma", [flag])

    @Rule(Measures(age=P(lambda age: age >= threshold("fracture_age"))), Term(name="spine"),
          new_pain_below("new_pain_fracture_weeks"), salience=ALERT)
    @rule_id("alert.possible_fracture.age")
    def safety_fracture_age(self):
        self.raise_alert("possible_fracture", "urgent", "alert.possible_fracture.age",
                         ["age", "spine", "new_pain_weeks"])

    @Rule(health("osteoporosis", "long_term_steroids"), Term(name="spine"),
          new_pain_below("new_pain_fracture_weeks"), salience=ALERT)
    @rule_id("alert.possible_fracture.bone_health")
    def safety_fracture_bone_health(self, item):
        self.raise_alert("possible_fracture", "urgent", "alert.possible_fracture.bone_health",
                         [item, "spine", "new_pain_weeks"])

    @Rule(flag("headache_changed_pattern"), salience=ALERT)
    @rule_id("alert.headache_warning.changed_pattern")
    def safety_headache_changed(self, flag):
        self.raise_alert("headache_warning", "urgent", "alert.headache_warning.changed_pattern", [flag])

    @Rule(Answer(kind="location", id="head"), Measures(age=P(lambda age: age >= threshold("headache_age"))),
          new_pain_below("new_headache_weeks"), salience=ALERT)
    @rule_id("alert.headache_warning.new_after_50")
    def safety_headache_new_after_50(self):
        self.raise_alert("headache_warning", "urgent", "alert.headache_warning.new_after_50",
                         ["head", "age", "new_pain_weeks"])

    @Rule(Answer(kind="location", id="head"), health("pregnant", "immunosuppressed"), salience=ALERT)
    @rule_id("alert.headache_warning.risk_factor")
    def safety_headache_risk_factor(self, item):
        self.raise_alert("headache_warning", "urgent", "alert.headache_warning.risk_factor", ["head", item])

    @Rule(flag("limb_swelling_or_cold"), salience=ALERT)
    @rule_id("alert.limb_circulation")
    def safety_limb_circulation(self, flag):
        self.raise_alert("limb_circulation", "urgent", "alert.limb_circulation", [flag])

    @Rule(flag("self_harm_thoughts"), salience=ALERT)
    @rule_id("alert.self_harm_risk")
    def safety_self_harm_risk(self, flag):
        self.raise_alert("self_harm_risk", "urgent", "alert.self_harm_risk", [flag])

    @Rule(Alert(), AS.suggestion << Suggestion(withheld=False), salience=WITHHOLD)
    @rule_id("withhold.on_alert")
    def safety_withhold_on_alert(self, suggestion):
        self.modify(suggestion, withheld=True)
