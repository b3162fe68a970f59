"""The database connection: SQLite's settings for several threads, and a calm page when it is down."""
import contextvars
import json
import re
from contextlib import contextmanager

from flask import current_app, render_template, request, session
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from web.extensions import db

MACHINE_PREFIXES = ("/api/", "/fhir/")
RETRY_AFTER_SECONDS = "30"
# SQLite's PRAGMA synchronous: FULL flushes the write-ahead log to disk at every commit, so a
# committed transaction survives a power cut; NORMAL flushes it at checkpoints only, so the
# last commits can be lost to a power cut (never to a crash of the app, and the file stays sound).
FULL, NORMAL = "FULL", "NORMAL"
SYNCHRONOUS = "synchronous"
_relaxed = contextvars.ContextVar("relaxed_durability", default=False)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# The only writes that may be relaxed, even inside relaxed_durability(): a new or changed draft
# or server-side session row. Any other write there (a pending audit row flushed with them, a
# deletion) is flushed as usual.
RELAXABLE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE)\s+"?(?:draft|server_session)"?\s', re.IGNORECASE)


class DurabilityMixed(RuntimeError):
    """A write that must survive a power cut joined a transaction that began as a relaxed one."""


@contextmanager
def relaxed_durability():
    """Let a transaction whose first write is in this block commit without a flush to disk (SQLite).

    Only for writes a patient can repeat at no cost: one step's answers, the session of a
    patient on their own device. Only an insert or update of a draft or session row is ever
    relaxed (RELAXABLE); every other transaction is flushed at its commit (submissions,
    safety stops, the audit trail, staff and kiosk sessions, every deletion). On this
    machine the flush was most of a step's time when many patients answered at once, and
    its stalls made the slowest requests.
    """
    token = _relaxed.set(True)
    try:
        yield
    finally:
        _relaxed.reset(token)


def configure_sqlite(app):
    """On SQLite, write ahead (readers never block the writer) and wait for locks instead of failing."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 1000)
    # Tests fail on a mixed transaction; a clinic's server logs it and keeps the write.
    strict = app.config["TESTING"]
    logger = app.logger

    @event.listens_for(engine, "connect")
    def set_pragmas(connection, record):
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={FULL}")
        cursor.close()
        record.info[SYNCHRONOUS] = FULL

    @event.listens_for(engine, "before_cursor_execute")
    def choose_durability(connection, _cursor, statement, _parameters, _context, _executemany):
        """Flush at commit unless the transaction's first write is a relaxed one (relaxed_durability)."""
        if not statement.lstrip()[:7].upper().startswith(WRITES):
            return
        wanted = NORMAL if _relaxed.get() and RELAXABLE.match(statement) else FULL
        raw = connection.connection.dbapi_connection
        if raw.in_transaction:
            # SQLite fixes the level when the transaction begins; a flushed write cannot join a relaxed one.
            if wanted == FULL and connection.info.get(SYNCHRONOUS) == NORMAL:
                mixed = f"a write that must be flushed joined a relaxed transaction: {statement.split('(')[0][:60]}"
                if strict:
                    raise DurabilityMixed(mixed)
                logger.error(mixed)
            return
        if connection.info.get(SYNCHRONOUS) != wanted:
            raw.execute(f"PRAGMA synchronous={wanted}")
            connection.info[SYNCHRONOUS] = wanted


def register_outage_check(app):
    """Let a database error met while opening the session reach the error pages like any other."""

    @app.before_request
    def database_reachable():
        error = getattr(session, "unreachable", None)
        if error is not None:
            raise error


def database_unreachable(error):
    """Tell whether an error means the database cannot be reached (down, restarting, network)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    # SQLite reports a lock held too long or a full disk this way too: "try again soon" is true there as well.
    return isinstance(error, (OperationalError, InterfaceError))


def forget_transaction():
    """Roll back after a database error; a connection that is already gone needs only to be dropped."""
    try:
        db.session.rollback()
    except SQLAlchemyError:
        db.session.remove()


def _outage_body():
    """Return the 503 body and its type: JSON for API clients, the calm page for people."""
    if request.path.startswith(MACHINE_PREFIXES):
        return json.dumps({"error": "Service Unavailable", "status": 503}), "application/json"
    return render_template("error.html", code=503, reason="database"), "text/html"


def become_outage_page(response):
    """Turn a response into the 503 page in place (its session could not be stored)."""
    body, mimetype = _outage_body()
    response.set_data(body)
    response.mimetype = mimetype
    response.status_code = 503
    response.headers.pop("Location", None)
    response.headers["Retry-After"] = RETRY_AFTER_SECONDS


def outage_response(error):
    """Return the 503 page (or JSON for the API) for a database outage, else None."""
    if not database_unreachable(error):
        return None
    forget_transaction()
    body, mimetype = _outage_body()
    return current_app.response_class(body, 503, {"Retry-After": RETRY_AFTER_SECONDS}, mimetype=mimetype)
