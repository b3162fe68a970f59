"""The `triage` command line."""
import json
import subprocess
import sys

import jsonschema
import pytest
import yaml

from conftest import SPEC_DIR
from triage.cli import main
from triage.knowledge import knowledge_dir, load_release, rules, sources
from triage.report import changes_markdown, current_release, rules_markdown
from triage.result import RULEBASE_VERSION
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


def part(document, heading):
    """Return the lines under a Markdown heading, up to the next heading of the same or a higher level."""
    level = heading.split(" ")[0]
    lines = document.split("\n")
    start = lines.index(heading) + 1
    end = next((i for i in range(start, len(lines))
                if lines[i].startswith("#") and len(lines[i].split(" ")[0]) <= len(level)), len(lines))
    return [line for line in lines[start:end] if line]


def test_rules_document_follows_the_parts_of_rules_md(capsys):
    status, out, _ = run(capsys, "rules")
    assert status == 0 and out.startswith(f"# Pain Triage rule base {RULEBASE_VERSION} (")
    headings = [line for line in out.split("\n") if line.startswith("## ")]
    assert [heading.split(" ")[1] for heading in headings] == [
        "What", "2", "3.1", "3.2–3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9", "4", "Thresholds", "Sources"]
    for heading in headings[1:-2]:
        section = heading.split(" ")[1]
        printed = {line.split("`")[1] for line in part(out, heading) if line.startswith("### `")}
        assert printed == {ident for ident, rule in rules().items() if rule["section"] == section}


def test_rules_document_says_what_changed_since_the_version_in_history(capsys):
    _, out, _ = run(capsys, "rules")
    assert "## What changed since 1.0.0" in out
    added = part(out, "### Rules added (19)")
    assert "- `alert.septic_joint.hot_joint` — Hot, swollen joint with fever (emergency)" in added
    assert "- `facet.block_region_unknown` — Why not: test block of unknown spine level" in added
    assert part(out, "### Rules removed (1)") == [
        "- `alert.headache_warning.risk_factor` — Head pain in pregnancy or with a weak immune system (urgent)"]
    changed = part(out, "### Thresholds changed (4)")
    assert "- `recent_spine_procedure_weeks`: value 2 → 6; sources S45 → S45, S59" in changed
    assert "- `esi_max_per_year`: sources S3, S14 → S3, S5" in changed
    assert any(line.startswith("- `axspa_onset_age`: 45 years [S56] — ") for line in part(out, "### Thresholds added (14)"))
    assert part(out, "### Thresholds removed (0)") == ["None."]
    kept = "\n".join(part(out, "### Rules changed (32)"))
    assert "- `alert.possible_infection.fever` — " not in kept  # same conditions, sources and thresholds
    assert "- `alert.possible_malignancy.spine` — Spine pain with a cancer history (urgent)\n" \
           "  - conditions were: (red flag cancer_history or night_rest_pain) and spine\n" \
           "  - conditions now: red flag cancer_history and spine\n" \
           "  - sources: S29, S31 → S29, S31, S53, S54, S55" in kept
    assert "`alert.cauda_equina`" not in kept and "`caution.pregnancy`" not in kept


def edited_copy(tmp_path, edit_rules, edit_thresholds):
    """Copy the package's knowledge data to tmp_path, edit it, and load it; the package is untouched."""
    for name, edit in (("rules.yaml", edit_rules), ("thresholds.yaml", edit_thresholds)):
        content = yaml.safe_load(knowledge_dir().joinpath(name).read_text(encoding="utf-8"))
        edit(content)
        tmp_path.joinpath(name).write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return load_release(tmp_path, "9.9.9")


def test_change_section_is_computed_from_the_data_of_both_versions(tmp_path):
    def edit_rules(registry):
        del registry["alert.chest_pain"]
        registry["caution.transport"]["sources"] = ["S45", "general"]

    def edit_thresholds(limits):
        limits["esi_max_per_year"]["value"] = 3
        limits["tpi_max_per_year"]["unit"] = "injections in 12 months"
        del limits["postpartum_weeks"]

    with pytest.raises(Exception, match="postpartum_weeks"):  # a rule still quotes it
        edited_copy(tmp_path, edit_rules, edit_thresholds)

    def edit_rules_too(registry):
        edit_rules(registry)
        rule = registry["alert.headache_warning.pregnancy"]
        rule["conditions"] = rule["conditions"].replace("{postpartum_weeks}", "six")
        rule["thresholds"] = []

    edited = edited_copy(tmp_path, edit_rules_too, edit_thresholds)
    section = "\n".join(changes_markdown(current_release(), edited))
    assert section.startswith(f"## What changed since {RULEBASE_VERSION}\n")
    assert part(section, "### Rules added (0)") == ["None."]
    assert part(section, "### Rules removed (1)") == ["- `alert.chest_pain` — Chest pain with breathlessness or on effort (emergency)"]
    changed = part(section, "### Rules changed (6)")
    assert [line for line in changed if line.startswith("- ")] == [
        f"- `{ident}` — {rules()[ident]['title']}" for ident in (
            "alert.headache_warning.pregnancy", "esi.lumbar.radicular", "esi.lumbar.claudication", "esi.cervical",
            "caution.transport", "caution.frequency_limit")]
    assert "  - sources: S45 → S45, general" in changed
    assert changed.count("  - reads `esi_max_per_year`: 4 → 3") == 4
    assert "total of the lower-back epidural rows < 3 [frequency_limit]" in changed[changed.index(
        f"- `esi.lumbar.radicular` — {rules()['esi.lumbar.radicular']['title']}") + 2]
    assert part(section, "### Thresholds removed (1)") == ["- `postpartum_weeks`: was 6 weeks (question wording) [S32]"]
    assert part(section, "### Thresholds changed (2)") == [
        "- `esi_max_per_year`: value 4 → 3", "- `tpi_max_per_year`: unit sessions in 12 months → injections in 12 months"]
    assert "alert.chest_pain" in rules() and rules()["caution.transport"]["sources"] == ["S45"]
    document = rules_markdown(current=edited, previous=current_release())
    assert document.startswith("# Pain Triage rule base 9.9.9 (") and "`alert.chest_pain`" not in document.split("## 2 ")[1]


def test_rules_document_is_the_same_bytes_every_time(capsys):
    first = run(capsys, "rules")[1]
    assert first == run(capsys, "rules")[1] == rules_markdown()


def test_a_rule_in_an_unknown_section_is_an_error_not_a_silent_omission(tmp_path):
    def edit_rules(registry):
        registry["tpi.myofascial"]["section"] = "3.10"
    edited = edited_copy(tmp_path, edit_rules, lambda limits: None)
    with pytest.raises(ValueError, match="3.10"):
        rules_markdown(current=edited)


def test_schema_command_prints_the_shipped_schema(capsys):
    status, out, _ = run(capsys, "schema")
    assert status == 0 and out == schema_json() == shipped_schema_text()
    jsonschema.Draft202012Validator.check_schema(json.loads(out))


def test_schema_accepts_every_valid_shared_case_and_rejects_the_invalid_one():
    validator = jsonschema.Draft202012Validator(intake_schema())
    for path in CASES:
        case = json.loads(path.read_text())
        assert validator.is_valid(case["intake"]) != bool(case["expect"].get("invalid")), path.name
