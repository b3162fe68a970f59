"""What the install leaves behind: compiled catalogs, private files, pinned dependencies."""
import os
import re
import shutil
import stat
import subprocess
from importlib import metadata
from pathlib import Path

import pytest
from conftest import REPO, make_app
from packaging.requirements import Requirement

from web import i18n
from web.i18n import CatalogMissing, ensure_compiled

PO = REPO / "web" / "translations" / "es" / "LC_MESSAGES" / "messages.po"


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def private_umask():
    """Run with the strictest umask an operator might have."""
    old = os.umask(0o077)
    yield
    os.umask(old)


@pytest.fixture
def clean_translations(tmp_path):
    """A copy of the translations with no compiled catalog."""
    target = tmp_path / "translations" / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(PO, target / "messages.po")
    return tmp_path / "translations"


# --- Catalogs ---

def test_the_compiled_catalog_is_readable_by_the_user_who_serves(clean_translations, private_umask):
    [compiled] = ensure_compiled(clean_translations)
    assert mode(compiled) == 0o644


def test_a_missing_catalog_stops_the_app_at_start(tmp_path, clean_translations, monkeypatch):
    def read_only_install(po_path, mo_path):
        raise PermissionError(13, "Permission denied", str(mo_path))

    monkeypatch.setattr(i18n, "_compile", read_only_install)
    with pytest.raises(CatalogMissing, match=r"pybabel compile -d .*translations"):
        make_app(tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(clean_translations))


def test_a_damaged_catalog_stops_the_app_at_start(tmp_path, clean_translations):
    mo_path = clean_translations / "es" / "LC_MESSAGES" / "messages.mo"
    mo_path.write_bytes(b"not a catalog")
    with pytest.raises(CatalogMissing, match="No usable compiled catalog"):
        make_app(tmp_path, BABEL_TRANSLATION_DIRECTORIES=str(clean_translations))


def test_make_install_compiles_the_catalogs():
    if shutil.which("make") is None:
        pytest.fail("make is missing: the README's commands need it")
    plan = subprocess.run(["make", "-n", "-W", str(PO.relative_to(REPO)), "install"], cwd=REPO,
                          capture_output=True, text=True, check=True).stdout
    assert re.search(r"pybabel compile -i \S*messages\.po -o \S*messages\.mo", plan)
    assert "chmod 0644 web/translations/es/LC_MESSAGES/messages.mo" in plan


# --- Files of the instance ---

def test_the_database_and_instance_folder_are_private(tmp_path):
    database = tmp_path / "test.sqlite3"
    database.touch(mode=0o644)  # as an older version left it
    app = make_app(tmp_path)
    assert mode(database) == 0o600
    assert mode(Path(app.instance_path)) == 0o700


def test_a_new_database_file_is_created_private(tmp_path):
    database = tmp_path / "new" / "clinic.sqlite3"
    make_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{database}")
    assert mode(database) == 0o600


# --- Pinned dependencies ---

def pins():
    lines = (REPO / "constraints.txt").read_text().splitlines()
    return dict(line.split("==") for line in lines if line and not line.startswith("#"))


def requirement_closure(name, extras=()):
    """Every distribution `name` (with extras) needs, recursively, by canonical name."""
    found, pending = set(), [(name, tuple(extras))]
    while pending:
        current, current_extras = pending.pop()
        key = current.lower().replace("_", "-").replace(".", "-")
        if (key, current_extras) in found:
            continue
        found.add((key, current_extras))
        for text in metadata.requires(current) or ():
            requirement = Requirement(text)
            environment = [{"extra": extra} for extra in current_extras] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environment):
                pending.append((requirement.name, tuple(requirement.extras)))
    return {key for key, _extras in found}


def canonical(name):
    return name.lower().replace("_", "-").replace(".", "-")


def test_constraints_pin_every_dependency_to_what_is_installed():
    pinned = {canonical(name): version for name, version in pins().items()}
    needed = requirement_closure("pain-triage", ["test"]) - {"pain-triage"}
    assert needed - set(pinned) == set(), "add these to constraints.txt (see the README)"
    wrong = {name: (pinned[name], metadata.version(name)) for name in needed
             if metadata.version(name) != pinned[name]}
    assert not wrong, f"installed versions differ from constraints.txt: {wrong}"


def test_experta_keeps_its_own_pins():
    pinned = {canonical(name): version for name, version in pins().items()}
    assert (pinned["experta"], pinned["frozendict"], pinned["schema"]) == ("1.9.4", "1.2", "0.6.7")
    assert "pain-triage" not in pinned


def test_make_installs_with_the_constraints():
    makefile = (REPO / "Makefile").read_text()
    installs = [line for line in makefile.splitlines() if "pip install" in line]
    assert installs and all("-c constraints.txt" in line for line in installs)
