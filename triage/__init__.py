"""Pain Triage: intake validation and the interventional-pain rule engine.

`evaluate(intake)` is the one door everyone uses (web, CLI, API, tests).
"""
from triage import _compat  # noqa: F401  (must come first: makes experta importable on 3.10+)
from triage.contract import CONTRACT
from triage.engine import evaluate
from triage.result import RULEBASE_VERSION, Result
from triage.validation import InvalidIntake, Problem, validate

__all__ = ["CONTRACT", "RULEBASE_VERSION", "InvalidIntake", "Problem", "Result", "evaluate", "validate"]
