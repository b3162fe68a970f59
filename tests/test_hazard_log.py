"""The hazard log names only rules and tests that exist, and every hazard is complete."""
import ast
import re

import pytest
import yaml

from conftest import REPO

LOG = REPO / "docs" / "safety" / "hazard-log.md"
FIELDS = ("Cause", "Effect", "Initial risk", "Rules", "Tests", "Residual risk")
RISK = re.compile(r"^S([1-5]) × L([1-5]) = (\d+)$")
NODE = re.compile(r"^(tests/[\w/]+\.py)::(\w+)$")


def hazards(text):
    """Return {hazard heading: {field: text}} of the log's `### H..` sections."""
    found = {}
    for section in re.split(r"^### ", text, flags=re.M)[1:]:
        heading, _, body = section.partition("\n")
        fields = {}
        for item in re.split(r"^- \*\*", body, flags=re.M)[1:]:
            name, _, value = item.partition(":**")
            fields[name] = " ".join(value.split())
        found[heading.strip()] = fields
    return found


def backticked(value):
    return re.findall(r"`([^`]+)`", value)


def rule_ids():
    return set(yaml.safe_load((REPO / "triage" / "knowledge" / "rules.yaml").read_text(encoding="utf-8")))


def defined_tests(path):
    """The test functions of a test file (top level and in Test classes), read with ast."""
    tree = ast.parse((REPO / path).read_text(encoding="utf-8"))
    names = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            names |= {f"{node.name}::{child.name}" for child in node.body if isinstance(child, ast.FunctionDef)}
    return {name for name in names if name.split("::")[-1].startswith("test_")}


def unknown_names(log):
    """Return the rule ids and test node ids the log names that do not exist."""
    rules, missing, files = rule_ids(), [], {}
    for heading, fields in hazards(log).items():
        missing += [f"{heading}: rule {ident}" for ident in backticked(fields.get("Rules", "")) if ident not in rules]
        for node in backticked(fields.get("Tests", "")):
            match = NODE.match(node)
            if not match or not (REPO / match[1]).is_file():
                missing.append(f"{heading}: test {node}")
            elif match[2] not in files.setdefault(match[1], defined_tests(match[1])):
                missing.append(f"{heading}: test {node}")
    return missing


LOG_TEXT = LOG.read_text(encoding="utf-8")
HAZARDS = hazards(LOG_TEXT)


def test_the_log_has_at_least_fifteen_hazards():
    assert len(HAZARDS) >= 15
    assert all(re.match(r"H\d\d ", heading) for heading in HAZARDS)


@pytest.mark.parametrize("heading", list(HAZARDS))
def test_each_hazard_has_every_field_and_a_tested_control(heading):
    fields = HAZARDS[heading]
    assert [name for name in FIELDS if not fields.get(name)] == []
    assert backticked(fields["Tests"]), "every hazard names at least one test"


@pytest.mark.parametrize("heading", list(HAZARDS))
def test_risks_are_severity_times_likelihood_and_controls_lower_them(heading):
    scores = []
    for name in ("Initial risk", "Residual risk"):
        match = RISK.match(HAZARDS[heading][name])
        assert match, f"{name} is not written S<n> × L<n> = <risk>: {HAZARDS[heading][name]!r}"
        severity, likelihood, risk = map(int, match.groups())
        assert severity * likelihood == risk
        scores.append(risk)
    assert scores[1] <= scores[0] and scores[1] < 15


def test_every_named_rule_and_test_exists():
    assert unknown_names(LOG_TEXT) == []


def test_a_missing_rule_or_test_is_found():
    broken = LOG_TEXT.replace("`alert.cauda_equina`", "`alert.no_such_rule`", 1).replace(
        "tests/test_golden.py::test_golden_case`", "tests/test_golden.py::test_gone`", 1).replace(
        "`tests/test_kiosk.py::", "`tests/test_no_such_file.py::", 1)
    assert unknown_names(broken) == [
        "H01 Missed red flag: rule alert.no_such_rule",
        "H01 Missed red flag: test tests/test_golden.py::test_gone",
        "H04 Emergency answer unseen by staff: test tests/test_no_such_file.py::"
        "test_the_emergency_page_sends_the_patient_to_the_front_desk"]
