"""Security headers and the session cookie, over plain HTTP (development) and HTTPS (production)."""
import pytest
from conftest import make_app

from web.security import CSP


@pytest.fixture
def secure_app(tmp_path):
    """An app configured as in production: cookies only over HTTPS."""
    return make_app(tmp_path, SESSION_COOKIE_SECURE=True)


@pytest.mark.parametrize("path", ["/", "/nurse/login", "/static/css/app.css", "/no-such-page",
                                  "/api/v1/schema"])
def test_every_response_carries_the_strict_policies(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert headers["Content-Security-Policy"] == CSP
    assert "script-src 'self'" in CSP and "'unsafe-inline'" not in CSP
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(item.strip().split("=", 1) for item in headers["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment"):
        assert policy[feature] == "()"


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_hsts_when_cookies_are_secure(secure_app):
    response = secure_app.test_client().get("/", base_url="https://clinic.example.org")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_the_secure_session_cookie_has_the_host_prefix(secure_app):
    client = secure_app.test_client()
    response = client.post("/start", base_url="https://clinic.example.org")
    assert response.status_code == 302
    headers = response.headers.getlist("Set-Cookie")
    assert any(other.startswith("__Host-pt_draft=") and "; Secure" in other for other in headers)
    header = next(header for header in headers if header.startswith("__Host-pt_session="))
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")[1:]}
    assert {"secure", "httponly", "path"} <= attributes and "domain" not in attributes
    assert "Path=/" in header
    assert client.get_cookie("__Host-pt_session", domain="clinic.example.org") is not None
    assert client.get("/questions/safety", base_url="https://clinic.example.org").status_code == 200


def test_the_plain_http_cookie_keeps_its_name(client):
    response = client.post("/start")
    assert sorted(header.split("=")[0] for header in response.headers.getlist("Set-Cookie")) == [
        "pt_draft", "pt_session"]


def test_an_already_prefixed_name_is_kept(tmp_path):
    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-clinic")
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-clinic"


def test_a_form_post_over_https_passes_the_csrf_check_as_a_browser_sends_it(tmp_path):
    """Over HTTPS the CSRF check needs a same-origin Referer; a browser sends one only if the policy allows."""
    import re

    app = make_app(tmp_path, SESSION_COOKIE_SECURE=True, WTF_CSRF_ENABLED=True)
    client, base = app.test_client(), "https://clinic.example.org"
    page = client.get("/", base_url=base)
    policy = page.headers["Referrer-Policy"]
    assert policy == "same-origin"
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True))[1]
    headers = {} if policy in ("no-referrer", "") else {"Referer": f"{base}/"}
    response = client.post("/start", data={"csrf_token": token}, headers=headers, base_url=base)
    assert response.status_code == 302
