"""The Pain Triage web app: patient questionnaire, nurse workspace, exports."""
import fcntl
import importlib
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, request, session
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from web.extensions import babel, csrf, db, limiter, login_manager, migrate
from web.i18n import ensure_compiled
from web.serving import warn_if_limits_unshared
from web.sessions import DatabaseSessionInterface

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("web.patient", "web.kiosk", "web.nurse", "web.exports", "web.api", "web.health")
LANGUAGES = ("en", "es")
# Staff pages are in English whatever the browser prefers (only patient text is translated).
STAFF_BLUEPRINTS = ("nurse", "exports")

# Every page a patient or nurse sees is health data: never cache it, never
# let a script or style from elsewhere run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")


def create_app(test_config=None):
    """Build and configure the app."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_security_headers(app)
    register_error_pages(app)
    register_commands(app)
    warn_if_limits_unshared(app)
    if test_config is None:
        prepare_embedded_database(app)
    return app


def prepare_embedded_database(app):
    """On the embedded SQLite default, create or upgrade the schema at start-up.

    `flask --app web run` then works right after install. PostgreSQL deployments
    upgrade deliberately with `flask --app web init`.
    """
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite") or not app.config["AUTO_UPGRADE_SQLITE"]:
        return
    from flask_migrate import upgrade

    # Several gunicorn workers may start at once: one upgrades, the others wait.
    with open(Path(app.instance_path) / ".upgrade.lock", "w") as lock, app.app_context():
        fcntl.flock(lock, fcntl.LOCK_EX)
        upgrade()


def configure(app, test_config):
    """Set defaults, then the instance file and environment, or the test mapping."""
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(app.instance_path) / 'pain-triage.sqlite3'}",
        # Database errors quote their statement; never let them quote patient answers into a log.
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True},
        MAX_CONTENT_LENGTH=64 * 1024,
        SESSION_COOKIE_NAME="pt_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=False,
        SESSION_IDLE_SECONDS=60 * 60,
        STAFF_IDLE_SECONDS=15 * 60,
        DRAFT_IDLE_SECONDS=2 * 60 * 60,
        AUTO_UPGRADE_SQLITE=True,
        KIOSK_MODE=False,
        KIOSK_IDLE_SECONDS=90,
        KIOSK_WARNING_SECONDS=30,
        KIOSK_FINISH_SECONDS=30,
        CLINIC_NAME="Pain clinic",
        CLINIC_PHONE="",
        EMERGENCY_NUMBER="911",
        CRISIS_LINE="988",
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        WTF_CSRF_TIME_LIMIT=None,
        QUEUE_PAGE_SIZE=50,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PAIN_TRIAGE")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(os.environ["DATABASE_URL"])
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)


def _sqlalchemy_url(url):
    """Let `postgresql://` URLs use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(app):
    """Read the secret key from the instance folder, creating it on first run."""
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app):
    """Bind the extensions and the server-side session store."""
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    for directory in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        ensure_compiled(directory)
    babel.init_app(app, locale_selector=select_locale)
    app.session_interface = DatabaseSessionInterface()
    # experta and libraries must not route health data to a log by accident:
    # log request lines only, never bodies.
    logging.getLogger("experta").setLevel(logging.WARNING)


def select_locale():
    """Use the language the patient chose, else the browser's preference; staff pages are English."""
    if request.blueprint in STAFF_BLUEPRINTS:
        return "en"
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def register_blueprints(app):
    """Import each feature's blueprint and register it."""
    for name in BLUEPRINTS:
        module = importlib.import_module(name)
        app.register_blueprint(module.bp)


def register_security_headers(app):
    """Send the headers that keep health data off shared devices and other sites."""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response


def register_error_pages(app):
    """Show a calm page for every error; never a stack trace."""
    from flask import render_template

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("error.html", code=400, reason="csrf"), 400

    @app.errorhandler(HTTPException)
    def http_error(error):
        if request.path.startswith(("/api/", "/fhir/")):
            return {"error": error.name, "status": error.code}, error.code
        return render_template("error.html", code=error.code, reason=None), error.code

    @app.errorhandler(Exception)
    def unexpected_error(error):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        if request.path.startswith(("/api/", "/fhir/")):
            return {"error": "Internal Server Error", "status": 500}, 500
        return render_template("error.html", code=500, reason=None), 500


def register_commands(app):
    """Add the `flask` CLI commands of each feature."""
    from web import commands

    commands.register(app)
