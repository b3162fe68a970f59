"""Golden clinical cases: the shared ones from the spec plus the project's own.

Every case file is read by one loader. A case is ``{"intake", "expect", "about",
"result"}``: ``expect`` is the shared format (spec/intake.md, "Golden case
files": alerts, suggestions, withheld and cautions match exactly as sets;
not_suggested pairs are contained; ``invalid: true`` means rejected). The
project's own cases may add ``result``: the parts of the result that the
contract fixes, derived from rules.md. Every key present there is compared
exactly, in order; item lists are compared on the keys the case's items give.
"""
import difflib
import json
import os
from pathlib import Path

import pytest

import spec_ids

TESTS_DIR = Path(__file__).resolve().parent
REPO_ROOT = TESTS_DIR.parent
GOLDEN_DIR = TESTS_DIR / "golden"
CASE_KEYS = {"intake", "expect", "about", "result"}
EXPECT_KEYS = {"alerts", "suggestions", "withheld", "cautions", "not_suggested", "invalid"}
EXACT_SET_KEYS = ("alerts", "suggestions", "withheld", "cautions")
RESULT_KEYS = {"scores", "alerts", "suggestions", "withheld", "cautions", "not_suggested",
               "patient_view", "red_flags_retracted"}
ABSENT = "<absent>"


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


def own_case_files():
    """Return the project's own case files."""
    return sorted(GOLDEN_DIR.glob("*.json"))


def case_files():
    """Return every golden case file, shared ones first."""
    shared = [] if spec_problem() else sorted((spec_dir() / "cases").glob("*.json"))
    return shared + own_case_files()


def load(path):
    """Read one case file and check its shape."""
    with open(path, encoding="utf-8") as handle:
        case = json.load(handle)
    assert set(case) <= CASE_KEYS, f"{path.name}: unknown top-level keys {set(case) - CASE_KEYS}"
    expect = case["expect"]
    assert set(expect) <= EXPECT_KEYS, f"{path.name}: unknown expect keys {set(expect) - EXPECT_KEYS}"
    if not expect.get("invalid"):
        missing = [key for key in EXACT_SET_KEYS if key not in expect]
        assert not missing, f"{path.name}: expect lacks {missing}"
    result = case.get("result", {})
    assert set(result) <= RESULT_KEYS, f"{path.name}: unknown result keys {set(result) - RESULT_KEYS}"
    assert not (result and expect.get("invalid")), f"{path.name}: an invalid case has no result"
    return case


# ---- the shared `expect` format ----

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


def expect_mismatches(got, want):
    """List the differences between produced and expected sets, one line each."""
    lines = []
    for key in EXACT_SET_KEYS:
        if got[key] != want[key]:
            lines.append(f"  {key}: missing {sorted(want[key] - got[key], key=repr)}, "
                         f"unexpected {sorted(got[key] - want[key], key=repr)}")
    missing = want["not_suggested"] - got["not_suggested"]
    if missing:
        lines.append(f"  not_suggested missing {sorted(missing, key=repr)} "
                     f"(produced {sorted(got['not_suggested'], key=repr)})")
    return lines


# ---- the project's `result` block ----

def project(value, like):
    """Cut value down to the shape of like: dicts to like's keys, list items to their keys."""
    if isinstance(like, dict) and isinstance(value, dict):
        return {key: project(value.get(key, ABSENT), like[key]) for key in like}
    if isinstance(like, list) and isinstance(value, list):
        if like and all(isinstance(item, dict) for item in like):
            keys = {key: item[key] for item in like for key in item}
            return [project(item, keys) for item in value]
        return value
    return value


def result_mismatches(result, want):
    """Return a readable diff for every key of the case's result block that differs."""
    lines = []
    for key in sorted(want):
        got = project(result.get(key, ABSENT), want[key])
        if got != want[key]:
            lines.append(f"  result.{key} differs (- case, + engine):")
            diff = difflib.unified_diff(
                json.dumps(want[key], indent=1, sort_keys=True).splitlines(),
                json.dumps(got, indent=1, sort_keys=True).splitlines(), lineterm="", n=1)
            lines.extend("    " + line for line in list(diff)[2:])
    return lines


def describe(name, about, intake, lines):
    """Explain a mismatch with the case's purpose and the differences."""
    return "\n".join([f"{name}: {about}", *lines, f"  intake: {json.dumps(intake, sort_keys=True)}"])


def check_invalid(name, intake):
    """Assert that the intake is rejected by validate and evaluate."""
    import triage

    problems = triage.validate(intake)
    assert problems, f"{name}: validate() accepted an intake the case marks invalid"
    with pytest.raises(triage.InvalidIntake):
        triage.evaluate(intake)


