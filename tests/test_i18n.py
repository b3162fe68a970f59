"""English and Spanish in the patient flow.

(a) the Spanish catalog translates every message extracted from the source, with the same
    placeholders, and holds nothing else; the .mo is compiled from a clean tree;
(b) every patient page rendered in Spanish says <html lang="es"> and shows no English catalog
    string and no English patient text;
(c) the language switch keeps the answers and refuses to redirect off the site;
(d) Accept-Language is honoured on the first visit, and an explicit choice wins over it;
(e) every validation code has a message in Spanish, and the English one is triage's own;
(f) readability of the catalog: Spanish Fernandez-Huerta >= 70, English Flesch-Kincaid <= 8
    (strings of 6 words or more), as tests/test_patient_text.py checks the knowledge text.
"""
import os
import re
import shutil
import statistics
from html.parser import HTMLParser

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import force_locale

from conftest import REPO, make_app
from test_patient_flow import NO_FLAGS, SCIATICA_AFTER_PHYSIO, STEP_ORDER, answer_all, post_step
from test_patient_text import (MAX_FK_GRADE, MIN_FERNANDEZ_HUERTA, MIN_WORDS, TEXT,  # noqa: F401
                               _offline_textstat, english, leaves, scored, spanish)
from triage import validate
from web.extensions import db
from web.i18n import ensure_compiled
from web.models import Draft, Submission
from web.patient.problems import MESSAGES, problem_message
from web.patient.steps import SAFETY_GROUPS
from web.patient.submission import SaveFailed

TRANSLATIONS = REPO / "web" / "translations"
PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def extracted_messages():
    """Return {(context, msgid): [locations]} extracted from the source with babel.cfg."""
    with (REPO / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            REPO, method_map, options_map, keywords=keywords):
        found.setdefault((context, message), []).append(f"{filename}:{lineno}")
    return found


def load_catalog():
    with PO.open("rb") as source:
        return read_po(source, locale="es")


CATALOG = load_catalog()
ENTRIES = [message for message in CATALOG if message.id]


# ---------------------------------------------------------------------------
# (a) The catalog

def test_every_message_in_the_source_has_a_spanish_translation():
    in_source = extracted_messages()
    entries = {key: CATALOG.get(key[1], context=key[0]) for key in in_source}
    missing = {key: in_source[key] for key, entry in entries.items()
               if entry is None or not entry.string or entry.fuzzy}
    assert not missing, (
        f"untranslated (or fuzzy) messages: {missing}. Run pybabel extract and update "
        "(see the head of messages.po) and translate them.")
    stale = [message.id for message in ENTRIES if (message.context, message.id) not in in_source]
    assert not stale, f"messages.po has entries no longer in the source: {stale}"
    assert not CATALOG.obsolete, f"messages.po keeps obsolete (#~) entries: {list(CATALOG.obsolete)}"


@pytest.mark.parametrize("message", ENTRIES, ids=[message.id[:40] for message in ENTRIES])
def test_placeholders_match(message):
    assert sorted(PLACEHOLDER.findall(message.id)) == sorted(PLACEHOLDER.findall(message.string))


def test_babel_format_checks_pass():
    problems = [(message.id, [str(error) for error in errors]) for message, errors in CATALOG.check()]
    assert not problems


def test_the_compiled_catalog_is_built_when_missing_or_stale(tmp_path):
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "messages.po")
    assert ensure_compiled(tmp_path) == [target / "messages.mo"]
    assert Translations.load(str(tmp_path), ["es"]).gettext("Next") == "Siguiente"
    assert ensure_compiled(tmp_path) == []
    later = (target / "messages.mo").stat().st_mtime + 10
    os.utime(target / "messages.po", (later, later))
    assert ensure_compiled(tmp_path) == [target / "messages.mo"]


def test_the_app_compiles_the_catalog_from_a_clean_tree(tmp_path):
    clean = tmp_path / "translations"
    shutil.copytree(TRANSLATIONS, clean, ignore=shutil.ignore_patterns("*.mo", "*.pot"))
    app = make_app(tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(clean))
    assert (clean / "es" / "LC_MESSAGES" / "messages.mo").exists()
    page = app.test_client().get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Cuéntenos sobre su dolor" in page


