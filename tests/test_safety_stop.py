"""Safety questions in short groups, the emergency page at once, and the safety stop record.

intake.md, "Safety stop record"; rules.md §2 and §2.1.
"""
import re

import pytest

from conftest import make_app
from test_patient_flow import SCIATICA_AFTER_PHYSIO, STEP_ORDER, post_step
from triage import evaluate
from triage.contract import RED_FLAGS
from web.audit import ACTIONS
from web.extensions import db
from web.models import AuditEvent, SafetyStop, Submission
from web.patient.safety import SAFETY_ONLY, alerts_for_flags
from web.patient.steps import SAFETY_GROUPS

NO = {flag: "no" for flag in RED_FLAGS}
CODE = re.compile(r'class="safety-stop__code">(\w+)<')


def alone_raises_emergency(flag):
    """Ask the engine whether this red flag alone raises an emergency alert."""
    return any(alert["level"] == "emergency" for alert in evaluate(dict(SAFETY_ONLY, red_flags=[flag])).alerts)


def group_url(number):
    return "/questions/safety" if number == 1 else f"/questions/safety/{number}"


def post_group(client, number, answers, action="next", query=""):
    return client.post(group_url(number) + query, data={**answers, "action": action})


def group_answers(number, **yes):
    """The answers of one group: every flag no, except the ones given."""
    return {flag: yes.get(flag, "no") for flag in SAFETY_GROUPS[number - 1][2]}


def stops(app):
    with app.app_context():
        return db.session.execute(db.select(SafetyStop)).scalars().all()


# --- The groups -------------------------------------------------------------------------

def test_every_red_flag_is_asked_once_in_short_groups():
    asked = [flag for _heading, _question, flags in SAFETY_GROUPS for flag in flags]
    assert sorted(asked) == sorted(RED_FLAGS)
    assert max(len(flags) for _heading, _question, flags in SAFETY_GROUPS) <= 4


def test_the_groups_with_emergency_questions_come_first():
    """The engine, not a list kept by hand, says which questions are emergencies."""
    emergency = [any(alone_raises_emergency(flag) for flag in flags) for _h, _q, flags in SAFETY_GROUPS]
    assert emergency == sorted(emergency, reverse=True), emergency
    assert sum(emergency) >= 3


def test_history_questions_are_apart_from_the_questions_about_now():
    heading, question, flags = SAFETY_GROUPS[-1]
    assert set(flags) == {"cancer_history", "major_trauma"} and "now" not in str(question)
    assert all("now" in str(question) for _h, question, flags in SAFETY_GROUPS[:3])


def test_the_safety_only_check_raises_nothing_without_a_red_flag():
    assert evaluate(dict(SAFETY_ONLY, red_flags=[])).alerts == []


# --- An emergency answer goes to the emergency page at once ------------------------------

@pytest.mark.parametrize("flag", [flag for flag in SAFETY_GROUPS[0][2]])
def test_an_emergency_yes_on_the_first_group_goes_to_the_emergency_page_whatever_is_unanswered(app, client, flag):
    client.post("/start")
    response = post_group(client, 1, {flag: "yes"})
    assert response.location == "/emergency"
    page = client.get("/emergency").get_data(as_text=True)
    assert "Choose yes or no" not in page and 'href="tel:911"' in page
    (stop,) = stops(app)
    assert stop.red_flags == [flag] and stop.alerts[0]["level"] == "emergency"


def test_an_emergency_on_a_later_group(client):
    client.post("/start")
    assert post_group(client, 1, group_answers(1)).location == "/questions/safety/2"
    assert post_group(client, 2, {"sudden_severe_headache": "yes"}).location == "/emergency"


def test_two_answers_that_together_are_an_emergency(client):
    """A hot, swollen joint with fever is a septic joint (rules.md §2): both sit in one group."""
    client.post("/start")
    number = next(n for n, (_h, _q, flags) in enumerate(SAFETY_GROUPS, 1) if "joint_hot_swollen" in flags)
    assert "fever_chills" in SAFETY_GROUPS[number - 1][2]
    for earlier in range(1, number):
        post_group(client, earlier, group_answers(earlier))
    response = post_group(client, number, {"joint_hot_swollen": "yes", "fever_chills": "yes"})
    assert response.location == "/emergency"


