"""The engine as a component: import hygiene, rule registry, threads, determinism."""
import copy
import json
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import SPEC_DIR
from triage import CONTRACT, RULEBASE_VERSION, evaluate
from triage.bench import generated_intake
from triage.engine import TriageEngine, rule_methods
from triage.facts import Answer
from triage.validation import validate
from triage.knowledge import rules, sources, thresholds

SCIATICA = {
    "age": 52, "locations": ["lower_back", "buttock", "leg"], "duration_weeks": 9,
    "pain_average": 7, "interference_enjoyment": 6, "interference_activity": 8,
    "symptoms": ["radiates_below_knee", "numbness_tingling"], "red_flags": [],
    "health": ["blood_thinner", "antiplatelet", "diabetes"],
    "treatments": [{"type": "physical_therapy", "weeks": 6, "relief_percent": 20}],
}


def shared_intakes():
    """Every valid intake of the shared golden cases."""
    cases = sorted(SPEC_DIR.joinpath("cases").glob("*.json"))
    assert cases, f"no golden cases found in {SPEC_DIR / 'cases'}"
    loaded = [json.loads(path.read_text()) for path in cases]
    return [case["intake"] for case in loaded if not case["expect"].get("invalid")]


def test_engine_imports_cleanly_with_warnings_as_errors():
    code = "import triage, logging; triage.evaluate; assert not logging.getLogger().handlers"
    subprocess.run([sys.executable, "-W", "error", "-c", code], check=True)


def test_collections_mapping_is_not_left_behind():
    import collections

    assert not hasattr(collections, "Mapping")


def test_every_rule_method_is_a_rule_of_the_engine():
    """Two mixins with the same method name would silently collapse into one rule."""
    methods = rule_methods()
    engine = TriageEngine()
    assert len(engine.get_rules()) == len(methods)
    names = [name for klass in TriageEngine.__mro__ for name, value in vars(klass).items()
             if type(value).__name__ == "Rule"]
    assert len(names) == len(set(names)), "a rule method name is defined twice"


def test_rule_ids_are_unique_and_all_registered():
    ids = list(rule_methods().values())
    assert len(ids) == len(set(ids))
    assert set(ids) == set(rules()), "knowledge/rules.yaml and the engine disagree"


@pytest.mark.parametrize("rule_id", sorted(rules()))
def test_registry_entry_is_complete(rule_id):
    entry = rules()[rule_id]
    assert entry["title"] and entry["rationale"] and entry["conditions"]
    assert entry["sources"] and set(entry["sources"]) <= set(sources())
    assert set(entry["thresholds"]) <= set(thresholds())


@pytest.mark.parametrize("name", sorted(thresholds()))
def test_threshold_has_value_unit_description_and_known_sources(name):
    item = thresholds()[name]
    assert isinstance(item["value"], int) and item["unit"] and item["description"]
    assert item["sources"] and set(item["sources"]) <= set(sources())


def test_thresholds_are_not_written_as_literals_in_rules():
    """Rule bodies read numbers from thresholds.yaml, never from the code."""
    import ast
    from pathlib import Path

    import triage.rules

    for path in Path(triage.rules.__file__).parent.glob("*.py"):
        if path.name == "base.py":  # salience levels: engine mechanics, not clinical numbers
            continue
        numbers = [node.value for node in ast.walk(ast.parse(path.read_text()))
                   if isinstance(node, ast.Constant) and type(node.value) in (int, float)
                   and node.value not in (0, 1)]
        assert not numbers, f"{path.name} holds literal numbers {numbers}"


RULE_ID_PREFIXES = ("alert.", "caution.", "esi.", "facet.", "rfa.", "si.", "tpi.", "nerve_block.", "withhold.")


