"""Human-readable documents: the rule base for sign-off, and a result for a nurse."""
from triage import contract as c
from triage.knowledge import rules, sources, thresholds
from triage.result import RULEBASE_VERSION

_SECTIONS = {
    "2": "Alerts (safety first)",
    "3.1": "Epidural steroid injection", "3.2": "Facet joint pathway", "3.3": "Facet radiofrequency ablation",
    "3.4": "Repeat radiofrequency ablation", "3.5": "Sacroiliac joint injection", "3.6": "Trigger point injection",
    "3.7": "Occipital nerve block", "3.8": "Knee: genicular nerve block and ablation",
    "3.9": "Sympathetic block for suspected CRPS", "4": "Cautions",
}


def _source_line(key):
    entry = sources()[key]
    links = " ; ".join(f"<{url}>" for url in entry["urls"])
    return f"- **{key}** — {entry['title']}" + (f" {links}" if links else "")


def rules_markdown():
    """Return the whole rule base as Markdown: the document a clinician signs off."""
    registry, limits = rules(), thresholds()
    lines = [f"# Pain Triage rule base {RULEBASE_VERSION} ({c.CONTRACT})", "",
             "Every rule the engine runs, with its conditions, thresholds and sources. The engine lists "
             "consultations that may be discussed; it never diagnoses and never recommends.", ""]
    for section, heading in _SECTIONS.items():
        lines += [f"## {section} {heading}", ""]
        for ident, rule in registry.items():
            if rule["section"] != section:
                continue
            lines += [f"### `{ident}` — {rule['title']}", "",
                      f"- **When:** {rule['conditions']}",
                      f"- **Why:** {rule['rationale']}",
                      f"- **Sources:** {', '.join(rule['sources'])}"]
            for name in rule["thresholds"]:
                item = limits[name]
                lines.append(f"- **Threshold `{name}`:** {item['value']} {item['unit']} — {item['description']} "
                             f"[{', '.join(item['sources'])}]")
            lines.append("")
    lines += ["## Thresholds", "", "| name | value | unit | meaning | sources |", "|---|---|---|---|---|"]
    for name, item in limits.items():
        lines.append(f"| `{name}` | {item['value']} | {item['unit']} | {item['description']} | "
                     f"{', '.join(item['sources'])} |")
    cited = sorted({key for rule in registry.values() for key in rule["sources"]} |
                   {key for item in limits.values() for key in item["sources"]}, key=_key_order)
    lines += ["", "## Sources", ""] + [_source_line(key) for key in cited]
    return "\n".join(lines) + "\n"


def _key_order(key):
    return (0, int(key[1:])) if key[1:].isdigit() else (1, key)


def _variant(item):
    return item["consultation"] + (f" ({item['variant']})" if item["variant"] else "")


def result_text(result):
    """Return a plain-text summary of a result dict for a nurse."""
    lines = [f"PEG score: {result['scores']['peg']}   rule base {result['rulebase']}"]
    if result["alerts"]:
        lines.append("")
        lines.append("ALERTS — suggestions withheld:")
        for alert in result["alerts"]:
            lines.append(f"  !! {alert['level'].upper()} {alert['id']}  because: {', '.join(alert['because'])}"
                         f"  [{', '.join(alert['sources'])}]")
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
            lines.append(f"  ~ {caution['id']}: {', '.join(caution['applies_to'])}")
            for asra in caution.get("asra", []):
                lines.append(f"      ASRA {asra['class']}: {_variant(asra)}")
    if result["not_suggested"]:
        lines += ["", "Not suggested:"]
        lines += [f"  - {_variant(item)}: {item['reason']} (rule {item['rule']})" for item in result["not_suggested"]]
    return "\n".join(lines) + "\n"
