"""CDS Hooks 2.0: discovery, patient-view cards, and the EHR's JWT (CDS Hooks 2.0 examples as fixtures)."""
import json

import pytest
from sqlalchemy import func, select

from cds_hooks import (BASE, CAUDA_EQUINA, FEEDBACK_URL, HEADACHE_PREGNANT, ISSUER, NECK_ON_TWO_THINNERS,
                       SCIATICA, Ehr, add_linked, fixture, patient_view_request)
from conftest import SPEC_DIR, make_app
from triage import evaluate, knowledge
from web.cds import cards as cds_cards
from web.demo import submission_for
from web.extensions import db
from web.models import AuditEvent, CdsCard, CdsFeedback, utcnow

INDICATORS = ("info", "warning", "critical")


@pytest.fixture
def ehr():
    from web.clock import FrozenClock

    return Ehr(FrozenClock())


def trusting_app(tmp_path, ehr, **config):
    """An app that trusts the test EHR's key."""
    return make_app(tmp_path, CLOCK=ehr.clock, PUBLIC_BASE_URL=BASE, CDS_HOOKS_ISSUERS={ISSUER: ehr.jwks}, **config)


@pytest.fixture
def cds_app(tmp_path, ehr):
    """An app on SQLite that trusts the test EHR (the round trip below also runs on PostgreSQL)."""
    app = trusting_app(tmp_path, ehr)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_round_trip_on_each_database(db_url, tmp_path, ehr):
    """Cards stored once however often they are sent, a replayed JWT refused, feedback stored."""
    app = trusting_app(tmp_path, ehr, SQLALCHEMY_DATABASE_URI=db_url)
    add_linked(app, NECK_ON_TWO_THINNERS, "NK0001", patient_id="1288992")
    client = app.test_client()
    token = ehr.auth()
    first = client.post("/cds-services/patient-view", json=patient_view_request(), headers=token).get_json()
    assert client.post("/cds-services/patient-view", json=patient_view_request(), headers=token).status_code == 401
    again = client.post("/cds-services/patient-view", json=patient_view_request(), headers=ehr.auth()).get_json()
    assert again == first and len(first["cards"]) == 3
    body = fixture("feedback-overridden.json")
    body["feedback"][0]["card"] = first["cards"][0]["uuid"]
    response = client.post("/cds-services/patient-view/feedback", json=body, headers=ehr.auth(audience=FEEDBACK_URL))
    assert response.get_json() == {"stored": 1}
    with app.app_context():
        assert db.session.execute(select(func.count()).select_from(CdsCard)).scalar_one() == 3
        assert db.session.execute(select(CdsFeedback.outcome)).scalars().all() == ["overridden"]
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def call(cds_app, ehr):
    """POST a patient-view request with a fresh JWT; return the response."""
    client = cds_app.test_client()

    def post(body=None, headers=None, **token_options):
        auth = ehr.auth(**token_options) if headers is None else headers
        return client.post("/cds-services/patient-view", json=body or patient_view_request(), headers=auth)

    return post


def check_card_response(body):
    """The response rules of CDS Hooks 2.0 ("CDS Service Response", "Card Attributes")."""
    assert isinstance(body["cards"], list)
    for card in body["cards"]:
        assert isinstance(card["summary"], str) and 0 < len(card["summary"]) < 140
        assert card["indicator"] in INDICATORS
        assert isinstance(card["source"]["label"], str) and card["source"]["label"]
        assert all(value not in (None, "", [], {}) for value in card.values())
        if "suggestions" in card:
            assert card["selectionBehavior"] in ("at-most-one", "any")
        for reason in card.get("overrideReasons", []):
            assert reason["display"]
        for link in card.get("links", []):
            assert link["type"] in ("absolute", "smart") and link["label"] and link["url"]
            assert link["type"] == "smart" or ("appContext" not in link and link["url"].startswith("https://"))


@pytest.mark.parametrize("example", ["cards-response.json", "empty-response.json"])
def test_the_response_check_accepts_the_specs_own_examples(example):
    check_card_response(fixture(example))


def test_discovery_lists_the_patient_view_service(cds_app):
    response = cds_app.test_client().get("/cds-services")
    assert response.status_code == 200
    services = response.get_json()["services"]
    assert [(service["hook"], service["id"]) for service in services] == [("patient-view", "patient-view")]
    spec_fields = set().union(*fixture("discovery-response.json")["services"])
    assert set(services[0]) <= spec_fields and services[0]["description"]


def test_spec_request_gets_one_critical_card_per_emergency_alert(cds_app, call):
    submission_id = add_linked(cds_app, CAUDA_EQUINA, "CE0001", patient_id="1288992")
    response = call(headers=None)
    assert response.status_code == 200
    body = response.get_json()
    check_card_response(body)
    [card] = body["cards"]
    assert card["indicator"] == "critical"
    assert card["summary"] == "Emergency red flag: Possible cauda equina syndrome"
    assert "New bladder or bowel dysfunction" in card["detail"]  # a reason (because)
    s28 = knowledge.sources()["S28"]
    assert f"[{cds_cards.md(s28['title'])}](<{s28['urls'][0]}>)" in card["detail"]
    assert card["source"]["label"] == "Pain Triage rule base 2.0.0"
    assert card["links"] == [{"label": "Nurse review of check-in CE0001", "type": "absolute",
                              "url": f"{BASE}/nurse/submissions/{submission_id}"}]


