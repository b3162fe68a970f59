"""Intake validation: every problem at once, with its path and a plain sentence."""
import copy

import pytest

from triage import InvalidIntake, Problem, evaluate, validate

VALID = {
    "age": 40, "locations": ["lower_back"], "duration_weeks": 10, "pain_average": 5,
    "interference_enjoyment": 5, "interference_activity": 5, "red_flags": [],
}


def with_changes(**changes):
    """Return the valid intake with keys replaced (None value = key removed)."""
    intake = copy.deepcopy(VALID)
    for key, value in changes.items():
        if value is None:
            intake.pop(key)
        else:
            intake[key] = value
    return intake


def problems_of(intake):
    return [(p.path, p.code) for p in validate(intake)]


def test_valid_intake_has_no_problems():
    assert validate(VALID) == []


@pytest.mark.parametrize("intake, expected", [
    pytest.param(with_changes(age=17), [("age", "under_18")], id="age-17-is-a-minor"),
    pytest.param(with_changes(age=18), [], id="age-18-is-an-adult"),
    pytest.param(with_changes(age=121), [("age", "out_of_range")], id="age-121"),
    pytest.param(with_changes(age=True), [("age", "not_integer")], id="age-true-is-not-1"),
    pytest.param(with_changes(age=40.0), [("age", "not_integer")], id="age-float"),
    pytest.param(with_changes(age="40"), [("age", "not_integer")], id="age-string"),
    pytest.param({**VALID, "age": None}, [("age", "not_integer")], id="age-null"),
    pytest.param(with_changes(age=None), [("age", "required")], id="age-missing"),
    pytest.param(with_changes(red_flags=None), [("red_flags", "required")], id="red-flags-not-asked"),
    pytest.param(with_changes(pain_average=11), [("pain_average", "out_of_range")], id="pain-11"),
    pytest.param(with_changes(pain_average=-1), [("pain_average", "out_of_range")], id="pain-minus-1"),
    pytest.param(with_changes(duration_weeks=2601), [("duration_weeks", "out_of_range")], id="duration-too-long"),
    pytest.param(with_changes(newest_pain_weeks=0), [], id="newest-pain-0-is-fine"),
    pytest.param(with_changes(locations=[]), [("locations", "too_few")], id="no-location"),
    pytest.param(with_changes(locations=["knee", "knee"]), [("locations[1]", "duplicate")], id="duplicate-location"),
    pytest.param(with_changes(locations=["elbow"]), [("locations[0]", "unknown_choice")], id="unknown-location"),
    pytest.param(with_changes(locations="knee"), [("locations", "not_list")], id="location-not-a-list"),
    pytest.param(with_changes(locations=[{}, "lower_back"], area_weeks={"back_leg": 3}),
                 [("locations[0]", "unknown_choice")], id="location-object-beside-area-weeks"),
    pytest.param(with_changes(symptoms=["radiates_below_knee", 3]), [("symptoms[1]", "unknown_choice")],
                 id="symptom-not-a-string"),
    pytest.param(with_changes(health=["diabetes", "diabetes"]), [("health[1]", "duplicate")], id="duplicate-health"),
    pytest.param({**VALID, "painn_average": 3}, [("painn_average", "unknown_key")], id="typo-key"),
    pytest.param(with_changes(treatments={}), [("treatments", "not_list")], id="treatments-not-a-list"),
    pytest.param(with_changes(treatments=["physio"]), [("treatments[0]", "not_object")], id="treatment-not-object"),
    pytest.param(with_changes(treatments=[{"type": "physical_therapy"}]),
                 [("treatments[0].relief_percent", "required")], id="treatment-missing-relief"),
    pytest.param(with_changes(treatments=[{"type": "yoga", "relief_percent": 10}]),
                 [("treatments[0].type", "unknown_choice")], id="treatment-unknown-type"),
    pytest.param(with_changes(treatments=[{"type": "opioid", "relief_percent": 10},
                                          {"type": "opioid", "relief_percent": 101}]),
                 [("treatments[1].relief_percent", "out_of_range")], id="second-treatment-relief-101"),
    pytest.param(with_changes(treatments=[{"type": "massage", "relief_percent": 10, "count": 0}]),
                 [("treatments[0].count", "out_of_range")], id="treatment-count-0"),
    pytest.param(with_changes(treatments=[{"type": "massage", "relief_percent": 10, "relief_weeks": 521}]),
                 [("treatments[0].relief_weeks", "out_of_range")], id="relief-weeks-521"),
    pytest.param(with_changes(treatments=[{"type": "massage", "relief_percent": 10, "side": "left"}]),
                 [("treatments[0].side", "unknown_key")], id="treatment-unknown-key"),
    pytest.param(with_changes(treatments=[{"type": "massage", "relief_percent": 10}] * 101),
                 [("treatments", "too_many")], id="too-many-treatments"),
    pytest.param([VALID], [("", "not_object")], id="not-an-object"),
])
def test_problem_table(intake, expected):
    assert problems_of(intake) == expected


def test_every_problem_is_reported_at_once():
    intake = {**with_changes(age=16, pain_average=None, locations=["neck", "neck"]), "painn_average": 3,
              "treatments": [{"type": "x", "relief_percent": True}]}
    assert set(problems_of(intake)) == {
        ("painn_average", "unknown_key"), ("pain_average", "required"), ("age", "under_18"),
        ("locations[1]", "duplicate"), ("treatments[0].type", "unknown_choice"),
        ("treatments[0].relief_percent", "not_integer")}


def test_under_18_message_says_adults_and_care_team():
    [problem] = validate(with_changes(age=16))
    assert "adults" in problem.message and "care team" in problem.message


def test_messages_are_plain_sentences():
    for problem in validate({"age": "x", "locations": ["elbow"], "painn": 1, "treatments": [{}]}):
        assert isinstance(problem, Problem)
        assert problem.message[0].isupper() and problem.message.endswith(".")
        assert "Traceback" not in problem.message and "None" not in problem.message


def test_evaluate_refuses_an_invalid_intake_with_the_same_problems():
    intake = with_changes(age=16)
    with pytest.raises(InvalidIntake) as caught:
        evaluate(intake)
    assert caught.value.problems == validate(intake)


def test_problem_serialises():
    [problem] = validate(with_changes(age=16))
    assert problem.to_dict() == {"path": "age", "code": "under_18", "message": problem.message}
