"""Submitting a draft: validate, evaluate, and store intake and result in one transaction.

A draft becomes exactly one submission, however many requests send it at once (a double
tap, two tabs, a retry after a timeout): the submission carries a unique key derived from
the draft, so only one insert can win, and every other request is handed the winner.
"""
import hashlib
import secrets

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from triage import InvalidIntake, evaluate, validate
from web.extensions import db
from web.models import Draft, SafetyStop, Submission
from web.patient.drafts import build_intake
from web.patient.fields import current_language

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6: a code read aloud at the front desk cannot be misheard.
CHECKIN_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CHECKIN_LENGTH = 6
CODE_ATTEMPTS = 8


class SaveFailed(Exception):
    """The submission could not be stored; the draft is untouched."""


class DraftGone(Exception):
    """The draft vanished (expired and purged) before it could be submitted."""


def new_checkin_code():
    """Return a random check-in code."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))


def unused_checkin_code():
    """Return a random check-in code that no stored submission and no safety stop has.

    The front desk looks a code up in both, so a code names one record. Each table's unique
    code still decides between two requests drawing the same code at the same moment.
    """
    for _attempt in range(CODE_ATTEMPTS):
        code = new_checkin_code()
        in_use = db.session.execute(select(Submission.id).filter_by(checkin_code=code).union_all(
            select(SafetyStop.id).filter_by(code=code))).first()
        if in_use is None:
            return code
    return code


def draft_key(draft_id):
    """Return the key a submission keeps of the draft it came from."""
    return hashlib.sha256(draft_id.encode("ascii")).hexdigest()


def submission_of(key):
    """Return the submission already made from a draft, or None."""
    return db.session.execute(select(Submission).filter_by(draft_key=key)).scalar_one_or_none()


def submit_draft(draft):
    """Store the draft as its one submission and delete the draft, all in one transaction.

    Return the submission: this request's, or the one another request made of the same draft.
    """
    key = draft_key(draft.id)
    stop = db.session.execute(select(SafetyStop).filter_by(draft_key=key)).scalar_one_or_none()
    intake = with_retractions(build_intake(draft.answers or {}), stop)
    problems = validate(intake)
    if problems:
        raise InvalidIntake(problems)
    result = evaluate(intake).to_dict()
    for _attempt in range(CODE_ATTEMPTS):
        try:
            code = unused_checkin_code()
            submission = Submission.of_result(intake, result, code, current_language(), draft_key=key)
            return _store(submission, draft.id, stop)
        except IntegrityError:
            db.session.rollback()
            earlier = submission_of(key)
            if earlier is not None:
                return earlier
            # Not this draft's key, so a check-in code already in use: draw another.
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Could not store a submission")
            raise SaveFailed() from None
    current_app.logger.error("No free check-in code after %d attempts", CODE_ATTEMPTS)
    raise SaveFailed()


def with_retractions(intake, stop):
    """Add the safety stop's red flags that the final answers no longer give (intake.md)."""
    retracted = [flag for flag in (stop.red_flags if stop else ()) if flag not in intake.get("red_flags", ())]
    return {**intake, "red_flags_retracted": retracted} if retracted else intake


def _store(submission, draft_id, stop=None):
    """Insert the submission (linked to the draft's safety stop) and delete its draft.

    Commit only if the draft was still there.
    """
    db.session.add(submission)
    db.session.flush()
    if stop is not None:
        stop.submission_id = submission.id
    deleted = db.session.execute(delete(Draft).where(Draft.id == draft_id)).rowcount
    if deleted != 1:
        db.session.rollback()
        raise DraftGone()
    db.session.commit()
    return submission
