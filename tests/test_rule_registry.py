"""The rule registry (knowledge/rules.yaml) against rules.md version 2: ids, sources, numbers."""
import re
from importlib import resources

import pytest

from test_golden import spec_dir
from triage.knowledge import (UnknownThreshold, fill_rules, history_dir, load_release, placeholders, rules,
                              threshold, thresholds)

ALERT_RULES = """
alert.cauda_equina alert.post_injection_complication.reported alert.post_injection_complication.recent_procedure
alert.headache_emergency alert.chest_pain alert.aortic_aneurysm alert.self_harm_emergency
alert.fever_immunosuppressed alert.septic_joint.hot_joint alert.septic_joint.replaced_knee alert.limb_ischemia
alert.head_injury_bleeding_risk alert.neurologic_deficit alert.possible_infection.fever
alert.possible_infection.risk_factor alert.possible_malignancy.weight_loss alert.possible_malignancy.spine
alert.possible_malignancy.new_pain alert.possible_malignancy.night_pain alert.possible_fracture.trauma
alert.possible_fracture.age alert.possible_fracture.bone_health alert.headache_warning.changed_pattern
alert.headache_warning.new_after_50 alert.headache_warning.pregnancy alert.headache_warning.immunosuppressed
alert.headache_warning.head_injury alert.limb_circulation alert.joint_inflamed alert.self_harm_risk
""".split()
SUGGESTION_RULES = """
esi.lumbar.radicular esi.lumbar.claudication esi.cervical esi.axial_pain_only rfa.facet.negative_block
facet.block_region_unknown rfa.facet facet.confirmatory_block facet.diagnostic_block facet.radicular_pain
rfa.facet_repeat rfa.genicular_repeat si.diagnostic si.therapeutic si.radicular_pain tpi.myofascial
nerve_block.occipital nerve_block.genicular rfa.genicular nerve_block.sympathetic
""".split()
CAUTIONS = """
bleeding_risk diabetes_steroid steroid_load pregnancy allergy implanted_device active_infection immunosuppressed
sedation_risk opioid_safety transport cancer_history night_pain aortic_aneurysm_known inflammatory_back_pain
knee_replacement_review mixed_durations frequency_limit
""".split()
EXPECTED_IDS = set(ALERT_RULES) | {"withhold.on_alert"} | set(SUGGESTION_RULES) | {f"caution.{c}" for c in CAUTIONS}

SOURCE_KEY = re.compile(r"\bS\d+\b|\bgeneral\b")
UNIT_WORDS = r"weeks?|months?|years?|%|percent|points?|criteria|rows?|injections?|blocks?|ablations?"
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
# A number that stands for a threshold: digits or a number word, next to a unit word or
# after a comparison. Identifiers (postpartum_6_weeks), source keys (S12) and guideline
# numbers (NG59) are not numbers here.
NUMBER = r"(?<![\w.])(\d+|" + "|".join(NUMBER_WORDS) + r")(?![\w.])"
NUMBER_IN_TEXT = re.compile(rf"(?:(?:<|<=|>=|>|==|at least|under|below|over)\s+{NUMBER})|(?:{NUMBER}[\s-]*(?:{UNIT_WORDS})\b)",
                            re.IGNORECASE)
# Reviewed numbers that look like thresholds but are not: phrase -> reason. Empty today:
# every number in rules.yaml is a {threshold_name}; definitions are in words ("two or
# more regions", "the four Budapest symptom categories") and do not take a unit word.
ALLOWED_NUMBERS = {}


def rules_md():
    path = spec_dir() / "rules.md"
    assert path.is_file(), f"rules.md not found at {path} (set TRIAGE_SPEC_DIR to the spec directory)"
    return path.read_text(encoding="utf-8")


def part(text, start, end):
    """Return the text of rules.md from the heading `start` up to the heading `end`."""
    begin = text.index(start)
    return text[begin:text.index(end, begin)]


def table_sources(section):
    """Return {id: set of source keys} from a rules.md table whose first column is the id."""
    rows = re.findall(r"^\| `(\w+)` \|(.*)\|\s*$", section, re.MULTILINE)
    return {ident: set(SOURCE_KEY.findall(cells.rsplit("|", 1)[-1])) for ident, cells in rows}


