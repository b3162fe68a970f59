"""Kiosk mode over HTTP: a shared tablet that forgets each patient, on time and without leaks."""
import html
import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from flask import Config

from conftest import make_app
from test_patient_flow import NO_FLAGS, SCIATICA_AFTER_PHYSIO, STEP_ORDER, post_step
from web.extensions import db
from web.models import Draft, Submission
from web.patient.submission import SaveFailed

IDLE, WARNING = 90, 30
KIOSK_BODY = re.compile(r'<body class="[^"]*\bkiosk\b')
KIOSK_ROUTES = [("get", "/kiosk"), ("post", "/kiosk/start"), ("post", "/kiosk/reset"),
                ("post", "/kiosk/still-here"), ("get", "/kiosk/finish"), ("get", "/kiosk/start-over")]


@pytest.fixture
def kiosk_app(tmp_path):
    """An app with kiosk mode on."""
    application = make_app(tmp_path, KIOSK_MODE=True, KIOSK_IDLE_SECONDS=IDLE, KIOSK_WARNING_SECONDS=WARNING)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def tablet(kiosk_app):
    """A kiosk tablet's browser, on the start screen."""
    client = kiosk_app.test_client()
    assert client.get("/kiosk").status_code == 200
    return client


@pytest.fixture
def clock(kiosk_app):
    """Move the app's frozen clock forward: clock(seconds)."""
    return kiosk_app.extensions["clock"].advance


def begin(tablet, lang="en", upto=None):
    """Choose a language and answer the steps before `upto` (all of them when None)."""
    assert tablet.post("/kiosk/start", data={"lang": lang}).location == "/questions/safety"
    for step in STEP_ORDER:
        if step == upto:
            return
        assert post_step(tablet, step, SCIATICA_AFTER_PHYSIO[step]).status_code == 302, step


def cookie(client):
    """Return the session cookie's value, or None."""
    found = client.get_cookie("pt_session")
    return found.value if found else None


def drafts(app):
    """Return every stored draft."""
    with app.app_context():
        return db.session.execute(db.select(Draft)).scalars().all()


def answer_words(answers):
    """Return the answers' distinctive values (the words a leak would show)."""
    return {item for step in answers.values() for value in step.values()
            for item in (value if isinstance(value, list) else [value]) if len(item) > 3}


@pytest.mark.parametrize("method, path", KIOSK_ROUTES)
def test_the_kiosk_does_not_exist_when_kiosk_mode_is_off(client, method, path):
    assert getattr(client, method)(path).status_code == 404


def test_the_readme_setting_turns_kiosk_mode_on(monkeypatch, tmp_path):
    monkeypatch.setenv("PAIN_TRIAGE_KIOSK_MODE", "true")
    config = Config(tmp_path)
    config.from_prefixed_env("PAIN_TRIAGE")
    assert config["KIOSK_MODE"] is True


def test_the_start_screen_offers_both_languages_and_start_over(tablet):
    page = tablet.get("/kiosk").get_data(as_text=True)
    assert KIOSK_BODY.search(page)
    assert 'value="en" lang="en">English<' in page and 'value="es" lang="es">Español<' in page
    assert 'action="/kiosk/reset"' in page and "Start over" in page


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_language_button_starts_a_fresh_kiosk_draft_in_that_language(kiosk_app, tablet, lang):
    before = cookie(tablet)
    begin(tablet, lang, upto="safety")
    (draft,) = drafts(kiosk_app)
    assert draft.kiosk is True and draft.lang == lang and draft.answers == {}
    assert cookie(tablet) != before
    assert f'lang="{lang}"' in tablet.get("/questions/safety").get_data(as_text=True)[:200]


def test_an_unknown_language_is_refused(tablet):
    assert tablet.post("/kiosk/start", data={"lang": "fr"}).status_code == 400


def test_a_new_patient_replaces_an_unfinished_draft(kiosk_app, tablet):
    begin(tablet, upto="pain")
    begin(tablet, upto="safety")
    (draft,) = drafts(kiosk_app)
    assert draft.answers == {}


def test_a_patient_at_home_is_not_a_kiosk_patient_when_kiosk_mode_is_on(kiosk_app):
    home = kiosk_app.test_client()
    assert home.get("/").status_code == 200
    home.post("/start")
    (draft,) = drafts(kiosk_app)
    assert draft.kiosk is False
    page = home.get("/questions/safety").get_data(as_text=True)
    assert "kiosk" not in page


def test_start_over_deletes_the_draft_and_the_session(kiosk_app, tablet):
    begin(tablet, upto="pain")
    old = cookie(tablet)
    response = tablet.post("/kiosk/reset")
    assert response.status_code == 303 and response.location == "/kiosk"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert drafts(kiosk_app) == []
    assert cookie(tablet) is None
    tablet.get("/kiosk")
    assert cookie(tablet) not in (None, old)
    assert tablet.get("/questions/about").location == "/"


