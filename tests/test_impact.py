"""`triage impact`: re-evaluate stored results, compare by id sets, report invalid lines."""
import json
import random
from pathlib import Path

import pytest
from hypothesis import given, settings

from strategies import valid_intakes

from triage import evaluate, impact
from triage.cli import main

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "golden-v1-results.jsonl"
BACK = {"age": 52, "locations": ["lower_back", "buttock", "leg"], "duration_weeks": 9, "pain_average": 7,
        "interference_enjoyment": 6, "interference_activity": 8,
        "symptoms": ["radiates_below_knee", "numbness_tingling"], "red_flags": [],
        "treatments": [{"type": "physical_therapy", "weeks": 6, "relief_percent": 20}]}
SADDLE = {**BACK, "red_flags": ["saddle_numbness"]}


def stored(intake, **changes):
    """The current result of an intake, with some parts replaced as if an older rule base had said so."""
    return {**evaluate(intake).to_dict(), **changes}


def lines():
    """A small stored history: unchanged, changed, and every kind of line that cannot be compared."""
    old_saddle = stored(SADDLE, alerts=[], contract="pain-triage/1", rulebase="1.0.0",
                        suggestions=[{"consultation": "epidural_steroid_injection", "variant": "lumbar"}],
                        cautions=[{"id": "diabetes_steroid"}])
    many_rows = {**BACK, "treatments": BACK["treatments"] * 101}
    return [
        json.dumps({"intake": BACK, "result": stored(BACK)}),
        json.dumps({"intake": SADDLE, "result": old_saddle}),
        "{not json",
        "",
        json.dumps({"intake": BACK}),
        json.dumps({"intake": {**BACK, "age": 17}, "result": stored(BACK)}),
        json.dumps({"intake": many_rows, "result": {**old_saddle, "alerts": []}}),
        json.dumps({"intake": BACK, "result": stored(BACK, contract="pain-triage/9")}),
        json.dumps({"intake": SADDLE, "result": old_saddle}),
    ]


@pytest.fixture
def history(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(lines()) + "\n", encoding="utf-8")
    return path


