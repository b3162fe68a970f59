"""The safety questions in short groups, the emergency check, and the safety stop record.

The engine decides what is an emergency: the answered red flags are evaluated with every
other field empty or unknown (intake.md, "Safety stop record"), so an emergency "Yes" is
met the moment its group is sent, whatever else is still unanswered.
"""
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from triage import evaluate
from triage.contract import CONTRACT, INTAKE_INTEGERS, RED_FLAGS
from web.extensions import db
from web.models import SafetyStop, utcnow
from web.patient.fields import current_language
from web.patient.forms import SafetyForm
from web.patient.steps import SAFETY_GROUPS
from web.patient.submission import CODE_ATTEMPTS, draft_key, unused_checkin_code

# The safety answers alone: no location that any alert reads (a hand alone raises none),
# the youngest adult age and the longest duration, so no condition on age or newness holds.
SAFETY_ONLY = {"age": INTAKE_INTEGERS["age"][0], "locations": ["hand"],
               "duration_weeks": INTAKE_INTEGERS["duration_weeks"][1], "pain_average": 0,
               "interference_enjoyment": 0, "interference_activity": 0}
ALERT_FIELDS = ("id", "level", "because", "rules", "sources")


def yes_flags(answers):
    """Return the red flags answered "yes" so far, in contract order."""
    return SafetyForm.part_from(answers)["red_flags"]


def alerts_for_flags(flags):
    """Return the emergency alerts that these red flags raise on their own, in result order."""
    if not flags:
        return []
    result = evaluate(dict(SAFETY_ONLY, red_flags=list(flags)))
    return [alert for alert in result.alerts if alert["level"] == "emergency"]


def emergency_alerts(answers):
    """Return the emergency alerts that the safety answers given so far raise."""
    return alerts_for_flags(yes_flags(answers))


def group_flags(number):
    """Return the red flags of safety group `number` (counted from 1)."""
    return SAFETY_GROUPS[number - 1][2]


def first_open_group(answers, after=0):
    """Return the number of the first group after `after` with a question not yet answered, or None."""
    raw = answers.get("safety", {})
    for number, (_heading, _question, flags) in enumerate(SAFETY_GROUPS, start=1):
        if number > after and any(raw.get(flag) not in ("yes", "no") for flag in flags):
            return number
    return None


def group_of_flag(flag):
    """Return the number of the group that asks a red flag."""
    return next(number for number, group in enumerate(SAFETY_GROUPS, start=1) if flag in group[2])


def stop_of_draft(draft_id):
    """Return the safety stop of a draft, or None."""
    return db.session.execute(select(SafetyStop).filter_by(draft_key=draft_key(draft_id))).scalar_one_or_none()


def record_stop(draft):
    """Store or update the draft's safety stop before the emergency page is shown; return it.

    Return None when it cannot be stored: the emergency instruction is shown all the same.
    """
    for _attempt in range(CODE_ATTEMPTS):
        try:
            stop = _merge_stop(draft)
            db.session.commit()
            return stop
        except IntegrityError:
            # A check-in code already in use, or the same draft's stop stored by a parallel request.
            db.session.rollback()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Could not store a safety stop")
            return None
    current_app.logger.error("Could not store a safety stop after %d attempts", CODE_ATTEMPTS)
    return None


def _merge_stop(draft):
    """Add this page's red flags to the draft's stop (creating it), with the alerts they raise."""
    now = utcnow()
    stop = stop_of_draft(draft.id)
    if stop is None:
        stop = SafetyStop(code=unused_checkin_code(), draft_key=draft_key(draft.id), created_at=now,
                          red_flags=[], contract=CONTRACT)
        db.session.add(stop)
    flags = set(stop.red_flags or ()) | set(yes_flags(draft.answers or {}))
    stop.red_flags = [flag for flag in RED_FLAGS if flag in flags]
    stop.alerts = [{key: alert[key] for key in ALERT_FIELDS} for alert in alerts_for_flags(stop.red_flags)]
    stop.updated_at = now
    stop.channel = "kiosk" if draft.kiosk else "web"
    stop.lang = current_language()
    db.session.flush()
    return stop
