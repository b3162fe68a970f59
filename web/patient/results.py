"""What the patient reads after submitting: the result in the knowledge text's own words."""
from flask_babel import lazy_gettext as _l

from triage.knowledge import patient_text
from triage.messages import alert_parts, caution_message

SECTION_HEADINGS = (
    ("what_it_is", _l("What it is")),
    ("how_it_is_done", _l("How it is done")),
    ("what_it_can_show", _l("What it can show")),
    ("how_long_relief_lasts", _l("How long relief lasts")),
    ("common_risks", _l("Common risks")),
    ("how_to_prepare", _l("How to prepare")),
    ("after_care", _l("After the procedure")),
    ("questions_to_ask", _l("Questions to ask your doctor")),
    ("evidence", _l("What the research says")),
)


def alert_view(alert, lang):
    """Return the patient wording of one alert: what they told us, why it matters, what to do."""
    parts = alert_parts(alert["id"], alert["because"], lang)
    return {**parts, "id": alert["id"], "level": alert["level"],
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


def alerts_view(result, lang):
    """Return what the patient is shown of the alerts (rules.md §2.1, the result's `patient_view`).

    With any emergency alert only the emergency alerts are shown, so a slower instruction
    never sits beside an emergency one; the crisis-line box stays when thoughts of self-harm
    were reported.
    """
    shown = result["patient_view"]
    text = patient_text(lang)["patient_view"]
    by_id = {alert["id"]: alert for alert in result["alerts"]}
    level = shown["level"]
    return {"level": level, "emergency": level == "emergency",
            "heading": text.get(f"{level}_heading", ""),
            "alerts": [alert_view(by_id[ident], lang) for ident in shown["alerts"]],
            "crisis_line": text["crisis_line"] if shown["crisis_line"] else None,
            "kiosk": text.get(f"kiosk_{level}"), "clinic_call": text["clinic_call"]}


def results_view(submission, lang):
    """Return everything the results page shows; alerts leave room for nothing else."""
    text = patient_text(lang)
    result = submission.result
    view = {"code": submission.checkin_code, **alerts_view(result, lang)}
    if view["alerts"]:
        return view
    view["suggestions"] = [suggestion_view(item, text) for item in result["suggestions"]]
    view["cautions"] = [caution_message(item["id"], item["because"], lang) for item in result["cautions"]]
    view["cautions"] = [message for message in view["cautions"] if message]
    return view
