"""What every rule mixin shares: salience levels, checks, and how findings are recorded.

A rule states its id once, in `@rule_id`; while it fires the engine knows that id
(`self.firing`), and every finding the body records is filed under it. So a rule body
cannot credit its conclusion to another rule's rationale and sources.
"""
from dataclasses import dataclass, field
from functools import wraps
from typing import NamedTuple

from experta import KnowledgeEngine

from triage.contract import ALERTS
from triage.facts import Alert, Suggestion, WhyNot

# Safety first: alerts fire before anything else; suggestions next; then the
# alerts withhold them; cautions last, when every consultation is known.
ALERT = 100
SUGGEST = 50
WITHHOLD = 20
CAUTION = 10


def rule_id(ident):
    """Give a rule method its id in the rule registry (knowledge/rules.yaml)."""

    def tag(method):
        @wraps(method)
        def fire(self, *args, **kwargs):
            self.firing = ident
            return method(self, *args, **kwargs)

        fire.rule_id = ident
        return fire

    return tag


class Check(NamedTuple):
    """One condition of a rule: whether it holds, the why-not reason if not, and words for the nurse."""

    ok: bool
    reason: str
    text: str


@dataclass
class Findings:
    """What the rules concluded during one run, with the explanations."""

    alerts: dict = field(default_factory=dict)        # alert id -> {"level", "rules": set, "because": set}
    suggestions: dict = field(default_factory=dict)   # (consultation, variant) -> details
    why_not: dict = field(default_factory=dict)       # (consultation, variant, reason) -> {"rules", "regions"}
    cautions: dict = field(default_factory=dict)      # caution id -> {"rules", "applies_to", "because"}
    asra: dict = field(default_factory=dict)          # (consultation, variant) -> class


class RuleHelpers(KnowledgeEngine):
    """Recording helpers used by the rule bodies of every mixin."""

    case = None
    findings = None
    firing = None
    _deffacts = None

    def get_deffacts(self):
        """Return the engine's DefFacts, found once: experta looks them up by introspection on every reset."""
        if self._deffacts is None:
            self._deffacts = super().get_deffacts()
        return self._deffacts

    def start(self, case):
        """Prepare for one evaluation of `case`."""
        self.case = case
        self.findings = Findings()
        self.firing = None
        self.reset()

    def raise_alert(self, because):
        """Record the alert of the firing clause (`alert.<id>[.<clause>]`) and what raised it."""
        ident = self.firing.split(".")[1]
        level = ALERTS[ident]
        entry = self.findings.alerts.setdefault(ident, {"level": level, "rules": set(), "because": set()})
        entry["rules"].add(self.firing)
        entry["because"].update(because)
        self.declare(Alert(id=ident, level=level))

    def consider(self, consultation, variant, checks, because, pattern=(), regions=None):
        """Suggest when every check holds; otherwise record one why-not per failed check.

        `pattern` words the facts the rule matched on, shown to the nurse before the checks;
        `regions` are the spine regions the item is for (facet items), else None.
        """
        failed = [check for check in checks if not check.ok]
        for check in failed:
            self.not_suggested(consultation, variant, check.reason, regions)
        if failed:
            return
        entry = self.findings.suggestions.setdefault(
            (consultation, variant), {"rules": set(), "because": set(), "conditions": [], "regions": None})
        entry["rules"].add(self.firing)
        entry["because"].update(because)
        if regions is not None:
            entry["regions"] = sorted({*(entry["regions"] or ()), *regions}, key=_region_order)
        for text in [*pattern, *(check.text for check in checks)]:
            if text not in entry["conditions"]:
                entry["conditions"].append(text)
        self.declare(Suggestion(consultation=consultation, variant=variant))

    def not_suggested(self, consultation, variant, reason, regions=None):
        """Record that a consultation is not suggested, and why."""
        entry = self.findings.why_not.setdefault((consultation, variant, reason), {"rules": set(), "regions": None})
        entry["rules"].add(self.firing)
        if regions is not None:
            entry["regions"] = sorted({*(entry["regions"] or ()), *regions}, key=_region_order)
        self.declare(WhyNot(consultation=consultation, variant=variant, reason=reason))

    def add_caution(self, applies_to, because, **extra):
        """Record the firing caution (`caution.<id>`) for the consultations it applies to."""
        ident = self.firing.split(".", 1)[1]
        entry = self.findings.cautions.setdefault(ident, {"rules": set(), "applies_to": set(), "because": set()})
        entry["rules"].add(self.firing)
        entry["applies_to"].update(applies_to)
        entry["because"].update(because)
        entry.update(extra)


_REGION_ORDER = {"neck": 0, "upper_back": 1, "lower_back": 2}


def _region_order(region):
    return _REGION_ORDER[region]