def suggestion_sections(text):
    """Return [(section number, heading keys, section text)] for rules.md 3.1 to 3.9."""
    found = re.finditer(r"^### (3\.\d(?:–3\.\d)?) [^\n]*?((?:\[(?:S\d+|general)\])+)\n(.*?)(?=^##)",
                        text, re.MULTILINE | re.DOTALL)
    return [(match.group(1), set(SOURCE_KEY.findall(match.group(2))), match.group(3)) for match in found]


def own_text(section_text, ident, all_ids):
    """Return the rule's own text in rules.md: from its id to the next rule id, bullet or blank line."""
    begin = section_text.index(f"`{ident}`") + len(ident) + 2
    ends = [section_text.find(stop, begin) for stop in ("\n- ", "\n\n")]
    ends += [section_text.find(f"`{other}`", begin) for other in all_ids if other != ident]
    return section_text[begin:min([end for end in ends if end >= 0] + [len(section_text)])]


def test_rule_ids_are_exactly_those_of_rules_md_version_2():
    assert set(rules()) == EXPECTED_IDS
    assert len(rules()) == len(EXPECTED_IDS)


def test_every_rule_id_of_the_alert_table_and_its_clauses_is_registered():
    """The ids above are those of rules.md §2: `alert.<id>` for one clause, else `alert.<id>.<clause>`."""
    alerts = table_sources(part(rules_md(), "## 2. Alerts", "### 2.1"))
    registered = {ident.split(".")[1] for ident in ALERT_RULES}
    assert registered == set(alerts)


def test_alert_clauses_carry_the_whole_source_column_of_their_row():
    alerts = table_sources(part(rules_md(), "## 2. Alerts", "### 2.1"))
    for ident in ALERT_RULES:
        assert set(rules()[ident]["sources"]) == alerts[ident.split(".")[1]], ident


def test_caution_sources_are_the_source_column_of_their_row():
    cautions = table_sources(part(rules_md(), "## 4. Cautions", "## 5."))
    assert set(cautions) == set(CAUTIONS)
    for ident in CAUTIONS:
        assert set(rules()[f"caution.{ident}"]["sources"]) == cautions[ident], ident


def test_suggestion_sources_are_the_heading_keys_plus_those_in_the_rules_own_text():
    sections = suggestion_sections(rules_md())
    assert [number for number, _, _ in sections] == ["3.1", "3.2–3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9"]
    for ident in SUGGESTION_RULES:
        (number, heading, text), = [s for s in sections if f"`{ident}`" in s[2]]
        expected = heading | set(SOURCE_KEY.findall(own_text(text, ident, SUGGESTION_RULES)))
        assert rules()[ident]["section"] == number, ident
        assert set(rules()[ident]["sources"]) == expected, ident


def test_own_text_finds_the_keys_written_beside_a_rule():
    sections = {number: text for number, _, text in suggestion_sections(rules_md())}
    assert set(SOURCE_KEY.findall(own_text(sections["3.5"], "si.radicular_pain", SUGGESTION_RULES))) == {"S15", "S7"}
    assert "S12" in own_text(sections["3.1"], "esi.lumbar.claudication", SUGGESTION_RULES)
    assert "S12" not in own_text(sections["3.1"], "esi.cervical", SUGGESTION_RULES)


def test_sections_follow_rules_md():
    for ident, rule in rules().items():
        if ident.startswith(("alert.", "withhold.")):
            assert rule["section"] == "2", ident
        elif ident.startswith("caution."):
            assert rule["section"] == "4", ident


@pytest.mark.parametrize("ident", sorted(EXPECTED_IDS))
def test_every_rule_has_words_rationale_sources_and_known_thresholds(ident):
    raw = raw_rules()[ident]
    assert raw["title"] and raw["conditions"] and raw["rationale"] and raw["sources"]
    named = {name for field in ("title", "conditions", "rationale") for name in placeholders(raw[field])}
    assert named <= set(raw["thresholds"]), f"{ident} quotes thresholds it does not list: {named - set(raw['thresholds'])}"
    assert set(raw["thresholds"]) <= set(thresholds())
    assert len(raw["thresholds"]) == len(set(raw["thresholds"]))


