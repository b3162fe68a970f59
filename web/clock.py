"""The one clock every timeout reads, and the one column type every stored time uses.

Kiosk idleness, session and draft expiry, the staff idle timeout and housekeeping all ask
`now()`. The app holds its clock in `app.extensions["clock"]`; tests inject a `FrozenClock`
(config `CLOCK`) and move it on by hand, so no test depends on how fast the machine is.
"""
from datetime import datetime, timedelta, timezone

from flask import current_app, has_app_context
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


class SystemClock:
    """The real time, in UTC."""

    def now(self):
        """Return the current time, timezone-aware, in UTC."""
        return datetime.now(timezone.utc)


class FrozenClock:
    """A clock that stands still until told to move (for tests and rehearsals)."""

    def __init__(self, start=None):
        self.moment = start or datetime.now(timezone.utc).replace(microsecond=0)

    def now(self):
        """Return the frozen time."""
        return self.moment

    def advance(self, seconds):
        """Move the clock forward by a number of seconds."""
        self.moment += timedelta(seconds=seconds)


SYSTEM_CLOCK = SystemClock()


def install(app):
    """Give the app its clock: the configured one (tests), else the system's."""
    app.extensions["clock"] = app.config.get("CLOCK") or SYSTEM_CLOCK


def now():
    """Return the current time, timezone-aware, in UTC, from the app's clock."""
    if has_app_context():
        return current_app.extensions.get("clock", SYSTEM_CLOCK).now()
    return SYSTEM_CLOCK.now()


class UTCDateTime(TypeDecorator):
    """A point in time, stored in UTC and always handed back timezone-aware.

    SQLite keeps no offset and returns naive values; PostgreSQL returns aware ones in the
    connection's zone. Both come back here as aware UTC, and a naive value is refused on
    the way in rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a stored time must be timezone-aware")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