def test_link_comes_from_the_configured_base_never_the_host_header(cds_app, ehr):
    add_linked(cds_app, SCIATICA, "SC0001", patient_id="1288992")
    response = cds_app.test_client().post("/cds-services/patient-view", json=patient_view_request(),
                                          headers={**ehr.auth(), "Host": "attacker.example"})
    assert response.get_json()["cards"][0]["links"][0]["url"].startswith(f"{BASE}/nurse/submissions/")


def test_urgent_alert_is_a_warning_and_cautions_and_suggestions_are_info(cds_app, call):
    add_linked(cds_app, HEADACHE_PREGNANT, "HP0001", patient_id="p-1")
    indicators = [card["indicator"] for card in call(patient_view_request("p-1")).get_json()["cards"]]
    assert indicators[0] == "warning" and set(indicators[1:]) == {"info"}
    add_linked(cds_app, NECK_ON_TWO_THINNERS, "NK0001", patient_id="p-2")
    body = call(patient_view_request("p-2")).get_json()
    check_card_response(body)
    summaries = [card["summary"] for card in body["cards"]]
    assert any(summary.startswith("Caution: Bleeding risk") for summary in summaries)
    assert any(summary.startswith("Consultation to discuss: ") for summary in summaries)


def test_newest_linked_submission_gives_the_cards(cds_app, call):
    add_linked(cds_app, CAUDA_EQUINA, "OLD001", patient_id="1288992", minutes_ago=60 * 24 * 30)
    add_linked(cds_app, SCIATICA, "NEW001", patient_id="1288992")
    add_linked(cds_app, HEADACHE_PREGNANT, "OTHER1", patient_id="someone-else")
    [card] = call().get_json()["cards"]
    assert card["summary"] == "Consultation to discuss: Epidural steroid injection, lumbar"
    assert "NEW001" in card["links"][0]["label"]


def test_patient_without_a_linked_submission_gets_no_cards(cds_app, call):
    add_linked(cds_app, CAUDA_EQUINA, "CE0001")  # not linked to anyone
    response = call()
    assert response.status_code == 200 and response.get_json() == {"cards": []}


def test_card_uuids_are_stable_per_submission_and_item(cds_app, call):
    add_linked(cds_app, NECK_ON_TWO_THINNERS, "NK0001", patient_id="1288992")
    first = [card["uuid"] for card in call().get_json()["cards"]]
    assert [card["uuid"] for card in call().get_json()["cards"]] == first
    assert len(set(first)) == len(first)
    add_linked(cds_app, NECK_ON_TWO_THINNERS, "NK0002", patient_id="1288992")
    assert set(card["uuid"] for card in call().get_json()["cards"]).isdisjoint(first)
    with cds_app.app_context():
        assert len(db.session.execute(select(CdsCard)).scalars().all()) == 2 * len(first)


def test_every_call_is_audited_with_the_ehr_as_the_viewer(cds_app, call):
    add_linked(cds_app, SCIATICA, "SC0001", patient_id="1288992")
    call()
    with cds_app.app_context():
        event = db.session.execute(select(AuditEvent).filter_by(action="cds_view")).scalar_one()
        assert event.username == f"ehr:{ISSUER}" and event.checkin_code == "SC0001"
        assert "1 cards for EHR user Practitioner/example" in event.detail


@pytest.mark.parametrize("body, message", [
    ({"hook": "order-sign", "hookInstance": "x", "context": {"patientId": "1"}}, "patient-view"),
    ({"hook": "patient-view", "context": {"patientId": "1"}}, "hookInstance"),
    ({"hook": "patient-view", "hookInstance": "x", "context": {}}, "context.patientId"),
    ({"hook": "patient-view", "hookInstance": "x", "context": {"patientId": "a/b"}}, "context.patientId"),
])
def test_malformed_requests_get_400_json(call, body, message):
    response = call(body)
    assert response.status_code == 400 and message in response.get_json()["error"]


def test_wrong_method_under_cds_services_answers_json(cds_app):
    response = cds_app.test_client().get("/cds-services/patient-view")
    assert response.status_code == 405 and response.get_json()["status"] == 405


def golden_cases():
    """The valid golden patients (the invalid ones never become a submission)."""
    cases = sorted((SPEC_DIR / "cases").glob("*.json"))
    return [path for path in cases if "invalid" not in json.loads(path.read_text())["expect"]]


def test_golden_cases_give_one_card_per_alert_suggestion_and_caution(tmp_path):
    app = make_app(tmp_path, PUBLIC_BASE_URL=BASE)
    counts = {}
    with app.test_request_context():
        for number, path in enumerate(golden_cases(), start=1):
            intake = json.loads(path.read_text())["intake"]
            result = evaluate(intake).to_dict()
            submission = submission_for(intake, f"G{number:05d}", utcnow())
            submission.id = number
            cards = [card for _, card in cds_cards.cards_for(submission)]
            check_card_response({"cards": cards})
            expected = (["critical" if alert["level"] == "emergency" else "warning" for alert in result["alerts"]]
                        + ["info"] * (len(result["suggestions"]) + len(result["cautions"])))
            assert [card["indicator"] for card in cards] == expected, path.name
            counts[path.stem] = len(cards)
    assert len(counts) == len(golden_cases()) > 0


def test_summaries_are_cut_under_140_characters_at_a_word():
    long = "Consultation to discuss: " + "very " * 40 + "long"
    assert len(cds_cards.summary(long)) < 140 and cds_cards.summary(long).endswith("very…")
    assert cds_cards.summary("short") == "short"


def test_markdown_in_knowledge_text_is_escaped():
    assert cds_cards.md("a *b* [c](d) <script>") == "a \\*b\\* \\[c\\](d) \\<script\\>"