def test_an_urgent_yes_needs_the_rest_of_its_group_and_then_goes_on(client):
    client.post("/start")
    for number in range(1, 5):
        post_group(client, number, group_answers(number))
    page = post_group(client, 5, {"fever_chills": "yes"}).get_data(as_text=True)
    assert page.count("Choose yes or no") == 2 * (len(SAFETY_GROUPS[4][2]) - 1)  # summary and field
    assert post_group(client, 5, group_answers(5, fever_chills="yes")).location == "/questions/safety/6"


def test_groups_open_in_order_and_back_goes_to_the_group_before(client):
    client.post("/start")
    assert client.get("/questions/safety/3").location == "/questions/safety"
    post_group(client, 1, group_answers(1))
    assert client.get("/questions/safety/2").status_code == 200
    assert client.get(f"/questions/safety/{len(SAFETY_GROUPS) + 1}").status_code == 404
    assert post_group(client, 2, {}, action="back").location == "/questions/safety"
    assert post_group(client, 1, {}, action="back").location == "/"


def test_the_last_group_leads_on_and_about_goes_back_to_it(client):
    client.post("/start")
    for number in range(1, len(SAFETY_GROUPS)):
        post_group(client, number, group_answers(number))
    assert post_group(client, len(SAFETY_GROUPS), group_answers(len(SAFETY_GROUPS))).location == "/questions/about"
    back = post_step(client, "about", SCIATICA_AFTER_PHYSIO["about"], action="back")
    assert back.location == f"/questions/safety/{len(SAFETY_GROUPS)}"


def test_each_page_asks_only_its_group(client):
    client.post("/start")
    page = client.get("/questions/safety").get_data(as_text=True)
    asked = set(re.findall(r'type="radio" id="[\w-]+" name="(\w+)"', page))
    assert asked == set(SAFETY_GROUPS[0][2])
    assert f"part 1 of {len(SAFETY_GROUPS)}" in page


def test_thoughts_of_self_harm_show_the_crisis_line_on_every_later_page(client):
    client.post("/start")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        post_group(client, number, group_answers(number, self_harm_thoughts="yes"))
    box = 'id="crisis-box-title"'
    assert box not in client.get("/questions/safety/4").get_data(as_text=True)
    for step in STEP_ORDER[1:]:
        page = client.get(f"/questions/{step}").get_data(as_text=True)
        assert box in page and 'href="tel:988"' in page and "thoughts of hurting yourself" in page, step
        post_step(client, step, SCIATICA_AFTER_PHYSIO[step])
    assert box in client.get("/questions/review").get_data(as_text=True)


def test_no_crisis_line_without_thoughts_of_self_harm(client):
    client.post("/start")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        post_group(client, number, group_answers(number, fever_chills="yes"))
    assert 'id="crisis-box-title"' not in client.get("/questions/about").get_data(as_text=True)


# --- The safety stop ---------------------------------------------------------------------

def test_the_stop_keeps_only_the_red_flags_and_their_alerts(app, client):
    client.post("/start")
    post_group(client, 1, {"saddle_numbness": "yes", "bladder_bowel_change": "no"})
    page = client.get("/emergency").get_data(as_text=True)
    (stop,) = stops(app)
    assert CODE.search(page).group(1) == stop.code and re.fullmatch(r"[A-Z0-9]{6}", stop.code)
    assert "give this code" in page and "We have let the clinic know" in page
    assert (stop.channel, stop.lang, stop.contract, stop.status) == ("web", "en", "pain-triage/2", "open")
    assert stop.red_flags == ["saddle_numbness"] and stop.submission_id is None
    assert stop.alerts == [{key: alert[key] for key in ("id", "level", "because", "rules", "sources")}
                           for alert in alerts_for_flags(["saddle_numbness"])]
    assert [alert["id"] for alert in stop.alerts] == ["cauda_equina"]