def test_the_old_session_key_opens_nothing_after_start_over(kiosk_app, tablet):
    begin(tablet, upto="pain")
    old = cookie(tablet)
    tablet.post("/kiosk/reset")
    thief = kiosk_app.test_client()
    thief.set_cookie("pt_session", old)
    assert thief.get("/questions/about").location == "/"


def test_a_kiosk_patient_sees_the_finish_screen_with_only_the_code(kiosk_app, tablet):
    begin(tablet)
    old = cookie(tablet)
    assert tablet.post("/questions/submit").location == "/results"
    response = tablet.get("/results")
    assert response.location == "/kiosk/finish"
    finish = tablet.get("/kiosk/finish")
    page = finish.get_data(as_text=True)
    with kiosk_app.app_context():
        code = db.session.execute(db.select(Submission.checkin_code)).scalar_one()
    assert f'<p class="checkin__code">{code}</p>' in page
    assert "Please hand the tablet to the front desk." in page
    assert finish.headers["Clear-Site-Data"] == '"cache", "storage"'
    assert finish.headers["Cache-Control"] == "no-store"
    main = page[page.index("<main"):page.index("</main>")]
    for word in ("epidural", "Epidural", "injection", "Lower back", "52", "physio", "weeks"):
        assert word not in main, word
    assert not any(answer in page for answer in answer_words(SCIATICA_AFTER_PHYSIO))
    assert cookie(tablet) not in (None, old)
    assert drafts(kiosk_app) == []


def test_the_finish_screen_is_shown_once(tablet):
    begin(tablet)
    tablet.post("/questions/submit")
    tablet.get("/kiosk/finish")
    assert tablet.get("/kiosk/finish").location == "/kiosk"
    assert tablet.get("/results").location == "/kiosk/finish"


def test_the_finish_screen_returns_to_the_start_without_javascript(tablet):
    begin(tablet)
    tablet.post("/questions/submit")
    page = tablet.get("/kiosk/finish").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="30;url=/kiosk"></noscript>' in page
    assert 'data-kiosk-finish data-finish-seconds="30"' in page


def test_the_idle_warning_takes_its_timings_from_the_settings(tablet):
    begin(tablet, upto="about")
    page = tablet.get("/questions/about").get_data(as_text=True)
    assert 'role="alertdialog" aria-labelledby="kiosk-idle-title"' in page
    assert f'data-idle-seconds="{IDLE}"' in page and f'data-warning-seconds="{WARNING}"' in page
    assert '<script src="/static/js/kiosk.js" defer></script>' in page


def test_the_start_screen_has_no_idle_warning_when_it_holds_nothing(tablet):
    assert "data-kiosk-idle" not in tablet.get("/kiosk").get_data(as_text=True)


