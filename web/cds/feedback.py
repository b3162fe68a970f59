"""The CDS Hooks feedback endpoint's body: which card, accepted or overridden, why, and when."""
import re
from datetime import datetime

from sqlalchemy import select

from web.cds.cards import noted_uuid
from web.extensions import db
from web.models import CdsCard, CdsFeedback, Submission

OUTCOMES = ("accepted", "overridden")
MAX_ENTRIES = 100
MAX_COMMENT = 2000
MAX_CODING_PART = 255
RFC3339 = re.compile(r"(?P<time>\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d)(?P<fraction>\.\d+)?"
                     r"(?P<offset>[Zz]|[+-]\d\d:\d\d)")


def parse(body, issuer):
    """Return (unsaved CdsFeedback rows, problems) for a feedback body; rows only when there is no problem."""
    entries = body.get("feedback") if isinstance(body, dict) else None
    if not isinstance(entries, list) or not entries or len(entries) > MAX_ENTRIES:
        return [], [_problem("feedback", f"must be an array of 1 to {MAX_ENTRIES} feedback objects")]
    known = _known_cards([entry.get("card") for entry in entries if isinstance(entry, dict)])
    rows, problems = [], []
    for index, entry in enumerate(entries):
        row, found = _entry(entry, f"feedback[{index}]", known, issuer)
        rows.append(row)
        problems += found
    return ([] if problems else rows), problems


def _known_cards(uuids):
    """The cards among these uuids that were sent, and whose submission is still kept."""
    wanted = [value for value in uuids if isinstance(value, str)]
    statement = select(CdsCard.uuid).join(Submission, Submission.id == CdsCard.submission_id) \
        .where(CdsCard.uuid.in_(wanted))
    return set(db.session.execute(statement).scalars())


def _entry(entry, path, known, issuer):
    if not isinstance(entry, dict):
        return None, [_problem(path, "must be an object")]
    problems = []
    card, outcome = entry.get("card"), entry.get("outcome")
    if card not in known:
        problems.append(_problem(f"{path}.card", "is not the uuid of a card this service sent"))
    if outcome not in OUTCOMES:
        problems.append(_problem(f"{path}.outcome", "must be 'accepted' or 'overridden'"))
    at, problem = _timestamp(entry.get("outcomeTimestamp"), f"{path}.outcomeTimestamp")
    problems += problem
    if outcome == "accepted" and card in known:
        problems += _accepted(entry.get("acceptedSuggestions"), card, f"{path}.acceptedSuggestions")
    reason, problem = _override_reason(entry.get("overrideReason"), f"{path}.overrideReason")
    problems += problem
    if problems:
        return None, problems
    return CdsFeedback(card_uuid=card, outcome=outcome, outcome_at=at, issuer=issuer[:255], **reason), []


def _timestamp(value, path):
    """An RFC 3339 date and time with its offset (the spec: UTC, e.g. 1985-04-12T23:20:50.52Z)."""
    match = RFC3339.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None, [_problem(path, "must be an RFC 3339 date and time with a time zone")]
    # Python 3.10's fromisoformat takes neither "Z" nor any number of fraction digits but 3 or 6.
    digits = (match["fraction"] or ".0")[1:7].ljust(6, "0")
    offset = "+00:00" if match["offset"] in ("Z", "z") else match["offset"]
    try:
        moment = datetime.fromisoformat(f"{match['time'].upper()}.{digits}{offset}")
    except ValueError:  # a day or hour that does not exist
        moment = None
    if moment is None:
        return None, [_problem(path, "must be an RFC 3339 date and time with a time zone")]
    return moment, []


def _accepted(suggestions, card, path):
    """An accepted card names the suggestion it accepted: the card's one "noted" suggestion."""
    ids = [item.get("id") for item in suggestions if isinstance(item, dict)] \
        if isinstance(suggestions, list) else []
    if not ids or set(ids) != {noted_uuid(card)}:
        return [_problem(path, "must name the card's suggestion by its uuid")]
    return []


def _override_reason(value, path):
    """The Coding the user chose (system, code, display) and their comment, each optional."""
    if value is None:
        return {}, []
    if not isinstance(value, dict):
        return {}, [_problem(path, "must be an object")]
    coding = value.get("reason", {})
    comment = value.get("userComment")
    problems = []
    if not isinstance(coding, dict) or not all(
            isinstance(coding.get(part, ""), str) and len(coding.get(part, "")) <= MAX_CODING_PART
            for part in ("system", "code", "display")):
        problems.append(_problem(f"{path}.reason", "must be a Coding of strings (at most 255 characters each)"))
        coding = {}
    if comment is not None and (not isinstance(comment, str) or len(comment) > MAX_COMMENT):
        problems.append(_problem(f"{path}.userComment", f"must be text of at most {MAX_COMMENT} characters"))
    return {"reason_system": coding.get("system"), "reason_code": coding.get("code"),
            "reason_display": coding.get("display"), "user_comment": comment or None}, problems


def _problem(path, message):
    return {"path": path, "message": message}
