"""CDS Hooks cards for one submission: what the physician sees in the EHR.

One `critical` card per emergency alert, one `warning` per urgent alert, one `info` per
suggestion and one per caution group, in the nurse's clinical words (web/nurse/present.py),
with the reasons and sources in Markdown and a link to the nurse's review page.
"""
import hashlib
import hmac
import uuid

from flask import current_app, request, url_for

from web.nurse import present

INDICATOR = {"emergency": "critical", "urgent": "warning"}
SUMMARY_LIMIT = 140  # the spec: a "<140-character summary"
NAMESPACE = uuid.UUID("5b7f0c1e-3c8e-4f0a-9d51-6e2f7a1c4b90")  # this product's cards
NOTED_LABEL = "Noted for the visit"
# Reasons an EHR user may give when dismissing a card (the spec prescribes no standard set).
OVERRIDE_REASON_SYSTEM = "/cds-services/override-reasons"
OVERRIDE_REASONS = (("already-addressed", "Already addressed"),
                    ("not-applicable", "Does not apply to this patient"),
                    ("patient-declined", "Patient declined"))
FOOTER = ("_From the patient's own answers before the visit: it prepares a conversation, "
          "it is not a diagnosis or a recommendation._")
MARKDOWN_SPECIAL = str.maketrans({char: "\\" + char for char in "\\`*_[]<>|#~"})


def public_url(endpoint, **values):
    """An absolute URL of this app from PUBLIC_BASE_URL, never from the request's Host header."""
    path = url_for(endpoint, **values)[len(request.script_root):]
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def cards_for(submission):
    """Return (item, card) pairs for one submission, alerts first."""
    reasoning = present.reasoning(submission.result, submission.lang)
    pairs = [(f"alert:{alert['id']}", _alert_card(alert)) for alert in reasoning["alerts"]]
    pairs += [(_suggestion_item(item), _suggestion_card(item)) for item in reasoning["suggestions"]]
    pairs += [(f"caution:{caution['id']}", _caution_card(caution)) for caution in reasoning["cautions"]]
    return [(item, _complete(card, item, submission)) for item, card in pairs]


def card_uuid(submission, item):
    """The card's uuid: the same on every call for the same submission and item, unguessable without the key."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    name = f"{submission.id}/{submission.checkin_code}/{submission.created_at.isoformat()}/{item}"
    return str(uuid.uuid5(NAMESPACE, hmac.new(key, name.encode(), hashlib.sha256).hexdigest()))


def noted_uuid(card):
    """The uuid of a card's one suggestion, "noted for the visit" (an accepted card names it)."""
    return str(uuid.uuid5(uuid.UUID(card), "noted"))


def summary(text):
    """Shorten a summary to under 140 characters at a word boundary."""
    if len(text) < SUMMARY_LIMIT:
        return text
    return text[:SUMMARY_LIMIT - 2].rsplit(" ", 1)[0].rstrip(" ,;:(") + "…"


def _complete(card, item, submission):
    """Add what every card carries: uuid, source, the link to the nurse's page, suggestion, reasons."""
    card_id = card_uuid(submission, item)
    link = public_url("nurse.detail", submission_id=submission.id)
    reasons = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + OVERRIDE_REASON_SYSTEM
    detail = card["detail"] + [
        "", f"Intake submitted {present.clinic_time(submission.created_at):%Y-%m-%d %H:%M %Z}, "
        f"check-in {submission.checkin_code}, rule base {submission.rulebase}.", "", FOOTER]
    return {
        "uuid": card_id,
        "summary": summary(card["summary"]),
        "detail": "\n".join(detail),
        "indicator": card["indicator"],
        "source": {"label": f"Pain Triage rule base {submission.rulebase}"},
        "suggestions": [{"label": NOTED_LABEL, "uuid": noted_uuid(card_id)}],
        "selectionBehavior": "at-most-one",
        "overrideReasons": [{"system": reasons, "code": code, "display": display}
                            for code, display in OVERRIDE_REASONS],
        "links": [{"label": f"Nurse review of check-in {submission.checkin_code}", "url": link,
                   "type": "absolute"}],
    }


def md(text):
    """Escape text for GitHub Flavored Markdown."""
    return str(text).translate(MARKDOWN_SPECIAL)


def code(text):
    """Inline code (identifiers and conditions read best as written)."""
    return "`" + str(text).replace("`", "'") + "`"


def _sources(links):
    lines = ["**Sources:**"]
    for link in links:
        title = md(link["title"])
        if link["urls"]:
            url = link["urls"][0].replace("<", "%3C").replace(">", "%3E")
            title = f"[{title}](<{url}>)"
        lines.append(f"- {md(link['key'])}: {title}")
    return lines if links else ["**Sources:** general clinical knowledge"]


def _rules(rules):
    return [f"- {code(rule['id'])} {md(rule['title'])}" for rule in rules]


def _alert_card(alert):
    word = "Emergency" if alert["level"] == "emergency" else "Urgent"
    detail = [f"**{word} red flag: {md(alert['term'])}**", "",
              f"**Reasons:** {md('; '.join(alert['because_terms']))}", "", "**Rule:**",
              *_rules(alert["rule_infos"]), "", f"**Patient was told:** {md(alert['message'])}", "",
              *_sources(alert["source_links"])]
    return {"indicator": INDICATOR[alert["level"]], "summary": f"{word} red flag: {alert['term']}",
            "detail": detail}


def _suggestion_item(item):
    return f"suggestion:{item['consultation']}:{item['variant'] or ''}:{','.join(item.get('regions') or ())}"


def _suggestion_card(item):
    where = f" ({item['regions_term']})" if item["regions_term"] else ""
    detail = [f"**Reasons:** {md('; '.join(item['because_terms']))}", "", "**Conditions met:**",
              *[f"- {code(condition)}" for condition in item["conditions"]], "", "**Rule:**",
              *_rules(item["rules"]), "", "**Rationale:**",
              *[md(rule["rationale"]) for rule in item["rules"] if rule["rationale"]], "",
              *_sources(item["source_links"])]
    return {"indicator": "info", "summary": f"Consultation to discuss: {item['term']}{where}",
            "detail": detail}


def _caution_card(caution):
    detail = [f"**Applies to:** {md('; '.join(caution['applies_terms']))}"]
    if caution["because_terms"]:
        detail += ["", f"**Reasons:** {md('; '.join(caution['because_terms']))}"]
    if caution["drug_terms"]:
        detail += ["", f"**Medicines named:** {md('; '.join(caution['drug_terms']))}"]
    if caution["asra"]:
        detail += ["", "| Consultation | ASRA bleeding-risk class |", "| --- | --- |",
                   *[f"| {md(row['term'])} | {md(row['class'])} |" for row in caution["asra"]]]
    detail += ["", *[md(line) for line in caution["nurse_text"]], "", *_sources(caution["source_links"])]
    applies = ", ".join(caution["applies_terms"])
    return {"indicator": "info", "summary": f"Caution: {caution['term']}, for {applies}", "detail": detail}
