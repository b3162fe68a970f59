"""Human-readable documents: the rule base for sign-off, and a result for a nurse."""
import hashlib

from triage import contract as c
from triage.knowledge import history_dir, history_versions, knowledge_dir, load_release, sources
from triage.result import RULEBASE_VERSION

# The parts of rules.md, in its order; every rule in the registry names one of them.
_SECTIONS = {
    "2": "Alerts (safety first)",
    "3.1": "Epidural steroid injection",
    "3.2–3.3": "Facet joint pathway and facet radiofrequency ablation",
    "3.4": "Repeat radiofrequency ablation (facet and genicular)",
    "3.5": "Sacroiliac joint injection",
    "3.6": "Trigger point injection",
    "3.7": "Occipital nerve block",
    "3.8": "Knee: genicular nerve block, then genicular radiofrequency ablation",
    "3.9": "Sympathetic block for suspected CRPS",
    "4": "Cautions",
}


def _source_line(key):
    entry = sources()[key]
    links = " ; ".join(f"<{url}>" for url in entry["urls"])
    return f"- **{key}** — {entry['title']}" + (f" {links}" if links else "")


def current_release():
    """Return the knowledge data this package runs, as rule base RULEBASE_VERSION."""
    return load_release(knowledge_dir(), RULEBASE_VERSION)


def previous_release():
    """Return the newest earlier rule base kept in the package's history."""
    version = history_versions()[-1]
    return load_release(history_dir(version), version)


def rules_markdown(current=None, previous=None):
    """Return the whole rule base as Markdown, with its changes since the previous version: the document a clinician signs off."""
    current = current or current_release()
    previous = previous or previous_release()
    unknown = sorted({rule["section"] for rule in current.rules.values()} - set(_SECTIONS))
    if unknown:
        raise ValueError(f"rules name sections that rules.md does not have: {unknown}")
    lines = [f"# Pain Triage rule base {current.version} ({c.CONTRACT})", "",
             "Every rule the engine runs, with its conditions, thresholds and sources. The engine lists "
             "consultations that may be discussed; it never diagnoses and never recommends.", ""]
    lines += changes_markdown(previous, current)
    for section, heading in _SECTIONS.items():
        lines += [f"## {section} {heading}", ""]
        for ident, rule in current.rules.items():
            if rule["section"] == section:
                lines += _rule_lines(ident, rule, current.thresholds)
    lines += ["## Thresholds", "", "| name | value | unit | meaning | sources |", "|---|---|---|---|---|"]
    for name, item in current.thresholds.items():
        lines.append(f"| `{name}` | {item['value']} | {item['unit']} | {item['description']} | "
                     f"{', '.join(item['sources'])} |")
    cited = sorted({key for rule in current.rules.values() for key in rule["sources"]} |
                   {key for item in current.thresholds.values() for key in item["sources"]}, key=_key_order)
    lines += ["", "## Sources", ""] + [_source_line(key) for key in cited]
    return "\n".join(lines) + "\n"


def rules_sha256(document=None):
    """Return the SHA-256 (hex) of the rule base document, the bytes `triage rules` prints."""
    return hashlib.sha256((document or rules_markdown()).encode("utf-8")).hexdigest()


def _rule_lines(ident, rule, limits):
    lines = [f"### `{ident}` — {rule['title']}", "",
             f"- **When:** {rule['conditions']}",
             f"- **Why:** {rule['rationale']}",
             f"- **Sources:** {', '.join(rule['sources'])}"]
    for name in rule["thresholds"]:
        item = limits[name]
        lines.append(f"- **Threshold `{name}`:** {item['value']} {item['unit']} — {item['description']} "
                     f"[{', '.join(item['sources'])}]")
    return lines + [""]


def changes_markdown(previous, current):
    """Return the section listing what changed between two rule-base versions, computed from their data."""
    old_rules, new_rules = previous.rules, current.rules
    lines = [f"## What changed since {previous.version}", "",
             f"Computed from the knowledge data of rule base {previous.version} and {current.version} "
             "(rules, conditions, sources and thresholds); nothing in this section is written by hand.", ""]
    added = [ident for ident in new_rules if ident not in old_rules]
    removed = [ident for ident in old_rules if ident not in new_rules]
    lines += _titled_list(f"Rules added ({len(added)})", [f"`{ident}` — {new_rules[ident]['title']}" for ident in added])
    lines += _titled_list(f"Rules removed ({len(removed)})",
                          [f"`{ident}` — {old_rules[ident]['title']}" for ident in removed])
    changes = {ident: _rule_changes(old_rules[ident], new_rules[ident], previous.thresholds, current.thresholds)
               for ident in new_rules if ident in old_rules}
    changed = [ident for ident, found in changes.items() if found]
    lines += [f"### Rules changed ({len(changed)})", ""]
    for ident in changed:
        lines.append(f"- `{ident}` — {new_rules[ident]['title']}")
        lines += [f"  - {change}" for change in changes[ident]]
    lines += [] if changed else ["None."]
    lines.append("")
    lines += _threshold_changes(previous, current)
    return lines


