"""The app's edge: which proxy to trust, security headers, requests refused outright, file modes."""
import os
from pathlib import Path

from flask import abort, request
from sqlalchemy.engine import make_url
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

# Every page a patient or nurse sees is health data: never cache it, never
# let a script or style from elsewhere run.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")
# The app needs no camera, microphone, location or payment; a shared kiosk must never ask.
PERMISSIONS_POLICY = ("camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), "
                      "bluetooth=(), interest-cohort=(), browsing-topics=()")
HSTS = "max-age=31536000; includeSubDomains"
# Browsers accept a `__Host-` cookie only over HTTPS, for the whole site, with no Domain:
# another subdomain of the clinic cannot plant or overwrite it.
HOST_PREFIX = "__Host-"


class RecordIdConverter(IntegerConverter):
    """A row id in a URL: a larger number is no page (404), never a database overflow."""

    def __init__(self, url_map):
        # The largest INTEGER of PostgreSQL (SQLite's is larger).
        super().__init__(url_map, min=1, max=2**31 - 1)


def trust_proxies(app):
    """Read the client's address and scheme from PROXY_HOPS trusted proxies (0: trust none)."""
    hops = int(app.config["PROXY_HOPS"])
    if hops < 0:
        raise ValueError(f"PROXY_HOPS must be 0 or more, not {hops}")
    if hops:
        # Host is never taken from the proxy's headers: no URL the app builds follows it.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0, x_prefix=0)


def secure_cookie_name(app):
    """Give the session cookie the `__Host-` prefix whenever it is sent over HTTPS only."""
    name = app.config["SESSION_COOKIE_NAME"]
    if app.config["SESSION_COOKIE_SECURE"] and not name.startswith(HOST_PREFIX):
        app.config["SESSION_COOKIE_NAME"] = HOST_PREFIX + name
    if app.config["SESSION_COOKIE_NAME"].startswith(HOST_PREFIX):
        app.config["SESSION_COOKIE_PATH"] = "/"
        app.config["SESSION_COOKIE_DOMAIN"] = None


def register_headers(app):
    """Send the headers that keep health data off shared devices and other sites."""

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["Permissions-Policy"] = PERMISSIONS_POLICY
        response.headers["X-Content-Type-Options"] = "nosniff"
        # same-origin, not no-referrer: over HTTPS Flask-WTF checks that a form post comes from
        # this site by its Referer, and other sites still get none.
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        if app.config["SESSION_COOKIE_SECURE"]:
            response.headers["Strict-Transport-Security"] = HSTS
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
            response.headers["Pragma"] = "no-cache"
        return response


def refuse_nul_bytes():
    """Refuse a request whose query or form holds a NUL character (PostgreSQL cannot store one)."""
    for values in (request.args, request.form):
        for key, value in values.items(multi=True):
            if "\x00" in key or "\x00" in value:
                abort(400)


def protect_files(app):
    """Keep the instance folder (secret key, database) and the SQLite file to the serving user."""
    instance = Path(app.instance_path)
    instance.mkdir(mode=0o700, parents=True, exist_ok=True)
    instance.chmod(0o700)
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return
    # SQLite gives its journal and WAL files the database file's mode, so this covers them too.
    database = Path(url.database)
    database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(database, os.O_RDWR | os.O_CREAT, 0o600))
    database.chmod(0o600)