def test_a_quiet_kiosk_patient_is_forgotten_on_the_next_request(kiosk_app, tablet, clock):
    begin(tablet, upto="pain")
    clock(IDLE + WARNING + 1)
    response = post_step(tablet, "pain", SCIATICA_AFTER_PHYSIO["pain"])
    assert response.status_code == 303 and response.location == "/kiosk?expired=1"
    assert response.headers["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert drafts(kiosk_app) == []
    page = tablet.get(response.location).get_data(as_text=True)
    assert "The screen was not used for a while, so we cleared it." in page
    assert tablet.get("/questions/about").location == "/"


def test_a_patient_quiet_for_exactly_the_limit_keeps_their_answers(kiosk_app, tablet, clock):
    begin(tablet, upto="pain")
    clock(IDLE + WARNING)
    assert post_step(tablet, "pain", SCIATICA_AFTER_PHYSIO["pain"]).location == "/questions/feel"
    assert len(drafts(kiosk_app)) == 1


def test_still_here_restarts_the_servers_idle_clock(kiosk_app, tablet, clock):
    begin(tablet, upto="pain")
    clock(IDLE + WARNING - 5)
    assert tablet.post("/kiosk/still-here").status_code == 204
    clock(IDLE + WARNING - 5)
    assert post_step(tablet, "pain", SCIATICA_AFTER_PHYSIO["pain"]).location == "/questions/feel"


def test_still_here_after_the_limit_is_too_late(kiosk_app, tablet, clock):
    begin(tablet, upto="pain")
    clock(IDLE + WARNING + 1)
    assert tablet.post("/kiosk/still-here").location == "/kiosk?expired=1"
    assert drafts(kiosk_app) == []


def test_start_over_after_the_limit_goes_to_the_plain_start(kiosk_app, tablet, clock):
    begin(tablet, upto="pain")
    clock(IDLE + WARNING + 1)
    assert tablet.post("/kiosk/reset").location == "/kiosk"
    assert drafts(kiosk_app) == []


def test_a_quiet_start_screen_is_not_reset(tablet, clock):
    clock(10 * (IDLE + WARNING))
    assert tablet.get("/kiosk").status_code == 200
    begin(tablet, upto="about")


def test_a_kiosk_session_never_lands_on_the_home_start_page(tablet):
    begin(tablet, upto="about")
    assert tablet.get("/").location == "/kiosk"
    assert post_step(tablet, "safety", NO_FLAGS, action="back").location == "/"


def test_the_emergency_page_sends_the_patient_to_the_front_desk(tablet):
    begin(tablet, upto="safety")
    assert post_step(tablet, "safety", {**NO_FLAGS, "self_harm_plan": "yes"}).location == "/emergency"
    page = tablet.get("/emergency").get_data(as_text=True)
    assert "Tell the front desk right now. If no one is there, call 911." in page
    assert "You can also call or text 988" in html.unescape(page)
    assert "tel:" not in page and "sms:" not in page


def kiosk_pages(tablet, monkeypatch):
    """Visit every page a kiosk patient can reach; return (name, response) for each."""
    seen = [("start", tablet.get("/kiosk")), ("expired", tablet.get("/kiosk?expired=1"))]
    tablet.post("/kiosk/start", data={"lang": "en"})
    seen.append(("safety with errors", tablet.post("/questions/safety", data={"action": "next"})))
    for step in STEP_ORDER:
        seen.append((step, tablet.get(f"/questions/{step}")))
        post_step(tablet, step, SCIATICA_AFTER_PHYSIO[step])
    seen.append(("review", tablet.get("/questions/review")))
    seen.append(("change from review", tablet.get("/questions/pain?from=review")))
    seen += [("not found", tablet.get("/questions/payment")), ("refused", tablet.get("/kiosk/start"))]
    with monkeypatch.context() as patch:
        patch.setattr("web.patient.views.submit_draft", cannot_save)
        seen.append(("save failed", tablet.post("/questions/submit")))
    tablet.post("/questions/submit")
    seen.append(("finish", tablet.get("/kiosk/finish")))
    tablet.post("/kiosk/start", data={"lang": "es"})
    post_step(tablet, "safety", {**NO_FLAGS, "saddle_numbness": "yes"})
    seen.append(("emergency in Spanish", tablet.get("/emergency")))
    return seen


def cannot_save(draft):
    """Fail to store a submission, as a full disk would."""
    raise SaveFailed()


class Addresses(HTMLParser):
    """Collect every address a page links, posts or loads."""

    ATTRIBUTES = {"a": "href", "area": "href", "form": "action", "button": "formaction",
                  "link": "href", "script": "src", "img": "src", "iframe": "src", "meta": "content"}

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        name = self.ATTRIBUTES.get(tag)
        if name in values and (tag != "meta" or values.get("http-equiv") == "refresh"):
            self.found.append((tag, values[name]))


def stays_in_the_app(tag, address):
    """Tell whether an address stays on this site (a path or a fragment; a data: icon is no link)."""
    if tag == "meta":
        address = address.split("url=", 1)[1]
    if tag == "link" and address == "data:,":
        return True
    parts = urlsplit(address)
    return not parts.scheme and not parts.netloc and (address.startswith(("/", "#")) or address == "")


def test_no_kiosk_page_links_outside_the_app(tablet, monkeypatch):
    pages = kiosk_pages(tablet, monkeypatch)
    assert [name for name, response in pages if response.status_code != 200] == ["not found", "refused", "save failed"]
    for name, response in pages:
        page = response.get_data(as_text=True)
        assert KIOSK_BODY.search(page), name
        parser = Addresses()
        parser.feed(page)
        assert parser.found, name
        leaving = [(tag, address) for tag, address in parser.found if not stays_in_the_app(tag, address)]
        assert not leaving, (name, leaving)


def test_every_kiosk_page_and_every_answer_is_kept_out_of_caches_and_cookies(tablet, monkeypatch):
    pages = kiosk_pages(tablet, monkeypatch)
    words = answer_words(SCIATICA_AFTER_PHYSIO)
    for name, response in pages:
        assert response.headers["Cache-Control"] == "no-store", name
        for header in response.headers.getlist("Set-Cookie"):
            cookie_name, value = header.split(";")[0].split("=", 1)
            assert cookie_name == "pt_session" and re.fullmatch(r"([A-Za-z0-9_-]{43})?", value), header
            assert not any(word in header for word in words), header
    responses = [tablet.post("/kiosk/reset"), tablet.post("/kiosk/still-here"), tablet.get("/")]
    assert all(response.headers["Cache-Control"] == "no-store" for response in responses)


@pytest.mark.parametrize("step", STEP_ORDER)
def test_every_health_question_is_asked_with_autocomplete_off(tablet, step):
    begin(tablet, upto=step)
    page = tablet.get(f"/questions/{step}").get_data(as_text=True)
    forms = re.findall(r"<form [^>]*>", page)
    step_forms = [form for form in forms if "step-form" in form]
    assert len(step_forms) == 1 and 'autocomplete="off"' in step_forms[0]
    for tag in re.findall(r"<input [^>]*>", page):
        if 'type="text"' in tag:
            assert 'autocomplete="off"' in tag, tag
