"""Turn a stored submission into what the nurse reads: clinical words, rules, sources."""
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask import current_app

from triage import knowledge
from web.nurse.terms import because_term, consultation_term, term

TREATMENT_FIELDS = ("relief_percent", "weeks", "count", "relief_weeks", "weeks_ago")


def clinic_zone():
    """The clinic's time zone (CLINIC_TIMEZONE, default UTC)."""
    return ZoneInfo(current_app.config.get("CLINIC_TIMEZONE", "UTC"))


def clinic_time(moment):
    """Return an aware time in the clinic's zone."""
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=timezone.utc)
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


def answers(intake):
    """The intake in clinical words, grouped the way the chart reads."""
    return {
        "age": intake["age"],
        "locations": [term("location", ident) for ident in intake["locations"]],
        "location_ids": set(intake["locations"]),
        "duration_weeks": intake["duration_weeks"],
        "newest_pain_weeks": intake.get("newest_pain_weeks"),
        "peg_items": (intake["pain_average"], intake["interference_enjoyment"],
                      intake["interference_activity"]),
        "red_flags": [_answer("red_flag", ident) for ident in intake["red_flags"]],
        "symptoms": [_answer("symptom", ident) for ident in intake.get("symptoms", [])],
        "health": [_answer("health", ident) for ident in intake.get("health", [])],
        "treatments": [_treatment(row) for row in intake.get("treatments", [])],
    }


def _answer(kind, ident):
    return {"id": ident, "term": term(kind, ident), "patient": knowledge.label(kind, ident)}


def _treatment(row):
    item = {"id": row["type"], "term": term("treatment", row["type"])}
    item.update({field: row.get(field) for field in TREATMENT_FIELDS})
    return item


def reasoning(result):
    """The engine's result with rule titles, rationale, sources and clinical words added."""
    return {
        "peg": result["scores"]["peg"],
        "alerts": [_alert(alert) for alert in result["alerts"]],
        "suggestions": [_suggestion(item) for item in result["suggestions"]],
        "withheld": [_suggestion(item) for item in result["withheld"]],
        "cautions": [_caution(caution) for caution in result["cautions"]],
        "not_suggested": [_why_not(entry) for entry in result["not_suggested"]],
    }


def _alert(alert):
    return {**alert, "term": term("alert", alert["id"]),
            "rule_infos": [rule_info(rule_id) for rule_id in alert["rules"]],
            "because_terms": [because_term(ident) for ident in alert["because"]],
            "source_links": source_links(alert.get("sources", []))}


def _suggestion(item):
    return {**item, "term": consultation_term(item["consultation"], item["variant"]),
            "because_terms": [because_term(ident) for ident in item["because"]],
            "rules": [rule_info(rule_id) for rule_id in item["rule"].split(",")],
            "source_links": source_links(item["sources"])}


def _caution(caution):
    asra = [{**row, "term": consultation_term(row["consultation"], row["variant"])}
            for row in caution.get("asra", [])]
    return {**caution, "term": term("caution", caution["id"]), "asra": asra,
            "applies_terms": [term("consultation", ident) for ident in caution["applies_to"]],
            "source_links": source_links(caution.get("sources", []))}


def _why_not(entry):
    return {**entry, "term": consultation_term(entry["consultation"], entry["variant"]),
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