# ---------------------------------------------------------------------------
# (b) Spanish pages show no English

class VisibleText(HTMLParser):
    """Collect the text a person sees or hears: text nodes and labelling attributes."""

    def __init__(self):
        super().__init__()
        self.nodes, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        self.nodes += [value for name, value in attrs if name in ("aria-label", "alt", "title") and value]

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.skip and data.strip():
            self.nodes.append(" ".join(data.split()))


def visible(html):
    parser = VisibleText()
    parser.feed(html)
    return parser.nodes


def english_pattern(msgid):
    """A pattern for an English message as shown, whatever fills its placeholders."""
    return re.compile(".+?".join(re.escape(" ".join(part.split())) for part in PLACEHOLDER.split(msgid)[::2]))


TRANSLATED = [message for message in ENTRIES if message.string != message.id]
LONG_ENGLISH = [english_pattern(message.id) for message in TRANSLATED if len(message.id.split()) >= 3]
SHORT_ENGLISH = [english_pattern(message.id) for message in TRANSLATED if len(message.id.split()) < 3]
ENGLISH_TEXT = {text for _path, text in leaves(TEXT["en"]) if len(text.split()) >= 4} - {
    text for _path, text in leaves(TEXT["es"])}


def english_shown(html):
    """Return the English catalog strings and patient text that a page shows."""
    nodes = visible(html)
    text = " ".join(nodes)
    shown = [pattern.pattern for pattern in LONG_ENGLISH if pattern.search(text)]
    shown += [node for node in nodes if any(pattern.fullmatch(node) for pattern in SHORT_ENGLISH)]
    return shown + [english for english in ENGLISH_TEXT if english in text]


def assert_spanish(response, name):
    """Check one page: Spanish <html lang>, the switch to English, and no English text."""
    html = response.get_data(as_text=True)
    assert '<html lang="es">' in html, name
    assert '<span lang="en">English</span>' in html, f"{name}: no language switch"
    shown = english_shown(html)
    assert not shown, f"{name} shows English: {shown}"


def test_the_english_check_finds_english(client):
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert english_shown(page) == []
    doctored = page.replace("Empezar", "Start").replace("Qué esperar", "What to expect")
    assert english_shown(doctored) == [english_pattern("What to expect").pattern, "Start"]
    assert english_shown(client.get("/results", headers={"Accept-Language": "en"}).get_data(as_text=True))


def _fail_to_save(draft):
    raise SaveFailed()


@pytest.fixture
def spanish_client(client):
    client.post("/language", data={"lang": "es", "next": "/"})
    return client


def test_every_patient_page_is_in_spanish(app, spanish_client, monkeypatch):
    client = spanish_client
    assert_spanish(client.get("/"), "start")
    client.post("/start")
    blocks = {f"row{row}_{key}": value for row in (2, 3)
              for key, value in (("region", "lower_back"), ("relief_percent", "80"), ("relief_weeks", "0"),
                                 ("weeks_ago", "6"))}
    answers = {**SCIATICA_AFTER_PHYSIO, "health": {"health": ["blood_thinner"], "blood_thinner_names": ["apixaban"]},
               "tried": {"types": ["physical_therapy", "anti_inflammatory", "medial_branch_block"],
                         "separate_rows": "2"},
               "details": {**SCIATICA_AFTER_PHYSIO["details"], **blocks}}
    for step in ("safety", "about", "pain", "feel", "tried", "details", "health"):
        assert_spanish(post_step(client, step, {}), f"{step} with every message")
        assert_spanish(client.get(f"/questions/{step}"), step)
        assert post_step(client, step, answers[step]).status_code == 302, step
    under_18 = {**answers["about"], "age": "17"}
    assert_spanish(post_step(client, "about", under_18), "about, under 18")
    post_step(client, "about", answers["about"])
    assert_spanish(client.get("/"), "start with a draft")
    assert_spanish(client.get("/questions/review"), "review")
    monkeypatch.setattr("web.patient.views.submit_draft", _fail_to_save)
    assert_spanish(client.post("/questions/submit"), "save failed")
    monkeypatch.undo()
    client.post("/questions/submit")
    assert_spanish(client.get("/results"), "results with suggestions and cautions")
    assert_spanish(client.get("/questions/nowhere"), "404")