def test_one_stop_per_draft_gathers_every_emergency_answer(app, client):
    client.post("/start")
    post_group(client, 1, {"saddle_numbness": "yes"})
    first = CODE.search(client.get("/emergency").get_data(as_text=True)).group(1)
    app.extensions["clock"].advance(60)
    post_group(client, 1, group_answers(1))
    post_group(client, 2, {"headache_fever_stiff_neck": "yes"})
    second = CODE.search(client.get("/emergency").get_data(as_text=True)).group(1)
    (stop,) = stops(app)
    assert first == second == stop.code
    assert stop.red_flags == ["saddle_numbness", "headache_fever_stiff_neck"]
    assert [alert["id"] for alert in stop.alerts] == ["cauda_equina", "headache_emergency"]
    assert (stop.updated_at - stop.created_at).total_seconds() == 60


def test_the_emergency_page_is_shown_even_when_the_stop_cannot_be_stored(app, client, monkeypatch):
    from sqlalchemy.exc import OperationalError

    client.post("/start")
    post_group(client, 1, {"saddle_numbness": "yes"})

    def refuse(*_args, **_kwargs):
        raise OperationalError("INSERT", {}, Exception("disk full"))

    monkeypatch.setattr("web.patient.safety._merge_stop", refuse)
    response = client.get("/emergency")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'href="tel:911"' in page
    assert "We have let the clinic know" not in page and "safety-stop__code" not in page


def test_an_urgent_answer_stores_no_stop(app, client):
    client.post("/start")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        post_group(client, number, group_answers(number, fever_chills="yes", cancer_history="yes"))
    assert stops(app) == []
    assert client.get("/emergency").status_code == 400


def test_the_mistake_link_returns_to_the_group_of_the_answer(client):
    client.post("/start")
    post_group(client, 1, group_answers(1))
    post_group(client, 2, group_answers(2))
    post_group(client, 3, {"chest_pain_breathless": "yes"})
    assert 'href="/questions/safety/3"' in client.get("/emergency").get_data(as_text=True)


def test_a_retracted_answer_is_sent_and_the_submission_linked(app, client):
    client.post("/start")
    post_group(client, 1, {"both_legs_weak_or_numb": "yes"})
    client.get("/emergency")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        assert post_group(client, number, group_answers(number)).status_code == 302
    for step in STEP_ORDER[1:]:
        assert post_step(client, step, SCIATICA_AFTER_PHYSIO[step]).status_code == 302, step
    assert client.post("/questions/submit").location == "/results"
    with app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        stop = db.session.execute(db.select(SafetyStop)).scalar_one()
        assert submission.intake["red_flags_retracted"] == ["both_legs_weak_or_numb"]
        assert submission.result["red_flags_retracted"] == ["both_legs_weak_or_numb"]
        assert submission.result["alerts"] == [] and stop.submission_id == submission.id


def test_a_form_without_a_stop_sends_no_retraction(app, client):
    client.post("/start")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        post_group(client, number, group_answers(number))
    for step in STEP_ORDER[1:]:
        post_step(client, step, SCIATICA_AFTER_PHYSIO[step])
    client.post("/questions/submit")
    with app.app_context():
        assert "red_flags_retracted" not in db.session.execute(db.select(Submission)).scalar_one().intake


# --- The nurse ---------------------------------------------------------------------------

def patient_stop(db_app, flag="saddle_numbness", lang=None):
    """A patient who answers one emergency question and sees the emergency page; return the code."""
    patient = db_app.test_client()
    if lang:
        patient.post("/language", data={"lang": lang, "next": "/"})
    patient.post("/start")
    post_group(patient, 1, {flag: "yes"})
    return patient, CODE.search(patient.get("/emergency").get_data(as_text=True)).group(1)


def stop_id(db_app, code):
    with db_app.app_context():
        return db.session.execute(db.select(SafetyStop.id).filter_by(code=code)).scalar_one()


