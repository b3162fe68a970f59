"""experta's Rete matcher and agenda: the same network, matches and firing order, at a fraction of the cost.

experta builds the network (`ReteMatcher.build_network`, unchanged); this subclass only
changes how tokens travel through it. Each of these keeps every match as it was:

- A stock node copies every token it receives before testing it, whether or not the test
  passes (about 200 copies per evaluation). Here no node ever changes a token it receives,
  so a token is passed on as it is, and a new one is made only where a node adds to the
  context (a binding) or joins two tokens. Nodes of a kind this module does not know keep
  experta's methods, and copy for themselves, so mixing them is safe.
- Alpha tests are compiled once: the field path of a feature check is split once, not on
  every fact, and a plain equality test is inlined.
- A fact goes only to the alpha children that can match it: the children that test the
  fact's type, or a literal value of one field, are looked up by type or value
  (`_Dispatch`), in the order experta would have tried them.
- `changes()` collects activations only from the conflict-set nodes a token reached since
  the last call, in experta's order, instead of asking all of them (73 today) every time.
- `reset()` wipes the memory of each node used since the last reset, once, instead of
  walking the network's shared paths again and again through every node.
- The agenda (`FastDepthStrategy`) orders activations by experta's DepthStrategy key,
  computed directly: experta caches it per activation, and finding an activation in that
  cache hashes and compares its rule, facts and bindings, which costs more than the key.
- The nodes here do not call experta's MATCH and MATCHER watchers (debug loggers, off
  unless `watch()` is called); predicate and TEST checks still log as before, and the
  engine's other watchers are untouched.

tests/test_matcher.py evaluates the golden cases, generated and drawn intakes with these
and with experta's own matcher and strategy, and requires identical results; a small engine
using every kind of node must fire the same rules in the same order.
"""
from collections.abc import Mapping
from contextlib import suppress

from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.check import FactCapture, FeatureCheck, TypeCheck
from experta.matchers.rete.mixins import ChildNode, NoMemory
from experta.matchers.rete.nodes import (BusNode, ConflictSetNode, FeatureTesterNode, NotNode, OrdinaryMatchNode,
                                         WhereNode)
from experta.matchers.rete.token import Token, TokenInfo
from experta.strategies import DepthStrategy

VALID = Token.TagType.VALID
INVALID = Token.TagType.INVALID
_new_tuple = tuple.__new__


def _token(tag, data, context):
    """A Token without experta's type assertions (every caller here passes a tag, a set and a dict)."""
    return _new_tuple(Token, (tag, data, context))


def _info(token):
    """Token.to_info without the namedtuple round trip."""
    return _new_tuple(TokenInfo, (frozenset(token.data), frozenset(token.context.items())))


def compile_check(check):
    """Return a one-argument function that tests a fact exactly as the alpha `check` does, without logging."""
    if isinstance(check, TypeCheck):
        fact_type = check.fact_type
        return lambda fact: type(fact) == fact_type  # noqa: E721  (experta's own comparison)
    if isinstance(check, FactCapture):
        bind = check.bind
        return lambda fact: {bind: fact}
    if not isinstance(check, FeatureCheck):
        return check
    function, expected = check.check, check.expected
    path = _path(check.what)
    if path is None:
        return lambda fact: function(fact, expected)
    literal = _plain_literal(check)
    if len(path) == 1:
        key = path[0]
        if literal is not _NOT_LITERAL:
            def test(fact):
                try:
                    record = fact[key]
                except (IndexError, KeyError, TypeError):
                    return False
                return literal == record
        else:
            def test(fact):
                try:
                    record = fact[key]
                except (IndexError, KeyError, TypeError):
                    return False
                return function(record, expected)
        return test

    def test_path(fact):
        record = fact
        try:
            for part in path:
                record = record[part]
        except (IndexError, KeyError, TypeError):
            return False
        return function(record, expected)

    return test_path


_NOT_LITERAL = object()


def _plain_literal(check):
    """The value a feature check compares with `==` and binds nothing, else _NOT_LITERAL."""
    if isinstance(check, FeatureCheck) and check.check.__name__ == "equal_literal" and check.expected.__bind__ is None:
        return check.expected.value
    return _NOT_LITERAL


def _path(what):
    """The keys FeatureCheck follows into a fact for `what`, or None when it tests the whole fact."""
    if not isinstance(what, str):
        return (what,)
    if what.startswith("__") or what.endswith("__"):
        return None
    return tuple(int(part) if part.isnumeric() else part for part in what.split("__"))


