"""The clinic's name and telephone number are required settings (rules.md §2.1)."""
import subprocess
import sys

import pytest

from conftest import REPO
from web import ClinicSettingsMissing, create_app


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """The environment of a production start, on a throwaway database and instance folder."""
    monkeypatch.setenv("PAIN_TRIAGE_SECRET_KEY", "test")
    monkeypatch.setenv("PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI", f"sqlite:///{tmp_path / 'p.sqlite3'}")
    monkeypatch.setenv("PAIN_TRIAGE_AUTO_UPGRADE_SQLITE", "false")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name in ("PAIN_TRIAGE_CLINIC_NAME", "PAIN_TRIAGE_CLINIC_PHONE"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("name, phone, missing", [
    (None, None, ["PAIN_TRIAGE_CLINIC_NAME", "PAIN_TRIAGE_CLINIC_PHONE"]),
    ("Valley Pain Clinic", None, ["PAIN_TRIAGE_CLINIC_PHONE"]),
    (None, "555-0100", ["PAIN_TRIAGE_CLINIC_NAME"]),
    ("  ", "555-0100", ["PAIN_TRIAGE_CLINIC_NAME"]),
    ("Valley Pain Clinic", "call us", ["PAIN_TRIAGE_CLINIC_PHONE"]),
    ("Valley Pain Clinic", "12", ["PAIN_TRIAGE_CLINIC_PHONE"]),
])
def test_a_production_start_without_the_clinic_settings_refuses_to_run(production_env, name, phone, missing):
    for key, value in (("PAIN_TRIAGE_CLINIC_NAME", name), ("PAIN_TRIAGE_CLINIC_PHONE", phone)):
        if value is not None:
            production_env.setenv(key, value)
    with pytest.raises(ClinicSettingsMissing) as refused:
        create_app()
    for key in ("PAIN_TRIAGE_CLINIC_NAME", "PAIN_TRIAGE_CLINIC_PHONE"):
        assert (key in str(refused.value)) == (key in missing)


@pytest.mark.parametrize("phone, shown", [("555-0100", "555-0100"), ("5550100", "5550100"),
                                          ('"+1 (555) 010-0100"', "+1 (555) 010-0100")])
def test_a_production_start_with_the_clinic_settings_runs(production_env, phone, shown):
    production_env.setenv("PAIN_TRIAGE_CLINIC_NAME", "Valley Pain Clinic")
    production_env.setenv("PAIN_TRIAGE_CLINIC_PHONE", phone)
    app = create_app()
    assert app.config["CLINIC_PHONE"] == shown and app.config["CLINIC_NAME"] == "Valley Pain Clinic"


def test_the_flask_command_says_what_is_missing(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "PAIN_TRIAGE_SECRET_KEY": "test", "PAIN_TRIAGE_CLINIC_NAME": "Valley",
           "PAIN_TRIAGE_SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"}
    run = subprocess.run([sys.executable, "-m", "flask", "--app", "web", "routes"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0 and "PAIN_TRIAGE_CLINIC_PHONE" in run.stderr and run.stdout == ""


@pytest.mark.parametrize("environment, shown", [({}, "Demo Pain Clinic|555-0100"),
                                                 ({"PAIN_TRIAGE_CLINIC_PHONE": "555-0199"}, "Demo Pain Clinic|555-0199")])
def test_make_run_names_a_demo_clinic_unless_one_is_set(environment, shown):
    # Each `flask` command of the run target prints the two settings instead of running.
    show = 'FLASK=sh -c "echo \\"$$PAIN_TRIAGE_CLINIC_NAME|$$PAIN_TRIAGE_CLINIC_PHONE\\"" flask'
    run = subprocess.run(["make", "-s", "-o", "install", "run", show], cwd=REPO, capture_output=True, text=True,
                         env={"PATH": "/usr/bin:/bin", **environment}, timeout=60)
    assert run.stdout.splitlines() == [shown] * 3, run.stderr
