"""No number written twice: the patient and nurse text take thresholds from thresholds.yaml.

A number the rules compare against (spec/rules.md section 6) is written in the text as a
placeholder, `{recent_spine_procedure_weeks}`, that triage.knowledge fills. Three checks:
1. every placeholder names a threshold, or is one the page fills ({clinic_phone}, {code});
2. with every threshold moved to an unusual value, every placeholder follows it, and the
   text with the real values is what the loaders hand out;
3. no literal number followed by a time or percent unit equals a threshold of that unit,
   unless it is in ALLOWED with the reason it is a fact and not that threshold.
And the after-injection window of version 1 ("2 weeks") is gone from every rendered text.
"""
import re

import pytest

from test_patient_text import leaves
from triage.knowledge import (
    PLACEHOLDER,
    RUNTIME_PLACEHOLDERS,
    fill_thresholds,
    nurse_text,
    patient_text,
    text_source,
    threshold,
    threshold_values,
    thresholds,
)
from web.nurse.terms import CLINICAL_TERMS

TEXTS = ("en", "es", "nurse")
RAW = {name: text_source(name) for name in TEXTS}
RENDERED = {"en": patient_text("en"), "es": patient_text("es"), "nurse": nurse_text()}
# Unusual values no text contains by chance: 7001, 7002, ...
SENTINELS = {name: 7001 + index for index, name in enumerate(sorted(threshold_values()))}
MOVED = {name: fill_thresholds(RAW[name], SENTINELS) for name in TEXTS}

# A literal number, or a range of two ("6 to 12", "6 a 12"), followed by a unit.
NUMBER_WITH_UNIT = re.compile(
    r"(?<![\d.,{])(\d+)(?:\s*(?:to|a|or|o|-|–)\s*(\d+))?[\s-]*"
    r"(weeks?|months?|years?|%|percent|semanas?|meses|mes|años?|por ciento)(?![\w])",
    re.IGNORECASE)
TEXT_UNITS = {
    "week": "week", "weeks": "week", "semana": "week", "semanas": "week",
    "month": "month", "months": "month", "mes": "month", "meses": "month",
    "year": "year", "years": "year", "año": "year", "años": "year",
    "%": "percent", "percent": "percent", "por ciento": "percent",
}
# The first word of a threshold's unit says what it counts ("weeks of relief" are weeks;
# "injections in 12 months" are injections, not months).
THRESHOLD_UNITS = {"weeks": "week", "months": "month", "years": "year", "percent": "percent"}
# Literal figures that equal a threshold but are not that threshold: (path, value, unit).
ALLOWED = {
    ("consultations/epidural_steroid_injection/sections/how_long_relief_lasts", 2, "week"):
        "how long an epidural takes to start working (clinical brief section 9), a fact",
    ("consultations/radiofrequency_ablation/sections/how_long_relief_lasts", 6, "month"):
        "spine ablation relief often lasts 6 to 12 months [S46] (rules.md section 5), a fact",
    ("consultations/radiofrequency_ablation/sections/how_long_relief_lasts", 12, "month"):
        "spine ablation relief often lasts 6 to 12 months [S46] (rules.md section 5), a fact",
    ("consultations/radiofrequency_ablation/sections/common_risks", 2, "week"):
        "how long the flare after an ablation can last (clinical brief section 9), a fact",
    ("labels/red_flag/self_harm_thoughts", 2, "week"):
        "the look-back of the self-harm question (PHQ-9 item 9, intake.md), not a threshold",
}


def thresholds_by_unit():
    """Return {(unit, value): [threshold names]} for the thresholds with a time or percent unit."""
    found = {}
    for name, entry in thresholds().items():
        unit = THRESHOLD_UNITS.get(entry["unit"].split()[0])
        if unit:
            found.setdefault((unit, entry["value"]), []).append(name)
    return found


def literal_thresholds(text):
    """Yield (value, unit, names) for each literal figure in `text` that equals a threshold."""
    known = thresholds_by_unit()
    for match in NUMBER_WITH_UNIT.finditer(text):
        unit = TEXT_UNITS[match[3].lower()]
        for number in filter(None, (match[1], match[2])):
            if (unit, int(number)) in known:
                yield int(number), unit, known[(unit, int(number))]


def strings(name, node=None):
    return [(path, value) for path, value in leaves(RAW[name] if node is None else node)
            if isinstance(value, str)]


@pytest.mark.parametrize("name", TEXTS)
def test_every_placeholder_names_a_threshold_or_the_page(name):
    known = set(threshold_values()) | set(RUNTIME_PLACEHOLDERS)
    unknown = {(path, found) for path, value in strings(name)
               for found in PLACEHOLDER.findall(value) if found not in known}
    assert not unknown, f"{name}.yaml: placeholders that are neither thresholds nor the page's: {unknown}"


def test_the_text_uses_thresholds_at_all():
    used = {found for name in TEXTS for _, value in strings(name) for found in PLACEHOLDER.findall(value)}
    assert {"recent_spine_procedure_weeks", "recent_spine_surgery_weeks", "postpartum_weeks",
            "mbb_positive_relief", "axspa_refer_criteria"} <= used


