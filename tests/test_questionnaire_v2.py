"""Contract 2 questions on the web form, each step judged within the real draft, and nothing lost
when the session ends (intake.md, "How the web form builds the intake"; issue 9, items 3 and 5)."""
import re

import pytest
from werkzeug.datastructures import MultiDict

from conftest import make_app
from test_patient_flow import NO_FLAGS, SCIATICA_AFTER_PHYSIO, answer_all, post_step
from triage import validate
from triage.contract import BLOOD_THINNER_NAMES, HEALTH, LOCATIONS, REGION_TYPES, SYMPTOMS, TREATMENT_TYPES
from web.extensions import db
from web.models import Draft, Submission
from web.patient.details import details_form_class, row_questions
from web.patient.forms import HealthForm, PainForm, draft_intake, row_plan
from web.patient.steps import relevant_health, relevant_symptoms

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
SCALES = {"pain_average": "7", "interference_enjoyment": "6", "interference_activity": "8"}
THREE_AREAS = {"about": {"age": "66", "locations": ["neck", "lower_back", "knee"]}}
KNEE_AND_BACK = {"about": {"age": "66", "locations": ["lower_back", "knee"]}}


def judge(app, form_class, data, context):
    """Post data to a form inside a request; return the form and its messages by field."""
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        form = form_class(answers=context)
        form.check()
        return form, {field.name: [str(m) for m in field.errors] for field in form if field.errors}


def draft(app):
    with app.app_context():
        return db.session.execute(db.select(Draft)).scalar_one()


# --- one duration question per body area -------------------------------------------------

def test_one_duration_question_per_area_marked_in_area_order(app, client):
    answer_all(client, {**SCIATICA_AFTER_PHYSIO, **THREE_AREAS}, upto="pain")
    page = client.get("/questions/pain").get_data(as_text=True)
    asked = re.findall(r'<legend class="legend ">(How long have you had the pain in your [^<]*)</legend>', page)
    assert asked == ["How long have you had the pain in your neck?",
                     "How long have you had the pain in your lower back?",
                     "How long have you had the pain in your knee?"]
    assert "started most recently" not in page


@pytest.mark.parametrize("pain, part", [
    ({"area_weeks_back_leg": "4"}, {"duration_weeks": 4}),
    ({"area_weeks_back_leg": "1040", "area_weeks_knee": "0"},
     {"duration_weeks": 1040, "area_weeks": {"back_leg": 1040, "knee": 0}}),
    ({"area_weeks_back_leg": "2", "area_weeks_knee": "260"},
     {"duration_weeks": 260, "area_weeks": {"back_leg": 2, "knee": 260}}),
], ids=["one-area-sends-duration-only", "largest-is-duration", "knee-newer-than-back"])
def test_area_answers_become_duration_and_area_weeks(app, pain, part):
    places = ["lower_back"] + (["knee"] if "area_weeks_knee" in pain else [])
    context = {"about": {"age": "66", "locations": places}}
    form, errors = judge(app, PainForm, {**pain, **SCALES}, context)
    assert errors == {}
    built = PainForm.part_from({**context, "pain": form.answers()})
    assert {key: built[key] for key in ("duration_weeks", "area_weeks") if key in built} == part


def test_two_areas_are_judged_against_the_real_locations(app):
    # The old stand-in intake marked only a hand: both answers here would have been refused.
    _form, errors = judge(app, PainForm, {"area_weeks_back_leg": "12", "area_weeks_knee": "6", **SCALES},
                          KNEE_AND_BACK)
    assert errors == {}


def test_each_unanswered_area_is_named_beside_its_own_question(app):
    _form, errors = judge(app, PainForm, {"area_weeks_back_leg": "12", **SCALES}, KNEE_AND_BACK)
    assert errors == {"area_weeks_knee": ["Choose how long you have had this pain."]}


def test_an_answer_for_an_area_no_longer_marked_is_dropped_not_sent(app, client):
    answer_all(client, {**SCIATICA_AFTER_PHYSIO, **KNEE_AND_BACK,
                        "pain": {"area_weeks_back_leg": "12", "area_weeks_knee": "6", **SCALES}})
    post_step(client, "about", {"age": "66", "locations": ["lower_back"]})
    answers = draft(app).answers
    assert "area_weeks_knee" not in answers["pain"]
    assert draft_intake(answers)["duration_weeks"] == 12 and "area_weeks" not in draft_intake(answers)
    # A page left open from before still sends the knee: it is not asked any more, so it is dropped.
    assert post_step(client, "pain", {"area_weeks_back_leg": "12", "area_weeks_knee": "6", **SCALES}).status_code == 302
    assert "area_weeks_knee" not in draft(app).answers["pain"]


# --- new symptoms and health items, follow-ups and drug names ----------------------------

def test_every_contract_symptom_health_item_and_drug_name_is_asked_somewhere(app):
    everywhere = list(LOCATIONS)
    assert set(relevant_symptoms(everywhere)) == set(SYMPTOMS)
    assert set(relevant_health(everywhere)) == set(HEALTH)
    with app.test_request_context("/"):
        form = HealthForm(formdata=None, answers={"about": {"age": "50", "locations": everywhere}})
        assert [choice.value for choice in form.blood_thinner_names.choices] == list(BLOOD_THINNER_NAMES)