def test_json_report_has_the_exact_shape_and_counts(history, capsys):
    assert main(["impact", str(history), "--format", "json"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out) == {
        "rulebase": "2.0.0", "total": 3, "changed": 2,
        "gained": {"alerts": {"cauda_equina": 2}, "suggestions": {}, "cautions": {}},
        "lost": {"alerts": {}, "suggestions": {"epidural_steroid_injection/lumbar": 2},
                 "cautions": {"diabetes_steroid": 2}}}
    assert err.splitlines() == [
        "line 3: not valid JSON: Expecting property name enclosed in double quotes",
        'line 5: not an object with "intake" and "result"',
        "line 6: invalid intake: age: This questionnaire is for adults (18 and over). Please speak with your care team, who will help you another way.",
        "line 8: result contract 'pain-triage/9' is not one of pain-triage/1, pain-triage/2",
        "line 7: version 1 intake with more than 100 treatment rows: not evaluated again"]


def test_markdown_report_lists_counts_examples_and_every_line_not_compared(history, capsys):
    assert main(["impact", str(history)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == f"""# Impact of rule base 2.0.0 on `{history}`

- Compared: 3
- Would now conclude differently: 2
- Not evaluated again (version 1 intake with more than 100 treatment rows): 1
- Not compared (invalid): 4

## Gained

### Alerts gained

| id | intakes | example lines |
|---|---:|---|
| `cauda_equina` | 2 | 2, 9 |

### Suggestions gained

None.

### Cautions gained

None.

## Lost

### Alerts lost

None.

### Suggestions lost

| id | intakes | example lines |
|---|---:|---|
| `epidural_steroid_injection/lumbar` | 2 | 2, 9 |

### Cautions lost

| id | intakes | example lines |
|---|---:|---|
| `diabetes_steroid` | 2 | 2, 9 |

## Not evaluated again

Version 1 intakes with more than 100 treatment rows keep their version 1 result (lines): 7

## Not compared

- line 3: not valid JSON: Expecting property name enclosed in double quotes
- line 5: not an object with "intake" and "result"
- line 6: invalid intake: age: This questionnaire is for adults (18 and over). Please speak with your care team, who will help you another way.
- line 8: result contract 'pain-triage/9' is not one of pain-triage/1, pain-triage/2
"""


def test_examples_stop_at_five_line_numbers(tmp_path, capsys):
    path = tmp_path / "seven.jsonl"
    path.write_text("\n".join(lines()[1:2] * 7), encoding="utf-8")
    main(["impact", str(path)])
    assert "| `cauda_equina` | 7 | 1, 2, 3, 4, 5 |" in capsys.readouterr().out


def test_an_unreadable_file_is_the_only_fatal_error(tmp_path, capsys):
    assert main(["impact", str(tmp_path / "missing.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_suggestion_keys_name_the_variant_only_when_there_is_one():
    assert impact.suggestion_key({"consultation": "trigger_point_injection", "variant": None}) == \
        "trigger_point_injection"
    assert impact.suggestion_key({"consultation": "nerve_block", "variant": "occipital"}) == "nerve_block/occipital"


def test_the_fast_conclusions_are_the_ids_of_the_full_result():
    """impact compares engine.conclude's ids; they must be exactly those evaluate() lists."""
    from test_golden import case_files
    from triage.bench import generated_intake
    from triage.validation import validate

    intakes = [json.loads(path.read_text(encoding="utf-8"))["intake"] for path in case_files()]
    rng = random.Random(12)
    intakes += [generated_intake(rng) for _ in range(300)]
    intakes = [intake for intake in intakes if not validate(intake)]
    full = [impact.conclusions(evaluate(intake)) for intake in intakes]
    assert [impact.current_conclusions(intake, reuse=False) for intake in intakes] == full
    # Alerts that withhold suggestions, and suggestions with and without a variant, are all compared.
    assert any(evaluate(intake)["withheld"] for intake in intakes)
    assert any(not kinds["suggestions"] and kinds["alerts"] for kinds in full)
    assert {key.count("/") for kinds in full for key in kinds["suggestions"]} == {0, 1}


@settings(max_examples=100, deadline=None)
@given(intake=valid_intakes())
def test_drawn_intakes_conclude_the_ids_of_the_full_result(intake):
    assert impact.current_conclusions(intake, reuse=False) == impact.conclusions(evaluate(intake))


def test_an_invalid_intake_is_reported_with_its_first_problem_and_the_count_of_the_rest():
    intake = {**BACK, "age": 12, "pain_average": 11}
    outcome, reason = impact.assess(intake, stored(BACK))
    assert outcome == "skipped"
    assert reason.startswith("invalid intake: age: ") and reason.endswith(" (and 1 more)")


def test_an_intake_that_is_not_json_data_is_reported_not_raised():
    """Keys of mixed types cannot make a reuse key; validation still says what is wrong."""
    outcome, reason = impact.assess({**BACK, 7: "seven"}, stored(BACK), reuse=True)
    assert outcome == "skipped" and reason.startswith("invalid intake: 7: ")


def test_reusing_identical_intakes_changes_nothing():
    items = [(number, json.loads(line)["intake"], json.loads(line)["result"])
             for number, line in enumerate(FIXTURE.read_text().splitlines()[:30], start=1)]
    assert list(impact.assess_all(items, reuse=True)) == list(impact.assess_all(items, reuse=False))


def test_parallel_report_is_the_serial_report():
    items = [(number, json.loads(line)["intake"], json.loads(line)["result"])
             for number, line in enumerate(FIXTURE.read_text().splitlines()[:60], start=1)]
    serial = list(impact.assess_all(items, workers=1, reuse=False))
    parallel = list(impact.assess_all(items, workers=2, chunk_size=7, reuse=False))
    assert parallel == serial
    assert impact.ImpactReport().extend(parallel).to_dict() == impact.ImpactReport().extend(serial).to_dict()
    assert any(outcome == "changed" for _, outcome, _ in serial)


def test_golden_version_1_results_gain_the_version_2_alerts(capsys):
    assert main(["impact", str(FIXTURE), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["total"] == len(FIXTURE.read_text().splitlines())
    # Version 2 widened the post-procedure window (6 weeks, was 2) and added the hot swollen joint flag.
    assert report["gained"]["alerts"]["post_injection_complication"] >= 1
    assert report["gained"]["alerts"]["septic_joint"] >= 1
