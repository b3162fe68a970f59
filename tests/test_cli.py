"""The `triage` command line."""
import json
import subprocess
import sys

import jsonschema
import pytest

from conftest import SPEC_DIR
from triage.cli import main
from triage.knowledge import rules, sources
from triage.schema import intake_schema, schema_json, shipped_schema_text

CASES = sorted(SPEC_DIR.joinpath("cases").glob("*.json"))


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_evaluate_prints_the_expected_result_for_each_shared_case(capsys, path):
    case = json.loads(path.read_text())
    status, out, err = run(capsys, "evaluate", str(path))
    if case["expect"].get("invalid"):
        assert (status, out) == (2, "") and err.strip()
        return
    assert status == 0 and err == ""
    result = json.loads(out)
    pairs = {key: sorted([i["consultation"], i["variant"]] for i in result[key]) for key in ("suggestions", "withheld")}
    for key in ("suggestions", "withheld"):
        assert pairs[key] == sorted(case["expect"][key], key=str)
    assert sorted(a["id"] for a in result["alerts"]) == sorted(case["expect"]["alerts"])
    assert sorted(c["id"] for c in result["cautions"]) == sorted(case["expect"]["cautions"])


def test_evaluate_reads_stdin_and_text_format():
    intake = json.loads(CASES[0].read_text())["intake"]
    done = subprocess.run([sys.executable, "-m", "triage.cli", "evaluate", "-", "--format", "text"],
                          input=json.dumps(intake), capture_output=True, text=True, check=True)
    assert "epidural_steroid_injection (lumbar)" in done.stdout and "PEG score: 7.0" in done.stdout


def test_invalid_intake_prints_every_problem_on_stderr_and_exits_2(capsys, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"age": 16, "painn_average": 3}))
    status, out, err = run(capsys, "evaluate", str(path))
    assert status == 2 and out == ""
    assert "age: This questionnaire is for adults" in err
    assert "painn_average:" in err and "red_flags:" in err


@pytest.mark.parametrize("content, message", [("{not json", "is not valid JSON"), (None, "cannot read")])
def test_unreadable_input_exits_2(capsys, tmp_path, content, message):
    path = tmp_path / "intake.json"
    if content is not None:
        path.write_text(content)
    status, out, err = run(capsys, "evaluate", str(path))
    assert (status, out) == (2, "") and message in err


def test_rules_document_lists_every_rule_and_cited_source(capsys):
    status, out, _ = run(capsys, "rules")
    assert status == 0
    for ident, rule in rules().items():
        assert f"`{ident}`" in out
        for key in rule["sources"]:
            assert f"**{key}** — {sources()[key]['title']}" in out
    assert "https://www.cgsmedicare.com/parta/pa/subs/facet.html" in out


def test_schema_command_prints_the_shipped_schema(capsys):
    status, out, _ = run(capsys, "schema")
    assert status == 0 and out == schema_json() == shipped_schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(out))


def test_schema_accepts_every_valid_shared_case_and_rejects_the_invalid_one():
    validator = jsonschema.Draft202012Validator(intake_schema())
    for path in CASES:
        case = json.loads(path.read_text())
        assert validator.is_valid(case["intake"]) != bool(case["expect"].get("invalid")), path.name
