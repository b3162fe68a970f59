"""Admin page for clinical governance: rule base sign-offs, and what the current rule base would change."""
from flask import current_app, render_template
from flask_login import current_user
from sqlalchemy import select

from triage import RULEBASE_VERSION
from triage.impact import KINDS
from web import impact, signoff
from web.audit import record_now
from web.extensions import db
from web.models import Submission
from web.nurse.account import admin_required
from web.nurse.blueprint import bp
from web.nurse.terms import consultation_term, term

# The nouns of a difference, for staff: "gained" alerts are ones the current rule base would add.
KIND_TERMS = {"alerts": "alert", "suggestions": "consultation", "cautions": "caution"}
# The chart: a label column, then bars scaled to the largest count, then the count.
CHART = {"width": 720, "label": 330, "bar": 320, "row": 26, "top": 8}


@bp.context_processor
def rulebase_signoff_flag():
    """Tell signed-in staff whether the running rule base lacks a clinical sign-off."""
    return {"rulebase_unsigned": current_user.is_authenticated and signoff.unsigned(),
            "running_rulebase": RULEBASE_VERSION}


def change_term(kind, ident):
    """The nurse's words for an alert, caution or suggestion key (`consultation/variant`)."""
    if kind == "suggestions":
        consultation, _, variant = ident.partition("/")
        return consultation_term(consultation, variant or None)
    return term(KIND_TERMS[kind], ident)


def change_lines(difference):
    """Return [{direction, kind, id, term}] of a difference, gained first."""
    return [{"direction": direction, "kind": kind, "id": ident, "term": change_term(kind, ident)}
            for direction in ("gained", "lost") for kind in KINDS for ident in difference[direction][kind]]


def submission_notice(submission):
    """Return what the detail page says about re-evaluating a stored submission, or None when nothing changes."""
    outcome, detail = impact.submission_change(submission)
    if outcome == "same":
        return None
    if outcome == "changed":
        return {"outcome": outcome, "lines": change_lines(detail), "rulebase": RULEBASE_VERSION}
    return {"outcome": outcome, "reason": detail, "rulebase": RULEBASE_VERSION}


def chart_rows(report):
    """Return the bars of the impact chart: one per (direction, kind, id), with its geometry and examples."""
    rows = list(report.rows())
    largest = max((count for _, _, _, count, _ in rows), default=1)
    codes = _checkin_codes({label for *_, examples in rows for label in examples})
    return [{"direction": direction, "kind": kind, "id": ident, "count": count,
             "term": change_term(kind, ident), "y": CHART["top"] + index * CHART["row"],
             "width": max(1, round(CHART["bar"] * count / largest)),
             "examples": [(label, codes.get(label, str(label))) for label in examples]}
            for index, (direction, kind, ident, count, examples) in enumerate(rows)]


def _checkin_codes(ids):
    if not ids:
        return {}
    query = select(Submission.id, Submission.checkin_code).where(Submission.id.in_(ids))
    return dict(db.session.execute(query).all())


@bp.route("/admin/rulebase")
@admin_required
def rulebase():
    """Show who signed off which rule base, and what the running one would conclude differently."""
    latest = current_app.config["IMPACT_PAGE_LATEST"]
    report = impact.stored_impact(latest=latest)
    stored = impact.stored_count()
    record_now("impact_report", detail=f"rule base {RULEBASE_VERSION}: {report.total} compared, "
               f"{report.changed} would now conclude differently")
    rows = chart_rows(report)
    return render_template("admin/rulebase.html", report=report, rows=rows, chart=CHART, stored=stored,
                           latest=latest, signoffs=signoff.all_signoffs(), document_sha256=signoff.document_sha256(),
                           chart_height=CHART["top"] * 2 + CHART["row"] * max(len(rows), 1))