def test_open_stops_sit_above_every_submission_newest_first(db_app, nurse_client, add_submission):
    from web.demo import DEMO_PATIENTS

    add_submission(DEMO_PATIENTS[1][2], "EMR001", minutes_ago=5)
    _patient, older = patient_stop(db_app)
    db_app.extensions["clock"].advance(120)
    _patient, newer = patient_stop(db_app, "chest_pain_breathless", lang="es")
    page = nurse_client.get("/nurse/").get_data(as_text=True)
    assert page.index(newer) < page.index(older) < page.index('<table class="queue">') < page.index("EMR001")
    block = page[page.index('class="safety-stops"'):page.index('<table class="queue">')]
    assert block.count("Safety stop — emergency answer on the safety questions") == 2
    assert "Possible cauda equina syndrome" in block and "Web, es" in block and "Web, en" in block


def test_a_nurse_acknowledges_a_stop_and_it_stays_searchable(db_app, nurse_client):
    _patient, code = patient_stop(db_app)
    ident = stop_id(db_app, code)
    page = nurse_client.get(f"/nurse/safety-stops/{ident}").get_data(as_text=True)
    assert code in page and "Patient: “New numbness around the genitals" in page
    acknowledged = nurse_client.post(f"/nurse/safety-stops/{ident}/acknowledge", follow_redirects=True)
    assert f"Safety stop {code} acknowledged." in acknowledged.get_data(as_text=True)
    assert code not in nurse_client.get("/nurse/").get_data(as_text=True)
    found = nurse_client.get("/nurse/", query_string={"code": code.lower()}).get_data(as_text=True)
    assert code in found and "Acknowledged by nina" in found
    again = nurse_client.post(f"/nurse/safety-stops/{ident}/acknowledge", follow_redirects=True)
    assert "already acknowledged by nina" in again.get_data(as_text=True)
    with db_app.app_context():
        trail = db.session.execute(db.select(AuditEvent.action, AuditEvent.checkin_code, AuditEvent.username)
                                   .where(AuditEvent.action.in_(["view_safety_stop", "acknowledge_safety_stop"]))
                                   .order_by(AuditEvent.id)).all()
    # The second acknowledgement is refused and shows the stop page again: a view.
    assert [tuple(row) for row in trail] == [("view_safety_stop", code, "nina"),
                                             ("acknowledge_safety_stop", code, "nina"),
                                             ("view_safety_stop", code, "nina")]
    assert {"view_safety_stop", "acknowledge_safety_stop"} <= set(ACTIONS)


def test_stop_pages_need_a_signed_in_nurse(db_app):
    _patient, code = patient_stop(db_app)
    ident = stop_id(db_app, code)
    anonymous = db_app.test_client()
    assert anonymous.get(f"/nurse/safety-stops/{ident}").status_code == 302
    assert anonymous.post(f"/nurse/safety-stops/{ident}/acknowledge").status_code == 302
    assert stops(db_app)[0].status == "open"


def test_the_nurse_sees_retracted_answers_and_the_linked_stop(db_app, nurse_client):
    patient, code = patient_stop(db_app, "both_legs_weak_or_numb")
    for number in range(1, len(SAFETY_GROUPS) + 1):
        post_group(patient, number, group_answers(number))
    for step in STEP_ORDER[1:]:
        post_step(patient, step, SCIATICA_AFTER_PHYSIO[step])
    patient.post("/questions/submit")
    with db_app.app_context():
        submission = db.session.execute(db.select(Submission)).scalar_one()
        sub_id, sub_code = submission.id, submission.checkin_code
    queue = nurse_client.get("/nurse/").get_data(as_text=True)
    row = queue[queue.index(f">{sub_code}</a></th>"):]
    row = row[:row.index("</tr>")]
    assert "Safety answer changed to no" in row and f"Safety stop {code}" in row
    detail = nurse_client.get(f"/nurse/submissions/{sub_id}").get_data(as_text=True)
    retracted = detail[detail.index('id="retracted-heading"'):]
    assert "Patient: “New pain, weakness or numbness in both legs" in retracted[:2000]
    assert f"safety stop {code}" in detail
    stop_page = nurse_client.get(f"/nurse/safety-stops/{stop_id(db_app, code)}").get_data(as_text=True)
    assert f">{sub_code}</a>" in stop_page


