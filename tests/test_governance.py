"""Clinical governance in the web app: impact over stored submissions, the notice, sign-off."""
import json
import logging
import re

import pytest
from conftest import make_app, sign_in
from sqlalchemy import select

from triage import RULEBASE_VERSION, evaluate
from triage.report import rules_markdown, rules_sha256
from web import impact as stored
from web.extensions import db
from web.models import AuditEvent, RuleBaseSignoff, Submission, User
from web.nurse.account import hash_password

BACK = {"age": 52, "locations": ["lower_back", "buttock", "leg"], "duration_weeks": 9, "pain_average": 7,
        "interference_enjoyment": 6, "interference_activity": 8,
        "symptoms": ["radiates_below_knee", "numbness_tingling"], "red_flags": [],
        "treatments": [{"type": "physical_therapy", "weeks": 6, "relief_percent": 20}]}
SADDLE = {**BACK, "red_flags": ["saddle_numbness"]}


def version_1_result(intake):
    """What an older rule base said: no alert, a lumbar epidural and a diabetes caution."""
    diabetic = evaluate({**BACK, "health": ["diabetes"]}).to_dict()
    assert [item["id"] for item in diabetic["cautions"]] == ["diabetes_steroid"]
    return {**evaluate(intake).to_dict(), "contract": "pain-triage/1", "rulebase": "1.0.0", "alerts": [],
            "suggestions": diabetic["suggestions"], "cautions": diabetic["cautions"], "withheld": []}


def store(app, intake, code, result=None):
    """Store a submission with the given (or the current) result; return its id."""
    with app.app_context():
        submission = Submission.of_result(intake, result or evaluate(intake).to_dict(), code)
        db.session.add(submission)
        db.session.commit()
        return submission.id


def stored_results(app):
    with app.app_context():
        return dict(db.session.execute(select(Submission.id, Submission.result)).all())


@pytest.fixture
def history(db_app):
    """One unchanged and two changed submissions: {code: id}."""
    return {"SAME01": store(db_app, BACK, "SAME01"),
            "OLD001": store(db_app, SADDLE, "OLD001", version_1_result(SADDLE)),
            "OLD002": store(db_app, SADDLE, "OLD002", version_1_result(SADDLE))}


# --- flask impact -----------------------------------------------------------

