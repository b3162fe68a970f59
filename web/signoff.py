"""Rule base sign-off: who approved which rule base, and a warning when nobody has.

A sign-off names the rule base version and the SHA-256 of its `triage rules` document, so
a rule base edited after approval (same version, other text) counts as unsigned.
"""
import getpass
from functools import cache

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from triage import RULEBASE_VERSION
from triage.report import rules_sha256
from web.audit import record_now
from web.extensions import db
from web.models import RuleBaseSignoff

UNSIGNED_WARNING = ("Rule base {version} (document SHA-256 {sha}) has no clinical sign-off. "
                    "Review `triage rules`, then record the approval with `flask --app web signoff --name ...`.")


@cache
def document_sha256():
    """The SHA-256 of the rule base document this process runs (it cannot change while running)."""
    return rules_sha256()


def current_signoffs():
    """Return the sign-offs of the running rule base version and document, oldest first."""
    query = (select(RuleBaseSignoff).filter_by(rulebase=RULEBASE_VERSION, document_sha256=document_sha256())
             .order_by(RuleBaseSignoff.signed_at, RuleBaseSignoff.id))
    return db.session.execute(query).scalars().all()


def all_signoffs():
    """Return every sign-off, newest first."""
    query = select(RuleBaseSignoff).order_by(RuleBaseSignoff.signed_at.desc(), RuleBaseSignoff.id.desc())
    return db.session.execute(query).scalars().all()


def is_production_start(app, testing):
    """Whether this start serves patients: not a test app and not the debug server (or as configured)."""
    configured = app.config.get("RULEBASE_SIGNOFF_CHECK")
    return configured if configured is not None else not (testing or app.debug)


def check_at_start(app, testing):
    """On a production start, warn in the log and flag staff pages when the rule base is unsigned."""
    app.extensions["rulebase_signoff"] = {"checked": is_production_start(app, testing), "signed": False}
    if not app.extensions["rulebase_signoff"]["checked"]:
        return
    with app.app_context():
        if not unsigned():
            return
    app.logger.warning(UNSIGNED_WARNING.format(version=RULEBASE_VERSION, sha=document_sha256()))


def unsigned():
    """True when this app checks sign-off and the running rule base has none (a signed one stays signed)."""
    state = current_app.extensions.get("rulebase_signoff", {})
    if not state.get("checked") or state.get("signed"):
        return False
    try:
        state["signed"] = bool(current_signoffs())
    except SQLAlchemyError:
        # No table yet (before `flask init`): that is no sign-off either.
        db.session.rollback()
        return True
    return not state["signed"]


def register(app):
    """Add the `flask signoff` command."""
    app.cli.add_command(signoff_command)


@click.command("signoff")
@click.option("--name", required=True, help="The clinician who approves the rule base, as they sign.")
@click.option("--sha256", "expected", help="The SHA-256 of the document they reviewed (`triage rules --sha256`); "
              "refused when the running rule base differs.")
@with_appcontext
def signoff_command(name, expected):
    """Record who approved the running rule base version and its `triage rules` document."""
    name = " ".join(name.split())
    if not name:
        raise click.ClickException("--name must name the person who approves.")
    if len(name) > 120:
        raise click.ClickException("--name is longer than 120 characters.")
    sha = document_sha256()
    if expected is not None and expected.strip().lower() != sha:
        raise click.ClickException(f"The running rule base {RULEBASE_VERSION} has document SHA-256 {sha}, "
                                   f"not {expected.strip()}: review the current `triage rules` document.")
    operator = f"cli:{getpass.getuser()}"
    db.session.add(RuleBaseSignoff(rulebase=RULEBASE_VERSION, document_sha256=sha, approved_by=name,
                                   recorded_by=operator))
    record_now("rulebase_signoff", username=operator, detail=f"{name} approved rule base {RULEBASE_VERSION} "
               f"(sha256 {sha})")
    click.echo(f"Recorded: {name} approved rule base {RULEBASE_VERSION} (document SHA-256 {sha}).")
