"""The questionnaire's forms, tested without HTTP: every message, every bucket, every garbage value."""
import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import BadRequest

from conftest import make_app
from triage import validate
from triage.contract import LOCATIONS, RED_FLAGS, SYMPTOMS
from web.patient.details import details_form_class
from web.patient.forms import (MESSAGES, AboutForm, FeelForm, HealthForm, PainForm, SafetyForm, TriedForm,
                               draft_intake, row_plan)
from web.patient.steps import (COUNT_BUCKETS, DURATION_BUCKETS, RELIEF_BUCKETS,
                               RELIEF_WEEKS_BUCKETS, SAFETY_GROUPS, SYMPTOM_LOCATIONS, TRIED_WEEKS_BUCKETS,
                               WEEKS_AGO_BUCKETS, relevant_health, relevant_symptoms)

NO_FLAGS = {flag: "no" for flag in RED_FLAGS}
PAIN = {"area_weeks_back_leg": "6", "pain_average": "7",
        "interference_enjoyment": "6", "interference_activity": "8"}
BACK = {"about": {"age": "52", "locations": ["lower_back", "leg"]}}
KNEE = {"about": {"age": "70", "locations": ["knee"]}}
PT_AND_ESI = {"tried": {"types": ["physical_therapy", "epidural_steroid_injection"], "separate_rows": "1"}}
ROW_CARE = {"row0_weeks": "6", "row0_relief_percent": "25"}
ROW_ESI = {"row1_region": "lower_back", "row1_relief_percent": "50", "row1_count": "1", "row1_relief_weeks": "6", "row1_weeks_ago": "12"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """One app for the whole module: forms need a request context, not a fresh database."""
    return make_app(tmp_path_factory.mktemp("forms"))


def judge(app, form_class, data, context=None):
    """Post data to a form inside a request and run its checks."""
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        form = form_class(answers=context or {})
        form.check()
        errors = {field.name: [str(message) for message in field.errors] for field in form if field.errors}
        return form, errors


def engine_message(path, intake):
    """Return the message triage.validate gives for one path of a full intake."""
    return next(problem.message for problem in validate(intake) if problem.path == path)


def details_class():
    return details_form_class(row_plan(PT_AND_ESI))


# form, context, data, field, message (a MESSAGES key, or an intake path judged by triage)
MESSAGE_CASES = [
    ("safety_unanswered", SafetyForm, None, {**NO_FLAGS, "fever_chills": None}, "fever_chills", "yes_no"),
    ("age_not_number", AboutForm, None, {"age": "fifty", "locations": ["neck"]}, "age", "age_number"),
    ("age_decimal", AboutForm, None, {"age": "52.5", "locations": ["neck"]}, "age", "age_number"),
    ("age_missing", AboutForm, None, {"age": "", "locations": ["neck"]}, "age", "age"),
    ("age_under_18", AboutForm, None, {"age": "17", "locations": ["neck"]}, "age", "age"),
    ("age_too_high", AboutForm, None, {"age": "121", "locations": ["neck"]}, "age", "age"),
    ("no_location", AboutForm, None, {"age": "40"}, "locations", "locations"),
    ("area_missing", PainForm, BACK, {**PAIN, "area_weeks_back_leg": None}, "area_weeks_back_leg", "area_weeks"),
    ("pain_missing", PainForm, BACK, {**PAIN, "pain_average": None}, "pain_average", "pain_average"),
    ("enjoyment_missing", PainForm, BACK, {**PAIN, "interference_enjoyment": None},
     "interference_enjoyment", "interference_enjoyment"),
    ("activity_missing", PainForm, BACK, {**PAIN, "interference_activity": None},
     "interference_activity", "interference_activity"),
    ("symptoms_blank", FeelForm, BACK, {}, "symptoms", "choose_or_none"),
    ("symptoms_none_and_some", FeelForm, BACK, {"symptoms": ["widespread_pain", "none"]}, "symptoms", "none_and_some"),
    ("tried_blank", TriedForm, None, {"separate_rows": "1"}, "types", "choose_or_none"),
    ("tried_none_and_some", TriedForm, None, {"types": ["massage", "none"]}, "types", "none_and_some"),
    ("health_blank", HealthForm, BACK, {}, "health", "choose_or_none"),
    ("health_none_and_some", HealthForm, BACK, {"health": ["diabetes", "none"]}, "health", "none_and_some"),
    ("tried_weeks_missing", details_class, PT_AND_ESI, {**ROW_CARE, "row0_weeks": None, **ROW_ESI},
     "row0_weeks", "weeks"),
    ("relief_missing", details_class, PT_AND_ESI, {**ROW_CARE, **ROW_ESI, "row1_relief_percent": None},
     "row1_relief_percent", "treatments[1].relief_percent"),
    ("count_missing", details_class, PT_AND_ESI, {**ROW_CARE, **ROW_ESI, "row1_count": None}, "row1_count", "count"),
    ("relief_weeks_missing", details_class, PT_AND_ESI, {**ROW_CARE, **ROW_ESI, "row1_relief_weeks": None},
     "row1_relief_weeks", "relief_weeks"),
    ("weeks_ago_missing", details_class, PT_AND_ESI, {**ROW_CARE, **ROW_ESI, "row1_weeks_ago": None},
     "row1_weeks_ago", "weeks_ago"),
    ("region_missing", details_class, PT_AND_ESI, {**ROW_CARE, **ROW_ESI, "row1_region": None}, "row1_region", "region"),
]


def _form_data(data):
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize("name, form_class, context, data, field, expected", MESSAGE_CASES,
                         ids=[case[0] for case in MESSAGE_CASES])
def test_each_message_is_shown_beside_its_question(app, name, form_class, context, data, field, expected):
    form_class = form_class() if form_class is details_class else form_class
    form, errors = judge(app, form_class, _form_data(data), context)
    if expected in MESSAGES:
        message = str(MESSAGES[expected])
    else:
        message = engine_message(expected, draft_intake({**(context or {}), form.step: form.answers()}))
    assert errors == {field: [message]}


def test_every_form_message_has_a_case():
    assert set(MESSAGES) <= {case[-1] for case in MESSAGE_CASES}


def test_under_18_gets_the_contracts_adult_message(app):
    _form, errors = judge(app, AboutForm, {"age": "16", "locations": ["neck"]})
    assert "adults" in errors["age"][0]


@pytest.mark.parametrize("form_class, context, data", [
    (SafetyForm, None, NO_FLAGS),
    (AboutForm, None, {"age": "18", "locations": ["head"]}),
    (AboutForm, None, {"age": " 120 ", "locations": list(LOCATIONS)}),
    (PainForm, BACK, PAIN),
    (FeelForm, BACK, {"symptoms": ["none"]}),
    (TriedForm, None, {"types": ["none"]}),
    (HealthForm, KNEE, {"health": ["knee_osteoarthritis", "blood_thinner"]}),
])
def test_complete_answers_have_no_message(app, form_class, context, data):
    form, errors = judge(app, form_class, data, context)
    assert errors == {} and form.other_errors == []


def test_details_rows_follow_the_types_chosen(app):
    form, errors = judge(app, details_class(), {**ROW_CARE, **ROW_ESI}, PT_AND_ESI)
    assert errors == {}
    assert form.part_from({**PT_AND_ESI, "details": form.answers()}) == {"treatments": [
        {"type": "physical_therapy", "weeks": 6, "relief_percent": 25},
        {"type": "epidural_steroid_injection", "region": "lower_back", "relief_percent": 50, "count": 1,
         "relief_weeks": 6, "weeks_ago": 12}]}


def test_each_medial_branch_block_is_its_own_row(app):
    context = {"tried": {"types": ["medial_branch_block"], "separate_rows": "2"}}
    data = {"row0_region": "neck", "row0_relief_percent": "80", "row0_relief_weeks": "0", "row0_weeks_ago": "6",
            "row1_region": "unknown", "row1_relief_percent": "75", "row1_relief_weeks": "unknown",
            "row1_weeks_ago": "unknown"}
    form, errors = judge(app, details_form_class(row_plan(context)), data, context)
    assert errors == {}
    assert [legend for legend, _fields in form.rows()][1].endswith("block 2 of 2")
    assert form.part_from({**context, "details": form.answers()})["treatments"] == [
        {"type": "medial_branch_block", "region": "neck", "relief_percent": 80, "relief_weeks": 0, "weeks_ago": 6},
        {"type": "medial_branch_block", "relief_percent": 75}]


def test_safety_answers_become_the_red_flag_list(app):
    form, _errors = judge(app, SafetyForm, {**NO_FLAGS, "cancer_history": "yes", "fever_chills": "yes"})
    assert form.part_from({"safety": form.answers()}) == {"red_flags": ["fever_chills", "cancer_history"]}


@pytest.mark.parametrize("form_class, context, data", [
    (SafetyForm, None, {**NO_FLAGS, "fever_chills": "maybe"}),
    (SafetyForm, None, MultiDict([*NO_FLAGS.items(), ("fever_chills", "yes")])),
    (AboutForm, None, {"age": "40", "locations": ["tail"]}),
    (AboutForm, None, MultiDict([("age", "40"), ("locations", "neck"), ("locations", "neck")])),
    (AboutForm, None, {"age": "4" * 100, "locations": ["neck"]}),
    (PainForm, BACK, {**PAIN, "pain_average": "11"}),
    (PainForm, BACK, {**PAIN, "area_weeks_back_leg": "5"}),
    (FeelForm, {"about": {"age": "40", "locations": ["head"]}}, {"symptoms": ["radiates_below_knee"]}),
    (HealthForm, BACK, {"health": ["knee_replacement"]}),
    (TriedForm, None, {"types": ["surgery_of_the_soul"]}),
    (TriedForm, None, {"types": ["massage"], "separate_rows": "9"}),
])
def test_values_never_offered_are_garbage(app, form_class, context, data):
    with app.test_request_context("/", method="POST", data=MultiDict(data)):
        with pytest.raises(BadRequest):
            form_class(answers=context or {})


def test_every_red_flag_is_asked_once():
    asked = [flag for _heading, _question, flags in SAFETY_GROUPS for flag in flags]
    assert sorted(asked) == sorted(RED_FLAGS)


def test_relevance_map_names_real_symptoms_and_locations():
    assert set(SYMPTOM_LOCATIONS) <= set(SYMPTOMS)
    assert all(places <= set(LOCATIONS) for places in SYMPTOM_LOCATIONS.values())
    assert all("widespread_pain" in relevant_symptoms([place]) for place in LOCATIONS)


@pytest.mark.parametrize("places, shown, hidden", [
    (["leg"], {"radiates_below_knee", "touch_sensitivity"}, {"radiates_down_arm", "scalp_tender_back_of_head"}),
    (["neck"], {"radiates_down_arm", "tender_muscle_knot", "scalp_tender_back_of_head"}, {"radiates_below_knee"}),
    (["head"], {"scalp_tender_back_of_head", "shooting_electric"}, {"tender_muscle_knot", "pain_out_of_proportion"}),
    (["lower_back"], {"leg_pain_walking_eased_sitting", "worse_twisting_leaning_back"}, {"touch_sensitivity"}),
    (["abdomen"], {"widespread_pain"}, {"radiates_below_knee", "numbness_tingling"}),
])
def test_symptoms_asked_fit_the_locations(places, shown, hidden):
    asked = set(relevant_symptoms(places))
    assert shown <= asked and not hidden & asked


def test_knee_health_questions_only_for_knee_pain():
    assert "knee_osteoarthritis" not in relevant_health(["lower_back"])
    assert "knee_replacement" in relevant_health(["knee", "hip"])


# The required bucket edges of intake.md ("How the web form builds the intake"), exactly.
@pytest.mark.parametrize("buckets, edges", [
    (DURATION_BUCKETS, (0, 1, 2, 4, 6, 12, 26, 52, 104, 260, 520, 1040)),
    (TRIED_WEEKS_BUCKETS, (0, 1, 2, 4, 6, 12, 26, 52, 104, 260, 520, 1040)),
    (RELIEF_BUCKETS, (0, 25, 50, 75, 80)),
    (RELIEF_WEEKS_BUCKETS, (0, 1, 2, 6, 12, 26)),
    (WEEKS_AGO_BUCKETS, (0, 2, 6, 12, 26, 52)),
    (COUNT_BUCKETS, (1, 2, 3, 4)),
])
def test_every_required_edge_is_a_bucket_and_each_bucket_sends_its_lower_edge(buckets, edges):
    numbers = tuple(number for _value, number, _words in buckets if number is not None)
    assert numbers == edges
    assert all(value == str(number) for value, number, _words in buckets if number is not None)