@pytest.mark.parametrize("places, asked, not_asked", [
    (["neck"], {"pain_getting_worse"}, {"wakes_second_half_night", "better_with_movement", "better_with_nsaid"}),
    (["buttock"], {"wakes_second_half_night", "better_with_movement", "better_with_nsaid"}, set()),
])
def test_inflammatory_back_pain_symptoms_only_for_low_back_or_buttock(places, asked, not_asked):
    shown = set(relevant_symptoms(places))
    assert asked <= shown and not not_asked & shown


@pytest.mark.parametrize("places, asked, not_asked", [
    (["neck"], {"diabetes_insulin", "stent_or_clot_last_year"},
     {"psoriasis", "family_spondyloarthritis", "arthritis_history", "enthesitis_history",
      "knee_replacement_last_6_months", "knee_replacement_checked"}),
    (["lower_back"], {"psoriasis", "family_spondyloarthritis", "arthritis_history", "enthesitis_history"},
     {"knee_replacement_checked"}),
    (["knee"], {"knee_replacement_last_6_months", "knee_replacement_checked"}, {"psoriasis"}),
])
def test_health_items_asked_where_they_matter(places, asked, not_asked):
    shown = set(relevant_health(places))
    assert asked <= shown and not not_asked & shown


def test_follow_ups_sit_under_their_item_and_the_drug_list_after_the_blood_thinners(app, client):
    answer_all(client, {**SCIATICA_AFTER_PHYSIO, "about": {"age": "70", "locations": ["knee"]},
                        "pain": {"area_weeks_knee": "12", **SCALES}}, upto="health")
    page = client.get("/questions/health").get_data(as_text=True)
    assert re.search(r'value="diabetes".*?data-follow-up="diabetes">.*?value="diabetes_insulin"', page, re.S)
    assert re.search(r'value="knee_replacement".*?data-follow-up="knee_replacement">.*?'
                     r'value="knee_replacement_last_6_months".*?value="knee_replacement_checked"', page, re.S)
    assert re.search(r'value="antiplatelet".*?data-follow-up="blood_thinner antiplatelet">.*?'
                     r'name="blood_thinner_names" value="warfarin"', page, re.S)


@pytest.mark.parametrize("data, field, message", [
    ({"health": ["diabetes_insulin", "allergy_latex"]}, "health",
     "You chose “I use insulin.”. Please also choose “Diabetes”, or remove “I use insulin.”."),
    ({"health": ["allergy_latex"], "blood_thinner_names": ["apixaban"]}, "blood_thinner_names",
     "You chose “Apixaban”. Please also choose “I take a blood thinner (such as warfarin, apixaban, "
     "rivaroxaban, dabigatran, edoxaban or heparin).”, or remove “Apixaban”."),
], ids=["insulin-without-diabetes", "drug-without-blood-thinner"])
def test_a_follow_up_without_its_item_is_the_validators_problem_shown_beside_it(app, data, field, message):
    context = {"about": {"age": "50", "locations": ["neck"]}}
    form, errors = judge(app, HealthForm, data, context)
    assert errors == {field: [message]}
    intake = draft_intake({**context, "health": form.answers()})
    assert [problem.code for problem in validate(intake) if problem.path.startswith(field)] == ["needs_parent"]


def test_a_refused_health_page_keeps_every_answer(client):
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="health")
    response = post_step(client, "health", {"health": ["diabetes_insulin", "allergy_latex"],
                                            "blood_thinner_names": ["aspirin"]})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="#health-field"' in page and 'href="#blood_thinner_names-field"' in page
    for value in ("diabetes_insulin", "allergy_latex", "aspirin"):
        assert re.search(rf'value="{value}"\s+checked', page), value


def test_knee_follow_ups_are_dropped_with_the_knee(app, client):
    knee = {**SCIATICA_AFTER_PHYSIO, "about": {"age": "70", "locations": ["knee", "lower_back"]},
            "pain": {"area_weeks_knee": "12", "area_weeks_back_leg": "12", **SCALES},
            "health": {"health": ["knee_replacement", "knee_replacement_checked", "diabetes", "diabetes_insulin"]}}
    answer_all(client, knee)
    post_step(client, "about", {"age": "70", "locations": ["lower_back"]})
    assert draft_intake(draft(app).answers)["health"] == ["diabetes", "diabetes_insulin"]


# --- the spine level of spine procedures ------------------------------------------------

def test_the_spine_level_is_asked_only_for_the_five_spine_types():
    assert [kind for kind in TREATMENT_TYPES if "region" in row_questions(kind)] == list(REGION_TYPES)


