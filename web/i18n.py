"""The patient's language: compiled catalogs, and the way back after switching language."""
import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request, url_for


LANGUAGE_NAMES = {"en": "English", "es": "Español"}
log = logging.getLogger(__name__)


def ensure_compiled(directory):
    """Compile each catalog under `directory` whose .mo is missing or older than its .po.

    The .mo files are build output (git-ignored); a fresh checkout or install gets them on
    the first start. Return the catalogs compiled.
    """
    compiled = []
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        try:
            _compile(po_path, mo_path)
        except OSError as error:
            log.error("Could not compile %s (%s): run `pybabel compile -d %s`", po_path, error, directory)
            continue
        compiled.append(mo_path)
    return compiled


def _compile(po_path, mo_path):
    """Write one .mo beside its .po, atomically: several workers may start at once."""
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog)
        os.replace(temporary, mo_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_return(target):
    """Return `target` if it is an address on this site (a path), else None: no open redirect."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if any(char in target for char in "\\\r\n\t") or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def return_address():
    """Return where the language switch brings the patient back to: this page, as a GET.

    A page shown after a POST (a step with its messages) is reloaded from the saved answers;
    an address that cannot be opened with GET falls back to the start page.
    """
    rule = request.url_rule
    if request.method != "GET" and (rule is None or "GET" not in rule.methods):
        return url_for("patient.start")
    query = request.query_string.decode("latin-1")
    return request.script_root + request.path + (f"?{query}" if query else "")
