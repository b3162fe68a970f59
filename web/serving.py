"""How the app is served: how many worker processes, and whether they share login limits."""
import os
import shlex
import sys

SHARED_STORAGE_HINT = "redis://127.0.0.1:6379/0"


def declared_workers(environ=None, argv=None):
    """Return how many worker processes serve the app, as its command line and environment say."""
    environ = os.environ if environ is None else environ
    argv = sys.argv if argv is None else argv
    workers = _positive(environ.get("WEB_CONCURRENCY")) or 1
    if environ.get("SERVER_SOFTWARE", "").startswith("gunicorn") and "gunicorn" in sys.modules:
        # gunicorn reads GUNICORN_CMD_ARGS, then its command line: the later one wins.
        for args in (shlex.split(environ.get("GUNICORN_CMD_ARGS", "")), argv[1:]):
            workers = _gunicorn_workers(args) or workers
    return workers


def _gunicorn_workers(args):
    from gunicorn.config import Config

    try:
        parsed, _rest = Config().parser().parse_known_args(args)
    except SystemExit:  # gunicorn itself accepted these arguments; never stop the app over them
        return None
    return parsed.workers


def _positive(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def unshared_limits_warning(storage_uri, workers):
    """Return the warning for several workers each counting failed sign-ins alone, or None."""
    if workers <= 1 or not storage_uri.startswith("memory://"):
        return None
    return (f"{workers} worker processes each keep their own failed-login limits in memory, "
            f"so an attacker gets up to {workers} times the sign-in attempts. Point "
            f"PAIN_TRIAGE_RATELIMIT_STORAGE_URI at shared storage (for example "
            f"{SHARED_STORAGE_HINT}); see deploy/.")


def warn_if_limits_unshared(app):
    """Log a start-up warning when several workers use in-memory rate limits."""
    if not app.config.get("RATELIMIT_ENABLED", True):
        return
    message = unshared_limits_warning(app.config["RATELIMIT_STORAGE_URI"], declared_workers())
    if message:
        app.logger.warning(message)
