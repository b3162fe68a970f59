"""Seed many submissions fast, for the nurse workspace performance measurement.

    python scripts/seed_load.py [--count 10000] [--database-url URL]

The database is DATABASE_URL, else a SQLite file in the temp folder (never the
app's own instance database). The schema is brought up to date first. The demo
intakes are evaluated once each and reused, so 10,000 rows take seconds; the
most recent few hundred stay new, the rest are reviewed, as in a real clinic.
"""
import argparse
import os
import random
import tempfile
from datetime import timedelta
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import func, insert, select

from triage import CONTRACT, RULEBASE_VERSION, evaluate
from web import create_app
from web.demo import DEMO_PATIENTS
from web.models import queue_priority
from web.extensions import db
from web.models import Submission, User, utcnow
from web.nurse.account import hash_password

BATCH = 1000
NEW_SHARE = 0.05
LOAD_NURSE = "load-nurse"
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "pain-triage-bench.sqlite3"


def app_for(database_url=None):
    """Build the app on the benchmark database (see the module docstring)."""
    url = database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-only",
                       "RATELIMIT_ENABLED": False})


def evaluated_intakes():
    """The demo intakes with their results and priorities, evaluated once."""
    rows = []
    for _, _, intake in DEMO_PATIENTS:
        result = evaluate(intake).to_dict()
        rows.append((intake, result, queue_priority(result)))
    return rows


def load_nurse():
    """The (disabled) account the seeded reviews are attributed to."""
    user = db.session.execute(select(User).filter_by(username=LOAD_NURSE)).scalar_one_or_none()
    if user is None:
        user = User(username=LOAD_NURSE, password_hash=hash_password(random.randbytes(16).hex()), active=False)
        db.session.add(user)
        db.session.commit()
    return user.id


def rows(count, start, reviewer_id, rng, vary=None):
    """Yield insert rows: codes L00000.., spread over 90 days, newest ones still new.

    `vary(intake, rng)`, when given, returns a changed copy of each row's demo intake
    (its stored result stays the demo intake's).
    """
    templates = evaluated_intakes()
    now = utcnow()
    ages = sorted((rng.uniform(0, 90 * 24 * 60) for _ in range(count)))
    for number, minutes in enumerate(ages, start=start):
        intake, result, priority = rng.choice(templates)
        intake = vary(intake, rng) if vary else intake
        created = now - timedelta(minutes=minutes)
        reviewed = (number - start) >= count * NEW_SHARE
        yield {"checkin_code": f"L{number:05d}", "created_at": created, "intake": intake, "result": result,
               "contract": CONTRACT, "rulebase": RULEBASE_VERSION, "lang": "en", "priority": priority,
               "status": "reviewed" if reviewed else "new",
               "reviewed_at": created + timedelta(minutes=30) if reviewed else None,
               "reviewed_by_id": reviewer_id if reviewed else None,
               "review_note": "Seeded for load testing." if reviewed else None}


def seed(count, rng, vary=None):
    """Insert `count` submissions in batches; return the table's new row count."""
    start = db.session.execute(select(func.count()).select_from(Submission)).scalar_one()
    batch = []
    for row in rows(count, start, load_nurse(), rng, vary):
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(Submission), batch)
            batch = []
    if batch:
        db.session.execute(insert(Submission), batch)
    db.session.commit()
    return db.session.execute(select(func.count()).select_from(Submission)).scalar_one()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--database-url")
    parser.add_argument("--seed", type=int, default=4, help="random seed, for repeatable data")
    args = parser.parse_args()
    app = app_for(args.database_url)
    with app.app_context():
        upgrade()
        total = seed(args.count, random.Random(args.seed))
        print(f"{db.engine.url.render_as_string(hide_password=True)}: {total} submissions")


if __name__ == "__main__":
    main()
