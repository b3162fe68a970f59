"""Benchmark the engine: `python -m triage.bench [--generated N] [--cases DIR ...]`.

Evaluates the golden cases and N generated intakes on one thread and prints
median and p95 latency per evaluation, evaluations per second on one core and
the process's peak memory. Numbers are measured, never asserted in tests.
"""
import argparse
import cProfile
import json
import pstats
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from triage import contract as c
from triage import evaluate, validate

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CASE_DIRS = (REPO.parent / "shared" / "spec" / "cases", REPO / "tests" / "golden")


def golden_intakes(folders):
    """Return the valid intakes of every golden-case file in the folders."""
    intakes = []
    for folder in folders:
        for path in sorted(Path(folder).glob("*.json")):
            case = json.loads(path.read_text(encoding="utf-8"))
            if not case["expect"].get("invalid"):
                intakes.append(case["intake"])
    return intakes


def generated_intake(rng):
    """Return one random valid intake, biased toward the patterns the rules look for."""
    intake = {
        "age": rng.randint(18, 95),
        "locations": rng.sample(c.LOCATIONS, rng.randint(1, 4)),
        "duration_weeks": rng.choice((1, 3, 4, 6, 11, 12, 26, 60, 300)),
        "pain_average": rng.randint(0, 10),
        "interference_enjoyment": rng.randint(0, 10),
        "interference_activity": rng.randint(0, 10),
        "symptoms": rng.sample(c.SYMPTOMS, rng.randint(0, 4)),
        "red_flags": rng.sample(c.RED_FLAGS, 1) if rng.random() < 0.15 else [],
        "health": rng.sample(c.HEALTH, rng.randint(0, 3)),
        "treatments": [],
    }
    parents = {c.HEALTH_PARENTS[item] for item in intake["health"] if item in c.HEALTH_PARENTS}
    intake["health"] += sorted(parents - set(intake["health"]))
    takes = {"blood_thinner", "antiplatelet"} & set(intake["health"])
    names = [name for name, parents in c.BLOOD_THINNER_PARENTS.items() if takes & set(parents)]
    if names:
        intake["blood_thinner_names"] = rng.sample(names, rng.randint(1, min(2, len(names))))
    areas = sorted({c.AREA_OF[place] for place in intake["locations"]})
    if len(areas) > 1 and rng.random() < 0.5:
        intake["area_weeks"] = {area: rng.choice((1, 4, 6, 12, 26, 52, 300)) for area in areas}
    for _ in range(rng.randint(0, 5)):
        row = {"type": rng.choice(c.TREATMENT_TYPES), "relief_percent": rng.choice((0, 30, 49, 50, 75, 80, 95)),
               "weeks": rng.choice((0, 3, 4, 6, 12))}
        if rng.random() < 0.6:
            row["weeks_ago"] = rng.choice((1, 2, 3, 11, 12, 25, 26, 51, 52, 100))
        if rng.random() < 0.5:
            row["relief_weeks"] = rng.choice((0, 6, 12, 26, 40))
        if rng.random() < 0.3:
            row["count"] = rng.randint(1, 5)
        if row["type"] in c.REGION_TYPES and rng.random() < 0.5:
            row["region"] = rng.choice(c.REGIONS)
        intake["treatments"].append(row)
    return intake


def measure(intakes, rounds):
    """Evaluate every intake `rounds` times; return per-evaluation seconds."""
    timings = []
    clock = time.perf_counter
    for _ in range(rounds):
        for intake in intakes:
            start = clock()
            evaluate(intake)
            timings.append(clock() - start)
    return timings


def report(label, timings):
    """Print one line of figures for a set of timings."""
    ordered = sorted(timings)
    median = statistics.median(ordered) * 1000
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    rate = len(ordered) / sum(ordered)
    print(f"{label:<22} n={len(ordered):>6}  median {median:5.2f} ms  p95 {p95:5.2f} ms  {rate:7.0f} evaluations/s")


# Where an evaluation spends its time: (label, file suffix, function name) of cProfile entries.
PHASES = (
    ("validate the intake", "triage/validation.py", "validate"),
    ("derive the terms and facts", "triage/engine.py", "case_facts"),
    ("experta: reset", "experta/engine.py", "reset"),
    ("experta: declare the facts", "experta/engine.py", "declare"),
    ("experta: run the agenda", "experta/engine.py", "run"),
    ("assemble the result", "triage/result.py", "build_result"),
)


def profile(intakes):
    """Print each phase's share of the evaluation time (cumulative, so phases may nest)."""
    profiler = cProfile.Profile()
    profiler.runcall(lambda: [evaluate(intake) for intake in intakes])
    stats = pstats.Stats(profiler).stats
    total = sum(entry[3] for (path, _line, name), entry in stats.items()
                if path.endswith("triage/engine.py") and name == "evaluate")
    for label, suffix, function in PHASES:
        spent = sum(entry[3] for (path, _line, name), entry in stats.items()
                    if path.endswith(suffix) and name == function)
        print(f"  {label:<28} {100 * spent / total:5.1f} %")


def main(argv=None):
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m triage.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--generated", type=int, default=3000, help="how many generated intakes (default 3000)")
    parser.add_argument("--rounds", type=int, default=20, help="passes over the golden cases (default 20)")
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--cases", action="append", type=Path, help="folder of golden-case files (repeatable)")
    parser.add_argument("--profile", action="store_true", help="also print each phase's share of the time")
    args = parser.parse_args(argv)
    folders = [f for f in (args.cases or DEFAULT_CASE_DIRS) if f.is_dir()]
    golden = golden_intakes(folders)
    rng = random.Random(args.seed)
    generated = [generated_intake(rng) for _ in range(args.generated)]
    bad = [i for i in generated if validate(i)]
    if bad:
        print(f"generator made {len(bad)} invalid intakes", file=sys.stderr)
        return 1
    start = time.perf_counter()
    evaluate(generated[0])
    print(f"first evaluation (engine build): {(time.perf_counter() - start) * 1000:.1f} ms")
    report(f"golden cases ({len(golden)})", measure(golden, args.rounds))
    report("generated intakes", measure(generated, 1))
    if args.profile:
        print("share of evaluation time (generated intakes, under cProfile):")
        profile(generated)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak memory (max RSS): {peak_kib / 1024:.1f} MiB   Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
