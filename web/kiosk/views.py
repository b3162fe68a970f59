"""The kiosk's pages (start, finish) and its guard over every request of a kiosk session.

The questionnaire itself is the patient blueprint's: a kiosk session only changes where it
starts and ends. The guard sends a kiosk session's visits to the home start page and to the
results page to the kiosk's own start and finish screens, so a kiosk never shows results.
"""
from flask import (Blueprint, abort, current_app, make_response, redirect, render_template, request,
                   session, url_for)
from flask_babel import force_locale

from triage.knowledge import LANGUAGES
from web.extensions import db
from web.i18n import safe_return
from web.kiosk.forget import (CLEAR_ALL_BUT_COOKIES, clear_site_data, discard_draft, forget_patient,
                              holds_patient, is_kiosk_session, note_activity, quiet_too_long)
from web.models import Submission
from web.patient.drafts import start_draft
from web.patient.fields import current_language
from web.patient.results import alerts_view

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
DETOURS = {"patient.start": "kiosk.start", "patient.results": "kiosk.finish"}


@bp.before_request
def only_in_kiosk_mode():
    """Hide the kiosk entirely unless the setting is on."""
    if not current_app.config["KIOSK_MODE"]:
        abort(404)


@bp.before_app_request
def guard_kiosk_session():
    """Forget a patient who went quiet, note activity, and keep a kiosk session on kiosk pages."""
    if request.endpoint == "static" or not is_kiosk_session():
        return None
    # "Start over" forgets the patient anyway: when the page's countdown and the server's end
    # together, the patient sees the plain start screen.
    if quiet_too_long() and request.endpoint != "kiosk.reset":
        forget_patient()
        return clear_site_data(redirect(url_for("kiosk.start", expired=1), 303))
    note_activity()
    detour = DETOURS.get(request.endpoint)
    return redirect(url_for(detour)) if detour else None


@bp.app_context_processor
def kiosk_layout():
    """Tell the layout whether to show the kiosk's controls and whether to watch for idleness."""
    kiosk = bool(current_app.config["KIOSK_MODE"]) and (request.blueprint == "kiosk" or is_kiosk_session())
    return {"kiosk_page": kiosk, "kiosk_watch": kiosk and holds_patient()}


@bp.get("")
def start():
    """Welcome the next patient with the language choice."""
    session["kiosk"] = True
    return render_template("kiosk/start.html", expired=request.args.get("expired") == "1")


@bp.post("/start")
def begin():
    """Start a fresh kiosk questionnaire in the chosen language."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    discard_draft()
    session["lang"] = lang
    session["kiosk"] = True
    start_draft()
    return redirect(url_for("patient.question", step="safety"))


@bp.get("/start-over")
def start_over():
    """Ask before forgetting the patient; "No" goes back to the page they were on."""
    back = safe_return(request.args.get("next")) or url_for("patient.start")
    return render_template("kiosk/start_over.html", back=back)


@bp.post("/reset")
def reset():
    """Forget this patient entirely and go back to the start ("Start over" and the idle timer)."""
    forget_patient()
    return clear_site_data(redirect(url_for(".start"), 303))


@bp.post("/still-here")
def still_here():
    """Keep the patient's answers: the guard has already restarted the idle clock."""
    return "", 204


@bp.get("/finish")
def finish():
    """Show the check-in code (and any alert), having already forgotten the patient on this tablet.

    An alert stays on screen until the front desk has seen it (rules.md §2.1: "Show this screen
    to the front desk now"); it shows the alert's words and the code, none of the other answers.
    """
    submission_id = session.get("submission_id")
    submission = db.session.get(Submission, submission_id) if isinstance(submission_id, int) else None
    if submission is None:
        return redirect(url_for(".start"))
    code, lang = submission.checkin_code, current_language()
    view = alerts_view(submission.result, lang)
    forget_patient()
    session["kiosk"] = True
    # In the patient's language, which the new session does not keep for the next patient.
    with force_locale(lang):
        page = make_response(render_template("kiosk/finish.html", code=code, view=view))
    return clear_site_data(page, CLEAR_ALL_BUT_COOKIES)
