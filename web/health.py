"""A health check for the proxy, the service manager and tests: is the database answering?"""
from flask import Blueprint, current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from web.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answer 200 when this instance can reach its database, else 503; never stores a session."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.warning("Health check: the database is not answering")
        return {"status": "unavailable"}, 503
    return {"status": "ok"}
