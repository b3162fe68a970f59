"""`flask` commands for operators: schema, staff accounts, retention, demo data."""
import getpass
import sys
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import delete, select

from web import demo
from web.audit import record_now
from web.extensions import db
from web.models import CdsCard, CdsFeedback, Draft, SafetyStop, Submission, User, utcnow
from web.nurse.account import hash_password
from web.passwords import password_problem
from web.sessions import purge_expired_sessions

users = AppGroup("users", help="Create and disable staff accounts.")


def register(app):
    """Attach the commands to the app."""
    app.cli.add_command(init_command)
    app.cli.add_command(users)
    app.cli.add_command(purge_command)
    app.cli.add_command(seed_demo_command)


def operator():
    """Name the person at the terminal in the audit log."""
    return f"cli:{getpass.getuser()}"


@click.command("init")
@with_appcontext
def init_command():
    """Create or upgrade the database to the newest schema."""
    from flask_migrate import upgrade

    upgrade()
    click.echo("Database is up to date.")


@users.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(["nurse", "admin"]), default="nurse", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_user(username, role, password_stdin):
    """Create a staff account; the password is asked for twice (or read from stdin)."""
    username = username.strip()
    if db.session.execute(select(User).filter_by(username=username)).scalar_one_or_none():
        raise click.ClickException(f"User {username!r} already exists.")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password, username)
    if problem:
        raise click.ClickException(problem)
    db.session.add(User(username=username, password_hash=hash_password(password), role=role))
    db.session.flush()
    record_now("user_create", username=operator(), detail=f"{role} {username}")
    click.echo(f"Created {role} {username}.")


@users.command("disable")
@click.argument("username")
def disable_user(username):
    """Disable a staff account: it can no longer sign in, and open sessions end."""
    user = db.session.execute(select(User).filter_by(username=username)).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    user.active = False
    record_now("user_disable", username=operator(), detail=username)
    click.echo(f"Disabled {username}.")


@click.command("purge")
@click.option("--older-than", "days", type=click.IntRange(min=1), required=True,
              help="Delete submissions, drafts and safety stops older than this many days.")
@with_appcontext
def purge_command(days):
    """Delete old submissions, drafts, safety stops and expired sessions; the audit log keeps every row."""
    cutoff = utcnow() - timedelta(days=days)
    delete_cds_cards(select(Submission.id).where(Submission.created_at < cutoff))
    stops = db.session.execute(delete(SafetyStop).where(SafetyStop.updated_at < cutoff)).rowcount
    submissions = db.session.execute(delete(Submission).where(Submission.created_at < cutoff)).rowcount
    drafts = db.session.execute(delete(Draft).where(Draft.updated_at < cutoff)).rowcount
    db.session.commit()
    sessions = purge_expired_sessions(current_app.config["SESSION_IDLE_SECONDS"])
    summary = (f"older than {days} days: {submissions} submissions, {drafts} drafts; "
               f"{sessions} expired sessions; {stops} safety stops")
    record_now("purge", username=operator(), detail=summary)
    click.echo(f"Purged {summary}.")


def delete_cds_cards(submission_ids):
    """Delete the CDS Hooks cards (and their feedback) of these submissions.

    PostgreSQL cascades this itself; SQLite does not enforce foreign keys here, and a card's
    summary names the patient's alert or consultation, so it must go with the submission.
    """
    cards = select(CdsCard.uuid).where(CdsCard.submission_id.in_(submission_ids))
    db.session.execute(delete(CdsFeedback).where(CdsFeedback.card_uuid.in_(cards)))
    db.session.execute(delete(CdsCard).where(CdsCard.submission_id.in_(submission_ids)))


@click.command("seed-demo")
@with_appcontext
def seed_demo_command():
    """Add a demo nurse and about 20 demo submissions, once."""
    if demo.demo_exists():
        click.echo("Demo data is already there; nothing to do.")
        return
    password = demo.seed_demo(hash_password)
    click.echo(f"Added {len(demo.DEMO_PATIENTS)} demo submissions.")
    if password:
        click.echo(f"Demo nurse: {demo.DEMO_NURSE}  password: {password}  (shown only this once)")
    else:
        click.echo(f"Demo nurse {demo.DEMO_NURSE!r} already existed; its password is unchanged.")
