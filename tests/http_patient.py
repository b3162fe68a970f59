"""A patient who answers the questionnaire over real HTTP, as a browser would.

Each patient keeps its own session cookie and reads the CSRF token from every page, so
it can talk to a real gunicorn (or to several behind a pretend proxy). Used by the
multi-server test and by `scripts/load.py`.
"""
import http.client
import re
import time
from dataclasses import dataclass
from urllib.parse import urlencode

from triage.contract import RED_FLAGS

COOKIE = "pt_session"
# The answers of a 52-year-old with sciatica (golden case style): every step, in order.
ANSWERS = (
    ("safety", {flag: "no" for flag in RED_FLAGS}),
    ("about", {"age": "52", "locations": ["lower_back", "buttock", "leg"]}),
    ("pain", {"area_weeks_back_leg": "6", "pain_average": "7",
              "interference_enjoyment": "6", "interference_activity": "8"}),
    ("feel", {"symptoms": ["radiates_below_knee", "numbness_tingling"]}),
    ("tried", {"types": ["physical_therapy", "anti_inflammatory"], "separate_rows": "1"}),
    ("details", {"row0_weeks": "6", "row0_relief_percent": "25",
                 "row1_weeks": "6", "row1_relief_percent": "0"}),
    ("health", {"health": ["blood_thinner"]}),
)
CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHECKIN_CODE = re.compile(r'<p class="checkin__code">([A-Z0-9]+)</p>')


class UnexpectedPage(Exception):
    """The server answered with a status the patient did not expect."""

    def __init__(self, method, path, status):
        super().__init__(f"{method} {path} answered {status}")
        self.status = status


@dataclass
class Page:
    """One response: status, where it redirects, and its text."""

    status: int
    location: str | None
    text: str


class Patient:
    """One browser: a cookie jar of one cookie, the last CSRF token, and a server address."""

    def __init__(self, port, host="127.0.0.1", timeout=30, on_response=None):
        self.host, self.port = host, port
        self.timeout = timeout
        self.cookie = None
        self.csrf_token = None
        # Called as on_response(label, seconds, response) after every request, for load figures.
        self.on_response = on_response

    def get(self, path, label=None):
        """Fetch a page."""
        return self.request("GET", path, None, label)

    def post(self, path, form=None, label=None):
        """Send a form with this session's CSRF token."""
        return self.request("POST", path, {**(form or {}), "csrf_token": self.csrf_token}, label)

    def request(self, method, path, form, label=None):
        """Send one request on a fresh connection (sync workers close it anyway)."""
        headers = {"Cookie": f"{COOKIE}={self.cookie}"} if self.cookie else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        if self.on_response is not None:
            self.on_response(label or f"{method} {path}", time.perf_counter() - started, response)
        self._remember(response, text)
        return Page(response.status, response.getheader("Location"), text)

    def _remember(self, response, text):
        for header in response.headers.get_all("Set-Cookie") or ():
            name, _, rest = header.partition("=")
            if name.strip() == COOKIE:
                value = rest.split(";", 1)[0]
                self.cookie = value or None
        token = CSRF_FIELD.search(text)
        if token:
            self.csrf_token = token.group(1)


def expect(page, status, method, path):
    """Return the page if its status is the expected one, else raise."""
    if page.status != status:
        raise UnexpectedPage(method, path, page.status)
    return page


def begin(patient):
    """Open the welcome page and start a new questionnaire."""
    expect(patient.get("/"), 200, "GET", "/")
    expect(patient.post("/start"), 302, "POST", "/start")


def answer(patient, steps=ANSWERS):
    """Open each step's page and send its answers."""
    for step, answers in steps:
        path = f"/questions/{step}"
        expect(patient.get(path), 200, "GET", path)
        expect(patient.post(path, {**answers, "action": "next"}), 302, "POST", path)


def finish(patient):
    """Check the answers, submit, and return the check-in code the results page shows."""
    expect(patient.get("/questions/review"), 200, "GET", "/questions/review")
    expect(patient.post("/questions/submit"), 302, "POST", "/questions/submit")
    results = expect(patient.get("/results"), 200, "GET", "/results")
    return CHECKIN_CODE.search(results.text).group(1)


def complete_questionnaire(patient):
    """Answer the whole questionnaire and return the check-in code."""
    begin(patient)
    answer(patient)
    return finish(patient)


def sign_in(patient, username, password):
    """Sign a staff member in through the login form; return the response."""
    expect(patient.get("/nurse/login"), 200, "GET", "/nurse/login")
    return patient.post("/nurse/login", {"username": username, "password": password})
