"""Staff sign-in and sign-out, the idle timeout, and the role check."""
from functools import cache, wraps
from urllib.parse import urlsplit

from flask import abort, current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from limits import RateLimitItemPerSecond
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from web.audit import audit_username, record, record_now
from web.extensions import db, limiter, login_manager
from web.models import User, utcnow
from web.nurse.blueprint import bp
from web.nurse.forms import LoginForm

# Refresh the idle clock at most this often, so page views do not all write the session.
SEEN_INTERVAL = 30


def hash_password(password):
    """Return the stored form of a staff password (scrypt unless PASSWORD_HASH_METHOD says otherwise)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def _dummy_hash():
    """Checked when the username is unknown, so a wrong name costs as long as a wrong password."""
    return _dummy_hash_for(current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _dummy_hash_for(method):
    return generate_password_hash("not-a-real-password", method=method)


@bp.record_once
def configure_login(state):
    """Point Flask-Login at our sign-in page and user table."""
    login_manager.login_view = "nurse.login"
    # Flashed messages are stored as JSON: translate when flashing, not lazily.
    login_manager.login_message = "Please sign in to continue."
    login_manager.localize_callback = _
    login_manager.user_loader(load_user)


def load_user(user_id):
    """Return the active staff user of a session, or None (a disabled account is signed out)."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.active else None


def enforce_idle_timeout():
    """End a staff session after STAFF_IDLE_SECONDS without a request."""
    if not current_user.is_authenticated:
        return None
    now = utcnow().timestamp()
    seen = session.get("staff_seen", 0)
    idle_limit = current_app.config["STAFF_IDLE_SECONDS"]
    if now - seen > idle_limit:
        record_now("session_expired", user=current_user._get_current_object())
        logout_user()
        session.regenerate()
        flash(_("You were signed out after %(minutes)d minutes without activity. Please sign in again.",
                minutes=idle_limit // 60))
        return redirect(url_for("nurse.login", next=_next_target()))
    if now - seen > SEEN_INTERVAL:
        session["staff_seen"] = now
    return None


bp.before_request(enforce_idle_timeout)


def admin_required(view):
    """Let only signed-in admins through; nurses get 403."""

    @wraps(view)
    @login_required
    def wrapped(*args, **kwargs):
        if current_user.role != "admin":
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def _address_key():
    return f"address:{request.remote_addr}"


def _account_key():
    return f"account:{request.form.get('username', '').strip().lower()[:80]}"


def _failed_login(response):
    """Only failed sign-ins count toward the limits."""
    return g.get("login_failed", False)


def _record_throttled(request_limit):
    """Write one audit row per throttle window and key, not one per refused try."""
    window = RateLimitItemPerSecond(1, request_limit.limit.get_expiry())
    if not request_limit.limiter.hit(window, "login-throttle-audit", request_limit.key):
        return
    scope = "account" if "account:" in request_limit.key else "address"
    record_now("login_throttled", username=audit_username(request.form.get("username", "")),
               detail=f"more than {request_limit.limit} failed sign-ins by {scope}")


def _login_limit(setting, key_func):
    # Read at request time, so each app (and each test) uses its own configured limit.
    return limiter.limit(lambda: current_app.config[setting], key_func=key_func, methods=["POST"],
                         deduct_when=_failed_login, on_breach=_record_throttled)


@bp.route("/login", methods=["GET", "POST"])
@_login_limit("LOGIN_LIMIT_ADDRESS", _address_key)
@_login_limit("LOGIN_LIMIT_ACCOUNT", _account_key)
def login():
    """Sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("nurse.queue"))
    form = LoginForm()
    if form.validate_on_submit():
        user = _check_credentials(form.username.data.strip(), form.password.data)
        if user is not None:
            _start_session(user)
            return redirect(_safe_next() or url_for("nurse.queue"))
        g.login_failed = True
        record_now("login_failed", username=audit_username(form.username.data))
        form.password.errors.append(_("The username or password is not right."))
    return render_template("nurse/login.html", form=form), 401 if g.get("login_failed") else 200


def _check_credentials(username, password):
    """Return the active user these credentials belong to, or None."""
    user = db.session.execute(select(User).filter_by(username=username)).scalar_one_or_none()
    password_hash = user.password_hash if user is not None else _dummy_hash()
    if check_password_hash(password_hash, password) and user is not None and user.active:
        return user
    return None


def _start_session(user):
    session.regenerate()
    login_user(user)
    session["staff_seen"] = utcnow().timestamp()
    user.last_login_at = utcnow()
    record("login", user=user)
    db.session.commit()


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    """Sign out and forget the session."""
    record_now("logout")
    logout_user()
    session.regenerate()
    flash(_("You have signed out."))
    return redirect(url_for("nurse.login"))


def _next_target():
    """The page to come back to after signing in again (GET pages only)."""
    return request.full_path.rstrip("?") if request.method == "GET" else None


def _safe_next():
    """Return the `next` page if it is one of ours, else None."""
    target = request.args.get("next", "")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith(("/nurse/", "/fhir/")):
        return None
    return target
