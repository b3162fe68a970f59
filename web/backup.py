"""`flask backup` and `flask restore`: a consistent copy of the embedded SQLite database.

SQLite's online backup API copies the database page by page under its own locks, so a
backup taken while patients submit is a consistent snapshot. PostgreSQL has its own
tools (`pg_dump`, see the README).
"""
import os
import sqlite3
from pathlib import Path

import click
from flask.cli import with_appcontext

from web.audit import record_now
from web.commands import operator
from web.extensions import db

# A file we restore from must at least hold these tables.
NEEDED_TABLES = {"alembic_version", "audit_event", "submission", "staff_user"}


def register(app):
    """Attach the commands to the app."""
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)


def _sqlite_engine():
    engine = db.engine
    if engine.dialect.name != "sqlite":
        raise click.ClickException("This database is not SQLite: on PostgreSQL use pg_dump and "
                                   "pg_restore (see the README).")
    return engine


def _check_copy(path):
    """Refuse a file that is not a whole, readable copy of this app's database."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {name for (name,) in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            submissions = copy.execute("SELECT count(*) FROM submission").fetchone()[0] \
                if "submission" in tables else 0
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} is not a readable SQLite database: {error}") from None
    if integrity != "ok" or not NEEDED_TABLES <= tables:
        raise click.ClickException(f"{path} is not a whole Pain Triage database backup.")
    return submissions


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path):
    """Copy the SQLite database to PATH (a new file, readable only by you) while the app runs."""
    engine = _sqlite_engine()
    # Health data: the copy is created private, and never over an existing file.
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        raise click.ClickException(f"{path} already exists; choose a new file name.") from None
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            raw.driver_connection.backup(target)
        target.close()
    finally:
        raw.close()
    submissions = _check_copy(path)
    record_now("backup", username=operator(), detail=f"{submissions} submissions to {path.name}")
    click.echo(f"Backed up {submissions} submissions to {path}.")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@with_appcontext
def restore_command(path, yes):
    """Replace the whole SQLite database with a backup made by `flask backup` (stop the app first)."""
    engine = _sqlite_engine()
    submissions = _check_copy(path)
    if not yes:
        click.confirm(f"Replace every row of the database with the {submissions} submissions of {path}?",
                      abort=True)
    db.session.remove()
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as source:
            source.backup(raw.driver_connection)
        source.close()
    finally:
        raw.close()
    engine.dispose()
    from flask_migrate import upgrade

    upgrade()  # a backup from an older release gets this release's schema
    record_now("restore", username=operator(), detail=f"{submissions} submissions from {path.name}")
    click.echo(f"Restored {submissions} submissions from {path}.")