def test_alert_emergency_and_error_pages_are_in_spanish(app, spanish_client):
    client = spanish_client
    assert_spanish(client.get("/results"), "400")
    answer_all(client, {**SCIATICA_AFTER_PHYSIO, "safety": {**NO_FLAGS, "fever_chills": "yes"}})
    client.post("/questions/submit")
    assert_spanish(client.get("/results"), "results with an urgent alert")
    client.post("/start")
    post_step(client, "safety", {**NO_FLAGS, "self_harm_plan": "yes"})
    assert_spanish(client.get("/emergency"), "emergency")


def test_the_kiosk_pages_are_in_spanish(tmp_path):
    client = make_app(tmp_path, KIOSK_MODE=True).test_client()
    assert_spanish(client.get("/kiosk?expired=1", headers={"Accept-Language": "es"}), "kiosk start")
    client.post("/kiosk/start", data={"lang": "es"})
    assert_spanish(client.get("/questions/safety"), "kiosk step with its idle warning")
    post_step(client, "safety", {**NO_FLAGS, "self_harm_plan": "yes"})
    assert_spanish(client.get("/emergency"), "kiosk emergency")


def test_the_kiosk_finish_screen_is_in_the_patients_language(tmp_path):
    client = make_app(tmp_path, KIOSK_MODE=True).test_client()
    client.post("/kiosk/start", data={"lang": "es"})
    for step in STEP_ORDER:
        post_step(client, step, SCIATICA_AFTER_PHYSIO[step])
    client.post("/questions/submit")
    assert_spanish(client.get("/kiosk/finish"), "kiosk finish")


def test_the_csrf_error_page_is_in_spanish(tmp_path):
    client = make_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()
    assert_spanish(client.post("/start", headers={"Accept-Language": "es"}), "CSRF error")


# ---------------------------------------------------------------------------
# (c) The language switch

def checked(page, name):
    return sorted(re.findall(rf'name="{name}" value="([^"]+)"\s+checked', page))


def test_switching_language_keeps_the_answers(app, client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    response = client.post("/language", data={"lang": "es", "next": "/questions/about"})
    assert response.location == "/questions/about"
    about = client.get("/questions/about").get_data(as_text=True)
    assert '<html lang="es">' in about and 'value="52"' in about
    assert checked(about, "locations") == ["buttock", "leg", "lower_back"]
    safety = post_step(client, "about", SCIATICA_AFTER_PHYSIO["about"], action="back")
    page = client.get(safety.location).get_data(as_text=True)
    last_group = SAFETY_GROUPS[-1][2]
    assert "Preguntas de seguridad" in page and len(re.findall(r'value="no"\s+checked', page)) == len(last_group)
    with app.app_context():
        assert db.session.execute(db.select(Draft)).scalar_one().lang == "es"
    post_step(client, "safety", NO_FLAGS)
    assert 'value="52"' in client.get("/questions/about").get_data(as_text=True)
    for step in ("about", "pain", "feel", "tried", "details", "health"):
        assert post_step(client, step, SCIATICA_AFTER_PHYSIO[step]).status_code == 302, step
    client.post("/questions/submit")
    results = client.get("/results").get_data(as_text=True)
    assert "Epidural de esteroides en la espalda baja" in results
    with app.app_context():
        assert db.session.execute(db.select(Submission)).scalar_one().lang == "es"


def test_a_page_shown_after_a_post_switches_back_to_itself(client, monkeypatch):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="about")
    page = post_step(client, "about", {"age": "fifty"}, query="?from=review").get_data(as_text=True)
    assert re.search(r'form="step-form" name="lang" value="es"\s+formaction="/questions/about\?from=review"', page)
    answer_all(client, SCIATICA_AFTER_PHYSIO)
    monkeypatch.setattr("web.patient.views.submit_draft", _fail_to_save)
    failed = client.post("/questions/submit").get_data(as_text=True)
    assert 'name="next" value="/"' in failed, "an address that only takes POST goes back to the start"


