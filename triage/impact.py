"""What a rule-base change does to stored results: re-evaluate each intake and compare by id sets.

Pure (no Flask, no database): the `triage impact` command and the web app both feed it
(label, intake, stored result) items and read an ImpactReport back.
"""
import json
import multiprocessing
import sys
from collections import Counter, defaultdict
from functools import lru_cache

from triage import contract as c
from triage.engine import conclude
from triage.result import RULEBASE_VERSION
from triage.validation import InvalidIntake

KINDS = ("alerts", "suggestions", "cautions")
CONTRACTS = ("pain-triage/1", "pain-triage/2")
VERSION_1 = "pain-triage/1"
EXAMPLES = 5
KEPT_V1 = f"version 1 intake with more than {c.MAX_TREATMENTS} treatment rows: not evaluated again"
# Identical intakes give identical results (the engine is deterministic): evaluate each once per process.
REUSE_CACHE = 4096


def suggestion_key(item):
    """Name a suggestion `consultation/variant`, or `consultation` when the variant is null."""
    return _key(item["consultation"], item.get("variant"))


def _key(consultation, variant):
    return consultation + (f"/{variant}" if variant else "")


def conclusions(result):
    """Return {kind: set of ids} of a contract result (version 1 or 2), as a dict or a triage Result."""
    return {"alerts": {item["id"] for item in result["alerts"]},
            "suggestions": {suggestion_key(item) for item in result["suggestions"]},
            "cautions": {item["id"] for item in result["cautions"]}}


def result_problem(result):
    """Return why a stored result cannot be compared, or None when it can."""
    if not isinstance(result, dict):
        return "result is not a JSON object"
    if result.get("contract") not in CONTRACTS:
        return f"result contract {result.get('contract')!r} is not one of {', '.join(CONTRACTS)}"
    for kind in KINDS:
        items = result.get(kind)
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            return f"result has no list of {kind}"
        needed = ("consultation",) if kind == "suggestions" else ("id",)
        if any(not isinstance(item.get(key), str) for item in items for key in needed):
            return f"result {kind} lack their {needed[0]}"
    return None


def difference(stored, current):
    """Return {"gained": {kind: sorted ids}, "lost": {...}} between a stored and a current result."""
    return conclusion_difference(conclusions(stored), conclusions(current))


def conclusion_difference(old, new):
    """Return the gained and lost ids between two {kind: set of ids}."""
    return {"gained": {kind: sorted(new[kind] - old[kind]) for kind in KINDS},
            "lost": {kind: sorted(old[kind] - new[kind]) for kind in KINDS}}


def is_change(diff):
    """Whether a difference gains or loses anything."""
    return any(ids for direction in diff.values() for ids in direction.values())


def concluded(intake):
    """{kind: set of ids} the current rule base concludes for an intake: conclusions(evaluate(intake)), faster.

    engine.conclude runs the same rules but builds no texts; raises InvalidIntake like evaluate.
    """
    ids = conclude(intake)
    return {**ids, "suggestions": {_key(*key) for key in ids["suggestions"]}}


@lru_cache(maxsize=REUSE_CACHE)
def _reused_conclusions(intake_json):
    return concluded(json.loads(intake_json))


def current_conclusions(intake, reuse=True):
    """Evaluate a valid intake with the current rule base; identical intakes are evaluated once per process."""
    if not reuse:
        return concluded(intake)
    try:
        key = json.dumps(intake, sort_keys=True)
    except (TypeError, ValueError):  # not JSON data (e.g. keys that cannot be sorted): let validation say why
        return concluded(intake)
    return _reused_conclusions(key)


def assess(intake, stored, reuse=True):
    """Return ("changed"|"same", difference) or ("skipped", reason) for one stored intake and result."""
    if not isinstance(intake, dict):
        return "skipped", "intake is not a JSON object"
    problem = result_problem(stored)
    if problem:
        return "skipped", problem
    rows = intake.get("treatments")
    if stored["contract"] == VERSION_1 and isinstance(rows, list) and len(rows) > c.MAX_TREATMENTS:
        return "kept", KEPT_V1
    try:  # the engine validates the intake: once, not again here
        current = current_conclusions(intake, reuse)
    except InvalidIntake as invalid:
        first, problems = invalid.problems[0], invalid.problems
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return "skipped", f"invalid intake: {first.path or '(intake)'}: {first.message}{more}"
    diff = conclusion_difference(conclusions(stored), current)
    return ("changed" if is_change(diff) else "same"), diff


def _assess_chunk(chunk):
    """Assess a list of (label, intake, stored, reuse) in a worker; keep the order."""
    return [(label, *assess(intake, stored, reuse)) for label, intake, stored, reuse in chunk]


