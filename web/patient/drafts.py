"""Drafts: a patient's answers in progress, kept on the server; the session holds only the id.

A draft stores each step's raw choices. The intake is built from the draft alone, and only
from questions that are still shown: when the locations change, answers to questions that are
no longer asked are dropped from the draft.
"""
import secrets
from datetime import timedelta

from flask import after_this_request, current_app, request, session

from web.database import relaxed_durability
from web.extensions import db
from web.models import Draft, utcnow
from web.security import HOST_PREFIX
from web.patient.details import DetailsBase, align_rows, details_form_class, row_questions
from web.patient.fields import current_language
from web.patient.forms import (AboutForm, FeelForm, HealthForm, PainForm, SafetyForm,
                               TriedForm, row_plan)
from web.patient.steps import (NONE, QUESTION_STEPS, STEPS, chosen_areas, relevant_health, relevant_symptoms,
                               step_after, step_before)

FORMS = {"safety": SafetyForm, "about": AboutForm, "pain": PainForm, "feel": FeelForm,
         "tried": TriedForm, "details": DetailsBase, "health": HealthForm}


# Outside a kiosk, the browser also keeps the draft's id in its own cookie (HttpOnly, no
# answers in it), so the saved steps survive the end of a session on the same device. Over
# HTTPS only it carries the `__Host-` prefix, as the session cookie does.
DEVICE_COOKIE = "pt_draft"


def device_cookie():
    """Return the name of this device's draft cookie."""
    return f"{HOST_PREFIX}{DEVICE_COOKIE}" if current_app.config["SESSION_COOKIE_SECURE"] else DEVICE_COOKIE


def load_draft():
    """Return this session's draft (or this device's, outside a kiosk), or None when there is none or it expired."""
    draft_id = session.get("draft_id")
    draft = db.session.get(Draft, draft_id) if isinstance(draft_id, str) else None
    if draft is None and draft_id is None and session.get("kiosk") is not True:
        draft = device_draft()
    if draft is None:
        return None
    idle = timedelta(seconds=current_app.config["DRAFT_IDLE_SECONDS"])
    if draft.updated_at + idle < utcnow():
        db.session.delete(draft)
        db.session.commit()
        session.pop("draft_id", None)
        forget_on_device()
        return None
    if draft_id != draft.id:
        session["draft_id"] = draft.id
    return draft


def device_draft():
    """Return the unfinished draft this device's cookie names, if it is a draft started outside a kiosk."""
    draft_id = request.cookies.get(device_cookie())
    draft = db.session.get(Draft, draft_id) if draft_id and len(draft_id) <= 64 else None
    return draft if draft is not None and not draft.kiosk else None


def remember_on_device(draft):
    """Keep the draft's id in this browser for as long as the draft may live (never on a kiosk)."""
    if draft.kiosk:
        return
    config = current_app.config

    @after_this_request
    def set_cookie(response):
        response.set_cookie(device_cookie(), draft.id, max_age=config["DRAFT_IDLE_SECONDS"], httponly=True,
                            secure=config["SESSION_COOKIE_SECURE"], samesite="Lax")
        return response


def forget_on_device():
    """Remove the draft's id from this browser (finished, discarded or expired)."""
    if device_cookie() not in request.cookies:
        return

    @after_this_request
    def delete_cookie(response):
        response.delete_cookie(device_cookie(), httponly=True, samesite="Lax",
                               secure=current_app.config["SESSION_COOKIE_SECURE"])
        return response


def start_draft():
    """Start a new draft under a fresh session key, keeping only the chosen language and kiosk mode."""
    lang = session.get("lang")
    kiosk = session.get("kiosk") is True
    session.regenerate()
    if lang:
        session["lang"] = lang
    if kiosk:
        session["kiosk"] = True
    draft = Draft(id=secrets.token_urlsafe(32), answers={}, completed_steps=[],
                  lang=current_language(), kiosk=kiosk)
    db.session.add(draft)
    with relaxed_durability():  # an empty draft: lost to a power cut, the patient presses Start again
        db.session.commit()
    session["draft_id"] = draft.id
    remember_on_device(draft)
    return draft


def make_form(step, answers, submitted):
    """Build a step's form from the request (submitted) or from the stored answers."""
    form_class = details_form_class(row_plan(answers)) if step == "details" else FORMS[step]
    if submitted:
        return form_class(answers=answers)
    if step == "details":
        data = form_class.data_from(answers)
    else:
        data = answers.get(step, {})
    return form_class(formdata=None, data=data, answers=answers)


def build_intake(answers):
    """Build the intake from a draft's answers, step by step."""
    intake = {}
    for form_class in FORMS.values():
        intake.update(form_class.part_from(answers))
    return intake


def save_step(draft, step, raw, complete):
    """Store one step's answers, drop answers that are no longer asked, and track completion."""
    before = dict(draft.answers or {})
    answers = dict(before)
    answers[step] = raw
    completed = {name for name in (draft.completed_steps or ()) if name != step}
    if complete:
        completed.add(step)
    if step == "about":
        _drop_hidden(before, answers, completed)
    if step == "tried":
        _align_details(answers, completed)
    draft.answers = answers
    draft.completed_steps = [name for name in QUESTION_STEPS if name in completed]
    draft.updated_at = utcnow()
    with relaxed_durability():  # one step's answers: lost to a power cut, the step is asked again
        db.session.commit()
    remember_on_device(draft)


def _drop_hidden(before, answers, completed):
    """Keep only the answers to questions the new locations still ask."""
    old_places = AboutForm.part_from(before)["locations"]
    new_places = AboutForm.part_from(answers)["locations"]
    for step, key, relevant in (("feel", "symptoms", relevant_symptoms),
                                ("health", "health", relevant_health)):
        shown = set(relevant(new_places))
        chosen = [item for item in answers.get(step, {}).get(key) or () if item in shown or item == NONE]
        answers[step] = {**answers.get(step, {}), key: chosen}
        if shown - set(relevant(old_places)) or not chosen:
            completed.discard(step)
    # One duration question per body area: an area no longer marked loses its answer, a new one is asked.
    old_areas, new_areas = set(chosen_areas(old_places)), set(chosen_areas(new_places))
    pain = {key: value for key, value in answers.get("pain", {}).items()
            if not key.startswith("area_weeks_") or key[len("area_weeks_"):] in new_areas}
    answers["pain"] = pain
    if new_areas - old_areas:
        completed.discard("pain")


def _align_details(answers, completed):
    """Keep the details of the treatments still chosen; the page is done when every row is."""
    plan = row_plan(answers)
    rows = align_rows(plan, answers.get("details", {}).get("rows") or ())
    answers["details"] = {"rows": rows}
    done = all(row.get(key) is not None for row in rows for key in row_questions(row["type"]))
    if done:
        completed.add("details")
    else:
        completed.discard("details")


def first_incomplete(draft):
    """Return the first question step not yet completed, or None when all are."""
    for step in QUESTION_STEPS:
        if step not in (draft.completed_steps or ()):
            return step
    return None


def may_open(draft, step):
    """Tell whether every step before this one has been completed."""
    missing = first_incomplete(draft)
    return missing is None or STEPS.index(missing) >= STEPS.index(step)


def next_step(step, answers):
    """Return the step after this one, skipping the details page when nothing was tried."""
    following = step_after(step)
    if following == "details" and not row_plan(answers):
        following = step_after(following)
    return following


def previous_step(step, answers):
    """Return the step before this one (None before the first), skipping an empty details page."""
    before = step_before(step)
    if before == "details" and not row_plan(answers):
        before = step_before(before)
    return before

