"""Submitting a draft: validate, evaluate, and store intake and result in one transaction."""
import secrets

from flask import current_app
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from triage import InvalidIntake, evaluate, validate
from web.extensions import db
from web.models import Submission
from web.patient.drafts import build_intake
from web.patient.fields import current_language

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6: a code read aloud at the front desk cannot be misheard.
CHECKIN_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
CHECKIN_LENGTH = 6
CODE_ATTEMPTS = 8


class SaveFailed(Exception):
    """The submission could not be stored; the draft is untouched."""


def new_checkin_code():
    """Return a random check-in code."""
    return "".join(secrets.choice(CHECKIN_ALPHABET) for _ in range(CHECKIN_LENGTH))


def submit_draft(draft):
    """Store the draft as a submission and delete the draft, all in one transaction."""
    intake = build_intake(draft.answers or {})
    problems = validate(intake)
    if problems:
        raise InvalidIntake(problems)
    result = evaluate(intake).to_dict()
    for _attempt in range(CODE_ATTEMPTS):
        submission = Submission.of_result(intake, result, new_checkin_code(), current_language())
        try:
            db.session.add(submission)
            db.session.delete(draft)
            db.session.commit()
            return submission
        except IntegrityError:
            # Most likely a check-in code already in use: draw another.
            db.session.rollback()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Could not store a submission")
            raise SaveFailed() from None
    current_app.logger.error("No free check-in code after %d attempts", CODE_ATTEMPTS)
    raise SaveFailed()
