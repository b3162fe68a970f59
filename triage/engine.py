"""The triage engine: one intake in, one deterministic result out.

Building an experta engine is the expensive part, and an engine is not
thread-safe, so each thread keeps its own and resets it between evaluations.
"""
import threading
from functools import cache

from experta import Rule
from experta.conditionalelement import ConditionalElement

from triage.facts import Alert, Answer, FacetRegion, Measures, Suggestion, Term
from triage.matcher import FastDepthStrategy, FastReteMatcher
from triage.result import build_result, conclusion_ids
from triage.rules.cautions import BLEEDING, CautionRules
from triage.rules.joints import JointRules
from triage.rules.repeat import RepeatAblationRules
from triage.rules.safety import EmergencyRules, UrgentRules
from triage.rules.soft_tissue import SoftTissueRules
from triage.rules.spine import SpineRules
from triage.terms import Case
from triage.validation import InvalidIntake, validate

# The boolean derived terms of rules.md section 1 that rules match on.
TERMS = ("baseline", "spine", "limb", "lumbar_radicular", "cervical_radicular", "claudication",
         "radicular", "axial_spine", "si_pattern", "myofascial", "occipital_pattern", "knee_pattern",
         "crps_pattern", "recent_spine_procedure", "unattributed_mbb", "axspa_screen")


class TriageEngine(EmergencyRules, UrgentRules, SpineRules, RepeatAblationRules, JointRules, SoftTissueRules,
                   CautionRules):
    """The whole rule base, composed from one mixin per clinical area."""

    __matcher__ = FastReteMatcher
    __strategy__ = FastDepthStrategy


def rule_methods():
    """Return {method name: rule id} for every rule the engine class defines."""
    found = {}
    for klass in reversed(TriageEngine.__mro__):
        for name, value in vars(klass).items():
            if isinstance(value, Rule):
                found[name] = value.rule_id
    return found


@cache
def matched_answers():
    """Return {answer kind: the ids some rule names}, with None for a kind some rule tests by predicate.

    Declaring an answer no rule can match only costs time in the Rete network (about
    half the locations and symptoms of an intake), so `case_facts` leaves those out.
    The sets are read from the rules themselves, never kept by hand.
    """
    found = {}

    def walk(node):
        if isinstance(node, Answer):
            ident = node.get("id")
            kind = found.setdefault(node.get("kind"), set())
            if kind is not None:
                found[node.get("kind")] = kind | {ident} if isinstance(ident, str) else None
        elif isinstance(node, (ConditionalElement, tuple, list)):
            for child in node:
                walk(child)

    for rule in _engine().get_rules():
        walk(rule)
    return found


def _answer_facts(kind, answers):
    named = matched_answers().get(kind, set())
    return [Answer(kind=kind, id=ident) for ident in sorted(answers) if named is None or ident in named]


def case_facts(case):
    """Translate a case into the facts the rules match on."""
    facts = [Measures(age=case.age, new_pain_weeks=case.new_pain_weeks, spine_onset=case.spine_onset,
                      head_onset=case.head_onset, newest_pain_weeks=case.newest_pain_weeks,
                      steroid_injections=case.steroid_injections)]
    for kind, answers in (("red_flag", case.red_flags), ("health", case.health), ("location", case.locations),
                          ("symptom", case.symptoms)):
        facts += _answer_facts(kind, answers)
    facts += [Term(name=name) for name in TERMS if getattr(case, name)]
    facts += [Term(name=name) for name in sorted(history_terms(case))]
    facts += [facet_region(case, region) for region in case.facet_regions]
    return facts


def facet_region(case, region):
    """The facet pathway state of one spine region (rules.md 3.2-3.4)."""
    return FacetRegion(region=region, ablated=bool(case.rows("facet_rfa", recent_only=False, region=region)),
                       tested=bool(case.rows("medial_branch_block", region=region)),
                       negative=case.negative_mbb(region), positive=case.positive_mbb(region))


def history_terms(case):
    """Treatment-history and health preconditions the rules match on."""
    terms = set()
    if case.has_any("genicular_rfa"):
        terms.add("any_genicular_rfa")
    if case.rows("sacroiliac_joint_injection"):
        terms.add("recent_si_injection")
    if case.rows("genicular_nerve_block"):
        terms.add("recent_genicular_block")
    if case.health & set(BLEEDING):
        terms.add("bleeding_risk_factor")
    return terms


_local = threading.local()


def _engine():
    """Return this thread's engine, building it on first use."""
    engine = getattr(_local, "engine", None)
    if engine is None:
        engine = _local.engine = TriageEngine()
    return engine


def _run(intake):
    """Run the rules on a valid intake; return (case, findings, withheld, alert ids) for the result."""
    problems = validate(intake)
    if problems:
        raise InvalidIntake(problems)
    case = Case.from_intake(intake)
    engine = _engine()
    engine.start(case)
    engine.declare(*case_facts(case))
    engine.run()
    withheld = {(f["consultation"], f["variant"]): f["withheld"]
                for f in engine.facts.values() if isinstance(f, Suggestion)}
    alerts = {f["id"] for f in engine.facts.values() if isinstance(f, Alert)}
    return case, engine.findings, withheld, alerts


def evaluate(intake):
    """Evaluate a valid intake; raise InvalidIntake listing every problem otherwise."""
    return build_result(*_run(intake))


def conclude(intake):
    """Return only the ids evaluate(intake) would list, without building its texts (see result.conclusion_ids).

    {"alerts": ids, "suggestions": (consultation, variant) keys of the suggestions shown,
    "cautions": ids}; raises InvalidIntake like evaluate.
    """
    _, findings, withheld, alerts = _run(intake)
    return conclusion_ids(findings, withheld, alerts)


__all__ = ["conclude", "evaluate", "matched_answers", "rule_methods", "TriageEngine"]
