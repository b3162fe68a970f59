"""A Spanish-speaking patient in Chromium: the whole questionnaire in Spanish, and the switch.

- sciatica after physiotherapy (spec case 01): a browser that prefers Spanish gets Spanish from
  the first page to the results; axe, the 320 px layout and the touch targets are checked on
  every page, error messages included;
- a patient switches language in the middle, with JavaScript off: the saved answers stay.
"""
import json

import pytest

from browser.actions import press
from browser.safety import answer_safety_groups
from browser.test_patient_flow import check_page, choose
from conftest import SPEC_DIR
from web.patient.steps import SAFETY_GROUPS

pytestmark = pytest.mark.browser
NOT_FOUND = "/nowhere"  # the one address whose 404 the browser may report


@pytest.fixture
def spanish_page(browser, base_url):
    """A fresh context whose browser asks for Spanish first (Accept-Language: es-ES); no script errors."""
    context = browser.new_context(base_url=base_url, locale="es-ES", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text)
            if message.type == "error" and not message.location["url"].endswith(NOT_FOUND) else None)
    yield page
    context.close()
    assert not problems, problems


def expect_spanish_step(page, number, title):
    assert page.get_attribute("html", "lang") == "es"
    assert page.inner_text(".progress__text") == f"Paso {number} de 7"
    assert page.get_by_role("heading", level=1).inner_text() == title


def test_a_spanish_speaker_completes_the_questionnaire_in_spanish(spanish_page, screenshots):
    page = spanish_page
    intake = json.loads((SPEC_DIR / "cases" / "01-sciatica-after-physio.json").read_text())["intake"]
    assert intake["locations"] == ["lower_back", "buttock", "leg"]
    page.goto("/")
    assert page.get_attribute("html", "lang") == "es"
    check_page(page, screenshots, "es-0-start")
    press(page, "Empezar")
    expect_spanish_step(page, 1, "Preguntas de seguridad")
    press(page, "Siguiente")
    assert page.locator(".error-summary a").first.inner_text().endswith("Elija sí o no.")
    check_page(page, screenshots, "es-1-safety-errors")
    choose(page, {flag: "no" for flag in SAFETY_GROUPS[0][2]})
    press(page, "Siguiente")
    answer_safety_groups(page, "Siguiente", first=2)

    expect_spanish_step(page, 2, "Sobre usted y dónde le duele")
    page.fill("#age", "52")
    for place in intake["locations"]:
        words = {"lower_back": "Parte baja de la espalda", "buttock": "Nalga", "leg": "Pierna"}[place]
        page.get_by_label(words, exact=True).check()
    check_page(page, screenshots, "es-2-about")
    press(page, "Siguiente")

    expect_spanish_step(page, 3, "Cuánto tiempo y cuánto duele")
    choose(page, {"pain_average": "7", "interference_enjoyment": "6",
                  "interference_activity": "8"})
    press(page, "Siguiente")
    assert "Elija desde hace cuánto tiempo tiene este dolor." in page.inner_text(".error-summary")
    check_page(page, screenshots, "es-3-pain-errors")
    page.get_by_label("De 6 a 11 semanas", exact=True).check()
    press(page, "Siguiente")

    expect_spanish_step(page, 4, "Cómo se siente el dolor")
    choose(page, {"symptoms": "radiates_below_knee"})
    page.check('input[value="numbness_tingling"]')
    check_page(page, screenshots, "es-4-feel")
    press(page, "Siguiente")

    expect_spanish_step(page, 5, "Lo que ha probado")
    page.get_by_label("Terapia física", exact=True).check()
    page.get_by_label("Antiinflamatorio (como ibuprofeno)", exact=True).check()
    check_page(page, screenshots, "es-5-tried")
    press(page, "Siguiente")

    expect_spanish_step(page, 5, "Cómo le fue con esos tratamientos")
    choose(page, {"row0_weeks": "6", "row0_relief_percent": "25", "row1_weeks": "6", "row1_relief_percent": "0"})
    check_page(page, screenshots, "es-5-details")
    press(page, "Siguiente")

    expect_spanish_step(page, 6, "Su salud")
    page.check('input[name="health"][value="none"]')
    check_page(page, screenshots, "es-6-health")
    press(page, "Siguiente")

    expect_spanish_step(page, 7, "Revise sus respuestas")
    assert "Parte baja de la espalda" in page.inner_text("main") and "De 6 a 11 semanas" in page.inner_text("main")
    check_page(page, screenshots, "es-7-review")
    press(page, "Enviar mis respuestas")

    assert page.url.endswith("/results")
    assert page.get_by_role("heading", name="Epidural de esteroides en la espalda baja").is_visible()
    check_page(page, screenshots, "es-8-results")
    page.goto(NOT_FOUND)
    assert page.get_by_role("heading", level=1).inner_text() == "No encontramos esa página"
    check_page(page, screenshots, "es-9-not-found")


def test_switching_language_midway_keeps_the_answers_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, locale="en-US", java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto("/")
        press(page, "Start")
        answer_safety_groups(page)
        page.fill("#age", "52")
        for place in ("lower_back", "leg"):
            page.check(f'input[name="locations"][value="{place}"]')
        press(page, "Next")
        assert page.get_by_role("heading", level=1).inner_text() == "How long and how bad"

        press(page, "Español")
        assert page.url.endswith("/questions/pain")
        assert page.get_attribute("html", "lang") == "es"
        assert page.get_by_role("heading", level=1).inner_text() == "Cuánto tiempo y cuánto duele"
        press(page, "Atrás")
        assert page.get_by_role("heading", level=1).inner_text() == "Sobre usted y dónde le duele"
        assert page.input_value("#age") == "52"
        assert page.is_checked('input[value="lower_back"]') and page.is_checked('input[value="leg"]')
        assert not page.is_checked('input[value="neck"]')
        press(page, "Siguiente")
        press(page, "English")
        assert page.get_attribute("html", "lang") == "en"
        press(page, "Back")
        assert page.input_value("#age") == "52"
    finally:
        context.close()
