"""The patient questionnaire's pages: start, one page per step, review, submit, results."""
from flask import (Blueprint, abort, current_app, make_response, redirect, render_template, request, session,
                   url_for)
from flask_wtf.csrf import CSRFError

from triage import InvalidIntake
from triage.knowledge import LANGUAGES, patient_text
from triage.result import patient_view
from web import error_page
from web.extensions import db
from web.i18n import LANGUAGE_NAMES, return_address, safe_return
from web.kiosk.forget import CLEAR_ALL_BUT_COOKIES, clear_site_data, is_kiosk_session
from web.models import Submission, utcnow
from web.patient.drafts import (device_cookie, first_incomplete, forget_on_device, load_draft, make_form, may_open,
                                next_step, previous_step, save_step, start_draft)
from web.patient.fields import current_language
from web.patient.forms import SafetyForm
from web.patient.results import alerts_view, results_view
from web.patient.review import review_sections
from web.patient.safety import (emergency_alerts, first_open_group, group_flags, group_of_flag, record_stop,
                                yes_flags)
from web.patient.steps import (QUESTION_STEPS, SAFETY_GROUPS, SAFETY_PAGES, SHOWN_NUMBER, STEP_COUNT, TITLES,
                               TREATMENT_GROUPS)
from web.patient.submission import DraftGone, SaveFailed, submit_draft

bp = Blueprint("patient", __name__)
STEP_RULE = f"/questions/<any({', '.join(QUESTION_STEPS)}):step>"
# Warn this long before a question page times out (at most half the time it has).
WARNING_SECONDS = 5 * 60


@bp.app_context_processor
def template_helpers():
    """Give every template the page language, the language switch and the step count."""
    return {"current_lang": current_language, "language_names": LANGUAGE_NAMES,
            "language_return": return_address, "step_count": STEP_COUNT}


def step_url(step, group=1, **query):
    """Return the address of a step (the review page included) or of a later safety group."""
    if step == "review":
        return url_for("patient.review", **query)
    if step == "safety" and group > 1:
        return url_for("patient.safety_group", group=group, **query)
    return url_for("patient.question", step=step, **query)


@bp.get("/")
def start():
    """Welcome the patient and offer to start or continue."""
    return render_template("patient/start.html", draft=load_draft())


@bp.post("/start")
def begin():
    """Start a new questionnaire, discarding any unfinished one of this session."""
    old = load_draft()
    if old is not None:
        db.session.delete(old)
        db.session.commit()
    start_draft()
    return redirect(step_url("safety"))


@bp.route(STEP_RULE, methods=("GET", "POST"))
def question(step):
    """Show one step, or store its answers and move on."""
    draft = load_draft()
    if draft is None:
        return session_ended() if request.method == "POST" and had_session() else send_back(url_for(".start"))
    if step == "safety":
        return safety_question(draft, 1)
    if not may_open(draft, step):
        return send_back(step_url(first_incomplete(draft), group=first_open_group(draft.answers or {}) or 1))
    if request.method == "GET":
        return render_step(step, make_form(step, draft.answers or {}, submitted=False))
    # The language switch sends the page's form too: its answers are saved unchecked, never lost.
    lang = request.form.get("lang")
    action = "save" if lang is not None else request.form.get("action")
    if action not in ("next", "back", "save") or (lang is not None and lang not in LANGUAGES):
        abort(400)
    form = make_form(step, draft.answers or {}, submitted=True)
    valid = form.check()
    save_step(draft, step, form.answers(), valid)
    if action == "save":
        if lang is not None:
            choose_language(lang, draft)
        return redirect(request.full_path if request.query_string else request.path)
    if action == "back":
        before = previous_step(step, draft.answers)
        return redirect(step_url(before, group=SAFETY_PAGES) if before else url_for(".start"))
    if not valid:
        return render_step(step, form)
    if request.args.get("from") == "review" and first_incomplete(draft) is None:
        return redirect(step_url("review"))
    return redirect(step_url(next_step(step, draft.answers)))


@bp.route("/questions/safety/<int:group>", methods=("GET", "POST"))
def safety_group(group):
    """Show a later group of safety questions, or store its answers and move on."""
    draft = load_draft()
    if draft is None:
        return session_ended() if request.method == "POST" and had_session() else send_back(url_for(".start"))
    return safety_question(draft, group)


