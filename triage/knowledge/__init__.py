"""Clinical knowledge that clinicians review: thresholds, rules, sources, patient text.

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


def patient_text(lang=DEFAULT_LANGUAGE):
    """Return the patient-facing text in one language (see text/en.yaml)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    return _load(f"text/{lang}.yaml")


def label(kind, ident, lang=DEFAULT_LANGUAGE):
    """Return the patient wording of one identifier (a location, symptom, ...)."""
    return patient_text(lang)["labels"][kind][ident]


# The rule registry writes no number: `{threshold_name}` in a rule's title,
# conditions or rationale is filled from thresholds.yaml when it is loaded.
_PLACEHOLDER = re.compile(r"\{([a-z0-9_]+)\}")
_FILLED_FIELDS = ("title", "conditions", "rationale")


class UnknownThreshold(KeyError):
    """A rule text names a threshold that the thresholds data lacks."""


def fill_thresholds(text, limits):
    """Return text with every {threshold_name} replaced by that threshold's value."""
    def value(match):
        name = match.group(1)
        if name not in limits:
            raise UnknownThreshold(f"rule text names unknown threshold {{{name}}}")
        return str(limits[name]["value"])
    return _PLACEHOLDER.sub(value, text)


def placeholders(text):
    """Return the threshold names a rule text refers to, in order."""
    return _PLACEHOLDER.findall(text)


def fill_rules(raw_rules, limits):
    """Return a rule registry with threshold values written into its texts."""
    return {ident: {**rule, **{field: fill_thresholds(rule[field], limits) for field in _FILLED_FIELDS}}
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
