"""Safety stops: an emergency answer on the safety questions, shown to the nurse and acknowledged."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import update

from web.audit import record, record_now
from web.extensions import db
from web.models import SafetyStop, utcnow
from web.nurse import present
from web.nurse.blueprint import bp


class AcknowledgeForm(FlaskForm):
    """Acknowledge a safety stop (a button; the form carries the CSRF token)."""


def stop_view(stop):
    """A stop in the nurse's words: each alert with its rules and sources, each red flag with its wording."""
    return {"stop": stop,
            "alerts": [present.alert_item(alert) for alert in stop.alerts],
            "red_flags": [present.answer_item("red_flag", ident) for ident in stop.red_flags]}


@bp.route("/safety-stops/<record_id:stop_id>")
@login_required
def safety_stop(stop_id):
    """Show one safety stop: what the patient answered, the alerts, and the linked submission."""
    stop = db.get_or_404(SafetyStop, stop_id)
    record_now("view_safety_stop", safety_stop=stop, detail=f"safety stop {stop.id}")
    return render_template("nurse/safety_stop.html", view=stop_view(stop), form=AcknowledgeForm())


@bp.route("/safety-stops/<record_id:stop_id>/acknowledge", methods=["POST"])
@login_required
def acknowledge_stop(stop_id):
    """Acknowledge an open safety stop, once; it leaves the top of the queue and stays searchable."""
    stop = db.get_or_404(SafetyStop, stop_id)
    if not AcknowledgeForm().validate_on_submit():
        return redirect(url_for("nurse.safety_stop", stop_id=stop.id))
    changed = db.session.execute(
        update(SafetyStop).where(SafetyStop.id == stop.id, SafetyStop.status == "open")
        .values(status="acknowledged", acknowledged_at=utcnow(), acknowledged_by_id=current_user.id)).rowcount
    if changed:
        record("acknowledge_safety_stop", safety_stop=stop, detail=f"safety stop {stop.id}")
        db.session.commit()
        flash(_("Safety stop %(code)s acknowledged.", code=stop.code))
        return redirect(url_for("nurse.queue"))
    db.session.rollback()
    db.session.refresh(stop)
    flash(_("Safety stop %(code)s was already acknowledged by %(name)s.", code=stop.code,
            name=stop.acknowledged_by.username if stop.acknowledged_by else _("someone else")))
    return redirect(url_for("nurse.safety_stop", stop_id=stop.id))
