"""Turn a stored submission into what the nurse reads: clinical words, rules, sources."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from triage import knowledge
from triage.contract import AREAS
from triage.messages import alert_message, caution_message
from web.nurse.terms import because_term, consultation_term, term

TREATMENT_FIELDS = ("relief_percent", "weeks", "count", "relief_weeks", "weeks_ago")
# What the version 1 questionnaire did not ask (intake.md, "Versions and stored intakes").
NOT_ASKED_IN_VERSION_1 = (
    "the hot, swollen joint question (joint_hot_swollen)",
    "symptoms 2 to 6 weeks after a spine injection, or 2 weeks to 3 months after spine surgery",
    "the version 2 symptoms, health items and blood thinner names",
    "one duration per body area, and the spine level of each spine procedure",
    "a version 1 'no' to limb_swelling_or_cold also covers limb_suddenly_cold_pale; a version 1 'yes' to "
    "aortic_aneurysm may be a known, stable aneurysm",
)


def clinic_zone():
    """The clinic's time zone (CLINIC_TIMEZONE, default UTC)."""
    return ZoneInfo(current_app.config.get("CLINIC_TIMEZONE", "UTC"))


def clinic_time(moment):
    """Return an aware time in the clinic's zone."""
    return moment.astimezone(clinic_zone())


def start_of_day(day, days_later=0):
    """Return midnight in the clinic's zone at the start of a date, in UTC (None for no date).

    A date at the edge of the calendar (year 1 or 9999) bounds nothing, so it is None too.
    """
    if day is None:
        return None
    try:
        midnight = datetime.combine(day + timedelta(days=days_later), time.min, tzinfo=clinic_zone())
        # SQLite compares stored times as text, so every bound must be in UTC like the rows.
        return midnight.astimezone(timezone.utc)
    except OverflowError:
        return None


def answers(intake, contract=None):
    """The intake in clinical words, grouped the way the chart reads."""
    return {
        "age": intake["age"],
        "locations": [term("location", ident) for ident in intake["locations"]],
        "location_ids": set(intake["locations"]),
        "duration_weeks": intake["duration_weeks"],
        "area_weeks": _area_weeks(intake),
        "newest_pain_weeks": intake.get("newest_pain_weeks"),
        "retracted": [answer_item("red_flag", ident) for ident in intake.get("red_flags_retracted", [])],
        "blood_thinners": [term("blood_thinner_name", ident) for ident in intake.get("blood_thinner_names", [])],
        "not_asked": NOT_ASKED_IN_VERSION_1 if contract == "pain-triage/1" else (),
        "peg_items": (intake["pain_average"], intake["interference_enjoyment"],
                      intake["interference_activity"]),
        "red_flags": [answer_item("red_flag", ident) for ident in intake["red_flags"]],
        "symptoms": [answer_item("symptom", ident) for ident in intake.get("symptoms", [])],
        "health": [answer_item("health", ident) for ident in intake.get("health", [])],
        "treatments": [_treatment(row) for row in intake.get("treatments", [])],
    }


def _area_weeks(intake):
    """Each body area the patient marked, with its locations and the weeks its newest pain has lasted."""
    areas = []
    for area, places in AREAS.items():
        marked = [term("location", place) for place in places if place in intake["locations"]]
        if marked:
            weeks = intake.get("area_weeks", {}).get(area, intake["duration_weeks"])
            areas.append({"area": term("area", area), "locations": marked, "weeks": weeks})
    return areas if len(areas) > 1 else []


def answer_item(kind, ident):
    """One answer in clinical words, with the patient's wording beside it."""
    return {"id": ident, "term": term(kind, ident), "patient": knowledge.label(kind, ident)}


def alert_item(alert):
    """One stored alert in clinical words, with its rules and sources (no patient message)."""
    return {**alert, "term": term("alert", alert["id"]),
            "rule_infos": [rule_info(rule_id) for rule_id in alert["rules"]],
            "because_terms": [because_term(ident) for ident in alert["because"]],
            "source_links": source_links(alert.get("sources", []))}


def _treatment(row):
    item = {"id": row["type"], "term": term("treatment", row["type"]),
            "region": term("region", row["region"]) if row.get("region") else None}
    item.update({field: row.get(field) for field in TREATMENT_FIELDS})
    return item