def raw_rules():
    import yaml
    return yaml.safe_load(rules_yaml_text())


def rules_yaml_text():
    return resources.files("triage.knowledge").joinpath("rules.yaml").read_text(encoding="utf-8")


def test_rules_yaml_writes_no_threshold_number():
    """Every number of a rule text comes from thresholds.yaml, so moving a threshold moves the text."""
    values = {item["value"] for item in thresholds().values()}
    flat = " ".join(rules_yaml_text().split())  # a number and its unit may sit on two lines
    found, used = [], set()
    for match in NUMBER_IN_TEXT.finditer(flat):
        word = (match.group(1) or match.group(2)).lower()
        if NUMBER_WORDS.get(word, None if not word.isdigit() else int(word)) not in values:
            continue
        around = flat[max(0, match.start() - 60):match.end() + 60]
        allowed = [phrase for phrase in ALLOWED_NUMBERS if phrase in around]
        used.update(allowed)
        if not allowed:
            found.append(around)
    assert not found, "threshold numbers written in rules.yaml (use {threshold_name}): " + " | ".join(found)
    assert used == set(ALLOWED_NUMBERS), f"allow-list entries no longer needed: {set(ALLOWED_NUMBERS) - used}"


@pytest.mark.parametrize("text", ["weeks_ago < 2 and", "relief under 6 weeks", "for two weeks", "4 injections",
                                  "at least 50 %", "age >= 70", "12-week window", "over 3 months",
                                  "weeks_ago <\n    12"])
def test_the_number_scan_catches_written_numbers(text):
    assert NUMBER_IN_TEXT.search(text)


@pytest.mark.parametrize("text", ["postpartum_6_weeks", "NICE NG59 advises", "[S12] weeks", "{esi_max_per_year} injections",
                                  "knee_replacement_last_6_months", "988"])
def test_the_number_scan_ignores_identifiers_and_placeholders(text):
    assert not NUMBER_IN_TEXT.search(text)


def test_texts_are_filled_with_the_current_threshold_values():
    rule = rules()["alert.post_injection_complication.recent_procedure"]
    assert f"weeks_ago < {threshold('recent_spine_procedure_weeks')}," in rule["conditions"]
    assert f"with weeks_ago < {threshold('recent_spine_surgery_weeks')}," in rule["conditions"]
    assert rules()["alert.possible_fracture.age"]["title"] == f"New spine pain at {threshold('fracture_age')} or over (urgent)"
    for ident, entry in rules().items():
        for field in ("title", "conditions", "rationale"):
            assert "{" not in entry[field] and "}" not in entry[field], (ident, field)


def test_a_moved_threshold_moves_every_text_that_quotes_it():
    limits = {name: dict(item) for name, item in thresholds().items()}
    limits["recent_spine_procedure_weeks"]["value"] = 9
    filled = fill_rules(raw_rules(), limits)
    assert "weeks_ago < 9," in filled["alert.post_injection_complication.recent_procedure"]["conditions"]
    assert "9 weeks" in filled["alert.post_injection_complication.reported"]["rationale"]


def test_an_unknown_threshold_name_in_a_rule_text_is_an_error():
    with pytest.raises(UnknownThreshold, match="no_such_threshold"):
        fill_rules({"x": {"title": "t", "conditions": "a < {no_such_threshold}", "rationale": "r"}}, thresholds())


def test_the_rationale_marks_choices_where_rules_md_is_silent():
    marked = [ident for ident, rule in rules().items() if "Interpretation:" in rule["rationale"]]
    assert {"withhold.on_alert", "caution.mixed_durations", "esi.axial_pain_only"} <= set(marked)


def test_version_1_data_is_kept_as_history():
    old = load_release(history_dir("1.0.0"), "1.0.0")
    assert "alert.headache_warning.risk_factor" in old.rules and "alert.septic_joint.hot_joint" not in old.rules
    assert old.thresholds["recent_spine_procedure_weeks"]["value"] == 2