def _chunks(items, size, reuse):
    chunk = []
    for label, intake, stored in items:
        chunk.append((label, intake, stored, reuse))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def assess_all(items, workers=1, chunk_size=500, reuse=True):
    """Yield (label, outcome, detail) for (label, intake, stored) items, in order, on `workers` processes."""
    if workers <= 1:
        for label, intake, stored in items:
            yield (label, *assess(intake, stored, reuse))
        return
    # fork keeps start-up cheap on Linux; each worker builds its own engine on first use.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers) as pool:
        for outcomes in pool.imap(_assess_chunk, _chunks(items, chunk_size, reuse)):
            yield from outcomes


class ImpactReport:
    """Counts of gained and lost alerts, suggestions and cautions, with example labels."""

    def __init__(self, rulebase=RULEBASE_VERSION):
        self.rulebase = rulebase
        self.total = 0
        self.changed = 0
        self.counts = {direction: {kind: Counter() for kind in KINDS} for direction in ("gained", "lost")}
        self.examples = defaultdict(list)
        self.not_compared = []
        self.kept = []

    def add(self, label, outcome, detail):
        """Count one assessed item."""
        if outcome == "skipped":
            self.not_compared.append((label, detail))
            return
        if outcome == "kept":
            self.kept.append(label)
            return
        self.total += 1
        if outcome != "changed":
            return
        self.changed += 1
        for direction, kinds in detail.items():
            for kind, ids in kinds.items():
                for ident in ids:
                    self.counts[direction][kind][ident] += 1
                    examples = self.examples[(direction, kind, ident)]
                    if len(examples) < EXAMPLES:
                        examples.append(label)

    def extend(self, assessed):
        """Count every (label, outcome, detail); return self."""
        for item in assessed:
            self.add(*item)
        return self

    def to_dict(self):
        """Return the report in the shape of `triage impact --format json`."""
        counts = {direction: {kind: dict(sorted(self.counts[direction][kind].items())) for kind in KINDS}
                  for direction in ("gained", "lost")}
        return {"rulebase": self.rulebase, "total": self.total, "changed": self.changed, **counts}

    def rows(self):
        """Yield (direction, kind, id, count, examples), gained then lost, by kind and id."""
        for direction in ("gained", "lost"):
            for kind in KINDS:
                for ident, count in sorted(self.counts[direction][kind].items()):
                    yield direction, kind, ident, count, self.examples[(direction, kind, ident)]

    @classmethod
    def from_dict(cls, data, examples=None, not_compared=(), kept=()):
        """Rebuild a report from to_dict() plus its examples {(direction, kind, id): labels}."""
        report = cls(data["rulebase"])
        report.total, report.changed = data["total"], data["changed"]
        for direction in ("gained", "lost"):
            for kind in KINDS:
                report.counts[direction][kind].update(data[direction][kind])
        report.examples.update(examples or {})
        report.not_compared, report.kept = [tuple(item) for item in not_compared], list(kept)
        return report


NOUNS = {"alerts": "Alerts", "suggestions": "Suggestions", "cautions": "Cautions"}


def markdown(report, source, label_name="line"):
    """Return the report as Markdown, with up to five example labels per change."""
    lines = [f"# Impact of rule base {report.rulebase} on {source}", "",
             f"- Compared: {report.total}", f"- Would now conclude differently: {report.changed}",
             f"- Not evaluated again ({KEPT_V1.split(':')[0]}): {len(report.kept)}",
             f"- Not compared (invalid): {len(report.not_compared)}", ""]
    for direction in ("gained", "lost"):
        lines += [f"## {direction.capitalize()}", ""]
        for kind in KINDS:
            rows = [(ident, count, report.examples[(direction, kind, ident)])
                    for ident, count in sorted(report.counts[direction][kind].items())]
            lines += [f"### {NOUNS[kind]} {direction}", ""]
            if not rows:
                lines += ["None.", ""]
                continue
            lines += [f"| id | intakes | example {label_name}s |", "|---|---:|---|"]
            lines += [f"| `{ident}` | {count} | {', '.join(str(label) for label in examples)} |"
                      for ident, count, examples in rows]
            lines.append("")
    if report.kept:
        lines += ["## Not evaluated again", "", f"Version 1 intakes with more than {c.MAX_TREATMENTS} treatment "
                  f"rows keep their version 1 result ({label_name}s): "
                  + ", ".join(str(label) for label in report.kept), ""]
    if report.not_compared:
        lines += ["## Not compared", ""]
        lines += [f"- {label_name} {label}: {reason}" for label, reason in report.not_compared]
        lines.append("")
    return "\n".join(lines)


def write(report, fmt, source, label_name="line", out=None, err=None):
    """Print the report as `triage impact` does: Markdown, or JSON with what was not compared on stderr."""
    out, err = out or sys.stdout, err or sys.stderr
    if fmt != "json":
        out.write(markdown(report, source, label_name))
        return
    for label, reason in report.not_compared:
        print(f"{label_name} {label}: {reason}", file=err)
    for label in report.kept:
        print(f"{label_name} {label}: {KEPT_V1}", file=err)
    out.write(json.dumps(report.to_dict(), indent=2) + "\n")
