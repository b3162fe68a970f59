"""The queue, one submission's detail, marking it reviewed, and its printable summary."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import update

from web.audit import record, record_now
from web.extensions import db
from web.models import Submission, utcnow
from web.nurse import ehr, governance, present, queries
from web.nurse.blueprint import bp
from web.nurse.forms import EhrLinkForm, ReviewForm
from web.nurse.terms import term


def queue_filters():
    """Read the queue filter (status, code) from the query string."""
    status = request.args.get("status", "new")
    if status not in queries.STATUSES:
        status = "new"
    return status, queries.normalise_code(request.args.get("code", ""))


@bp.route("/")
@login_required
def queue():
    """List submissions: emergency, then urgent, then oldest first."""
    status, code = queue_filters()
    page = queries.page_number(request.args.get("page"))
    counts, totals = queries.queue_counts()
    pagination = queries.queue_page(status, code, page, current_app.config["QUEUE_PAGE_SIZE"])
    linked = queries.stops_of_submissions([submission.id for submission in pagination.items])
    return render_template("nurse/queue.html", status=status, code=code, counts=counts,
                           totals=totals, pagination=pagination, stops=queries.safety_stops(code),
                           linked_stops=linked)


@bp.route("/submissions/<record_id:submission_id>")
@login_required
def detail(submission_id):
    """Show one submission: the answers, the engine's reasoning, and the review form."""
    submission = db.get_or_404(Submission, submission_id)
    record_now("view", submission=submission)
    return render_detail(submission, ReviewForm())


def render_detail(submission, form):
    """The detail page, with what the current rule base would now conclude differently."""
    return render_submission("nurse/detail.html", submission, form=form,
                             rulebase_notice=governance.submission_notice(submission))


def render_submission(template, submission, **context):
    """Render a page about one submission with its answers and the engine's reasoning."""
    if "ehr" not in context:
        context["ehr"] = ehr.panel(submission)
    return render_template(template, submission=submission,
                           safety_stop=queries.stops_of_submissions([submission.id]).get(submission.id),
                           answers=present.answers(submission.intake, submission.contract),
                           reasoning=present.reasoning(submission.result, submission.lang), **context)


@bp.route("/submissions/<record_id:submission_id>/review", methods=["POST"])
@login_required
def mark_reviewed(submission_id):
    """Mark a new submission reviewed, once; a second nurse is told who was first."""
    submission = db.get_or_404(Submission, submission_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        return render_detail(submission, form), 400
    changed = db.session.execute(
        update(Submission).where(Submission.id == submission.id, Submission.status == "new")
        .values(status="reviewed", reviewed_at=utcnow(), reviewed_by_id=current_user.id,
                review_note=(form.note.data or "").strip() or None)).rowcount
    if changed:
        record("review", submission=submission)
        db.session.commit()
        flash(_("%(code)s marked reviewed.", code=submission.checkin_code))
        return redirect(url_for("nurse.queue"))
    db.session.rollback()
    db.session.refresh(submission)
    flash(_("%(code)s was already reviewed by %(name)s.", code=submission.checkin_code,
            name=submission.reviewed_by.username if submission.reviewed_by else _("someone else")))
    return redirect(url_for("nurse.detail", submission_id=submission.id))


@bp.route("/submissions/<record_id:submission_id>/ehr-link", methods=["POST"])
@login_required
def link_ehr(submission_id):
    """Link the submission to the patient's EHR id (or remove the link), so CDS Hooks cards reach the EHR."""
    submission = db.get_or_404(Submission, submission_id)
    form = EhrLinkForm()
    if not form.validate_on_submit():
        return render_submission("nurse/detail.html", submission, form=ReviewForm(),
                                 ehr=ehr.panel(submission, form)), 400
    patient_id = (form.patient_id.data or "").strip() or None
    if patient_id != submission.ehr_patient_id:
        before = submission.ehr_patient_id
        submission.ehr_patient_id = patient_id
        record("ehr_link", submission=submission,
               detail=f"EHR patient {patient_id}" if patient_id else f"link to EHR patient {before} removed")
        db.session.commit()
    if patient_id:
        flash(_("%(code)s is linked to EHR patient %(id)s.", code=submission.checkin_code, id=patient_id))
    else:
        flash(_("%(code)s is not linked to an EHR patient.", code=submission.checkin_code))
    return redirect(url_for("nurse.detail", submission_id=submission.id))


@bp.route("/submissions/<record_id:submission_id>/print")
@login_required
def print_summary(submission_id):
    """A one-page summary for the paper chart."""
    submission = db.get_or_404(Submission, submission_id)
    record_now("print", submission=submission)
    return render_submission("nurse/print.html", submission, now=utcnow())


@bp.app_template_filter("clinic_time")
def clinic_time_filter(moment, fmt="%Y-%m-%d %H:%M %Z"):
    """Format a stored UTC time in the clinic's time zone."""
    return present.clinic_time(moment).strftime(fmt) if moment else ""


@bp.app_template_filter("waited")
def waited_filter(moment):
    """Say how long ago a time was, in hours and minutes ('2 h 05 min')."""
    minutes = int((utcnow() - present.clinic_time(moment)).total_seconds() // 60)
    if minutes < 60:
        return _("%(m)d min", m=minutes)
    if minutes < 48 * 60:
        return _("%(h)d h %(m)02d min", h=minutes // 60, m=minutes % 60)
    return _("%(d)d days", d=minutes // (24 * 60))


@bp.app_template_filter("clinical_term")
def clinical_term_filter(ident, kind):
    """The nurse's word for an identifier of the given kind."""
    return term(kind, ident)
