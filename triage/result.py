"""The result contract (intake.md, "Result"): assembled after the engine runs, in a stable order."""
import json

from triage.contract import CONTRACT
from triage.knowledge import patient_text, rules

RULEBASE_VERSION = "1.0.0"
_LEVEL_ORDER = {"emergency": 0, "urgent": 1}


def _variant_key(variant):
    """Sort null variants first."""
    return (variant is not None, variant or "")


def _sources(rule_ids):
    registry = rules()
    return sorted({key for rule in rule_ids for key in registry[rule]["sources"]}, key=_source_order)


def _source_order(key):
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
    text = patient_text("en")
    items = [_suggestion(key, entry) for key, entry in findings.suggestions.items()]
    items.sort(key=lambda s: (s["consultation"], _variant_key(s["variant"])))
    data = {
        "contract": CONTRACT,
        "rulebase": RULEBASE_VERSION,
        "scores": {"peg": case.peg},
        "alerts": _alerts(findings, text),
        "suggestions": [s for s in items if not withheld[(s["consultation"], s["variant"])]],
        "withheld": [s for s in items if withheld[(s["consultation"], s["variant"])]],
        "cautions": _cautions(findings, text),
        "not_suggested": _why_not(findings, text),
    }
    if alerts != set(findings.alerts):
        raise RuntimeError("alert facts and recorded alerts disagree")
    return Result(data)


def _suggestion(key, entry):
    consultation, variant = key
    return {
        "consultation": consultation,
        "variant": variant,
        "rule": ",".join(sorted(entry["rules"])),
        "because": sorted(entry["because"]),
        "sources": _sources(entry["rules"]),
        "education": consultation,
        "conditions": list(entry["conditions"]),
    }


def _alerts(findings, text):
    out = []
    for ident, entry in findings.alerts.items():
        wording = text["alerts"][ident]
        out.append({
            "id": ident,
            "level": entry["level"],
            "because": sorted(entry["because"]),
            "rules": sorted(entry["rules"]),
            "sources": _sources(entry["rules"]),
            "message": f"{wording['message']} {wording['action']}",
        })
    return sorted(out, key=lambda a: (_LEVEL_ORDER[a["level"]], a["id"]))


def _cautions(findings, text):
    out = []
    for ident in sorted(findings.cautions):
        entry = findings.cautions[ident]
        item = {
            "id": ident,
            "applies_to": sorted(entry["applies_to"]),
            "rules": sorted(entry["rules"]),
            "sources": _sources(entry["rules"]),
            "message": text["cautions"][ident]["message"],
        }
        if ident == "bleeding_risk":
            item["asra"] = [{"consultation": c, "variant": v, "class": cls}
                            for (c, v), cls in sorted(findings.asra.items(),
                                                      key=lambda kv: (kv[0][0], _variant_key(kv[0][1])))]
        out.append(item)
    return out


def _why_not(findings, text):
    out = [{"consultation": c, "variant": v, "reason": reason, "rule": ",".join(sorted(rule_ids)),
            "message": text["reasons"][reason]["message"]}
           for (c, v, reason), rule_ids in findings.why_not.items()]
    return sorted(out, key=lambda n: (n["consultation"], _variant_key(n["variant"]), n["reason"]))
