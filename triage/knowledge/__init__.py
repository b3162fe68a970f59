"""Clinical knowledge that clinicians review: thresholds, rules, sources, patient text.

Everything here is data in YAML files beside this module; the loaders read each
file once and hand out read-only views.
"""
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

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
    """Return the rule registry: id -> {title, rationale, sources, conditions, ...}."""
    return MappingProxyType(_load("rules.yaml"))


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
