"""Alerts (rules.md section 2): red flags that override every suggestion.

One rule per clause; a rule's id names its alert (`alert.<id>` or `alert.<id>.<clause>`).
"""
from experta import AS, MATCH, NOT, OR, P, Rule

from triage.facts import Alert, Answer, Measures, Suggestion, Term
from triage.knowledge import threshold
from triage.rules.base import ALERT, WITHHOLD, RuleHelpers, rule_id

BLEEDING = ("blood_thinner", "antiplatelet", "bleeding_disorder")


def flag(*ids):
    """Match a red flag answered yes, binding its id to `flag`."""
    return Answer(kind="red_flag", id=P(lambda value: value in ids) & MATCH.flag)


def health(*ids):
    """Match a health answer, binding its id to `item`."""
    return Answer(kind="health", id=P(lambda value: value in ids) & MATCH.item)


def has(kind, ident):
    """Match one answer of a kind (red_flag, health, symptom, location)."""
    return Answer(kind=kind, id=ident)


def below(measure, name):
    """Match when a measure (weeks since a pain began) is known and below a threshold."""
    return Measures(**{measure: P(lambda weeks: weeks is not None and weeks < threshold(name))})


def age_at_least(name):
    """Match when the patient's age is at or above a threshold."""
    return Measures(age=P(lambda age: age >= threshold(name)))


class EmergencyRules(RuleHelpers):
    """The emergency alerts: go to an emergency department or call 911 now."""

    @Rule(flag("bladder_bowel_change", "saddle_numbness", "both_legs_weak_or_numb"), salience=ALERT)
    @rule_id("alert.cauda_equina")
    def safety_cauda_equina(self, flag):
        self.raise_alert([flag])

    @Rule(flag("symptoms_after_recent_injection"), salience=ALERT)
    @rule_id("alert.post_injection_complication.reported")
    def safety_post_injection_reported(self, flag):
        self.raise_alert([flag])

    @Rule(Term(name="recent_spine_procedure"),
          flag("fever_chills", "progressive_weakness", "hands_clumsy_or_unsteady", "headache_fever_stiff_neck",
               "sudden_severe_headache"),
          salience=ALERT)
    @rule_id("alert.post_injection_complication.recent_procedure")
    def safety_post_injection_recent_procedure(self, flag):
        dated = self.case.dated_recent_spine_procedure
        self.raise_alert([flag, "recent_spine_procedure" if dated else "spine_procedure_undated"])

    @Rule(flag("sudden_severe_headache", "headache_fever_stiff_neck", "headache_with_neuro_symptoms"),
          salience=ALERT)
    @rule_id("alert.headache_emergency")
    def safety_headache_emergency(self, flag):
        self.raise_alert([flag])

    @Rule(flag("chest_pain_breathless"), salience=ALERT)
    @rule_id("alert.chest_pain")
    def safety_chest_pain(self, flag):
        self.raise_alert([flag])

    @Rule(flag("aortic_aneurysm"), salience=ALERT)
    @rule_id("alert.aortic_aneurysm")
    def safety_aortic_aneurysm(self, flag):
        self.raise_alert([flag])

    @Rule(flag("self_harm_plan"), salience=ALERT)
    @rule_id("alert.self_harm_emergency")
    def safety_self_harm_emergency(self, flag):
        self.raise_alert([flag])

    @Rule(has("red_flag", "fever_chills"), has("health", "immunosuppressed"), salience=ALERT)
    @rule_id("alert.fever_immunosuppressed")
    def safety_fever_immunosuppressed(self):
        self.raise_alert(["fever_chills", "immunosuppressed"])

    @Rule(has("red_flag", "joint_hot_swollen"), has("red_flag", "fever_chills"), salience=ALERT)
    @rule_id("alert.septic_joint.hot_joint")
    def safety_septic_hot_joint(self):
        self.raise_alert(["joint_hot_swollen", "fever_chills"])

    @Rule(has("location", "knee"), has("health", "knee_replacement"), has("red_flag", "fever_chills"),
          salience=ALERT)
    @rule_id("alert.septic_joint.replaced_knee")
    def safety_septic_replaced_knee(self):
        self.raise_alert(["knee", "knee_replacement", "fever_chills"])

    @Rule(flag("limb_suddenly_cold_pale"), salience=ALERT)
    @rule_id("alert.limb_ischemia")
    def safety_limb_ischemia(self, flag):
        self.raise_alert([flag])

    @Rule(has("location", "head"), has("red_flag", "major_trauma"), health(*BLEEDING), salience=ALERT)
    @rule_id("alert.head_injury_bleeding_risk")
    def safety_head_injury_bleeding_risk(self, item):
        self.raise_alert(["head", "major_trauma", item])