def _field_key(check):
    """The one key a check reads from the fact (None when it reads a nested path or the whole fact)."""
    path = _path(check.what)
    return path[0] if path is not None and len(path) == 1 else None


class _Dispatch:
    """Route a fact to the alpha children that can match it, in the children's order.

    Children that test the fact's type, or one field against a literal (the field most of
    them test), are looked up by that type or value; every other child is always tried.
    A lookup that fails (an unhashable value) tries every child. The look-up only leaves out
    children whose test would fail (values keep Python's rule that equal values hash
    equal); the children it returns still run their own test.
    """

    def __init__(self, children):
        self.children = children
        self.by_type, self.field, self.by_value = None, None, None
        self.always = children
        types = [c for c in children if isinstance(c.node, FastFeatureTesterNode)
                 and isinstance(c.node.matcher, TypeCheck)]
        literals = [c for c in children if isinstance(c.node, FastFeatureTesterNode)
                    and _plain_literal(c.node.matcher) is not _NOT_LITERAL]
        if len(types) > 1:
            self.by_type = self._table(children, types, lambda c: c.node.matcher.fact_type)
            self.always = [c for c in children if c not in types]
        elif literals:
            # Look up by the field most children test; the others are tried one by one.
            fields = {}
            for child in literals:
                key = _field_key(child.node.matcher)
                if key is not None:
                    fields.setdefault(key, []).append(child)
            keyed = max(fields.values(), key=len, default=())
            if len(keyed) > 1:
                self.field = _field_key(keyed[0].node.matcher)
                self.by_value = self._table(children, keyed, lambda c: c.node.matcher.expected.value)
                self.always = [c for c in children if c not in keyed]

    @staticmethod
    def _table(children, keyed, key_of):
        keys = {}
        for child in keyed:
            keys.setdefault(key_of(child), None)
        return {key: [c for c in children if c not in keyed or key_of(c) == key] for key in keys}

    def targets(self, fact):
        """The children to try for `fact` (routed ones will match their type or literal)."""
        if self.by_type is not None:
            return self.by_type.get(type(fact), self.always)
        if self.by_value is not None:
            try:
                value = fact[self.field]
            except (IndexError, KeyError, TypeError):
                return self.always
            try:
                return self.by_value.get(value, self.always)
            except TypeError:
                return self.children
        return self.children


class FastBusNode(BusNode):
    """Sends each added or removed fact to the alpha children that can match it."""

    def add(self, fact):
        token = _token(VALID, {fact}, {})
        for child in self.dispatch.targets(fact):
            child.callback(token)

    def remove(self, fact):
        token = _token(INVALID, {fact}, {})
        for child in self.dispatch.targets(fact):
            child.callback(token)


class FastFeatureTesterNode(FeatureTesterNode):
    """An alpha test that copies a token only when it adds a binding to it."""

    def activate(self, token):
        data = token.data
        if len(data) != 1:
            raise ValueError("an alpha node receives one fact")
        for fact in data:
            break
        match = self.test(fact)
        if not match:
            return
        if match is not True and isinstance(match, Mapping):
            context = token.context
            for key, value in match.items():
                if isinstance(key, tuple):  # Negated condition
                    if key[1] in context and context[key[1]] == value:
                        return
                else:
                    if context.get(key, value) != value:
                        return
                    if (False, key) in context and context[(False, key)] == value:
                        return
            context = dict(context)
            context.update(match)
            token = _token(token.tag, data, context)
        for child in self.dispatch.targets(fact):
            child.callback(token)


class FastWhereNode(WhereNode):
    """A TEST node that passes the token on unchanged."""

    def activate(self, token):
        if self.matcher(token.context):
            for child in self.children:
                child.callback(token)


class _Remembers:
    """A node with memory that joins the matcher's list of nodes to wipe, once per reset."""

    used = None  # the matcher's list of nodes whose memory reset() must wipe
    dirty = False

    def _used(self):
        self.dirty = True
        self.used.append(self)


