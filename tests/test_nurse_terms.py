"""Every identifier the nurse views render has a clinical label, never a raw or spaced-out id."""
import json

import pytest
from conftest import REPO, SPEC_DIR
from test_i18n import visible

from triage import contract, evaluate, validate
from triage.engine import TERMS
from web.nurse.terms import BECAUSE_KINDS, CLINICAL_TERMS

CONTRACT_IDS = {
    "location": contract.LOCATIONS,
    "symptom": contract.SYMPTOMS,
    "red_flag": contract.RED_FLAGS,
    "health": contract.HEALTH,
    "treatment": contract.TREATMENT_TYPES,
    "consultation": tuple(contract.CONSULTATIONS),
    "variant": tuple(variant for variants in contract.CONSULTATIONS.values() for variant in variants if variant),
    "alert": tuple(contract.ALERTS),
    "caution": contract.CAUTIONS,
    "reason": contract.REASONS,
    "derived": TERMS,
}
# One patient who gives every answer the contract knows.
EVERY_ANSWER = {
    "age": 60, "locations": list(contract.LOCATIONS), "duration_weeks": 30, "newest_pain_weeks": 20,
    "pain_average": 7, "interference_enjoyment": 7, "interference_activity": 7,
    "symptoms": list(contract.SYMPTOMS), "red_flags": list(contract.RED_FLAGS), "health": list(contract.HEALTH),
    "treatments": [{"type": kind, "relief_percent": 30, "weeks": 6, "weeks_ago": 20}
                   for kind in contract.TREATMENT_TYPES],
}


@pytest.mark.parametrize("kind", sorted(CONTRACT_IDS))
def test_every_contract_identifier_has_a_clinical_label(kind):
    missing = [ident for ident in CONTRACT_IDS[kind] if ident not in CLINICAL_TERMS[kind]]
    assert not missing, f"add a nurse's label to web/nurse/terms.py for {kind}: {missing}"


def case_intakes():
    """The valid intakes of every golden case, shared and our own."""
    paths = sorted((SPEC_DIR / "cases").glob("*.json")) + sorted((REPO / "tests" / "golden").glob("*.json"))
    intakes = [json.loads(path.read_text())["intake"] for path in paths]
    return [intake for intake in intakes if isinstance(intake, dict) and not validate(intake)]


def test_every_because_identifier_the_engine_gives_has_a_label():
    seen = set()
    for intake in case_intakes() + [EVERY_ANSWER]:
        result = evaluate(intake).to_dict()
        for section in ("alerts", "suggestions", "withheld"):
            seen.update(ident for item in result[section] for ident in item["because"])
    labelled = {ident for kind in BECAUSE_KINDS for ident in CLINICAL_TERMS[kind]}
    assert len(seen) > 30
    assert seen - labelled == set(), "add these to web/nurse/terms.py"


def test_the_nurse_pages_show_a_label_for_every_answer(add_submission, nurse_client):
    assert validate(EVERY_ANSWER) == []
    submission_id = add_submission(EVERY_ANSWER, "ALLIDS")
    for url in (f"/nurse/submissions/{submission_id}", f"/nurse/submissions/{submission_id}/print"):
        text = " ".join(visible(nurse_client.get(url).get_data(as_text=True)))
        for kind in ("location", "symptom", "red_flag", "health", "treatment"):
            absent = [ident for ident in CONTRACT_IDS[kind] if CLINICAL_TERMS[kind][ident] not in text]
            assert not absent, f"{url} shows no label for {kind}: {absent}"
        result = evaluate(EVERY_ANSWER).to_dict()
        for alert in result["alerts"]:
            assert CLINICAL_TERMS["alert"][alert["id"]] in text, (url, alert["id"])
    queue = " ".join(visible(nurse_client.get("/nurse/").get_data(as_text=True)))
    assert all(CLINICAL_TERMS["location"][ident] in queue for ident in contract.LOCATIONS)
