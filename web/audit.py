"""The audit trail: who did what to which submission, when, and from where.

Rows are only ever added; the database refuses updates and deletes
(see `AUDIT_APPEND_ONLY` in web/models.py).
"""
import hashlib
import hmac

from flask import current_app, has_request_context, request
from flask_login import current_user
from sqlalchemy import select

from web.extensions import db
from web.models import AuditEvent, User

# Every action the trail knows, with the words the audit page shows.
ACTIONS = {
    "login": "Signed in",
    "login_failed": "Failed sign-in",
    "login_throttled": "Sign-in blocked (too many tries)",
    "logout": "Signed out",
    "session_expired": "Session ended after inactivity",
    "view": "Viewed submission",
    "review": "Marked reviewed",
    "print": "Printed summary",
    "view_safety_stop": "Viewed safety stop",
    "acknowledge_safety_stop": "Acknowledged safety stop",
    "export_fhir": "Exported FHIR QuestionnaireResponse",
    "export_csv": "Exported queue as CSV",
    "user_create": "Created staff account",
    "user_disable": "Disabled staff account",
    "purge": "Purged old data",
    "backup": "Backed up the database",
    "restore": "Restored the database from a backup",
    "ehr_link": "Linked submission to an EHR patient",
    "cds_view": "Sent CDS Hooks cards to the EHR",
    "cds_feedback": "Received CDS Hooks card feedback from the EHR",
    "impact_report": "Viewed the rule-change impact report",
    "rulebase_signoff": "Recorded a rule base sign-off",
}


def audit_username(typed):
    """Return a typed username as the trail keeps it: verbatim only if the account exists.

    Someone may type their password into the username box; an unknown name is kept
    as its length and a keyed fingerprint, so repeated tries can be matched but not read.
    """
    name = (typed or "").strip()[:80]
    if not name:
        return None
    if db.session.execute(select(User.id).filter_by(username=name)).first() is not None:
        return name
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    fingerprint = hmac.new(key, name.encode("utf-8", "replace"), hashlib.sha256).hexdigest()[:12]
    return f"unknown user ({len(name)} characters) #{fingerprint}"


def record(action, submission=None, user=None, username=None, detail=None, safety_stop=None):
    """Add one audit row for the current request (or command) to the session."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    event = AuditEvent(
        action=action,
        user_id=user.id if user is not None else None,
        username=user.username if user is not None else username,
        submission_id=submission.id if submission is not None else None,
        checkin_code=(submission.checkin_code if submission is not None
                      else safety_stop.code if safety_stop is not None else None),
        remote_addr=request.remote_addr if has_request_context() else None,
        detail=detail,
    )
    db.session.add(event)
    return event


def record_now(action, **fields):
    """Add one audit row and commit it at once."""
    event = record(action, **fields)
    db.session.commit()
    return event