def safety_question(draft, group):
    """One short group of safety questions: an emergency "Yes" goes to the emergency page at once.

    Unanswered questions do not hold it back; the other answers of the group are kept.
    """
    if not 1 <= group <= SAFETY_PAGES:
        abort(404)
    opened = first_open_group(draft.answers or {})
    if opened is not None and group > opened:
        return send_back(step_url("safety", group=opened))
    flags = group_flags(group)
    if request.method == "GET":
        form = SafetyForm(formdata=None, data=(draft.answers or {}).get("safety", {}), group=flags,
                          answers=draft.answers or {})
        return render_safety(group, form)
    # The language switch and "Save my answers" send the page's form too: its answers are kept.
    lang = request.form.get("lang")
    action = "save" if lang is not None else request.form.get("action")
    if action not in ("next", "back", "save") or (lang is not None and lang not in LANGUAGES):
        abort(400)
    form = SafetyForm(answers=draft.answers or {}, group=flags)
    valid = form.check()
    answers = {**(draft.answers or {}).get("safety", {}), **form.other_answers, **form.answers()}
    save_step(draft, "safety", answers, valid and first_open_group({"safety": answers}) is None)
    if action == "save":
        if lang is not None:
            choose_language(lang, draft)
        # An emergency answer is never left waiting on a page, whatever button sent it.
        if emergency_alerts(draft.answers):
            return redirect(url_for(".emergency"))
        return redirect(request.full_path if request.query_string else request.path)
    if action == "back":
        return redirect(step_url("safety", group=group - 1) if group > 1 else url_for(".start"))
    if emergency_alerts(draft.answers):
        return redirect(url_for(".emergency"))
    if not valid:
        return render_safety(group, form)
    query = {"from": "review"} if request.args.get("from") == "review" else {}
    if query and first_incomplete(draft) is None:
        return redirect(step_url("review"))
    later = first_open_group(draft.answers, after=group)
    if later is not None:
        return redirect(step_url("safety", group=later, **query))
    return redirect(step_url(next_step("safety", draft.answers), **query))


def render_safety(group, form):
    """Render one group of safety questions."""
    heading, question, _flags = SAFETY_GROUPS[group - 1]
    return render_step("safety", form, group=group, group_heading=heading, group_question=question,
                       group_count=SAFETY_PAGES)


def send_back(url):
    """Send a page view where the patient belongs; refuse a post out of order (tampered or stale)."""
    if request.method == "POST":
        abort(400)
    return redirect(url)


def render_step(step, form, **context):
    """Render a step's page with its form."""
    return render_template(f"patient/step_{step}.html", form=form, step=step, title=TITLES[step],
                           number=SHOWN_NUMBER[step], treatment_groups=TREATMENT_GROUPS,
                           crisis_line=crisis_line(form.context, step),
                           switch_form="step-form", session_warning=session_warning(load_draft()), **context)


def crisis_line(answers, step):
    """Return the crisis-line words for every page after the safety questions, once thoughts of self-harm were told."""
    if step == "safety" or "self_harm_thoughts" not in yes_flags(answers):
        return None
    return patient_text(current_language())["patient_view"]["crisis_line"]


