"""Housekeeping: delete expired sessions and abandoned drafts, on their own schedule.

Submission retention is a clinic decision (`flask purge --older-than DAYS`); this is not.
A session idle past SESSION_IDLE_SECONDS or a draft untouched past DRAFT_IDLE_SECONDS can
never be used again, so it goes: from cron with `flask --app web purge-idle`, and from a
sweep that each app process runs now and then after a request, at most once every
HOUSEKEEPING_INTERVAL_SECONDS and at most HOUSEKEEPING_BATCH rows of each kind.
"""
import threading
from datetime import timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from web.extensions import db
from web.models import Draft, ServerSession, utcnow


def purge_idle(batch=None):
    """Delete expired sessions and abandoned drafts (at most `batch` of each); return both counts."""
    config, now = current_app.config, utcnow()
    session_cutoff = now - timedelta(seconds=config["SESSION_IDLE_SECONDS"])
    draft_cutoff = now - timedelta(seconds=config["DRAFT_IDLE_SECONDS"])
    sessions = _delete_older(ServerSession, ServerSession.key_hash, session_cutoff, batch)
    drafts = _delete_older(Draft, Draft.id, draft_cutoff, batch)
    db.session.commit()
    return sessions, drafts


def _delete_older(model, key, cutoff, batch):
    """Delete the rows of a table last touched before the cutoff, oldest first, at most `batch`."""
    chosen = select(key).where(model.updated_at < cutoff).order_by(model.updated_at)
    if batch is not None:
        chosen = chosen.limit(batch)
    return db.session.execute(delete(model).where(key.in_(chosen.scalar_subquery())),
                              execution_options={"synchronize_session": False}).rowcount


class Sweeper:
    """Run `purge_idle` now and then in this process, never twice at once."""

    def __init__(self, app):
        self.interval = timedelta(seconds=app.config["HOUSEKEEPING_INTERVAL_SECONDS"])
        self.batch = app.config["HOUSEKEEPING_BATCH"]
        self.lock = threading.Lock()
        self.due = None

    def maybe_sweep(self):
        """Sweep if the interval has passed since the last sweep (the first comes one interval in)."""
        now = utcnow()
        if self.due is None:
            self.due = now + self.interval
        if now < self.due or not self.lock.acquire(blocking=False):
            return
        try:
            self.due = now + self.interval
            purge_idle(self.batch)
        except SQLAlchemyError:
            # Housekeeping must never cost a patient their page: try again next interval.
            db.session.rollback()
            current_app.logger.warning("Housekeeping sweep failed; will retry", exc_info=True)
        finally:
            self.lock.release()


def register(app):
    """Attach the cron command to the CLI and the sweep to every request (unless the interval is 0)."""
    app.cli.add_command(purge_idle_command)
    if app.config["HOUSEKEEPING_INTERVAL_SECONDS"] <= 0:
        return
    sweeper = app.extensions["housekeeping"] = Sweeper(app)

    @app.after_request
    def sweep_now_and_then(response):
        sweeper.maybe_sweep()
        return response


@click.command("purge-idle")
@with_appcontext
def purge_idle_command():
    """Delete expired sessions and abandoned drafts (for cron; submissions are untouched)."""
    sessions, drafts = purge_idle()
    click.echo(f"Purged {sessions} expired sessions and {drafts} abandoned drafts.")
