"""Server-side sessions: the cookie carries a random key and nothing else.

Flask's default session is a signed but readable cookie. Patient answers are
health data, so every session value lives in the database and the browser
only ever holds an opaque token; the database holds only the token's hash.

A row is written only when something must be stored. A visitor who merely reads a page
with a form (every page has the language switch) gets a cookie with a random key and
no row: the form's CSRF secret is derived from that key, so it needs no storage.
"""
import hashlib
import hmac
import secrets
from contextlib import nullcontext
from datetime import timedelta

from flask import current_app, request
from flask.sessions import SessionInterface, SessionMixin
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.datastructures import CallbackDict

from web.database import become_outage_page, forget_transaction, relaxed_durability
from web.extensions import db
from web.models import ServerSession, utcnow

# Refresh the idle clock at most this often, so page views do not all write.
TOUCH_INTERVAL = timedelta(seconds=30)
TOKEN_MAX_LENGTH = 128
# Values that say no more than their absence: Flask-Login's session protection marks every
# anonymous session "not fresh", and a missing "_fresh" reads as not fresh too.
SAYS_NOTHING = {"_fresh": False}
# Flask-Login's key for the signed-in user: a session holding it is a staff session.
STAFF_KEY = "_user_id"


def _hash(token):
    """Return the database key for a cookie token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _new_token():
    return secrets.token_urlsafe(32)


def _csrf_secret(seed):
    """Return the CSRF secret of a row-less session, derived from its cookie key."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return hmac.new(key, b"csrf:" + seed.encode("ascii"), hashlib.sha256).hexdigest()


def _csrf_field():
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


class DatabaseSession(CallbackDict, SessionMixin):
    """A dict of session values that knows when it was changed and whether a form used its CSRF secret."""

    def __init__(self, initial=None, token=None, row_seen=None):
        def on_update(this):
            this.modified = True

        super().__init__(initial, on_update)
        self.token = token
        self.row_seen = row_seen
        self.modified = False
        self.rotate_requested = False
        self.seed = None
        self.seed_from_cookie = False
        self.csrf_used = False
        self.write_failed = False
        self.cookie_due = False
        # The database error met while opening the session (web/database.py raises it in the view).
        self.unreachable = None

    def __getitem__(self, key):
        if key == _csrf_field():
            self.csrf_used = True
        return super().__getitem__(key)

    def seed_csrf(self, seed, from_cookie=False):
        """Give a row-less session its cookie key and the CSRF secret derived from it (not a change)."""
        self.seed = seed
        self.seed_from_cookie = from_cookie
        dict.__setitem__(self, _csrf_field(), _csrf_secret(seed))

    def regenerate(self):
        """Drop every value and issue a new key (login, logout, kiosk reset)."""
        self.clear()
        self.seed_csrf(_new_token())
        self.rotate_requested = True
        self.modified = True

    def needs_row(self):
        """Tell whether the session holds anything beyond its derived CSRF secret."""
        derived = _csrf_secret(self.seed) if self.seed else None
        for key, value in self.items():
            if key == _csrf_field():
                if value != derived:
                    return True
            elif key not in SAYS_NOTHING or SAYS_NOTHING[key] != value:
                return True
        return False


class DatabaseSessionInterface(SessionInterface):
    """Store sessions in the `server_session` table."""

    def open_session(self, app, request):
        token = request.cookies.get(self.get_cookie_name(app))
        if not token or len(token) > TOKEN_MAX_LENGTH or not token.isascii():
            token = None
        try:
            row = db.session.get(ServerSession, _hash(token)) if token else None
        except SQLAlchemyError as error:
            forget_transaction()
            session = DatabaseSession()
            session.unreachable = error
            return session
        idle = timedelta(seconds=app.config["SESSION_IDLE_SECONDS"])
        if row is not None and row.updated_at + idle >= utcnow():
            return DatabaseSession(dict(row.data or {}), token=token, row_seen=row.updated_at)
        session = DatabaseSession()
        # An unknown key only seeds a CSRF secret (stored values always get a new key); an
        # expired one is not reused at all.
        if token and row is None:
            session.seed_csrf(token, from_cookie=True)
        else:
            session.seed_csrf(_new_token())
        return session

    def save_session(self, app, session, response):
        if session.write_failed or session.unreachable is not None:
            return
        try:
            self._save(app, session, response)
        except SQLAlchemyError:
            forget_transaction()
            app.logger.warning("Could not store a session on %s %s", request.method, request.path)
            # What the page says (saved, signed in, next step) would not hold: say so instead.
            if response.status_code < 500:
                become_outage_page(response)

    def _save(self, app, session, response):
        old_token = session.token
        if session.rotate_requested and old_token:
            self._delete(old_token)
            session.token = None
        if not session.needs_row():
            self._keep_row_less(app, session, response, old_token)
            return
        stale = session.row_seen is None or session.row_seen + TOUCH_INTERVAL < utcnow()
        if session.modified or stale or session.token is None:
            if session.token is None:
                session.token = _new_token()
            self._store(session)
            session.cookie_due = True
        if session.cookie_due:
            self._set_cookie(app, response, session.token)

    def store_now(self, session):
        """Write the session at once; return False (and write nothing more) if the database refuses."""
        try:
            if session.token is None:
                session.token = _new_token()
            self._store(session)
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Could not store a session")
            session.write_failed = True
            return False
        session.modified = False
        session.row_seen = utcnow()
        session.cookie_due = True
        return True

    def _keep_row_less(self, app, session, response, old_token):
        """Hand out a new CSRF key when a form used it; forget a cookie whose row is gone."""
        if old_token and not session.rotate_requested:
            self._delete(old_token)
        # A key the browser sent is never sent back: a late request from a page left behind
        # must not put an old key over the one a newer response has just set.
        if session.csrf_used and not session.seed_from_cookie:
            self._set_cookie(app, response, session.seed)
        elif old_token:
            response.delete_cookie(self.get_cookie_name(app), path=self.get_cookie_path(app),
                                   domain=self.get_cookie_domain(app))

    def _set_cookie(self, app, response, token):
        response.set_cookie(
            self.get_cookie_name(app), token, httponly=True,
            secure=self.get_cookie_secure(app), samesite=self.get_cookie_samesite(app) or "Lax",
            path=self.get_cookie_path(app), domain=self.get_cookie_domain(app),
        )
        response.vary.add("Cookie")

    @staticmethod
    def _store(session):
        key = _hash(session.token)
        # A patient's session on their own device (language, draft id) may be lost to a power
        # cut at no cost. A signed-in staff member's, and a kiosk's (losing its kiosk mark would
        # let the tablet keep the next patient's draft on the device), are flushed at every write.
        durable = STAFF_KEY in session or session.get("kiosk") is True
        with nullcontext() if durable else relaxed_durability():
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


def purge_expired_sessions(idle_seconds):
    """Delete sessions idle for longer than the limit; return how many."""
    cutoff = utcnow() - timedelta(seconds=idle_seconds)
    count = ServerSession.query.filter(ServerSession.updated_at < cutoff).delete()
    db.session.commit()
    return count