def session_warning(draft):
    """Return when this page times out (the session's or the draft's limit, whichever is first) and when to warn."""
    config = current_app.config
    draft_left = config["DRAFT_IDLE_SECONDS"] - (utcnow() - draft.updated_at).total_seconds()
    seconds_left = max(0, int(min(config["SESSION_IDLE_SECONDS"], draft_left)))
    return {"seconds_left": seconds_left, "warning_seconds": min(WARNING_SECONDS, seconds_left // 2)}


def session_ended():
    """Say calmly that the session timed out, and what was kept: saved steps on this device, or nothing."""
    draft = load_draft()
    resume = step_url(first_incomplete(draft) or "review") if draft is not None else None
    minutes = current_app.config["SESSION_IDLE_SECONDS"] // 60
    return render_template("patient/session_ended.html", resume=resume, minutes=minutes)


def had_session():
    """Tell whether the browser sent a session key (a page from a session that has since ended)."""
    return current_app.config["SESSION_COOKIE_NAME"] in request.cookies


@bp.errorhandler(CSRFError)
def page_too_old(error):
    """A page sent after its session ended gets the calm timed-out page, not a refusal."""
    sent_from_a_page = (request.endpoint in ("patient.question", "patient.safety_group", "patient.set_language")
                        and "csrf_token" in request.form)
    # Only where this device kept a draft: a form forged from another session stays refused.
    if sent_from_a_page and device_cookie() in request.cookies and "draft_id" not in session:
        return session_ended()
    return error_page(400, reason="csrf")


@bp.get("/questions/review")
def review():
    """List every answer with a link to change it."""
    draft = load_draft()
    if draft is None:
        return redirect(url_for(".start"))
    missing = first_incomplete(draft)
    if missing:
        return redirect(step_url(missing))
    return render_template("patient/review.html", sections=review_sections(draft.answers),
                           step="review", title=TITLES["review"], number=SHOWN_NUMBER["review"],
                           crisis_line=crisis_line(draft.answers, "review"))


@bp.post("/questions/submit")
def submit():
    """Store the finished questionnaire and show the results."""
    draft = load_draft()
    if draft is None:
        if session.get("submission_id"):
            return redirect(url_for(".results"))
        abort(400)
    if first_incomplete(draft) is not None:
        abort(400)
    try:
        submission = submit_draft(draft)
    except InvalidIntake as error:
        current_app.logger.error("A complete draft gave an invalid intake: %s",
                                 [problem.code for problem in error.problems])
        abort(400)
    except SaveFailed:
        return render_template("patient/save_failed.html"), 503
    except DraftGone:
        session.pop("draft_id", None)
        return redirect(url_for(".start"))
    session.pop("draft_id", None)
    forget_on_device()
    session["submission_id"] = submission.id
    if not current_app.session_interface.store_now(session):
        # The submission is stored but this browser cannot be told so later: show the code now.
        return show_code_now(submission)
    return redirect(url_for(".results"))


def show_code_now(submission):
    """Render the check-in code in this response (the kiosk's finish screen on a kiosk)."""
    if is_kiosk_session():
        view = alerts_view(submission.result, current_language())
        page = make_response(render_template("kiosk/finish.html", code=submission.checkin_code, view=view))
        return clear_site_data(page, CLEAR_ALL_BUT_COOKIES)
    return render_template("patient/results.html", view=results_view(submission, current_language()))


@bp.get("/results")
def results():
    """Show this session's own results; there is no id in the address to guess."""
    submission_id = session.get("submission_id")
    submission = db.session.get(Submission, submission_id) if isinstance(submission_id, int) else None
    if submission is None:
        abort(400)
    return render_template("patient/results.html", view=results_view(submission, current_language()))


@bp.get("/emergency")
def emergency():
    """Tell the patient to get emergency help now, before any other question."""
    draft = load_draft()
    alerts = emergency_alerts(draft.answers) if draft is not None else []
    if not alerts:
        abort(400)
    stop = record_stop(draft)
    shown = {"alerts": alerts, "patient_view": patient_view(alerts)}
    mistake = step_url("safety", group=group_of_flag(yes_flags(draft.answers)[0]))
    text = patient_text(current_language())["patient_view"]
    before, _code, after = text["safety_stop_code"].partition("{code}")
    return render_template("patient/emergency.html", view=alerts_view(shown, current_language()),
                           told=text["safety_stop_told"], code_words=(before, after),
                           code=stop.code if stop is not None else None, mistake_url=mistake)


@bp.post("/language")
def set_language():
    """Switch the patient's language and come back to the same page; saved answers stay."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    choose_language(lang, load_draft())
    return redirect(safe_return(request.form.get("next")) or url_for(".start"))


def choose_language(lang, draft):
    """Use this language for the session and its draft."""
    session["lang"] = lang
    if draft is not None:
        draft.lang = lang
        db.session.commit()


@bp.post("/finish")
def finish():
    """Forget this session on this device (the clinic keeps the submission)."""
    lang = session.get("lang")
    session.regenerate()
    forget_on_device()
    if lang:
        session["lang"] = lang
    return redirect(url_for(".start"))