def check_valid(name, case):
    """Assert that the evaluation matches the case's expect and result blocks."""
    import triage

    intake = case["intake"]
    problems = triage.validate(intake)
    assert problems == [], f"{name}: validate() rejected a valid intake: {problems}"
    result = triage.evaluate(intake).to_dict()
    lines = expect_mismatches(produced(result), expected(case["expect"]))
    lines += result_mismatches(result, case.get("result", {}))
    assert not lines, describe(name, case.get("about", ""), intake, lines)


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
    if case["expect"].get("invalid"):
        check_invalid(path.name, case["intake"])
    else:
        check_valid(path.name, case)


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in own_case_files()])
def test_own_case_is_named_explained_and_consistent(path):
    """Own cases say what they test, and their result block agrees with their expect block."""
    case = load(path)
    assert case.get("about", "").strip(), f"{path.name}: no 'about' line"
    result = case.get("result")
    if not result:
        return
    from_result = {
        "alerts": {alert["id"] for alert in result["alerts"]},
        "suggestions": {(s["consultation"], s["variant"]) for s in result["suggestions"]},
        "withheld": {(w["consultation"], w["variant"]) for w in result["withheld"]},
        "cautions": {caution["id"] for caution in result["cautions"]},
        "not_suggested": {(n["consultation"], n["reason"]) for n in result["not_suggested"]},
    }
    lines = expect_mismatches(from_result, expected(case["expect"]))
    assert not lines, describe(path.name, case["about"], case["intake"], lines)


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
    """Every alert, caution, reason and consultation variant of the spec appears in some case."""
    problem = spec_problem()
    if problem:
        pytest.fail(problem)
    seen = covered()
    wanted = {
        "alerts": set(spec_ids.ALERT_LEVELS),
        "cautions": set(spec_ids.CAUTIONS),
        "reasons": set(spec_ids.REASONS),
        "pairs": set(spec_ids.VARIANTS),
    }
    gaps = {kind: sorted(wanted[kind] - seen[kind], key=repr) for kind in wanted}
    assert not any(gaps.values()), f"identifiers no golden case exercises: {gaps}"


# Every rule id of rules.md version 2 (§2 clauses, §3 rules, §4 cautions), written here from
# the spec so that a rule the engine forgets, or names differently, still shows up as a gap.
SPEC_RULE_IDS = frozenset("""
alert.cauda_equina alert.post_injection_complication.reported
alert.post_injection_complication.recent_procedure alert.headache_emergency alert.chest_pain
alert.aortic_aneurysm alert.self_harm_emergency alert.fever_immunosuppressed
alert.septic_joint.hot_joint alert.septic_joint.replaced_knee alert.limb_ischemia
alert.head_injury_bleeding_risk alert.neurologic_deficit alert.possible_infection.fever
alert.possible_infection.risk_factor alert.possible_malignancy.weight_loss
alert.possible_malignancy.spine alert.possible_malignancy.new_pain
alert.possible_malignancy.night_pain alert.possible_fracture.trauma alert.possible_fracture.age
alert.possible_fracture.bone_health alert.headache_warning.changed_pattern
alert.headache_warning.new_after_50 alert.headache_warning.pregnancy
alert.headache_warning.immunosuppressed alert.headache_warning.head_injury
alert.limb_circulation alert.joint_inflamed alert.self_harm_risk
esi.lumbar.radicular esi.lumbar.claudication esi.cervical esi.axial_pain_only
rfa.facet.negative_block facet.block_region_unknown rfa.facet facet.confirmatory_block
facet.diagnostic_block facet.radicular_pain rfa.facet_repeat rfa.genicular_repeat
si.diagnostic si.therapeutic si.radicular_pain tpi.myofascial nerve_block.occipital
nerve_block.genicular rfa.genicular nerve_block.sympathetic
caution.bleeding_risk caution.diabetes_steroid caution.steroid_load caution.pregnancy
caution.allergy caution.implanted_device caution.active_infection caution.immunosuppressed
caution.sedation_risk caution.opioid_safety caution.transport caution.cancer_history
caution.night_pain caution.aortic_aneurysm_known caution.inflammatory_back_pain
caution.knee_replacement_review caution.mixed_durations caution.frequency_limit
""".split())


def rule_ids_in(result):
    """Collect the rule ids a result block names."""
    ids = set()
    for alert in result.get("alerts", []):
        ids |= set(alert["rules"])
    for key in ("suggestions", "withheld", "not_suggested"):
        for item in result.get(key, []):
            ids |= set(item["rule"].split(","))
    for caution in result.get("cautions", []):
        ids |= set(caution["rules"])
    return ids


def test_result_blocks_name_every_rule_of_the_spec():
    """Every rule id of rules.md appears in some own case's result block, and no other id does."""
    named = set()
    for path in own_case_files():
        named |= rule_ids_in(load(path).get("result", {}))
    assert not SPEC_RULE_IDS - named, f"rule ids no result block exercises: {sorted(SPEC_RULE_IDS - named)}"
    assert not named - SPEC_RULE_IDS, f"result blocks name ids rules.md lacks: {sorted(named - SPEC_RULE_IDS)}"


def test_result_comparison_ignores_unlisted_keys_and_catches_the_rest():
    """The comparator skips keys a case does not give, and reports order, value and length changes."""
    want = {"suggestions": [{"consultation": "radiofrequency_ablation", "variant": "facet",
                             "regions": ["neck"], "rule": "rfa.facet"}],
            "patient_view": {"level": "none"}}
    engine = {"suggestions": [{"consultation": "radiofrequency_ablation", "variant": "facet",
                               "regions": ["neck"], "rule": "rfa.facet", "because": ["baseline"]}],
              "patient_view": {"level": "none", "alerts": [], "crisis_line": False}}
    assert result_mismatches(engine, want) == []
    wrong_rule = json.loads(json.dumps(engine))
    wrong_rule["suggestions"][0]["rule"] = "rfa.facet_repeat"
    assert "result.suggestions" in "\n".join(result_mismatches(wrong_rule, want))
    extra = json.loads(json.dumps(engine))
    extra["suggestions"].append(dict(engine["suggestions"][0], variant="facet_repeat"))
    assert result_mismatches(extra, want)
    assert result_mismatches({"patient_view": {"level": "urgent"}, **{"suggestions": engine["suggestions"]}}, want)
    assert result_mismatches({"suggestions": engine["suggestions"]}, want), "a missing key must differ"
