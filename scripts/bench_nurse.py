"""Median server time of the nurse queue and detail pages, with the test client.

    python scripts/seed_load.py && python scripts/bench_nurse.py
    python tests/pgcluster.py sh -c "python scripts/seed_load.py && python scripts/bench_nurse.py"

The first measures SQLite (a file in the temp folder), the second a throwaway
PostgreSQL 15 (DATABASE_URL). Requests run in-process, so the time is the
app's: routing, queries, templates, the session and audit writes.
"""
import argparse
import re
import statistics
import time

from sqlalchemy import func, select

from seed_load import app_for
from web.extensions import db
from web.models import Submission, User
from web.nurse.account import hash_password

BENCH_USER = "bench-nurse"
BENCH_PASSWORD = "bench-password-not-secret"


def signed_in_client(app):
    """A test client signed in through the real form, CSRF token included."""
    with app.app_context():
        if db.session.execute(select(User).filter_by(username=BENCH_USER)).scalar_one_or_none() is None:
            db.session.add(User(username=BENCH_USER, password_hash=hash_password(BENCH_PASSWORD)))
            db.session.commit()
    client = app.test_client()
    page = client.get("/nurse/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/nurse/login", data={"csrf_token": token, "username": BENCH_USER,
                                                 "password": BENCH_PASSWORD})
    assert response.status_code == 302, "sign-in failed"
    return client


def timed(client, urls):
    """Return each request's time in milliseconds (every response must be 200)."""
    times = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return times


def detail_urls(app, count):
    """Detail pages of the top of the queue and of older submissions, spread evenly."""
    with app.app_context():
        ids = db.session.execute(select(Submission.id).order_by(Submission.id)).scalars().all()
    step = max(1, len(ids) // count)
    return [f"/nurse/submissions/{ids[i]}" for i in range(0, step * count, step)][:count]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app = app_for(args.database_url)
    with app.app_context():
        total = db.session.execute(select(func.count()).select_from(Submission)).scalar_one()
        dialect = db.engine.dialect.name
    client = signed_in_client(app)
    pages = {
        "queue (new, page 1)": ["/nurse/"] * args.requests,
        "queue (all, page 100)": ["/nurse/?status=all&page=100"] * args.requests,
        "detail": detail_urls(app, args.requests),
    }
    print(f"{dialect}, {total} submissions, {args.requests} requests per page")
    for name, urls in pages.items():
        timed(client, urls[:5])  # warm up templates and the connection pool
        times = timed(client, urls)
        print(f"  {name:24} median {statistics.median(times):6.1f} ms   "
              f"p90 {statistics.quantiles(times, n=10)[-1]:6.1f} ms")


if __name__ == "__main__":
    main()
