"""Admin pages: the audit log."""
from flask import render_template, request

from web.audit import ACTIONS
from web.extensions import db
from web.nurse import present, queries
from web.nurse.account import admin_required
from web.nurse.blueprint import bp
from web.nurse.forms import AuditFilterForm

AUDIT_PAGE_SIZE = 100


@bp.route("/admin/audit")
@admin_required
def audit_log():
    """List the audit trail, newest first, filtered by user, action, check-in code and date."""
    form = AuditFilterForm(request.args)
    filters = {}
    if form.validate():
        filters = {"user": (form.user.data or "").strip(), "action": form.action.data or "",
                   "code": queries.normalise_code(form.code.data),
                   "since": present.start_of_day(form.since.data),
                   "until": present.start_of_day(form.until.data, days_later=1)}
    page = queries.page_number(request.args.get("page"))
    pagination = db.paginate(queries.audit_statement(**filters), page=page,
                             per_page=AUDIT_PAGE_SIZE, error_out=False, max_per_page=AUDIT_PAGE_SIZE)
    return render_template("admin/audit.html", form=form, pagination=pagination, actions=ACTIONS,
                           query={key: value for key, value in request.args.items() if key != "page"})