def test_flask_impact_prints_the_json_report_and_rewrites_nothing(db_app, history):
    before = stored_results(db_app)
    result = db_app.test_cli_runner().invoke(args=["impact", "--format", "json", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "rulebase": RULEBASE_VERSION, "total": 3, "changed": 2,
        "gained": {"alerts": {"cauda_equina": 2}, "suggestions": {}, "cautions": {}},
        "lost": {"alerts": {}, "suggestions": {"epidural_steroid_injection/lumbar": 2},
                 "cautions": {"diabetes_steroid": 2}}}
    assert stored_results(db_app) == before


def test_flask_impact_markdown_names_example_submissions(db_app, history):
    result = db_app.test_cli_runner().invoke(args=["impact", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert f"# Impact of rule base {RULEBASE_VERSION} on the stored submissions" in result.stdout
    assert f"| `cauda_equina` | 2 | {history['OLD001']}, {history['OLD002']} |" in result.stdout
    assert "| id | intakes | example submissions |" in result.stdout


def test_an_unreadable_stored_result_is_reported_not_fatal(db_app, history):
    broken = store(db_app, BACK, "BROKE1", {**evaluate(BACK).to_dict(), "contract": "pain-triage/9"})
    result = db_app.test_cli_runner().invoke(args=["impact", "--format", "json", "--workers", "1"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["total"] == 3
    assert f"submission {broken}: result contract 'pain-triage/9'" in result.stderr


def test_parallel_path_gives_the_serial_outcomes(db_app):
    app = db_app
    intakes = [{**BACK, "age": 20 + number} for number in range(25)] + \
              [{**SADDLE, "age": 20 + number} for number in range(25)]
    with app.app_context():
        for number, intake in enumerate(intakes):
            result = version_1_result(intake) if number % 3 == 0 else evaluate(intake).to_dict()
            db.session.add(Submission.of_result(intake, result, f"P{number:05d}"))
        db.session.commit()
        serial = list(stored.assess_stored(workers=1, chunk_size=7))
        parallel = list(stored.assess_stored(workers=2, chunk_size=7))
        latest = [ident for ident, *_ in stored.assess_stored(workers=2, latest=10, chunk_size=3)]
    assert parallel == serial and len(serial) == 50
    assert [ident for ident, *_ in serial] == sorted(ident for ident, *_ in serial)
    assert sum(outcome == "changed" for _, outcome, _ in serial) == 17
    assert latest == [ident for ident, *_ in serial][-10:]


# --- the admin page ---------------------------------------------------------

def test_the_rulebase_page_is_for_admins_only(nurse_client):
    assert nurse_client.get("/nurse/admin/rulebase").status_code == 403


def test_the_rulebase_page_draws_the_counts_and_links_examples(db_app, admin_client, history):
    before = stored_results(db_app)
    page = admin_client.get("/nurse/admin/rulebase").get_data(as_text=True)
    svg = re.search(r"<svg class=\"impact-chart\" role=\"img\".*?</svg>", page, re.S).group(0)
    assert '<title id="impact-chart-title">' in svg and "<desc id=\"impact-chart-desc\">" in svg
    assert "Gained alert cauda_equina: 2." in svg and "Lost caution diabetes_steroid: 2." in svg
    assert len(re.findall(r"<rect ", svg)) == 3 and "<script" not in svg and not re.search(r"\sstyle=|\son[a-z]+=", page)
    table = page[page.index('<table class="compact impact-table">'):]
    assert "<code>cauda_equina</code> Possible cauda equina syndrome" in table.split("</tr>")[1]
    for code in ("OLD001", "OLD002"):
        assert f'<a href="/nurse/submissions/{history[code]}">{code}</a>' in table
    assert "SAME01" not in table
    assert "Would now conclude differently: 2" in page and "Compared: 3" in page
    assert stored_results(db_app) == before
    with db_app.app_context():
        event = db.session.execute(select(AuditEvent).filter_by(action="impact_report")).scalar_one()
        assert event.username == "ada" and "2 would now conclude differently" in event.detail


def test_the_rulebase_page_says_when_it_compared_only_the_newest(db_app, admin_client, history):
    db_app.config["IMPACT_PAGE_LATEST"] = 2
    page = admin_client.get("/nurse/admin/rulebase").get_data(as_text=True)
    assert "Compared: 2 (the newest 2 of 3 stored submissions;" in page


def test_the_rulebase_page_with_nothing_changed(admin_client, db_app):
    store(db_app, BACK, "SAME01")
    page = admin_client.get("/nurse/admin/rulebase").get_data(as_text=True)
    assert "No stored submission would get a different" in page and "<svg" not in page


# --- the detail page notice -------------------------------------------------

def test_detail_page_says_what_the_current_rule_base_would_change(nurse_client, history):
    page = nurse_client.get(f"/nurse/submissions/{history['OLD001']}").get_data(as_text=True)
    notice = page[page.index('class="panel rulebase-notice"'):].split("</section>")[0]
    assert f"Rule base {RULEBASE_VERSION} would now conclude differently" in notice
    assert "(rule base 1.0.0)" in notice
    assert "Would now add alert: Possible cauda equina syndrome (<code>cauda_equina</code>)" in notice
    assert "Would no longer give suggestion: Epidural steroid injection, lumbar" in notice
    assert "Would no longer give caution:" in notice and "<code>diabetes_steroid</code>" in notice


def test_detail_page_is_quiet_when_nothing_would_change(nurse_client, history):
    page = nurse_client.get(f"/nurse/submissions/{history['SAME01']}").get_data(as_text=True)
    assert "rulebase-notice" not in page


def test_detail_page_says_when_an_intake_is_not_evaluated_again(db_app, nurse_client):
    many_rows = {**BACK, "treatments": BACK["treatments"] * 101}
    ident = store(db_app, many_rows, "ROWS01", version_1_result(BACK))
    page = nurse_client.get(f"/nurse/submissions/{ident}").get_data(as_text=True)
    assert "Not evaluated again with rule base" in page and "more than 100 treatment rows" in page


# --- sign-off ---------------------------------------------------------------

def test_triage_rules_sha256_is_the_documents_hash(capsys):
    from triage.cli import main
    assert main(["rules", "--sha256"]) == 0
    sha = capsys.readouterr().out.split()[0]
    assert sha == rules_sha256() == __import__("hashlib").sha256(rules_markdown().encode()).hexdigest()


def test_signoff_records_name_version_and_document_hash(db_app):
    runner = db_app.test_cli_runner()
    result = runner.invoke(args=["signoff", "--name", "Dr  Lena Ortiz", "--sha256", rules_sha256().upper()])
    assert result.exit_code == 0, result.output
    with db_app.app_context():
        row = db.session.execute(select(RuleBaseSignoff)).scalar_one()
        assert (row.approved_by, row.rulebase, row.document_sha256) == ("Dr Lena Ortiz", RULEBASE_VERSION, rules_sha256())
        assert row.recorded_by.startswith("cli:")
        event = db.session.execute(select(AuditEvent).filter_by(action="rulebase_signoff")).scalar_one()
        assert "Dr Lena Ortiz approved rule base" in event.detail


@pytest.mark.parametrize("args, message", [
    (["--sha256", "0" * 64], "review the current `triage rules` document"),
    (["--name", "   "], "--name must name the person"),
    (["--name", "x" * 121], "longer than 120"),
])
def test_signoff_refuses_a_different_document_or_no_name(db_app, args, message):
    args = args if "--name" in args else ["--name", "Dr Ortiz", *args]
    result = db_app.test_cli_runner().invoke(args=["signoff", *args])
    assert result.exit_code != 0 and message in result.output
    with db_app.app_context():
        assert db.session.execute(select(RuleBaseSignoff)).first() is None


def production_app(tmp_path, caplog):
    """Start an app as production does (sign-off checked) on an existing schema; return it and its warnings."""
    make_app(tmp_path)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="web"):
        app = make_app(tmp_path, create_schema=False, RULEBASE_SIGNOFF_CHECK=True)
    return app, [record.getMessage() for record in caplog.records if "no clinical sign-off" in record.getMessage()]


def add_admin(app):
    with app.app_context():
        db.session.add(User(username="ada", password_hash=hash_password("correct-horse-battery"), role="admin"))
        db.session.commit()


def test_an_unsigned_production_start_warns_and_shows_staff_a_banner(tmp_path, caplog):
    app, warnings = production_app(tmp_path, caplog)
    assert len(warnings) == 1 and rules_sha256() in warnings[0] and f"Rule base {RULEBASE_VERSION}" in warnings[0]
    add_admin(app)
    staff = app.test_client()
    assert "has no recorded clinical sign-off" not in staff.get("/nurse/login").get_data(as_text=True)
    sign_in(staff, "ada", "correct-horse-battery")
    for url in ("/nurse/", "/nurse/admin/rulebase", "/nurse/admin/audit"):
        assert "has no recorded clinical sign-off" in staff.get(url).get_data(as_text=True), url
    patient = app.test_client()
    patient.post("/start")
    for url in ("/", "/start"):
        page = patient.get(url, follow_redirects=True).get_data(as_text=True)
        assert "sign-off" not in page and "banner--unsigned" not in page, url
    assert app.test_cli_runner().invoke(args=["signoff", "--name", "Dr Ortiz"]).exit_code == 0
    page = staff.get("/nurse/admin/rulebase").get_data(as_text=True)
    assert "has no recorded clinical sign-off" not in page
    signoffs = page[page.index('<table class="compact signoffs">'):].split("</table>")[0]
    assert "<th scope=\"row\">Dr Ortiz</th>" in signoffs and rules_sha256() in signoffs and "<td>Yes</td>" in signoffs


def test_a_signed_production_start_is_quiet(tmp_path, caplog):
    app, _ = production_app(tmp_path, caplog)
    assert app.test_cli_runner().invoke(args=["signoff", "--name", "Dr Ortiz"]).exit_code == 0
    _, warnings = production_app(tmp_path, caplog)
    assert warnings == []


def test_a_sign_off_of_another_document_does_not_count(tmp_path, caplog):
    app, _ = production_app(tmp_path, caplog)
    with app.app_context():
        db.session.add(RuleBaseSignoff(rulebase=RULEBASE_VERSION, document_sha256="0" * 64,
                                       approved_by="Dr Ortiz", recorded_by="cli:test"))
        db.session.commit()
    assert len(production_app(tmp_path, caplog)[1]) == 1


def test_test_apps_do_not_check_sign_off(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="web"):
        app = make_app(tmp_path)
    assert not [record for record in caplog.records if "sign-off" in record.getMessage()]
    assert app.extensions["rulebase_signoff"]["checked"] is False
