"""The result contract (intake.md, "Result"): assembled after the engine runs, in a stable order."""
import json

from triage.contract import ALERTS, CONTRACT
from triage.knowledge import rules
from triage.messages import alert_message, caution_message, reason_message

RULEBASE_VERSION = "2.0.0"
_LEVEL_ORDER = {"emergency": 0, "urgent": 1}


def _variant_key(variant):
    """Sort null variants first."""
    return (variant is not None, variant or "")


def _sources(rule_ids):
    registry = rules()
    return sorted({key for rule in rule_ids for key in registry[rule]["sources"]}, key=source_order)


def source_order(key):
    """Order source keys by number (`S3` before `S12`), `general` last."""
    return (0, int(key[1:])) if key[:1] == "S" and key[1:].isdigit() else (1, key)


class Result:
    """What the engine concluded for one intake."""

    def __init__(self, data):
        self._data = data

    def __getitem__(self, key):
        return self._data[key]

    @property
    def alerts(self):
        return self._data["alerts"]

    @property
    def suggestions(self):
        return self._data["suggestions"]

    def to_dict(self):
        """Return the contract dict (a fresh copy)."""
        return json.loads(self.to_json())

    def to_json(self, indent=None):
        """Return the contract JSON; the same intake always gives the same bytes."""
        return json.dumps(self._data, indent=indent, ensure_ascii=False)


def build_result(case, findings, withheld, alerts):
    """Assemble the sorted contract result from the engine's findings."""
    _check_alerts(findings, alerts)
    shown, held = shown_and_withheld(findings, withheld)
    alert_items = _alerts(findings)
    data = {
        "contract": CONTRACT,
        "rulebase": RULEBASE_VERSION,
        "scores": {"peg": case.peg},
        "alerts": alert_items,
        "suggestions": [_suggestion(key, findings.suggestions[key]) for key in shown],
        "withheld": [_suggestion(key, findings.suggestions[key]) for key in held],
        "cautions": _cautions(findings),
        "not_suggested": _why_not(findings),
        "patient_view": patient_view(alert_items),
        "red_flags_retracted": sorted(case.red_flags_retracted),
    }
    return Result(data)


def conclusion_ids(findings, withheld, alerts):
    """The ids build_result would list: {"alerts": ids, "suggestions": (consultation, variant) keys, "cautions": ids}.

    For callers that compare conclusions only (triage.impact): no texts, sources or order.
    """
    _check_alerts(findings, alerts)
    shown, _ = shown_and_withheld(findings, withheld)
    return {"alerts": set(findings.alerts), "suggestions": set(shown), "cautions": set(findings.cautions)}


def _check_alerts(findings, alerts):
    """Refuse findings whose recorded alerts disagree with the alert facts."""
    if alerts != set(findings.alerts):
        raise RuntimeError("alert facts and recorded alerts disagree")


def shown_and_withheld(findings, withheld):
    """Split the suggested (consultation, variant) keys into shown and withheld ones, each sorted."""
    keys = sorted(findings.suggestions, key=lambda key: (key[0], _variant_key(key[1])))
    return [key for key in keys if not withheld[key]], [key for key in keys if withheld[key]]


def patient_view(alert_items):
    """What the patient is shown (rules.md §2.1): only the emergency alerts when there is one."""
    levels = {alert["level"] for alert in alert_items}
    level = "emergency" if "emergency" in levels else "urgent" if levels else "none"
    shown = [alert["id"] for alert in alert_items if level == "urgent" or alert["level"] == "emergency"]
    raised = {alert["id"] for alert in alert_items}
    crisis = "self_harm_risk" in raised and "self_harm_risk" not in shown and "self_harm_emergency" not in raised
    return {"level": level, "alerts": shown, "crisis_line": crisis}


def _suggestion(key, entry):
    consultation, variant = key
    return {
        "consultation": consultation,
        "variant": variant,
        "regions": entry["regions"],
        "rule": ",".join(sorted(entry["rules"])),
        "because": sorted(entry["because"]),
        "conditions": list(entry["conditions"]),
        "sources": _sources(entry["rules"]),
        "education": consultation,
    }


def _alerts(findings):
    out = []
    for ident, entry in findings.alerts.items():
        because = sorted(entry["because"])
        out.append({
            "id": ident,
            "level": ALERTS[ident],
            "because": because,
            "rules": sorted(entry["rules"]),
            "sources": _sources(entry["rules"]),
            "message": alert_message(ident, because),
        })
    return sorted(out, key=lambda a: (_LEVEL_ORDER[a["level"]], a["id"]))


def _cautions(findings):
    out = []
    for ident in sorted(findings.cautions):
        entry = findings.cautions[ident]
        because = sorted(entry["because"])
        item = {
            "id": ident,
            "applies_to": sorted(entry["applies_to"]),
            "because": because,
            "rules": sorted(entry["rules"]),
            "sources": _sources(entry["rules"]),
            "message": caution_message(ident, because),
        }
        if ident == "bleeding_risk":
            item["asra"] = [{"consultation": c, "variant": v, "class": cls}
                            for (c, v), cls in sorted(findings.asra.items(),
                                                      key=lambda kv: (kv[0][0], _variant_key(kv[0][1])))]
            item["drugs"] = entry["drugs"]
            item["thrombotic_risk_high"] = entry["thrombotic_risk_high"]
        if ident == "inflammatory_back_pain":
            item["criteria"] = entry["criteria"]
        out.append(item)
    return out


def _why_not(findings):
    out = [{"consultation": c, "variant": v, "regions": entry["regions"], "reason": reason,
            "rule": ",".join(sorted(entry["rules"])), "message": reason_message(reason)}
           for (c, v, reason), entry in findings.why_not.items()]
    return sorted(out, key=lambda n: (n["consultation"], _variant_key(n["variant"]), n["reason"]))