def _titled_list(title, items):
    return [f"### {title}", ""] + ([f"- {item}" for item in items] or ["None."]) + [""]


def _rule_changes(old, new, old_limits, new_limits):
    """Return what differs in a rule kept between versions: conditions, sources, values of the thresholds it reads."""
    changes = []
    if " ".join(old["conditions"].split()) != " ".join(new["conditions"].split()):
        changes += [f"conditions were: {old['conditions']}", f"conditions now: {new['conditions']}"]
    if set(old["sources"]) != set(new["sources"]):
        changes.append(f"sources: {_keys(old['sources'])} → {_keys(new['sources'])}")
    return changes + [f"reads `{name}`: {old_limits[name]['value']} → {new_limits[name]['value']}"
                      for name in new["thresholds"]
                      if name in old_limits and old_limits[name]["value"] != new_limits[name]["value"]]


def _threshold_changes(previous, current):
    old, new = previous.thresholds, current.thresholds
    added = [f"`{name}`: {_threshold_value(new[name])} [{_keys(new[name]['sources'])}] — {new[name]['description']}"
             for name in new if name not in old]
    removed = [f"`{name}`: was {_threshold_value(old[name])} [{_keys(old[name]['sources'])}]"
               for name in old if name not in new]
    changed = []
    for name in (name for name in new if name in old):
        parts = [f"{field} {old[name][field]} → {new[name][field]}" for field in ("value", "unit")
                 if old[name][field] != new[name][field]]
        if set(old[name]["sources"]) != set(new[name]["sources"]):
            parts.append(f"sources {_keys(old[name]['sources'])} → {_keys(new[name]['sources'])}")
        if parts:
            changed.append(f"`{name}`: " + "; ".join(parts))
    return (_titled_list(f"Thresholds added ({len(added)})", added)
            + _titled_list(f"Thresholds removed ({len(removed)})", removed)
            + _titled_list(f"Thresholds changed ({len(changed)})", changed))


def _threshold_value(item):
    return f"{item['value']} {item['unit']}"


def _keys(keys):
    return ", ".join(sorted(keys, key=_key_order))


def _key_order(key):
    return (0, int(key[1:])) if key[1:].isdigit() else (1, key)


def _variant(item):
    regions = f" [{', '.join(item['regions'])}]" if item.get("regions") else ""
    return item["consultation"] + (f" ({item['variant']})" if item["variant"] else "") + regions


def result_text(result):
    """Return a plain-text summary of a result dict for a nurse."""
    lines = [f"PEG score: {result['scores']['peg']}   rule base {result['rulebase']}"]
    if result["alerts"]:
        lines.append("")
        lines.append("ALERTS — suggestions withheld:")
        for alert in result["alerts"]:
            lines.append(f"  !! {alert['level'].upper()} {alert['id']}  because: {', '.join(alert['because'])}"
                         f"  [{', '.join(alert['sources'])}]")
        view = result["patient_view"]
        lines.append(f"  Patient shown ({view['level']}): {', '.join(view['alerts'])}"
                     + ("; crisis line box" if view["crisis_line"] else ""))
    if result.get("red_flags_retracted"):
        lines += ["", f"Safety answers changed back to no: {', '.join(result['red_flags_retracted'])}"]
    for title, key in (("Suggested for discussion", "suggestions"), ("Withheld behind an alert", "withheld")):
        if result[key]:
            lines += ["", f"{title}:"]
            for item in result[key]:
                lines.append(f"  * {_variant(item)} — rule {item['rule']} [{', '.join(item['sources'])}]")
                lines += [f"      - {condition}" for condition in item["conditions"]]
    if not result["alerts"] and not result["suggestions"]:
        lines += ["", "No consultation is suggested. The care team reviews every intake."]
    if result["cautions"]:
        lines += ["", "Cautions:"]
        for caution in result["cautions"]:
            lines.append(f"  ~ {caution['id']}: {', '.join(caution['applies_to']) or '(no consultation)'}")
            for asra in caution.get("asra", []):
                lines.append(f"      ASRA {asra['class']}: {_variant(asra)}")
            if caution.get("drugs"):
                lines.append(f"      drugs: {', '.join(caution['drugs'])}")
            if caution.get("thrombotic_risk_high"):
                lines.append("      high thrombotic risk: do not interrupt without the prescriber")
            if "criteria" in caution:
                lines.append(f"      inflammatory back pain criteria: {caution['criteria']}")
    if result["not_suggested"]:
        lines += ["", "Not suggested:"]
        lines += [f"  - {_variant(item)}: {item['reason']} (rule {item['rule']})" for item in result["not_suggested"]]
    return "\n".join(lines) + "\n"
