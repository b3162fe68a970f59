"""What the current rule base would conclude differently for the stored submissions.

The comparison is triage.impact's; this module only reads the stored rows. Stored
results are never rewritten: they are what each patient was shown.

In parallel, each worker process reads its own ranges of submission ids through its own
database connection and evaluates them with its own engine: the parent only hands out
ranges and counts the small differences that come back.
"""
import multiprocessing
import os

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import create_engine, func, select

from triage import impact
from web.extensions import db
from web.models import Submission

CHUNK = 500
# The database engine of a worker process, made once by its initializer.
_worker = {}


def default_workers():
    """Use every core this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def id_ranges(latest=None, chunk_size=CHUNK):
    """Return (after, up to) id ranges of at most chunk_size stored submissions, oldest first."""
    query = select(Submission.id).order_by(Submission.id.desc() if latest else Submission.id)
    ids = db.session.execute(query.limit(latest) if latest else query).scalars().all()
    ids.sort()
    return [(ids[start - 1] if start else ids[0] - 1, ids[min(start + chunk_size, len(ids)) - 1])
            for start in range(0, len(ids), chunk_size)]


def _rows(execute, id_range):
    after, up_to = id_range
    return execute(select(Submission.id, Submission.intake, Submission.result)
                   .where(Submission.id > after, Submission.id <= up_to).order_by(Submission.id)).all()


def _assess_rows(rows):
    return [(ident, *impact.assess(intake, result)) for ident, intake, result in rows]


def _start_worker(url, options):
    _worker["engine"] = create_engine(url, **options)


def _assess_range_in_worker(id_range):
    with _worker["engine"].connect() as connection:
        return _assess_rows(_rows(connection.execute, id_range))


def assess_stored(workers=1, latest=None, chunk_size=CHUNK):
    """Yield (submission id, outcome, detail) for every stored submission (or the latest few), by id."""
    ranges = id_ranges(latest, chunk_size)
    if workers <= 1 or len(ranges) <= 1:
        for id_range in ranges:
            yield from _assess_rows(_rows(db.session.execute, id_range))
        return
    options = dict(current_app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
    # fork keeps start-up cheap on Linux; each worker builds its own rule engine on first use.
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker, initargs=(db.engine.url, options)) as pool:
        for outcomes in pool.imap(_assess_range_in_worker, ranges):
            yield from outcomes


def stored_impact(workers=1, latest=None, chunk_size=CHUNK):
    """Return the ImpactReport of the stored submissions, labelled by submission id."""
    return impact.ImpactReport().extend(assess_stored(workers, latest, chunk_size))


def stored_count():
    """How many submissions are stored."""
    return db.session.execute(select(func.count()).select_from(Submission)).scalar_one()


def submission_change(submission):
    """Return ("changed"|"same", difference) or ("kept"|"skipped", reason) for one stored submission."""
    return impact.assess(submission.intake, submission.result)


def register(app):
    """Add the `flask impact` command."""
    app.cli.add_command(impact_command)


@click.command("impact")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--workers", type=click.IntRange(min=1), default=default_workers, show_default="every core",
              help="Processes that evaluate, each with its own rule engine and database connection.")
@with_appcontext
def impact_command(fmt, workers):
    """Compare every stored submission's result with the current rule base (results are not changed)."""
    report = stored_impact(workers=workers)
    impact.write(report, fmt, "the stored submissions", label_name="submission")