@pytest.mark.parametrize("name", TEXTS)
def test_every_placeholder_follows_its_threshold(name):
    moved = dict(strings(name, MOVED[name]))
    for path, value in strings(name):
        names = [found for found in PLACEHOLDER.findall(value) if found in SENTINELS]
        expected = value
        for found in names:
            expected = expected.replace("{" + found + "}", str(SENTINELS[found]))
        assert moved[path] == expected, f"{name}:{path} did not follow its thresholds"
        assert not any("{" + found + "}" in moved[path] for found in SENTINELS), f"{name}:{path}"


@pytest.mark.parametrize("name", TEXTS)
def test_the_loaders_fill_the_real_values(name):
    assert RENDERED[name] == fill_thresholds(RAW[name], threshold_values())


def test_the_page_placeholders_are_left_for_the_page():
    assert patient_text("en")["patient_view"]["clinic_call"] == "Call the clinic: {clinic_phone}"
    assert "{code}" in patient_text("es")["patient_view"]["safety_stop_code"]


def test_a_window_in_the_text_is_the_thresholds_window():
    window = threshold("recent_spine_procedure_weeks")
    assert f"in the last {window} weeks" in patient_text("en")["because"]["recent_spine_procedure"]
    assert f"últimas {window} semanas" in patient_text("es")["labels"]["red_flag"][
        "symptoms_after_recent_injection"]


@pytest.mark.parametrize("name", TEXTS)
def test_no_threshold_is_written_as_a_literal(name):
    found = []
    for path, value in strings(name):
        for number, unit, names in literal_thresholds(value):
            if (path, number, unit) not in ALLOWED:
                found.append(f"{path}: {number} {unit} equals {names}")
    assert not found, (
        f"{name}.yaml writes thresholds as literal numbers; use {{threshold_name}} or, for a "
        f"fact that only equals a threshold, add it to ALLOWED with the reason:\n" + "\n".join(found))


def test_every_allowed_literal_is_still_there():
    """An allow-list entry whose text has changed must go, not linger."""
    present = {(path, number, unit) for name in TEXTS for path, value in strings(name)
               for number, unit, _ in literal_thresholds(value)}
    assert set(ALLOWED) <= present, f"stale ALLOWED entries: {set(ALLOWED) - present}"


@pytest.mark.parametrize("text, expected", [
    ("in the last 6 weeks", [(6, "week")]),
    ("relief of 80% or more", [(80, "percent")]),
    ("durar de 6 a 12 meses", [(6, "month"), (12, "month")]),
    ("after about 2 days", []),
    ("in the last {recent_spine_procedure_weeks} weeks", []),
    ("4 times a year", []),
])
def test_the_literal_scan_finds_numbers_with_units(text, expected):
    assert [(number, unit) for number, unit, _ in literal_thresholds(text)] == expected


SPINE_PROCEDURE = re.compile(
    r"spine (shot|injection|procedure|operation)|spine surgery|spine procedure"
    r"|inyección (u operación )?de columna|cirugía de columna", re.IGNORECASE)
OLD_WINDOW = re.compile(r"\b2[\s-]*(weeks?|semanas)\b", re.IGNORECASE)


def rendered_strings():
    for name in TEXTS:
        for path, value in leaves(RENDERED[name]):
            yield f"{name}:{path}", value
    for kind, labels in CLINICAL_TERMS.items():
        for ident, value in labels.items():
            yield f"terms:{kind}/{ident}", value


def test_the_old_after_injection_window_is_gone():
    stale = [(where, value) for where, value in rendered_strings()
             if SPINE_PROCEDURE.search(value) and OLD_WINDOW.search(value)]
    assert not stale, f"the version 1 window of 2 weeks after a spine procedure survives: {stale}"


def test_the_window_check_would_find_the_old_wording():
    old = "You had a spine shot or operation in the last 2 weeks."
    assert SPINE_PROCEDURE.search(old) and OLD_WINDOW.search(old)


# Two contract ids carry their number (intake.md); the threshold that words their question
# must be that number, or the question would ask about a span the answer id does not mean.
ID_THRESHOLDS = {"postpartum_6_weeks": ("postpartum_weeks", "weeks"),
                 "knee_replacement_last_6_months": ("knee_replacement_recent_months", "months")}


def test_every_contract_id_with_a_number_has_the_matching_threshold():
    import triage.contract as contract
    numbered = {value for name in dir(contract) if name.isupper()
                for value in (getattr(contract, name) if isinstance(getattr(contract, name), (tuple, frozenset, set, dict))
                              else ()) if isinstance(value, str) and re.search(r"_\d+_", value)}
    assert numbered == set(ID_THRESHOLDS)
    for ident, (name, unit) in ID_THRESHOLDS.items():
        number = int(re.search(r"_(\d+)_", ident).group(1))
        assert (threshold(name), unit) == (number, ident.rsplit("_", 1)[1]), ident
