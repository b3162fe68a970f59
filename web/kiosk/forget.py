"""Forgetting a kiosk patient: the draft, the session, and what the browser kept.

A kiosk session carries `kiosk: True` and, while a patient is answering, the id of their
draft (or of their submission, until the finish screen). Every request notes the time in
`kiosk_seen`; a patient quiet for longer than the idle warning and its countdown is forgotten
on the next request, so an idle tablet is cleared even without JavaScript.
"""
from datetime import timedelta

from flask import current_app, session

from web.extensions import db
from web.models import Draft, utcnow

PATIENT_KEYS = ("draft_id", "submission_id")
# After a redirect the browser may drop cookies too: the next page starts a new session.
CLEAR_EVERYTHING = '"cache", "cookies", "storage"'
# A page that is itself rendered keeps the new session's cookie (its forms carry a CSRF token).
CLEAR_ALL_BUT_COOKIES = '"cache", "storage"'


def is_kiosk_session():
    """Tell whether this request belongs to a kiosk tablet."""
    return current_app.config["KIOSK_MODE"] and session.get("kiosk") is True


def holds_patient():
    """Tell whether the session points at anything of a patient."""
    return any(key in session for key in PATIENT_KEYS)


def idle_limit():
    """Return how long a kiosk patient may be quiet: the idle time plus the warning countdown."""
    config = current_app.config
    return timedelta(seconds=config["KIOSK_IDLE_SECONDS"] + config["KIOSK_WARNING_SECONDS"])


def quiet_too_long():
    """Tell whether the patient of this kiosk session has been quiet past the limit."""
    seen = session.get("kiosk_seen")
    if not holds_patient() or not isinstance(seen, (int, float)):
        return False
    return seen + idle_limit().total_seconds() < utcnow().timestamp()


def note_activity():
    """Restart the server's idle clock for this kiosk session."""
    session["kiosk_seen"] = utcnow().timestamp()


def discard_draft():
    """Delete this session's draft, if there is one."""
    draft_id = session.get("draft_id")
    draft = db.session.get(Draft, draft_id) if isinstance(draft_id, str) else None
    if draft is not None:
        db.session.delete(draft)
        db.session.commit()


def forget_patient():
    """Delete the draft and drop the session; its row goes and the next page gets a new key."""
    discard_draft()
    session.regenerate()


def clear_site_data(response, value=CLEAR_EVERYTHING):
    """Ask the browser to drop what it kept of this site."""
    response.headers["Clear-Site-Data"] = value
    return response