class UrgentRules(RuleHelpers):
    """The urgent alerts: contact the clinic today."""

    @Rule(flag("progressive_weakness", "hands_clumsy_or_unsteady"), salience=ALERT)
    @rule_id("alert.neurologic_deficit")
    def safety_neurologic_deficit(self, flag):
        self.raise_alert([flag])

    @Rule(flag("fever_chills"), salience=ALERT)
    @rule_id("alert.possible_infection.fever")
    def safety_infection_fever(self, flag):
        self.raise_alert([flag])

    @Rule(Term(name="spine"), health("immunosuppressed", "active_infection", "injection_drug_use"),
          below("spine_onset", "new_pain_infection_malignancy_weeks"), salience=ALERT)
    @rule_id("alert.possible_infection.risk_factor")
    def safety_infection_risk_factor(self, item):
        self.raise_alert([item, "spine", "spine_onset"])

    @Rule(flag("unexplained_weight_loss"), salience=ALERT)
    @rule_id("alert.possible_malignancy.weight_loss")
    def safety_malignancy_weight_loss(self, flag):
        self.raise_alert([flag])

    @Rule(has("red_flag", "cancer_history"), Term(name="spine"), salience=ALERT)
    @rule_id("alert.possible_malignancy.spine")
    def safety_malignancy_spine(self):
        self.raise_alert(["cancer_history", "spine"])

    @Rule(has("red_flag", "cancer_history"), below("new_pain_weeks", "new_pain_infection_malignancy_weeks"),
          salience=ALERT)
    @rule_id("alert.possible_malignancy.new_pain")
    def safety_malignancy_new_pain(self):
        self.raise_alert(["cancer_history", "new_pain_weeks"])

    @Rule(has("red_flag", "night_rest_pain"),
          OR(below("new_pain_weeks", "new_pain_infection_malignancy_weeks"), has("symptom", "pain_getting_worse")),
          salience=ALERT)
    @rule_id("alert.possible_malignancy.night_pain")
    def safety_malignancy_night_pain(self):
        new = self.case.new_pain_weeks < threshold("new_pain_infection_malignancy_weeks")
        worse = "pain_getting_worse" in self.case.symptoms
        self.raise_alert(["night_rest_pain", *(["new_pain_weeks"] if new else []),
                          *(["pain_getting_worse"] if worse else [])])

    @Rule(flag("major_trauma"), salience=ALERT)
    @rule_id("alert.possible_fracture.trauma")
    def safety_fracture_trauma(self, flag):
        self.raise_alert([flag])

    @Rule(age_at_least("fracture_age"), Term(name="spine"), below("spine_onset", "new_pain_fracture_weeks"),
          salience=ALERT)
    @rule_id("alert.possible_fracture.age")
    def safety_fracture_age(self):
        self.raise_alert(["age", "spine", "spine_onset"])

    @Rule(health("osteoporosis", "long_term_steroids"), Term(name="spine"),
          below("spine_onset", "new_pain_fracture_weeks"), salience=ALERT)
    @rule_id("alert.possible_fracture.bone_health")
    def safety_fracture_bone_health(self, item):
        self.raise_alert([item, "spine", "spine_onset"])

    @Rule(flag("headache_changed_pattern"), salience=ALERT)
    @rule_id("alert.headache_warning.changed_pattern")
    def safety_headache_changed(self, flag):
        self.raise_alert([flag])

    @Rule(has("location", "head"), age_at_least("headache_age"), below("head_onset", "new_headache_weeks"),
          salience=ALERT)
    @rule_id("alert.headache_warning.new_after_50")
    def safety_headache_new_after_50(self):
        self.raise_alert(["head", "age", "head_onset"])

    @Rule(has("location", "head"), health("pregnant", "postpartum_6_weeks"), salience=ALERT)
    @rule_id("alert.headache_warning.pregnancy")
    def safety_headache_pregnancy(self, item):
        self.raise_alert(["head", item])

    @Rule(has("location", "head"), has("health", "immunosuppressed"), below("head_onset", "new_headache_weeks"),
          salience=ALERT)
    @rule_id("alert.headache_warning.immunosuppressed")
    def safety_headache_immunosuppressed(self):
        self.raise_alert(["head", "immunosuppressed", "head_onset"])

    @Rule(has("location", "head"), has("red_flag", "major_trauma"), salience=ALERT)
    @rule_id("alert.headache_warning.head_injury")
    def safety_headache_head_injury(self):
        self.raise_alert(["head", "major_trauma"])

    @Rule(flag("limb_swelling_or_cold"), salience=ALERT)
    @rule_id("alert.limb_circulation")
    def safety_limb_circulation(self, flag):
        self.raise_alert([flag])

    @Rule(has("red_flag", "joint_hot_swollen"), NOT(has("red_flag", "fever_chills")), salience=ALERT)
    @rule_id("alert.joint_inflamed")
    def safety_joint_inflamed(self):
        self.raise_alert(["joint_hot_swollen"])

    @Rule(flag("self_harm_thoughts"), salience=ALERT)
    @rule_id("alert.self_harm_risk")
    def safety_self_harm_risk(self, flag):
        self.raise_alert([flag])

    @Rule(Alert(), AS.suggestion << Suggestion(withheld=False), salience=WITHHOLD)
    @rule_id("withhold.on_alert")
    def safety_withhold_on_alert(self, suggestion):
        self.modify(suggestion, withheld=True)