def test_purge_deletes_old_safety_stops(db_app):
    _patient, code = patient_stop(db_app)
    db_app.extensions["clock"].advance(31 * 24 * 3600)
    _patient, recent = patient_stop(db_app, "chest_pain_breathless")
    result = db_app.test_cli_runner().invoke(args=["purge", "--older-than", "30"])
    assert result.exit_code == 0 and "1 safety stops" in result.output
    assert [stop.code for stop in stops(db_app)] == [recent]


# --- Nothing lost on a safety page ------------------------------------------------------

def test_switching_language_on_a_safety_page_keeps_its_answers_and_asks_nothing_more(client):
    client.post("/start")
    post_group(client, 1, group_answers(1))
    flag = SAFETY_GROUPS[1][2][0]
    response = client.post(group_url(2), data={flag: "no", "lang": "es"})
    assert response.status_code == 302 and response.location == group_url(2)
    page = client.get(group_url(2)).get_data(as_text=True)
    assert '<html lang="es">' in page and "Hay un problema" not in page
    assert re.findall(rf'name="{flag}" value="([^"]+)"\s+checked', page) == ["no"]


def test_a_language_switch_with_an_emergency_answer_goes_to_the_emergency_page(app, client):
    client.post("/start")
    flag = next(flag for flag in SAFETY_GROUPS[0][2] if alone_raises_emergency(flag))
    response = client.post(group_url(1), data={flag: "yes", "lang": "es"})
    assert response.status_code == 302 and response.location == "/emergency"
    assert len(stops(app)) == 0 or stops(app)[0].red_flags == [flag]
    assert '<html lang="es">' in client.get("/emergency").get_data(as_text=True)


def test_save_my_answers_on_a_safety_page_keeps_them(client):
    client.post("/start")
    response = post_group(client, 1, group_answers(1), action="save")
    assert response.status_code == 302 and response.location == group_url(1)
    assert client.get(group_url(2)).status_code == 200, "a saved, complete group opens the next"


def test_a_safety_page_sent_after_the_session_ended_gets_the_calm_page(tmp_path):
    from test_questionnaire_v2 import CSRF, start_with_token
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True, SESSION_IDLE_SECONDS=600)
    client = app.test_client()
    token = start_with_token(client)
    post = client.post("/questions/safety", data={**group_answers(1), "action": "next", "csrf_token": token})
    assert post.location == group_url(2)
    token = CSRF.search(client.get(group_url(2)).get_data(as_text=True)).group(1)
    app.extensions["clock"].advance(601)
    page = client.post(group_url(2), data={**group_answers(2), "action": "next", "csrf_token": token})
    assert page.status_code == 200 and "Your session timed out" in page.get_data(as_text=True)


def test_a_stop_and_a_submission_never_share_a_check_in_code(app, client, monkeypatch):
    import web.patient.submission as submission_module

    codes = iter(["AAAAAA", "AAAAAA", "CDEFHJ", "CDEFHJ", "KMNPRT"])
    monkeypatch.setattr(submission_module, "new_checkin_code", lambda: next(codes))
    client.post("/start")
    post_group(client, 1, {"saddle_numbness": "yes", "bladder_bowel_change": "no"})
    assert client.get("/emergency").status_code == 200
    assert [stop.code for stop in stops(app)] == ["AAAAAA"]
    # The patient's answer was a slip: back to no, then on to the end and submit.
    for step in STEP_ORDER:
        answers = NO if step == "safety" else SCIATICA_AFTER_PHYSIO[step]
        if step == "safety":
            for number in range(1, len(SAFETY_GROUPS) + 1):
                post_group(client, number, group_answers(number))
        else:
            assert post_step(client, step, answers).status_code == 302, step
    assert client.post("/questions/submit").location == "/results"
    with app.app_context():
        (submission,) = db.session.execute(db.select(Submission)).scalars().all()
    # "AAAAAA" is the stop's: drawn again. The front desk finds one record for each code.
    assert submission.checkin_code == "CDEFHJ"
    client.post("/start")
    post_group(client, 1, {"saddle_numbness": "yes", "bladder_bowel_change": "no"})
    assert client.get("/emergency").status_code == 200
    # "CDEFHJ" is the submission's: the second stop draws again.
    assert sorted(stop.code for stop in stops(app)) == ["AAAAAA", "KMNPRT"]
