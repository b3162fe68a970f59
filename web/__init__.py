"""The Pain Triage web app: patient questionnaire, nurse workspace, exports."""
import fcntl
import importlib
import logging
import os
import secrets
from pathlib import Path

from flask import Flask, render_template, request, session
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from triage.contract import CRISIS_LINE, EMERGENCY_NUMBER
from web import clock, housekeeping, signoff
from web.database import configure_sqlite, outage_response, register_outage_check
from web import security
from web.extensions import babel, csrf, db, limiter, login_manager, migrate
from web.i18n import ensure_compiled, require_compiled
from web.serving import warn_if_limits_unshared
from web.sessions import DatabaseSessionInterface

ROOT = Path(__file__).resolve().parent.parent
BLUEPRINTS = ("web.patient", "web.kiosk", "web.nurse", "web.exports", "web.api", "web.health", "web.cds")
LANGUAGES = ("en", "es")
# Staff pages are in English whatever the browser prefers (only patient text is translated).
STAFF_BLUEPRINTS = ("nurse", "exports")


def create_app(test_config=None):
    """Build and configure the app."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(ROOT / "templates"), static_folder=str(ROOT / "static"))
    configure(app, test_config)
    security.trust_proxies(app)
    app.url_map.converters["record_id"] = security.RecordIdConverter
    register_extensions(app)
    register_blueprints(app)
    security.register_headers(app)
    app.before_request(security.refuse_nul_bytes)
    register_error_pages(app)
    register_commands(app)
    housekeeping.register(app)
    warn_if_limits_unshared(app)
    if test_config is None:
        prepare_embedded_database(app)
    signoff.check_at_start(app, testing=test_config is not None)
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
        # Pre-ping: after a database restart, pooled connections are replaced instead of failing.
        SQLALCHEMY_ENGINE_OPTIONS={"hide_parameters": True, "pool_pre_ping": True},
        SQLITE_BUSY_TIMEOUT_SECONDS=15,
        # A PostgreSQL role that owns nothing: `flask init` (run as the owner) grants it its rights.
        DATABASE_APP_ROLE=None,
        HOUSEKEEPING_INTERVAL_SECONDS=10 * 60,
        HOUSEKEEPING_BATCH=500,
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
        # Required (rules.md §2.1): every urgent instruction names the clinic's number.
        CLINIC_NAME="",
        CLINIC_PHONE="",
        BABEL_DEFAULT_LOCALE="en",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=False,
        # Failed sign-ins. Per account it is strict; per address it is far looser, because a
        # whole clinic may share one address and one attacker must not lock every nurse out.
        LOGIN_LIMIT_ACCOUNT="5 per minute",
        LOGIN_LIMIT_ADDRESS="50 per minute",
        WTF_CSRF_TIME_LIMIT=None,
        QUEUE_PAGE_SIZE=50,
        # The admin page re-evaluates this many of the newest submissions per view (about 2 ms
        # each); `flask --app web impact` compares every one, on every core.
        IMPACT_PAGE_LATEST=2000,
        # None: check the rule base sign-off on a production start (not tests, not the debugger).
        RULEBASE_SIGNOFF_CHECK=None,
        # Slow on purpose against stolen hashes; only the test suite sets a cheap one.
        PASSWORD_HASH_METHOD="scrypt",
        # How many proxies in front of the app to trust for the client's address (0: none).
        PROXY_HOPS=0,
        # Never built from the request's Host header; set FHIR_BASE_URL to the clinic's address.
        FHIR_BASE_URL="https://pain-triage.invalid/fhir",
        # CDS Hooks: this app's public address (card links, the JWT audience), never the Host
        # header; the EHRs trusted to call it (issuer -> JWK Set or PEM public key, or a file path).
        PUBLIC_BASE_URL="https://pain-triage.invalid",
        CDS_HOOKS_ISSUERS={},
        CDS_HOOKS_LEEWAY_SECONDS=30,
    )
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("PAIN_TRIAGE")
        if os.environ.get("DATABASE_URL"):
            app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(os.environ["DATABASE_URL"])
        require_clinic_settings(app.config)
    else:
        app.config.from_mapping(test_config)
    app.config["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    security.secure_cookie_name(app)


class ClinicSettingsMissing(RuntimeError):
    """The clinic's name or telephone number is not configured."""


