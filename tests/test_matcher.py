"""The engine's fast Rete matcher and agenda (triage/matcher.py) conclude exactly what experta's own do."""
import json
import random

import pytest
from experta import AS, MATCH, NOT, TEST, W, Fact, KnowledgeEngine, L, P, Rule
from experta.matchers.rete import ReteMatcher
from experta.strategies import DepthStrategy
from experta.matchers.rete.nodes import (BusNode, ConflictSetNode, FeatureTesterNode, NotNode,
                                         OrdinaryMatchNode)
from hypothesis import given, settings

import triage.engine
from strategies import valid_intakes
from test_golden import case_files
from triage import evaluate
from triage.bench import generated_intake
from triage.matcher import FastDepthStrategy, FastReteMatcher
from triage.validation import validate


class StockTriageEngine(triage.engine.TriageEngine):
    """The same rule base on experta's own matcher and agenda."""

    __matcher__ = ReteMatcher
    __strategy__ = DepthStrategy


@pytest.fixture(scope="module")
def stock_engine():
    return StockTriageEngine()


def evaluate_on(engine, intake, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(triage.engine, "_engine", lambda: engine)
        return evaluate(intake).to_json()


def test_the_engine_uses_the_fast_matcher_on_every_node_and_the_fast_agenda():
    engine = triage.engine.TriageEngine()
    assert isinstance(engine.strategy, FastDepthStrategy)
    matcher = engine.matcher
    assert isinstance(matcher, FastReteMatcher)
    stock_kinds = (BusNode, FeatureTesterNode, OrdinaryMatchNode, NotNode, ConflictSetNode)
    assert not [node for node in matcher._nodes() if type(node) in stock_kinds]


def test_golden_and_generated_intakes_give_the_same_result_as_experta(stock_engine, monkeypatch):
    intakes = [json.loads(path.read_text(encoding="utf-8"))["intake"] for path in case_files()]
    rng = random.Random(20261203)
    intakes += [generated_intake(rng) for _ in range(400)]
    intakes = [intake for intake in intakes if not validate(intake)]
    assert len(intakes) > 600
    fast = [evaluate(intake).to_json() for intake in intakes]
    assert [evaluate_on(stock_engine, intake, monkeypatch) for intake in intakes] == fast


@settings(max_examples=150, deadline=None)
@given(intake=valid_intakes())
def test_drawn_intakes_give_the_same_result_as_experta(stock_engine, intake):
    with pytest.MonkeyPatch.context() as monkeypatch:
        assert evaluate(intake).to_json() == evaluate_on(stock_engine, intake, monkeypatch)


# A small engine that uses every kind of node and check the fast matcher changes:
# literal and type look-ups (named and positional fields), predicates, bindings across facts,
# NOT, TEST, and retraction.
class Item(Fact):
    pass


class Tag(Fact):
    pass


class Toy(KnowledgeEngine):
    def __init__(self):
        super().__init__()
        self.fired = []

    @Rule(Item(kind="a", size=MATCH.size), Tag(size=MATCH.size))
    def same_size(self, size):
        self.fired.append(("same_size", size))

    @Rule(Item(kind="b"), NOT(Tag(name="stop")))
    def b_unless_stopped(self):
        self.fired.append(("b_unless_stopped",))

    @Rule(AS.item << Item(kind=L("c") | L("d"), size=P(lambda s: s > 2)))
    def big_c_or_d(self, item):
        self.fired.append(("big_c_or_d", item["size"]))
        if item["size"] > 3:
            self.modify(item, size=1)

    @Rule(Item(size=MATCH.size), TEST(lambda size: size % 2 == 0))
    def even(self, size):
        self.fired.append(("even", size))

    @Rule(Item(kind=~L("a"), size=W()), Tag(name=MATCH.name))
    def not_a_with_tag(self, name):
        self.fired.append(("not_a_with_tag", name))

    @Rule(Item(kind="a", size=1), Tag(size=1), salience=5)
    def literal_pair(self):
        self.fired.append(("literal_pair",))

    @Rule(Tag("first"))
    def first(self):
        self.fired.append(("first",))

    @Rule(Tag("second"), Item(kind="a"))
    def second(self):
        self.fired.append(("second",))

    @Rule(Item(kind="e"))
    def e(self):
        self.fired.append(("e",))
        self.declare(Tag(name="stop"))


class StockToy(Toy):
    __matcher__ = ReteMatcher
    __strategy__ = DepthStrategy


class FastToy(Toy):
    __matcher__ = FastReteMatcher
    __strategy__ = FastDepthStrategy


FACT_SETS = [
    [Item(kind="a", size=1), Tag(size=1), Tag(size=2)],
    [Item(kind="b", size=4), Item(kind="e", size=5)],
    [Item(kind="b", size=3), Tag(name="stop"), Tag(name="go")],
    [Item(kind="c", size=5), Item(kind="d", size=3), Item(kind="d", size=1), Tag(name="x", size=1)],
    [Item(kind=["not", "hashable"], size=2), Item(size=6), Tag(size=6), Item(kind="a", size=6)],
    [Tag("first"), Tag("second"), Tag("third", name="x"), Item(kind="a", size=7)],
    [],
]


@pytest.mark.parametrize("facts", FACT_SETS, ids=range(len(FACT_SETS)))
def test_a_small_engine_fires_the_same_rules_in_the_same_order_with_both_matchers(facts):
    fired = []
    for engine in (StockToy(), FastToy()):
        runs = []
        for _ in range(2):  # the second run shows that reset() leaves nothing behind
            engine.fired = []
            engine.reset()
            engine.declare(*[fact.copy() for fact in facts])
            engine.run()
            runs.append(engine.fired)
        assert runs[0] == runs[1]
        fired.append(runs[0])
    assert fired[0] == fired[1]
    assert fired[0] or not facts
