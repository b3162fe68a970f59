"""Patient messages composed from the knowledge text (rules.md §2.1, §4).

An alert's message first names only what this patient reported (the patient
sentences of the ids in its `because`), then the alert's fixed explanation, then
what to do. The web shows the same composition in the patient's language.
"""
from triage.knowledge import patient_text

ALERT_PARTS = ("explanation", "action", "fallback", "also")


def alert_parts(ident, because, lang="en"):
    """Return an alert's wording in parts: `said` (what the patient reported), then the fixed parts."""
    text = patient_text(lang)
    wording = text["alerts"][ident]
    parts = {part: wording.get(part) for part in ALERT_PARTS}
    parts["title"] = wording["title"]
    parts["said"] = [text["because"][reason] for reason in because if reason in text["because"]]
    return parts


def alert_message(ident, because, lang="en"):
    """Return the patient message of one alert raised for the given `because` ids."""
    parts = alert_parts(ident, because, lang)
    return " ".join([*parts["said"], *(parts[part] for part in ALERT_PARTS if parts[part])])


def caution_message(ident, because, lang="en"):
    """Return the patient message of one caution; the allergy caution first names each allergy given."""
    wording = patient_text(lang)["cautions"][ident]
    items = wording.get("items", {})
    parts = [items[reason] for reason in because if reason in items]
    parts += [wording["message"]] if wording.get("message") else []
    return " ".join(parts)


def reason_message(reason, lang="en"):
    """Return the patient wording of a why-not reason."""
    return patient_text(lang)["reasons"][reason]["message"]