def test_each_rule_states_its_id_once():
    """Only `@rule_id(...)` names a rule id: a body records under the id of the rule that fires,
    so it cannot credit its conclusion to another rule's rationale and sources."""
    import ast
    from pathlib import Path

    import triage.rules

    for path in Path(triage.rules.__file__).parent.glob("*.py"):
        tree = ast.parse(path.read_text())
        decorators = {id(arg) for node in ast.walk(tree) if isinstance(node, ast.FunctionDef)
                      for deco in node.decorator_list if isinstance(deco, ast.Call)
                      and getattr(deco.func, "id", None) == "rule_id" for arg in deco.args}
        stray = [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
                 and isinstance(node.value, str) and node.value.startswith(RULE_ID_PREFIXES)
                 and id(node) not in decorators]
        assert not stray, f"{path.name} names rule ids outside @rule_id: {stray}"


@pytest.mark.parametrize("intake", shared_intakes(), ids=lambda intake: ",".join(intake["locations"]))
def test_every_conclusion_is_filed_under_a_rule_that_concludes_it(intake):
    """An alert is credited to clauses of that alert, a caution to that caution's rule."""
    result = evaluate(intake).to_dict()
    registry = rules()
    for alert in result["alerts"]:
        assert alert["rules"] and all(rule.split(".")[:2] == ["alert", alert["id"]] for rule in alert["rules"])
    for caution in result["cautions"]:
        assert caution["rules"] == [f"caution.{caution['id']}"]
    for item in result["suggestions"] + result["withheld"] + result["not_suggested"]:
        assert all(rule in registry for rule in item["rule"].split(","))


def test_result_carries_contract_and_rulebase():
    result = evaluate(SCIATICA).to_dict()
    assert result["contract"] == CONTRACT == "pain-triage/2"
    assert result["rulebase"] == RULEBASE_VERSION == "2.0.0"
    assert result["rulebase"] == RULEBASE_VERSION


def test_same_input_gives_byte_identical_json():
    first = evaluate(SCIATICA).to_json()
    shuffled = copy.deepcopy(SCIATICA)
    shuffled["locations"].reverse()
    shuffled["health"].reverse()
    shuffled = dict(reversed(list(shuffled.items())))
    assert evaluate(shuffled).to_json() == first == evaluate(SCIATICA).to_json()


def test_evaluate_does_not_change_the_intake():
    intake = copy.deepcopy(SCIATICA)
    evaluate(intake)
    assert intake == SCIATICA


def test_bleeding_caution_gives_asra_class_one_higher_with_two_agents():
    result = evaluate(SCIATICA).to_dict()
    bleeding = next(c for c in result["cautions"] if c["id"] == "bleeding_risk")
    assert bleeding["asra"] == [{"consultation": "epidural_steroid_injection", "variant": "lumbar",
                                 "class": "high"}]


def test_concurrent_evaluations_equal_serial_ones():
    intakes = shared_intakes() * 25 + [SCIATICA] * 25
    serial = [evaluate(intake).to_json() for intake in intakes]
    with ThreadPoolExecutor(max_workers=8) as pool:
        concurrent = list(pool.map(lambda intake: evaluate(intake).to_json(), intakes))
    assert concurrent == serial


def _every_answer(kind, answers):
    return [Answer(kind=kind, id=ident) for ident in sorted(answers)]


def test_answers_no_rule_names_are_left_out_without_changing_any_result(monkeypatch):
    from test_golden import case_files
    import triage.engine
    named = triage.engine.matched_answers()
    # Read from the rules: red flags and health items are matched by tests on the id;
    # locations and symptoms only by name.
    assert named["red_flag"] is None and named["health"] is None
    assert {"buttock", "head", "knee"} <= named["location"]
    intakes = [json.loads(path.read_text(encoding="utf-8"))["intake"] for path in case_files()]
    rng = random.Random(20261203)
    intakes += [generated_intake(rng) for _ in range(300)]
    intakes = [intake for intake in intakes if not validate(intake)]
    lean = [evaluate(intake).to_dict() for intake in intakes]
    monkeypatch.setattr(triage.engine, "_answer_facts", _every_answer)
    assert [evaluate(intake).to_dict() for intake in intakes] == lean
