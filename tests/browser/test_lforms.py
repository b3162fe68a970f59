"""A real form engine: LHC-Forms (npm `lforms`, from node_modules) renders the FHIR Questionnaire.

Three golden patients are answered through the widget as a patient would (one in English, two in
Spanish), the widget's own QuestionnaireResponse goes to `$evaluate`, and the result must be
byte for byte the result of the patient's JSON intake.
"""
import json

import pytest
from werkzeug.middleware.shared_data import SharedDataMiddleware

from conftest import REPO, make_app
from test_golden import case_files
from triage import evaluate
from web.extensions import db

from .conftest import serve

LFORMS = REPO / "node_modules" / "lforms" / "dist" / "lforms"
HARNESS = REPO / "tests" / "browser" / "lforms"
PATIENTS = [("neck-negative-block-low-back-blood-thinner", "en"),
            ("old-back-pain-new-knee-pain-age-75", "es"),
            ("epidural-five-weeks-ago-with-fever", "es")]


def golden_intake(name):
    [path] = [path for path in case_files() if path.stem == name]
    return json.loads(path.read_text())["intake"]


@pytest.fixture(scope="module")
def lforms_url(tmp_path_factory):
    """The app, with LHC-Forms and the test page served beside it from local files (same origin)."""
    assert (LFORMS / "webcomponent" / "lhc-forms.js").is_file(), \
        "LHC-Forms is missing: run `make npm` (or `make test`, which installs it from package-lock.json)"
    app = make_app(tmp_path_factory.mktemp("lforms"))
    app.wsgi_app = SharedDataMiddleware(app.wsgi_app, {"/lforms": str(LFORMS), "/harness": str(HARNESS)})
    with serve(app) as url:
        yield url
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def form_page(browser, lforms_url):
    """One page for the three patients: each renders a fresh form (LHC-Forms loads once)."""
    context = browser.new_context(base_url=lforms_url, viewport={"width": 1100, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto("/harness/index.html")
    page.wait_for_function("window.LForms && LForms.Util && LForms.FHIR && window.renderIntake")
    yield page
    context.close()


class Patient:
    """Answers the rendered form the way a patient does: clicks, ticks and typing, by visible words."""

    def __init__(self, page, questionnaire):
        self.page = page
        self.texts = {}
        self.options = {}
        self._index(questionnaire["item"])

    def _index(self, items):
        for item in items:
            self.texts[item["linkId"]] = item["text"]
            for option in item.get("answerOption", []):
                self.options[(item["linkId"], option["valueCoding"]["code"])] = option["valueCoding"]["display"]
            self._index(item.get("item", []))

    def item(self, link_id, *repeat):
        return self.page.locator(f'[id="item-{link_id}/{"/".join(map(str, repeat or (1,)))}"]')

    def yes_no(self, link_id, yes):
        self.item(link_id, 1, 1).get_by_text("Yes" if yes else "No", exact=True).click()

    def number(self, link_id, value, *repeat):
        box = self.item(link_id, *repeat).get_by_role("textbox")
        box.fill(str(value))

    def tick(self, link_id, code):
        self.item(link_id).get_by_text(self.options[(link_id, code)], exact=True).click()

    def treatment(self, row, number):
        if number > 1:
            self.page.get_by_role("button", name=f"add button for {self.texts['treatments']}").click()
        kind = self.item("treatments.type", number, 1).get_by_role("combobox")
        kind.click()
        kind.press_sequentially(self.options[("treatments.type", row["type"])][:5])
        self.page.locator("#lhc-tools-searchResults li").filter(
            has_text=self.options[("treatments.type", row["type"])]).first.click()
        if "region" in row:
            self.item("treatments.region", number, 1).get_by_text(
                self.options[("treatments.region", row["region"])], exact=True).click()
        for key in ("relief_percent", "weeks", "count", "relief_weeks", "weeks_ago"):
            if key in row:
                self.number(f"treatments.{key}", row[key], number, 1)

    def answer(self, intake):
        for flag in self.all_red_flags():
            self.yes_no(f"red_flags.{flag}", flag in intake["red_flags"])
        self.number("age", intake["age"])
        for place in intake["locations"]:
            self.tick("locations", place)
        self.number("duration_weeks", intake["duration_weeks"])
        for area, weeks in intake.get("area_weeks", {}).items():
            self.number(f"area_weeks.{area}", weeks, 1, 1)
        for key in ("pain_average", "interference_enjoyment", "interference_activity"):
            self.number(key, intake[key])
        for symptom in intake.get("symptoms", []):
            self.yes_no(f"symptoms.{symptom}", True)
        for number, row in enumerate(intake.get("treatments", []), start=1):
            self.treatment(row, number)
        for item in intake.get("health", []):
            self.yes_no(f"health.{item}", True)
        for name in intake.get("blood_thinner_names", []):
            self.tick("blood_thinner_names", name)

    def all_red_flags(self):
        return [link_id.split(".", 1)[1] for link_id in self.texts if link_id.startswith("red_flags.")]


@pytest.mark.parametrize("name, lang", PATIENTS)
def test_lhc_forms_answers_give_the_json_intakes_result(form_page, name, lang):
    intake = golden_intake(name)
    questionnaire = form_page.evaluate("lang => renderIntake(lang)", lang)
    form_page.wait_for_function("lang => document.documentElement.lang === lang", arg=lang)
    patient = Patient(form_page, questionnaire)
    if lang == "es":
        assert form_page.get_by_text(patient.texts["age"], exact=True).is_visible()
        assert patient.texts["age"] == "¿Cuántos años tiene?"
    follow_ups = [patient.item("symptoms.radiates_below_knee", 1, 1), patient.item("blood_thinner_names")]
    assert [item.count() for item in follow_ups] == [0, 0]  # enableWhen: not asked yet
    assert not patient.item("red_flags_retracted").is_visible()  # questionnaire-hidden
    patient.answer(intake)
    if "lower_back" in intake["locations"]:
        follow_ups[0].wait_for()
    if intake.get("blood_thinner_names"):
        follow_ups[1].wait_for()
    sent = form_page.evaluate("evaluateAnswers()")
    assert sent["status"] == 200, sent["body"]
    assert sent["body"] == evaluate(intake).to_json(), name