class FastOrdinaryMatchNode(_Remembers, OrdinaryMatchNode):
    """A join that builds only the joined tokens."""

    def activate_left(self, token):
        self._join(token, self.left_memory, self.right_memory, True)

    def activate_right(self, token):
        self._join(token, self.right_memory, self.left_memory, False)

    def _join(self, token, branch_memory, matching_memory, is_left):
        if not self.dirty:
            self._used()
        if token.tag is VALID:
            branch_memory.append(_info(token))
        else:
            with suppress(ValueError):
                branch_memory.remove(_info(token))
        context = token.context
        for other_data, other_context in matching_memory:
            other_context = dict(other_context)
            if is_left:
                match = self.matcher(context, other_context)
            else:
                match = self.matcher(other_context, context)
            if match:
                newcontext = {k: v for k, v in context.items() if isinstance(k, str)}
                for k, v in other_context.items():
                    if not isinstance(k, tuple):
                        newcontext[k] = v
                newtoken = _token(token.tag, token.data | other_data, newcontext)
                for child in self.children:
                    child.callback(newtoken)


class FastNotNode(_Remembers, NotNode):
    """experta's NOT node, without the copy on entry (it never changes the token)."""

    def activate_left(self, token):
        if not self.dirty:
            self._used()
        return self._activate_left(token)

    def activate_right(self, token):
        if not self.dirty:
            self._used()
        return self._activate_right(token)


class FastConflictSetNode(_Remembers, ConflictSetNode):
    """experta's conflict-set node that tells the matcher it has news."""

    pending = None
    flagged = False

    def activate(self, token):
        if not self.dirty:
            self._used()
        self._activate(token)
        if not self.flagged:
            self.flagged = True
            self.pending.append(self)


_FAST = {BusNode: FastBusNode, FeatureTesterNode: FastFeatureTesterNode, WhereNode: FastWhereNode,
         OrdinaryMatchNode: FastOrdinaryMatchNode, NotNode: FastNotNode, ConflictSetNode: FastConflictSetNode}


class FastReteMatcher(ReteMatcher):
    """experta's Rete network, travelled faster (see the module docstring)."""

    def build_network(self):
        super().build_network()
        nodes = self._nodes()
        for node in nodes:
            fast = _FAST.get(type(node))
            if fast is not None:
                node.__class__ = fast
        self._pending, self._used = [], []
        for node in nodes:
            # The callbacks were bound before the class changed: bind them again.
            node.children = [ChildNode(child.node, getattr(child.node, child.callback.__name__))
                             for child in node.children]
            if isinstance(node, FastFeatureTesterNode):
                node.test = compile_check(node.matcher)
            if isinstance(node, FastConflictSetNode):
                node.pending = self._pending
            if isinstance(node, _Remembers):
                node.used = self._used
        for node in nodes:
            if isinstance(node, (FastBusNode, FastFeatureTesterNode)):
                node.dispatch = _Dispatch(node.children)
        # Only join, NOT and conflict-set nodes keep memory (the others' _reset does nothing);
        # the fast ones say when they have been used, nodes of other kinds are always wiped.
        self._other_memories = [node for node in nodes if type(node)._reset is not NoMemory._reset
                                and not isinstance(node, _Remembers)]
        stock_order = ReteMatcher._get_conflict_set_nodes(self)
        self._csn_order = {node: index for index, node in enumerate(stock_order)}

    def _nodes(self):
        """Every node of the network once, parents before children (depth first, like experta)."""
        found, seen = [], set()

        def walk(node):
            if id(node) in seen:
                return
            seen.add(id(node))
            found.append(node)
            for child in node.children:
                walk(child.node)

        walk(self.root_node)
        return found

    def changes(self, adding=None, deleting=None):
        """Pass the changes to the network; return the activations added and removed, in experta's order."""
        if deleting is not None:
            for deleted in deleting:
                self.root_node.remove(deleted)
        if adding is not None:
            for added in adding:
                self.root_node.add(added)
        added, removed = [], []
        pending = self._pending
        if len(pending) > 1:
            pending.sort(key=self._csn_order.__getitem__)
        for csn in pending:
            csn.flagged = False
            c_added, c_removed = csn.get_activations()
            added.extend(c_added)
            removed.extend(c_removed)
        pending.clear()
        return added, removed

    def reset(self):
        """Wipe the memory of every node used since the last reset."""
        for node in self._used:
            node.dirty = False
            node._reset()
        self._used.clear()
        for node in self._other_memories:
            node._reset()


class FastDepthStrategy(DepthStrategy):
    """experta's depth strategy, with its sort key computed instead of looked up in a cache."""

    def get_key(self, activation):
        """(salience, the fact ids newest first), as DepthStrategy.get_key."""
        return activation.rule.salience, sorted((fact["__factid__"] for fact in activation.facts), reverse=True)
