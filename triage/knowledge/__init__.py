"""Clinical knowledge that clinicians review: thresholds, rules, sources, patient and nurse text.

Everything here is data in YAML files beside this module; the loaders read each
file once and hand out read-only views.
"""
import re
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

import yaml

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


@lru_cache(maxsize=None)
def _load(name):
    """Read one YAML file of this package."""
    text = resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def thresholds():
    """Return the thresholds file: id -> {value, unit, description, sources}."""
    return MappingProxyType(_load("thresholds.yaml"))


def threshold(name):
    """Return the value of one threshold."""
    return _load("thresholds.yaml")[name]["value"]


def rules():
    """Return the rule registry: id -> {title, rationale, sources, conditions, ...}, numbers filled in."""
    return MappingProxyType(_filled_rules())


def sources():
    """Return the source keys: key -> {title, url}."""
    return MappingProxyType(_load("sources.yaml"))


# A placeholder in the text: `{recent_spine_procedure_weeks}` names a threshold and is
# filled from thresholds.yaml, so a number the rules compare against is written once.
# Placeholders that are not thresholds (`{clinic_phone}`, `{code}`) are filled by the page
# that shows the text and are left as they are.
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
RUNTIME_PLACEHOLDERS = ("clinic_phone", "code")


def threshold_values():
    """Return every threshold's value by name."""
    return {name: entry["value"] for name, entry in _load("thresholds.yaml").items()}


def fill_thresholds(node, values):
    """Return a copy of `node` with every threshold placeholder replaced by its value."""
    if isinstance(node, dict):
        return {key: fill_thresholds(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [fill_thresholds(value, values) for value in node]
    if isinstance(node, str):
        return PLACEHOLDER.sub(
            lambda found: str(values[found[1]]) if found[1] in values else found[0], node)
    return node


def text_source(name):
    """Return one text file as written, placeholders unfilled (`en`, `es` or `nurse`)."""
    return _load(f"text/{name}.yaml")


@lru_cache(maxsize=None)
def _rendered(name):
    return fill_thresholds(text_source(name), threshold_values())


def patient_text(lang=DEFAULT_LANGUAGE):
    """Return the patient-facing text in one language, thresholds filled (see text/en.yaml)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return _rendered(lang)


def nurse_text():
    """Return the nurse-facing text (English), thresholds filled (see text/nurse.yaml)."""
    return _rendered("nurse")


def label(kind, ident, lang=DEFAULT_LANGUAGE):
    """Return the patient wording of one identifier (a location, symptom, ...)."""
    return patient_text(lang)["labels"][kind][ident]


# The rule registry writes no number: `{threshold_name}` in a rule's title,
# conditions or rationale is filled from thresholds.yaml when it is loaded.
_FILLED_FIELDS = ("title", "conditions", "rationale")


class UnknownThreshold(KeyError):
    """A rule text names a threshold that the thresholds data lacks."""


def fill_rule_text(text, limits):
    """Return a rule text with every {threshold_name} replaced by that threshold's value."""
    def value(match):
        name = match.group(1)
        if name not in limits:
            raise UnknownThreshold(f"rule text names unknown threshold {{{name}}}")
        return str(limits[name]["value"])
    return PLACEHOLDER.sub(value, text)


def placeholders(text):
    """Return the threshold names a rule text refers to, in order."""
    return PLACEHOLDER.findall(text)


def fill_rules(raw_rules, limits):
    """Return a rule registry with threshold values written into its texts."""
    return {ident: {**rule, **{field: fill_rule_text(rule[field], limits) for field in _FILLED_FIELDS}}
            for ident, rule in raw_rules.items()}


@lru_cache(maxsize=None)
def _filled_rules():
    return fill_rules(_load("rules.yaml"), _load("thresholds.yaml"))


class KnowledgeRelease(NamedTuple):
    """The rules and thresholds of one rule-base version, as a clinician signs them."""

    version: str
    rules: MappingProxyType
    thresholds: MappingProxyType


def knowledge_dir():
    """Return the folder of the current knowledge data."""
    return resources.files(__name__)


def history_dir(version):
    """Return the folder holding the knowledge data of an earlier rule-base version."""
    return knowledge_dir().joinpath("history").joinpath(version)


def history_versions():
    """Return the earlier rule-base versions kept in history/, oldest first."""
    folders = [entry.name for entry in knowledge_dir().joinpath("history").iterdir() if entry.is_dir()]
    return sorted(folders, key=lambda name: tuple(int(part) for part in name.split(".")))


def load_release(folder, version):
    """Read rules.yaml and thresholds.yaml from a folder as one rule-base version."""
    limits = yaml.safe_load(folder.joinpath("thresholds.yaml").read_text(encoding="utf-8"))
    raw_rules = yaml.safe_load(folder.joinpath("rules.yaml").read_text(encoding="utf-8"))
    return KnowledgeRelease(version, MappingProxyType(fill_rules(raw_rules, limits)), MappingProxyType(limits))
