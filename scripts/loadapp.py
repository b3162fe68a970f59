"""The app and a bare Flask page in one WSGI application, for scripts/load.py.

Both are served by the same gunicorn workers with the same settings, so the bare page
shows what serving alone costs (gunicorn, a fresh connection, the client) and every app
page can be read as a multiple of it. Each response says in a `Server-Timing` header how
much CPU its worker spent on it, a figure that queueing and other programs do not inflate.
"""
import time

from flask import Flask
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from web import create_app

BARE_PATH = "/bare/"
bare = Flask("bare")


@bare.get("/")
def bare_page():
    """Return a small fixed page: no session, no database, no template."""
    return "<!doctype html><html lang=en><title>Bare</title><p>Bare Flask page.</p></html>"


def with_cpu_timing(app):
    """Wrap a WSGI app to report the worker's CPU time up to the response headers."""

    def timed(environ, start_response):
        started = time.process_time()

        def start_with_timing(status, headers, exc_info=None):
            spent = (time.process_time() - started) * 1000
            return start_response(status, [*headers, ("Server-Timing", f"cpu;dur={spent:.2f}")], exc_info)

        return app(environ, start_with_timing)

    return timed


application = with_cpu_timing(DispatcherMiddleware(create_app(), {BARE_PATH.rstrip("/"): bare}))