def test_switching_language_mid_page_keeps_what_is_typed_there(app, client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="pain")
    typed = {"area_weeks_back_leg": "12", "pain_average": "3"}
    response = client.post("/questions/pain?from=review", data={**typed, "lang": "es"})
    assert response.status_code == 302 and response.location == "/questions/pain?from=review"
    page = client.get(response.location).get_data(as_text=True)
    assert '<html lang="es">' in page and "There is a problem" not in page and "Hay un problema" not in page
    assert checked(page, "area_weeks_back_leg") == ["12"] and checked(page, "pain_average") == ["3"]
    with app.app_context():
        draft = db.session.execute(db.select(Draft)).scalar_one()
        assert draft.lang == "es" and "pain" not in draft.completed_steps
    assert client.post("/questions/pain", data={**typed, "lang": "fr"}).status_code == 400


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example/", "\\\\evil.example",
    "javascript:alert(1)", "", "questions/about", "/questions/about\r\nSet-Cookie: x=1",
])
def test_the_switch_never_leaves_the_site(client, target):
    response = client.post("/language", data={"lang": "es", "next": target})
    assert response.status_code == 302 and response.location == "/"


@pytest.mark.parametrize("lang", ["fr", "", "ES", "../en"])
def test_the_switch_refuses_an_unknown_language(client, lang):
    assert client.post("/language", data={"lang": lang, "next": "/"}).status_code == 400


def test_the_switch_needs_a_csrf_token(tmp_path):
    client = make_app(tmp_path, WTF_CSRF_ENABLED=True).test_client()
    assert client.post("/language", data={"lang": "es", "next": "/"}).status_code == 400


# ---------------------------------------------------------------------------
# (d) Accept-Language and an explicit choice

@pytest.mark.parametrize("header, lang", [
    ("es", "es"), ("es-MX,es;q=0.9,en;q=0.5", "es"), ("en-US,en;q=0.9,es;q=0.8", "en"),
    ("fr-FR,fr;q=0.9", "en"), ("fr,es;q=0.5", "es"), (None, "en"),
])
def test_the_first_visit_follows_the_browser(client, header, lang):
    headers = {"Accept-Language": header} if header else {}
    assert f'<html lang="{lang}">' in client.get("/", headers=headers).get_data(as_text=True)


