"""Database queries of the nurse workspace; ordering and limits happen in SQL."""
from sqlalchemy import func, select

from web.extensions import db
from web.models import AuditEvent, SafetyStop, Submission

STATUSES = ("new", "reviewed", "all")
PRIORITIES = {0: "emergency", 1: "urgent", 2: "none"}
# Far past any real queue, and small enough that page x size fits every database's integers.
MAX_PAGE = 100_000


def page_number(text):
    """Return the page asked for in a query string: 1 when missing or not a number, at most MAX_PAGE."""
    try:
        number = int(text)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


def normalise_code(text):
    """Return a check-in code as the patient's slip shows it: no spaces or dashes, upper case."""
    return "".join(ch for ch in (text or "") if ch.isalnum()).upper()[:6]


def queue_statement(status="new", code=""):
    """Select the submissions of one queue filter, in queue order.

    'new' sorts before 'reviewed', so one ordering serves every filter and
    matches the index (status, priority, created_at).
    """
    statement = select(Submission)
    if status in ("new", "reviewed"):
        statement = statement.where(Submission.status == status)
    if code:
        statement = statement.where(Submission.checkin_code == code)
    return statement.order_by(Submission.status, Submission.priority,
                              Submission.created_at, Submission.id)


def safety_stops(code=""):
    """Select the open safety stops, newest first; with a code, the stop of that code, open or not."""
    statement = select(SafetyStop)
    if code:
        statement = statement.where(SafetyStop.code == code)
    else:
        statement = statement.where(SafetyStop.status == "open")
    return db.session.execute(statement.order_by(SafetyStop.updated_at.desc(), SafetyStop.id.desc())).scalars().all()


def stops_of_submissions(submission_ids):
    """Return the safety stop linked to each of these submissions: {submission id: stop}."""
    if not submission_ids:
        return {}
    rows = db.session.execute(select(SafetyStop).where(SafetyStop.submission_id.in_(submission_ids))).scalars()
    return {stop.submission_id: stop for stop in rows}


def queue_page(status, code, page, per_page):
    """Return one page of the queue (a Flask-SQLAlchemy Pagination)."""
    return db.paginate(queue_statement(status, code), page=page, per_page=per_page,
                       error_out=False, max_per_page=per_page)


def queue_counts():
    """Count submissions by status and priority: {'new': {'emergency': n, ...}, ...}."""
    rows = db.session.execute(
        select(Submission.status, Submission.priority, func.count())
        .group_by(Submission.status, Submission.priority)).all()
    counts = {status: {name: 0 for name in PRIORITIES.values()} for status in ("new", "reviewed")}
    for status, priority, number in rows:
        counts.setdefault(status, {name: 0 for name in PRIORITIES.values()})
        counts[status][PRIORITIES[priority]] += number
    totals = {status: sum(by_priority.values()) for status, by_priority in counts.items()}
    totals["all"] = sum(totals.values())
    return counts, totals


def audit_statement(user="", action="", code="", since=None, until=None):
    """Select audit rows matching the filters, newest first (`until` is exclusive)."""
    statement = select(AuditEvent)
    if user:
        statement = statement.where(AuditEvent.username == user)
    if action:
        statement = statement.where(AuditEvent.action == action)
    if code:
        statement = statement.where(AuditEvent.checkin_code == code)
    if since:
        statement = statement.where(AuditEvent.at >= since)
    if until:
        statement = statement.where(AuditEvent.at < until)
    return statement.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