def require_clinic_settings(config):
    """Refuse to start without the clinic's name and a telephone number patients can dial.

    Urgent instructions tell the patient to call the clinic (rules.md §2.1); a number from
    the environment written without quotes arrives as an integer and is taken as written.
    """
    name = str(config.get("CLINIC_NAME") or "").strip()
    phone = str(config.get("CLINIC_PHONE") or "").strip()
    problems = []
    if not name:
        problems.append("PAIN_TRIAGE_CLINIC_NAME (the clinic's name, shown on every page)")
    if sum(ch.isdigit() for ch in phone) < 3 or any(not (ch.isdigit() or ch in " +-().") for ch in phone):
        problems.append("PAIN_TRIAGE_CLINIC_PHONE (the number patients call, digits with optional "
                        "spaces, +, -, ( ) or dots; every urgent instruction shows it)")
    if problems:
        raise ClinicSettingsMissing("Pain Triage will not start without the clinic's settings. Set "
                                    + " and ".join(problems)
                                    + " in the environment or in instance/config.py (see README.md).")
    config["CLINIC_NAME"], config["CLINIC_PHONE"] = name, phone


def clinic_tel(phone):
    """Return the clinic's number as a tel: link writes it: no spaces (RFC 3966 visual separators stay)."""
    return "".join(ch for ch in str(phone or "") if ch.isdigit() or ch in "+-.()")


def _sqlalchemy_url(url):
    """Let `postgresql://` URLs use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _instance_secret(app):
    """Read the secret key from the instance folder, creating it on first run."""
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app):
    """Bind the extensions and the server-side session store."""
    security.protect_files(app)
    clock.install(app)
    db.init_app(app)
    configure_sqlite(app)
    register_outage_check(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    for directory in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        ensure_compiled(directory)
        require_compiled(directory)
    babel.init_app(app, locale_selector=select_locale)
    app.session_interface = DatabaseSessionInterface()
    # Fixed in this version (rules.md §2.1): the text and every call link name the same numbers.
    app.jinja_env.globals.update(EMERGENCY_NUMBER=EMERGENCY_NUMBER, CRISIS_LINE=CRISIS_LINE)
    app.jinja_env.filters["tel"] = clinic_tel
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


def register_error_pages(app):
    """Show a calm page for every error; never a stack trace."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return error_page(400, reason="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error):
        # A database error outside the view (a response hook) reaches us wrapped in a 500.
        outage = outage_response(getattr(error, "original_exception", None))
        if outage is not None:
            return outage
        # Keep what the error says about itself, such as the Allow header of a 405.
        headers = [(key, value) for key, value in error.get_headers() if key.lower() != "content-type"]
        return error_page(error.code, name=error.name, headers=headers)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        outage = outage_response(error)
        if outage is not None:
            app.logger.warning("Database unreachable on %s %s: %s", request.method, request.path,
                               type(error).__name__)
            return outage
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return error_page(500, name="Internal Server Error")


def error_page(code, name=None, reason=None, headers=()):
    """Answer an error in JSON on the API, else with the error page in the visitor's language."""
    name = name or HTTP_STATUS_CODES[code]
    if request.path.startswith(("/api/", "/fhir/", "/cds-services")):
        return {"error": name, "status": code}, code, headers
    if request_ctx.url_adapter is None:
        # The request could not even be routed (a malformed Host): no page links can be built.
        return f"{code} {name}", code, [*headers, ("Content-Type", "text/plain; charset=utf-8")]
    return render_template("error.html", code=code, reason=reason), code, headers


def register_commands(app):
    """Add the `flask` CLI commands of each feature."""
    from web import backup, commands, impact

    commands.register(app)
    backup.register(app)
    impact.register(app)
    signoff.register(app)
