"""The database connection: SQLite's settings for several threads, and a calm page when it is down."""
import json

from flask import current_app, render_template, request, session
from sqlalchemy import event
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, SQLAlchemyError

from web.extensions import db

MACHINE_PREFIXES = ("/api/", "/fhir/")
RETRY_AFTER_SECONDS = "30"


def configure_sqlite(app):
    """On SQLite, write ahead (readers never block the writer) and wait for locks instead of failing."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    busy_ms = int(app.config["SQLITE_BUSY_TIMEOUT_SECONDS"] * 1000)

    @event.listens_for(engine, "connect")
    def set_pragmas(connection, _record):
        cursor = connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


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
