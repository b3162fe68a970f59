"""The triage engine: one intake in, one deterministic result out.

Building an experta engine is the expensive part, and an engine is not
thread-safe, so each thread keeps its own and resets it between evaluations.
"""
import threading

from experta import Rule

from triage.facts import Alert, Answer, Measures, Suggestion, Term
from triage.knowledge import threshold
from triage.result import build_result
from triage.rules.cautions import CautionRules
from triage.rules.joints import JointRules
from triage.rules.repeat import RepeatAblationRules
from triage.rules.safety import SafetyRules
from triage.rules.soft_tissue import SoftTissueRules
from triage.rules.spine import SpineRules
from triage.terms import Case
from triage.validation import InvalidIntake, validate

# The boolean derived terms of rules.md section 1 that rules match on.
TERMS = ("baseline", "spine", "limb", "lumbar_radicular", "cervical_radicular", "claudication",
         "radicular", "axial_spine", "si_pattern", "myofascial", "occipital_pattern", "knee_pattern",
         "crps_pattern", "negative_mbb", "recent_spine_procedure", "recent_spine_surgery")


class TriageEngine(SafetyRules, SpineRules, RepeatAblationRules, JointRules, SoftTissueRules, CautionRules):
    """The whole rule base, composed from one mixin per clinical area."""


def rule_methods():
    """Return {method name: rule id} for every rule the engine class defines."""
    found = {}
    for klass in reversed(TriageEngine.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Rule):
                found[name] = value.rule_id
    return found


def case_facts(case):
    """Translate a case into the facts the rules match on."""
    facts = [Measures(age=case.age, duration_weeks=case.duration_weeks, new_pain_weeks=case.new_pain_weeks)]
    facts += [Answer(kind="red_flag", id=flag) for flag in sorted(case.red_flags)]
    facts += [Answer(kind="health", id=item) for item in sorted(case.health)]
    facts += [Answer(kind="location", id=place) for place in sorted(case.locations)]
    facts += [Term(name=name) for name in TERMS if getattr(case, name)]
    facts += [Term(name=name) for name in sorted(history_terms(case))]
    return facts


def history_terms(case):
    """Treatment-history preconditions the suggestion rules match on."""
    terms = set()
    if case.has_any("facet_rfa"):
        terms.add("any_facet_rfa")
    if case.has_any("genicular_rfa"):
        terms.add("any_genicular_rfa")
    if case.rows("medial_branch_block"):
        terms.add("recent_mbb")
    if case.rows("sacroiliac_joint_injection"):
        terms.add("recent_si_injection")
    if case.rows("genicular_nerve_block"):
        terms.add("recent_genicular_block")
    if case.positive_mbb == threshold("mbb_blocks_for_confirmatory"):
        terms.add("positive_mbb_once")
    if case.positive_mbb >= threshold("mbb_blocks_for_rfa"):
        terms.add("positive_mbb_enough")
    return terms


_local = threading.local()


def _engine():
    """Return this thread's engine, building it on first use."""
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = TriageEngine()
    return engine


def evaluate(intake):
    """Evaluate a valid intake; raise InvalidIntake listing every problem otherwise."""
    problems = validate(intake)
    if problems:
        raise InvalidIntake(problems)
    case = Case.from_intake(intake)
    engine = _engine()
    engine.start(case)
    for fact in case_facts(case):
        engine.declare(fact)
    engine.run()
    withheld = {(f["consultation"], f["variant"]): f["withheld"]
                for f in engine.facts.values() if isinstance(f, Suggestion)}
    alerts = {f["id"] for f in engine.facts.values() if isinstance(f, Alert)}
    return build_result(case, engine.findings, withheld, alerts)


__all__ = ["evaluate", "rule_methods", "TriageEngine"]
