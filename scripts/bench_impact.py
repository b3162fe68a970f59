"""Measure `flask --app web impact`: re-evaluate many stored submissions on every core.

    python scripts/bench_impact.py [--count 100000] [--workers 2] [--same-intakes] [--database-url URL] [--keep]

Seeds COUNT submissions into a temporary SQLite database (scripts/seed_load.py's seeding,
scaled up), then times web.impact.stored_impact, the code path `flask impact` runs: each
worker process reads its own ranges of rows through its own connection and evaluates them
with its own rule engine. Every seeded intake is a varied copy of a demo intake (age, pain
scores, duration, relief), so nearly every one is distinct and the per-process reuse of
identical intakes saves almost nothing; its stored result is the demo intake's, standing in
for what an older rule base said. With --same-intakes the 20 demo intakes are stored unchanged,
as seed_load.py does: then each worker evaluates each distinct intake once and the run measures
reading and comparing. Prints the elapsed time, the rate and the load average.
"""
import argparse
import copy
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

from flask_migrate import upgrade

from seed_load import app_for, seed
from triage import validate
from web import impact
from web.extensions import db

TARGET_SECONDS = 60


def vary(intake, rng):
    """Return a valid copy of a demo intake with other ages, scores, durations and reliefs."""
    changed = copy.deepcopy(intake)
    changed["age"] = rng.randint(18, 95)
    changed["duration_weeks"] = rng.randint(0, 260)
    for key in ("pain_average", "interference_enjoyment", "interference_activity"):
        changed[key] = rng.randint(0, 10)
    for row in changed["treatments"]:
        row["relief_percent"] = rng.randrange(0, 101, 5)
        row["weeks"] = rng.randint(0, 24)
    return changed if not validate(changed) else copy.deepcopy(intake)


def measure(count, workers, database_url, seed_number, same_intakes=False):
    """Seed, then time the parallel impact run; return what to print."""
    import random

    app = app_for(database_url)
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        stored = seed(count, random.Random(seed_number), None if same_intakes else vary)
        seeded_in = time.perf_counter() - started
        load_before = os.getloadavg()
        cpu_before = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
        started = time.perf_counter()
        report = impact.stored_impact(workers=workers)
        elapsed = time.perf_counter() - started
        load_after = os.getloadavg()
        cpu = [_cpu(resource.getrusage(who)) - _cpu(before)
               for who, before in zip((resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN), cpu_before)]
        db.session.remove()
        db.engine.dispose()
    return {"stored": stored, "seeded_in": seeded_in, "elapsed": elapsed, "report": report,
            "load_before": load_before, "load_after": load_after, "parent_cpu": cpu[0], "workers_cpu": cpu[1]}


def _cpu(usage):
    return usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=impact.default_workers())
    parser.add_argument("--database-url", help="an empty database to seed (default: a temporary SQLite file)")
    parser.add_argument("--seed", type=int, default=4, help="random seed, for repeatable data")
    parser.add_argument("--same-intakes", action="store_true", help="store the demo intakes unchanged")
    parser.add_argument("--keep", action="store_true", help="keep the temporary SQLite database")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pain-triage-impact-"))
    url = args.database_url or f"sqlite:///{folder / 'impact.sqlite3'}"
    try:
        run = measure(args.count, args.workers, url, args.seed, args.same_intakes)
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report = run["report"]
    print(f"seeded {run['stored']} submissions in {run['seeded_in']:.1f} s")
    print(f"re-evaluated {report.total} ({report.changed} would conclude differently, "
          f"{len(report.not_compared)} not compared, {len(report.kept)} kept) "
          f"on {args.workers} workers in {run['elapsed']:.1f} s: {report.total / run['elapsed']:.0f} per second")
    print("load average before: {:.2f} {:.2f} {:.2f}; after: {:.2f} {:.2f} {:.2f}".format(
        *run["load_before"], *run["load_after"]))
    # On a shared machine the wall time includes waiting for the cores; the CPU time does not.
    idle_estimate = max(run["workers_cpu"] / args.workers, run["parent_cpu"])
    print(f"CPU: workers {run['workers_cpu']:.1f} s in all, parent {run['parent_cpu']:.1f} s; on {args.workers} "
          f"otherwise idle cores about {idle_estimate:.1f} s")
    per_100k = run["elapsed"] * 100_000 / max(report.total, 1)
    verdict = "within" if per_100k <= TARGET_SECONDS else "over"
    print(f"100,000 at this rate: {per_100k:.1f} s ({verdict} the {TARGET_SECONDS} s target)")


if __name__ == "__main__":
    main()
