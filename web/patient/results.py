"""What the patient reads after submitting: the result in the knowledge text's own words."""
from flask_babel import lazy_gettext as _l

from triage.knowledge import patient_text

SECTION_HEADINGS = (
    ("what_it_is", _l("What it is")),
    ("how_it_is_done", _l("How it is done")),
    ("what_it_can_show", _l("What it can show")),
    ("how_long_relief_lasts", _l("How long relief lasts")),
    ("common_risks", _l("Common risks")),
    ("how_to_prepare", _l("How to prepare")),
    ("questions_to_ask", _l("Questions to ask your doctor")),
    ("evidence", _l("What the research says")),
)


def alert_view(alert, text):
    """Return the patient wording of one alert."""
    wording = text["alerts"][alert["id"]]
    return {"id": alert["id"], "level": alert["level"],
            "level_label": text["labels"]["level"][alert["level"]],
            "title": wording["title"], "message": wording["message"], "action": wording["action"],
            "crisis_line": alert["id"].startswith("self_harm")}


def reasons(because, text):
    """Turn the ids a suggestion rests on into patient sentences, each said once.

    The knowledge text lists patterns before single answers, so the main reason comes first.
    """
    order = list(text["because"])
    sentences = []
    for ident in sorted(because, key=lambda ident: order.index(ident) if ident in order else len(order)):
        sentence = text["because"].get(ident)
        if sentence and sentence not in sentences:
            sentences.append(sentence)
    return sentences


def suggestion_view(suggestion, text):
    """Return one suggested consultation with its education text and the reasons for it."""
    consultation = suggestion["consultation"]
    variant = suggestion["variant"]
    wording = text["consultations"][suggestion["education"]]
    key = consultation if variant is None else f"{consultation}.{variant}"
    sections = [(heading, wording["sections"][name]) for name, heading in SECTION_HEADINGS
                if wording["sections"].get(name)]
    title = text["labels"]["consultation_variant"].get(key, wording["title"])
    return {"id": key.replace(".", "-"), "title": title, "summary": wording["summary"],
            "variant_text": (wording.get("variants") or {}).get(variant) if variant else None,
            "sections": sections, "reasons": reasons(suggestion["because"], text)}


def results_view(submission, lang):
    """Return everything the results page shows; alerts leave room for nothing else."""
    text = patient_text(lang)
    result = submission.result
    alerts = [alert_view(alert, text) for alert in result["alerts"]]
    view = {"code": submission.checkin_code, "alerts": alerts,
            "emergency": any(alert["level"] == "emergency" for alert in alerts)}
    if alerts:
        return view
    view["suggestions"] = [suggestion_view(item, text) for item in result["suggestions"]]
    view["cautions"] = [text["cautions"][item["id"]]["message"] for item in result["cautions"]
                        if item["id"] in text["cautions"]]
    return view
