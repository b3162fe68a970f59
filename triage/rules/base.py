"""What every rule mixin shares: salience levels, checks, and how findings are recorded."""
from dataclasses import dataclass, field
from typing import NamedTuple

from experta import KnowledgeEngine

from triage.facts import Alert, Suggestion, WhyNot

# Safety first: alerts fire before anything else; suggestions next; then the
# alerts withhold them; cautions last, when every consultation is known.
ALERT = 100
SUGGEST = 50
WITHHOLD = 20
CAUTION = 10


def rule_id(ident):
    """Tag a rule method with its id in the rule registry (knowledge/rules.yaml)."""

    def tag(method):
        method.rule_id = ident
        return method

    return tag


class Check(NamedTuple):
    """One condition of a rule: whether it holds, the why-not reason if not, and words for the nurse."""

    ok: bool
    reason: str
    text: str


@dataclass
class Findings:
    """What the rules concluded during one run, with the explanations."""

    alerts: dict = field(default_factory=dict)        # alert id -> {"rules": set, "because": set}
    suggestions: dict = field(default_factory=dict)   # (consultation, variant) -> details
    why_not: dict = field(default_factory=dict)       # (consultation, variant, reason) -> rule ids
    cautions: dict = field(default_factory=dict)      # caution id -> {"rules": set, "applies_to": set}
    asra: dict = field(default_factory=dict)          # (consultation, variant) -> class


class RuleHelpers(KnowledgeEngine):
    """Recording helpers used by the rule bodies of every mixin."""

    case = None
    findings = None

    def start(self, case):
        """Prepare for one evaluation of `case`."""
        self.case = case
        self.findings = Findings()
        self.reset()

    def raise_alert(self, ident, level, rule, because):
        """Record an alert and the answers or terms that raised it."""
        entry = self.findings.alerts.setdefault(ident, {"level": level, "rules": set(), "because": set()})
        entry["rules"].add(rule)
        entry["because"].update(because)
        self.declare(Alert(id=ident, level=level))

    def consider(self, rule, consultation, variant, checks, because, pattern=()):
        """Suggest when every check holds; otherwise record one why-not per failed check.

        `pattern` words the facts the rule matched on, shown to the nurse before the checks.
        """
        failed = [check for check in checks if not check.ok]
        for check in failed:
            self.not_suggested(rule, consultation, variant, check.reason)
        if failed:
            return
        key = (consultation, variant)
        entry = self.findings.suggestions.setdefault(
            key, {"rules": set(), "because": set(), "conditions": []})
        entry["rules"].add(rule)
        entry["because"].update(because)
        for text in [*pattern, *(check.text for check in checks)]:
            if text not in entry["conditions"]:
                entry["conditions"].append(text)
        self.declare(Suggestion(consultation=consultation, variant=variant))

    def not_suggested(self, rule, consultation, variant, reason):
        """Record that a consultation is not suggested, and why."""
        self.findings.why_not.setdefault((consultation, variant, reason), set()).add(rule)
        self.declare(WhyNot(consultation=consultation, variant=variant, reason=reason))

    def add_caution(self, ident, rule, consultation):
        """Record a caution that applies to one consultation."""
        entry = self.findings.cautions.setdefault(ident, {"rules": set(), "applies_to": set()})
        entry["rules"].add(rule)
        entry["applies_to"].add(consultation)