def test_region_answers_go_to_the_row_and_i_dont_know_leaves_it_out(app):
    context = {"tried": {"types": ["epidural_steroid_injection", "facet_rfa", "trigger_point_injection"],
                         "separate_rows": "1"}}
    procedure = {"relief_percent": "50", "count": "1", "relief_weeks": "2", "weeks_ago": "12"}
    data = {f"row{row}_{key}": value for row in range(3) for key, value in procedure.items()}
    data.update({"row0_region": "neck", "row1_region": "unknown"})
    form_class = details_form_class(row_plan(context))
    form, errors = judge(app, form_class, data, context)
    assert errors == {} and "row2_region" not in form
    rows = form_class.part_from({**context, "details": form.answers()})["treatments"]
    assert [row.get("region") for row in rows] == ["neck", None, None] and rows[0]["relief_weeks"] == 2


def test_a_whole_v2_questionnaire_gives_a_valid_intake_with_the_new_answers(app, client):
    answers = {**SCIATICA_AFTER_PHYSIO, **KNEE_AND_BACK,
               "pain": {"area_weeks_back_leg": "26", "area_weeks_knee": "4", **SCALES},
               "tried": {"types": ["epidural_steroid_injection"], "separate_rows": "1"},
               "details": {"row0_region": "lower_back", "row0_relief_percent": "25", "row0_count": "1",
                           "row0_relief_weeks": "1", "row0_weeks_ago": "26"},
               "health": {"health": ["blood_thinner"], "blood_thinner_names": ["apixaban"]}}
    answer_all(client, answers)
    review = client.get("/questions/review").get_data(as_text=True)
    assert "How long have you had the pain in your knee?" in review and "Apixaban" in review
    assert client.post("/questions/submit").location == "/results"
    with app.app_context():
        intake = db.session.execute(db.select(Submission)).scalar_one().intake
    assert validate(intake) == []
    assert intake["area_weeks"] == {"back_leg": 26, "knee": 4} and intake["duration_weeks"] == 26
    assert intake["treatments"][0]["region"] == "lower_back" and intake["blood_thinner_names"] == ["apixaban"]
    assert "newest_pain_weeks" not in intake


# --- nothing lost when the session ends --------------------------------------------------

@pytest.fixture
def csrf_app(tmp_path):
    return make_app(tmp_path, WTF_CSRF_ENABLED=True, SESSION_IDLE_SECONDS=600)


def start_with_token(client):
    """Start a questionnaire as a browser does; return the token of the safety page."""
    token = CSRF.search(client.get("/").get_data(as_text=True)).group(1)
    client.post("/start", data={"csrf_token": token})
    return CSRF.search(client.get("/questions/safety").get_data(as_text=True)).group(1)


def test_a_page_sent_after_the_session_ended_gets_the_calm_page_and_saved_steps_survive(csrf_app):
    client = csrf_app.test_client()
    token = start_with_token(client)
    assert client.post("/questions/safety", data={**NO_FLAGS, "action": "next", "csrf_token": token}).status_code == 302
    page = client.get("/questions/about").get_data(as_text=True)
    assert 'data-idle-seconds="600"' in page and 'data-warning-seconds="300"' in page
    token = CSRF.search(page).group(1)
    csrf_app.extensions["clock"].advance(601)
    response = client.post("/questions/about", data={"age": "52", "locations": "neck", "action": "next",
                                                     "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your session timed out" in page
    assert "still here on this device" in page and 'href="/questions/about"' in page
    about = client.get("/questions/about")
    assert about.status_code == 200 and "About you and where it hurts" in about.get_data(as_text=True)


def test_when_the_draft_itself_has_expired_the_page_says_the_answers_were_cleared(tmp_path):
    app = make_app(tmp_path, DRAFT_IDLE_SECONDS=600)
    client = app.test_client()
    answer_all(client, SCIATICA_AFTER_PHYSIO, upto="about")
    app.extensions["clock"].advance(601)
    page = post_step(client, "about", SCIATICA_AFTER_PHYSIO["about"]).get_data(as_text=True)
    assert "Your session timed out" in page and "Your answers were cleared" in page


def test_a_kiosk_draft_is_never_kept_on_the_device(tmp_path):
    app = make_app(tmp_path, KIOSK_MODE=True)
    client = app.test_client()
    client.get("/kiosk")
    response = client.post("/kiosk/start", data={"lang": "en"})
    assert "pt_draft" not in " ".join(response.headers.getlist("Set-Cookie"))
    client.delete_cookie("pt_session")
    assert client.get("/questions/safety").location == "/"


def test_the_kiosk_asks_before_it_starts_over(tmp_path):
    client = make_app(tmp_path, KIOSK_MODE=True).test_client()
    client.get("/kiosk")
    client.post("/kiosk/start", data={"lang": "en"})
    page = client.get("/questions/safety").get_data(as_text=True)
    assert 'href="/kiosk/start-over?next=/questions/safety"' in page and "data-kiosk-confirm" in page
    confirm = client.get("/kiosk/start-over?next=/questions/safety").get_data(as_text=True)
    assert "Start over?" in confirm and 'href="/questions/safety"' in confirm
    assert 'action="/kiosk/reset"' in confirm and "Yes, clear my answers" in confirm
    assert 'href="/"' in client.get("/kiosk/start-over?next=https://evil.example/").get_data(as_text=True)