def reasoning(result, lang="en"):
    """The engine's result with rule titles, rationale, sources and clinical words added.

    Patient texts are shown in the language the patient read them in, with English beside them.
    """
    shown = result.get("patient_view", {}).get("alerts")
    return {
        "peg": result["scores"]["peg"],
        "alerts": [_alert(alert, lang, shown) for alert in result["alerts"]],
        "patient_view": result.get("patient_view"),
        "suggestions": [_suggestion(item) for item in result["suggestions"]],
        "withheld": [_suggestion(item) for item in result["withheld"]],
        "cautions": [_caution(caution, lang) for caution in result["cautions"]],
        "not_suggested": [_why_not(entry) for entry in result["not_suggested"]],
    }


def _in_patient_language(lang, compose):
    """The patient's own text when they did not read English (None when they did, or it cannot be made)."""
    if lang == "en":
        return None
    try:
        return compose(lang)
    except KeyError:  # a stored result of an older rule base may name ids today's text lacks
        return None


def _alert(alert, lang, shown):
    return {**alert, "term": term("alert", alert["id"]),
            "shown_to_patient": shown is None or alert["id"] in shown,
            "patient_message": _in_patient_language(
                lang, lambda lang: alert_message(alert["id"], alert["because"], lang)),
            "rule_infos": [rule_info(rule_id) for rule_id in alert["rules"]],
            "because_terms": [because_term(ident) for ident in alert["because"]],
            "source_links": source_links(alert.get("sources", []))}


def _regions(item):
    return ", ".join(term("region", region) for region in item.get("regions") or ())


def _suggestion(item):
    return {**item, "term": consultation_term(item["consultation"], item["variant"]),
            "regions_term": _regions(item),
            "because_terms": [because_term(ident) for ident in item["because"]],
            "rules": [rule_info(rule_id) for rule_id in item["rule"].split(",")],
            "source_links": source_links(item["sources"])}


def _caution(caution, lang):
    asra = [{**row, "term": consultation_term(row["consultation"], row["variant"])}
            for row in caution.get("asra", [])]
    because = caution.get("because", [])
    return {**caution, "term": term("caution", caution["id"]), "asra": asra,
            "nurse_text": nurse_caution(caution),
            "drug_terms": [term("blood_thinner_name", ident) for ident in caution.get("drugs", [])],
            "because_terms": [because_term(ident) for ident in because],
            "patient_message": _in_patient_language(
                lang, lambda lang: caution_message(caution["id"], because, lang)),
            "applies_terms": [term("consultation", ident) for ident in caution["applies_to"]],
            "source_links": source_links(caution.get("sources", []))}


def _why_not(entry):
    return {**entry, "term": consultation_term(entry["consultation"], entry["variant"]),
            "regions_term": _regions(entry),
            "reason_term": term("reason", entry["reason"])}


def rule_info(rule_id):
    """Return a rule's id, title and rationale from the rule registry."""
    rule = knowledge.rules().get(rule_id, {})
    return {"id": rule_id, "title": rule.get("title", rule_id), "rationale": rule.get("rationale", "")}


def source_links(keys):
    """Return [{key, title, urls}] for source keys; 'general' has no document."""
    registry = knowledge.sources()
    links = []
    for key in keys:
        entry = registry.get(key, {})
        links.append({"key": key, "title": entry.get("title", "General clinical knowledge"),
                      "urls": list(entry.get("urls", []))})
    return links


def nurse_caution(caution):
    """The nurse's text for one caution, with the lines that apply to this patient (rules.md §4)."""
    text = knowledge.nurse_text()["cautions"].get(caution["id"], {})
    because = set(caution.get("because", []))
    conditional = {
        "thrombotic_risk_high": caution.get("thrombotic_risk_high", False),
        "insulin": "diabetes_insulin" in because,
        "allergy_contrast": "allergy_contrast" in because,
        "refer": caution.get("criteria", 0) >= knowledge.threshold("axspa_refer_criteria"),
        "test": caution.get("criteria") == knowledge.threshold("axspa_min_criteria"),
    }
    lines = [text["nurse"]] if text.get("nurse") else []
    return lines + [text[key] for key, holds in conditional.items() if holds and key in text]
