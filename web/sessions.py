"""Server-side sessions: the cookie carries a random key and nothing else.

Flask's default session is a signed but readable cookie. Patient answers are
health data, so every session value lives in the database and the browser
only ever holds an opaque token.
"""
import hashlib
import secrets
from datetime import timedelta, timezone

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from web.extensions import db
from web.models import ServerSession, utcnow

# Refresh the idle clock at most this often, so page views do not all write.
TOUCH_INTERVAL = timedelta(seconds=30)


def _hash(token):
    """Return the database key for a cookie token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


class DatabaseSession(CallbackDict, SessionMixin):
    """A dict of session values that knows when it was changed."""

    def __init__(self, initial=None, token=None, row_seen=None):
        def on_update(this):
            this.modified = True

        super().__init__(initial, on_update)
        self.token = token
        self.row_seen = row_seen
        self.modified = False
        self.rotate_requested = False

    def regenerate(self):
        """Drop every value and issue a new key (login, logout, kiosk reset)."""
        self.clear()
        self.rotate_requested = True
        self.modified = True


class DatabaseSessionInterface(SessionInterface):
    """Store sessions in the `server_session` table."""

    def open_session(self, app, request):
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > 128 or not token.isascii():
            return DatabaseSession()
        row = db.session.get(ServerSession, _hash(token))
        idle = timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])
        if row is None or _aware(row.updated_at) + idle < utcnow():
            return DatabaseSession()
        return DatabaseSession(dict(row.data or {}), token=token, row_seen=_aware(row.updated_at))

    def save_session(self, app, session, response):
        name = self.get_cookie_name(app)
        old_token = session.token
        if session.rotate_requested and old_token:
            self._delete(old_token)
            session.token = None
        if not session:
            if old_token:
                if not session.rotate_requested:
                    self._delete(old_token)
                response.delete_cookie(name, path=self.get_cookie_path(app),
                                       domain=self.get_cookie_domain(app))
            return
        stale = session.row_seen is None or session.row_seen + TOUCH_INTERVAL < utcnow()
        if not (session.modified or stale or session.token is None):
            return
        if session.token is None:
            session.token = secrets.token_urlsafe(32)
        self._store(session)
        response.set_cookie(
            name, session.token, httponly=True,
            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app) or "Lax",
            path=self.get_cookie_path(app), domain=self.get_cookie_domain(app),
        )
        response.vary.add("Cookie")

    @staticmethod
    def _store(session):
        key = _hash(session.token)
        row = db.session.get(ServerSession, key)
        if row is None:
            row = ServerSession(key_hash=key)
            db.session.add(row)
        row.data = dict(session)
        row.updated_at = utcnow()
        db.session.commit()

    @staticmethod
    def _delete(token):
        row = db.session.get(ServerSession, _hash(token))
        if row is not None:
            db.session.delete(row)
            db.session.commit()


def _aware(moment):
    """SQLite returns naive datetimes; every stored time is UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def purge_expired_sessions(idle_seconds):
    """Delete sessions idle for longer than the limit; return how many."""
    cutoff = utcnow() - timedelta(seconds=idle_seconds)
    count = ServerSession.query.filter(ServerSession.updated_at < cutoff).delete()
    db.session.commit()
    return count
