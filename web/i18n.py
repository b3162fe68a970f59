"""The patient's language: compiled catalogs, and the way back after switching language."""
import logging
import os
import struct
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import request, url_for


LANGUAGE_NAMES = {"en": "English", "es": "Español"}
log = logging.getLogger(__name__)


class CatalogMissing(RuntimeError):
    """A language has no usable compiled catalog: its patients would silently read English."""


def ensure_compiled(directory):
    """Compile each catalog under `directory` whose .mo is missing or older than its .po.

    The .mo files are build output (git-ignored), compiled at install (`make`); this
    catches a checkout changed since. Return the catalogs compiled.
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


def require_compiled(directory):
    """Refuse to start unless every catalog under `directory` has a readable .mo.

    A stale one that cannot be rebuilt is logged by ensure_compiled; a missing one stops here.
    """
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        try:
            with mo_path.open("rb") as compiled:
                Translations(compiled)
        except (OSError, ValueError, struct.error) as error:
            raise CatalogMissing(f"No usable compiled catalog {mo_path} ({error}): run "
                                 f"`pybabel compile -d {directory}` (make does) as a user who may write it") from None


def _compile(po_path, mo_path):
    """Write one .mo beside its .po, atomically: several workers may start at once."""
    with po_path.open("rb") as source:
        catalog = read_po(source, locale=po_path.parent.parent.name)
    handle, temporary = tempfile.mkstemp(dir=mo_path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as target:
            write_mo(target, catalog)
        # mkstemp makes the file 0600: the user who serves the app may not be the one who built it.
        os.chmod(temporary, 0o644)
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