def test_an_explicit_choice_wins_over_the_browser(client):
    client.post("/language", data={"lang": "en", "next": "/"}, headers={"Accept-Language": "es"})
    client.post("/start", headers={"Accept-Language": "es"})
    page = client.get("/questions/safety", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "Safety questions" in page


def test_staff_pages_stay_in_english(client):
    page = client.get("/nurse/login", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="en">' in page and "language-switch" not in page


# ---------------------------------------------------------------------------
# (e) Validation messages by code

VALID = {"age": 52, "locations": ["neck"], "duration_weeks": 6, "pain_average": 5,
         "interference_enjoyment": 5, "interference_activity": 5, "red_flags": [],
         "treatments": [{"type": "massage", "relief_percent": 0}]}
ROW = {"type": "massage", "relief_percent": 0}
BAD_INTAKES = [
    [],
    {**VALID, "mood": 1, "x" * 61: 1},
    {},
    {**VALID, "age": "52", "pain_average": 11},
    {**VALID, "age": 17},
    {**VALID, "locations": "neck", "symptoms": ["moon", "y" * 61]},
    {**VALID, "locations": ["neck"] * 15},
    {**VALID, "locations": []},
    {**VALID, "treatments": "massage"},
    {**VALID, "treatments": [ROW] * 101},
    {**VALID, "area_weeks": {"knee": 3, "neck_arm": 2600, "head": "3", "spine": 1}},
    {**VALID, "area_weeks": {"neck_arm": 2601}},
    {**VALID, "health": ["diabetes_insulin", "knee_replacement_checked", "antiplatelet"],
     "blood_thinner_names": ["warfarin", "aspirin"], "red_flags": ["fever_chills"],
     "red_flags_retracted": ["fever_chills"], "treatments": [{**ROW, "region": "neck"},
                                                             {**ROW, "type": "facet_rfa", "region": "hip"}]},
    {**VALID, "blood_thinner_names": ["other"]},
    {**VALID, "treatments": ["massage", {"relief_percent": 101, "weeks": 1.5, "kind": 1}, {**ROW, "type": "magic"}]},
]
PROBLEMS = [(intake, problem) for intake in BAD_INTAKES for problem in validate(intake)]


def test_every_code_of_triage_has_a_message():
    source = (REPO / "triage" / "validation.py").read_text()
    codes = set(re.findall(r'Problem\([^,]+,\s*"(\w+)"', source))
    assert codes == set(MESSAGES) == {problem.code for _intake, problem in PROBLEMS}


@pytest.mark.parametrize("intake, problem", PROBLEMS, ids=[f"{p.code}:{p.path}" for _i, p in PROBLEMS])
def test_each_message_is_triages_in_english_and_translated_in_spanish(app, intake, problem):
    with app.test_request_context("/"):
        with force_locale("en"):
            assert problem_message(problem, intake) == problem.message
        with force_locale("es"):
            spanish = problem_message(problem, intake)
    assert spanish != problem.message
    assert not [pattern.pattern for pattern in LONG_ENGLISH if pattern.search(spanish)], spanish


SPANISH_MESSAGES = [
    ({**VALID, "age": 17}, "Este cuestionario es para adultos (de 18 años o más). Por favor, hable con su "
                           "equipo de atención, que le ayudará de otra forma."),
    ({**VALID, "pain_average": 11}, "Dolor promedio: por favor, escriba un número del 0 al 10."),
    ({**VALID, "locations": []}, "Dónde le duele: por favor, elija al menos 1."),
    ({key: value for key, value in VALID.items() if key != "age"}, "Edad: por favor, conteste esta pregunta."),
]


@pytest.mark.parametrize("intake, expected", SPANISH_MESSAGES, ids=[e[:30] for _i, e in SPANISH_MESSAGES])
def test_spanish_messages_read_as_written(app, intake, expected):
    with app.test_request_context("/"), force_locale("es"):
        assert [problem_message(problem, intake) for problem in validate(intake)] == [expected]


# ---------------------------------------------------------------------------
# (f) Readability of the catalog

def readable(text, filler):
    """The text as the formulas see it: placeholders read as one short word, medicines too."""
    return scored(PLACEHOLDER.sub(filler, text))


EN_CHECKED = sorted({message.id for message in ENTRIES if len(message.id.split()) >= MIN_WORDS})
ES_CHECKED = sorted({message.string for message in ENTRIES if len(message.string.split()) >= MIN_WORDS})


@pytest.mark.parametrize("text", EN_CHECKED)
def test_english_catalog_reading_level(english, text):
    grade = english.flesch_kincaid_grade(readable(text, "it"))
    assert grade <= MAX_FK_GRADE, f"Flesch-Kincaid grade {grade:.1f} (limit {MAX_FK_GRADE}): {text}"


@pytest.mark.parametrize("text", ES_CHECKED)
def test_spanish_catalog_reading_ease(spanish, text):
    ease = spanish.fernandez_huerta(readable(text, "eso"))
    assert ease >= MIN_FERNANDEZ_HUERTA, f"Fernandez-Huerta {ease:.1f} (minimum {MIN_FERNANDEZ_HUERTA}): {text}"


def test_catalog_readability_summary(english, spanish):
    """Print the spread of scores (shown with `pytest -s`) and check the medians."""
    grades = [english.flesch_kincaid_grade(readable(text, "it")) for text in EN_CHECKED]
    eases = [spanish.fernandez_huerta(readable(text, "eso")) for text in ES_CHECKED]
    print(f"\ncatalog en FK grade over {len(grades)} strings: highest {max(grades):.1f}, "
          f"median {statistics.median(grades):.1f}")
    print(f"catalog es Fernandez-Huerta over {len(eases)} strings: lowest {min(eases):.1f}, "
          f"median {statistics.median(eases):.1f}")
    assert len(grades) > 50 and len(eases) > 50
    assert statistics.median(grades) <= 6 and statistics.median(eases) >= 80
