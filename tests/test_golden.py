"""Golden clinical cases: the shared ones from the spec plus the project's own.

Each case file is ``{"intake": ..., "expect": ..., "about": ...}`` (spec/intake.md,
"Golden case files"). Alerts, suggestions, withheld and cautions must match
exactly as sets; not_suggested must be contained in what the engine produces;
``invalid: true`` means the intake is rejected.
"""
import json
import os
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
GOLDEN_DIR = TESTS_DIR / "golden"
EXPECT_KEYS = {"alerts", "suggestions", "withheld", "cautions", "not_suggested", "invalid"}
EXACT_SET_KEYS = ("alerts", "suggestions", "withheld", "cautions")


def spec_dir():
    """Return the shared spec directory: $TRIAGE_SPEC_DIR, else <repo>/../shared/spec."""
    configured = os.environ.get("TRIAGE_SPEC_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "spec"


def spec_problem():
    """Return why the shared cases cannot be read, or None when they can."""
    cases = spec_dir() / "cases"
    if not cases.is_dir():
        return (f"shared spec cases not found at {cases} "
                "(set TRIAGE_SPEC_DIR to the spec directory that holds cases/)")
    if not any(cases.glob("*.json")):
        return f"no shared golden cases (*.json) in {cases}"
    return None


def case_files():
    """Return every golden case file, shared ones first."""
    shared = [] if spec_problem() else sorted((spec_dir() / "cases").glob("*.json"))
    return shared + sorted(GOLDEN_DIR.glob("*.json"))


def load(path):
    """Read one case file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def pairs(items):
    """Turn [[consultation, variant], ...] into a set of tuples."""
    return {tuple(item) for item in items}


def produced(result):
    """Reduce a result dict to the sets the golden format compares."""
    return {
        "alerts": {alert["id"] for alert in result["alerts"]},
        "suggestions": {(s["consultation"], s["variant"]) for s in result["suggestions"]},
        "withheld": {(w["consultation"], w["variant"]) for w in result["withheld"]},
        "cautions": {caution["id"] for caution in result["cautions"]},
        "not_suggested": {(n["consultation"], n["reason"]) for n in result["not_suggested"]},
    }


def expected(expect):
    """Reduce a case's expectation to the same sets as produced()."""
    return {
        "alerts": set(expect["alerts"]),
        "suggestions": pairs(expect["suggestions"]),
        "withheld": pairs(expect["withheld"]),
        "cautions": set(expect["cautions"]),
        "not_suggested": pairs(expect.get("not_suggested", [])),
    }


def describe(name, about, intake, got, want):
    """Explain a mismatch with the case's purpose and the differences."""
    lines = [f"{name}: {about}"]
    for key in EXACT_SET_KEYS:
        if got[key] != want[key]:
            lines.append(f"  {key}: missing {sorted(want[key] - got[key], key=repr)}, "
                         f"unexpected {sorted(got[key] - want[key], key=repr)}")
    missing = want["not_suggested"] - got["not_suggested"]
    if missing:
        lines.append(f"  not_suggested missing {sorted(missing, key=repr)} "
                     f"(produced {sorted(got['not_suggested'], key=repr)})")
    lines.append(f"  intake: {json.dumps(intake, sort_keys=True)}")
    return "\n".join(lines)


def check_invalid(name, intake):
    """Assert that the intake is rejected by validate and evaluate."""
    import triage

    problems = triage.validate(intake)
    assert problems, f"{name}: validate() accepted an intake the case marks invalid"
    with pytest.raises(triage.InvalidIntake):
        triage.evaluate(intake)


def check_valid(name, about, intake, expect):
    """Assert that the evaluation matches the case's expectation."""
    import triage

    problems = triage.validate(intake)
    assert problems == [], f"{name}: validate() rejected a valid intake: {problems}"
    got = produced(triage.evaluate(intake).to_dict())
    want = expected(expect)
    ok = all(got[key] == want[key] for key in EXACT_SET_KEYS)
    ok = ok and want["not_suggested"] <= got["not_suggested"]
    assert ok, describe(name, about, intake, got, want)


def _params():
    params = [pytest.param(path, id=path.name) for path in case_files()]
    if spec_problem():
        params.insert(0, pytest.param(None, id="shared-spec-cases"))
    return params


@pytest.mark.parametrize("path", _params())
def test_golden_case(path):
    """Evaluate one golden case and compare with its expectation."""
    if path is None:
        pytest.fail(spec_problem())
    case = load(path)
    assert set(case) <= {"intake", "expect", "about"}, f"{path.name}: unknown top-level keys"
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"{path.name}: unknown expect keys {set(expect) - EXPECT_KEYS}"
    if expect.get("invalid"):
        check_invalid(path.name, case["intake"])
    else:
        missing = [key for key in EXACT_SET_KEYS if key not in expect]
        assert not missing, f"{path.name}: expect lacks {missing}"
        check_valid(path.name, case.get("about", ""), case["intake"], expect)


def covered():
    """Collect every identifier that some case's expectation names."""
    seen = {"alerts": set(), "cautions": set(), "reasons": set(), "pairs": set()}
    for path in case_files():
        expect = load(path)["expect"]
        if expect.get("invalid"):
            continue
        seen["alerts"] |= set(expect["alerts"])
        seen["cautions"] |= set(expect["cautions"])
        seen["reasons"] |= {reason for _, reason in expect.get("not_suggested", [])}
        seen["pairs"] |= pairs(expect["suggestions"]) | pairs(expect["withheld"])
    return seen


def test_golden_cases_cover_every_identifier():
    """Every alert, caution, reason and consultation variant appears in some case."""
    problem = spec_problem()
    if problem:
        pytest.fail(problem)
    from triage import contract

    seen = covered()
    wanted = {
        "alerts": set(contract.ALERTS),
        "cautions": set(contract.CAUTIONS),
        "reasons": set(contract.REASONS),
        "pairs": {(consultation, variant)
                  for consultation, variants in contract.CONSULTATIONS.items()
                  for variant in variants},
    }
    gaps = {kind: sorted(wanted[kind] - seen[kind], key=repr) for kind in wanted}
    assert not any(gaps.values()), f"identifiers no golden case exercises: {gaps}"
