"""One submission's page: answers, reasoning, sources, cautions, review, printable summary."""
import re

import pytest
from sqlalchemy import select

from triage import knowledge
from web.demo import DEMO_PATIENTS
from web.extensions import db
from web.models import Submission

SCIATICA = DEMO_PATIENTS[0][2]
CAUDA_EQUINA = DEMO_PATIENTS[1][2]
NECK_ON_TWO_THINNERS = DEMO_PATIENTS[3][2]
KNEE_ON_THINNER = DEMO_PATIENTS[7][2]
HEADACHE_PREGNANT = DEMO_PATIENTS[8][2]


@pytest.fixture
def page_of(add_submission, nurse_client):
    """Store an intake and return its detail page as text."""
    def render(intake, code="TEST01"):
        submission_id = add_submission(intake, code)
        response = nurse_client.get(f"/nurse/submissions/{submission_id}")
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return render


def highlighted_shapes(page):
    return len(re.findall(r'class="bm-region bm-on"', page))


def test_body_map_highlights_the_patients_locations(page_of):
    page = page_of(SCIATICA)
    assert "Body map with pain marked at: Lower back (lumbar), Buttock, Leg" in page
    # lower back and buttock on the back view; the leg has four shapes front and two back
    assert highlighted_shapes(page) == 1 + 1 + 4 + 2


def test_answers_in_clinical_words_with_the_patients_wording(page_of):
    page = page_of(KNEE_ON_THINNER)
    assert "Anticoagulant" in page
    assert "Knee osteoarthritis (physician-diagnosed)" in page
    assert knowledge.label("health", "blood_thinner") in page
    assert '<th scope="row">Intra-articular knee injection</th><td>30 %</td>' in page
    assert "30 weeks ago" in page
    assert "None: every safety question answered no." in page


def test_peg_score_with_its_items(page_of):
    page = page_of(SCIATICA)
    assert "<strong>7.0</strong> / 10" in page
    assert "pain 7, enjoyment 6, activity 8" in page


def test_suggestion_shows_rule_conditions_rationale_and_sources(page_of):
    page = page_of(SCIATICA)
    rule = knowledge.rules()["esi.lumbar.radicular"]
    assert "Epidural steroid injection, lumbar" in page
    assert f"<code>esi.lumbar.radicular</code> {rule['title']}" in page
    assert rule["rationale"].split()[0] in page
    assert "duration(back_leg) 9 &gt;= 4" in page
    s3 = knowledge.sources()["S3"]
    assert f'<a href="{s3["urls"][0]}" rel="noopener noreferrer">{s3["title"]}</a>' in page


def test_why_not_reasons(page_of):
    page = page_of(SCIATICA)
    assert re.search(r'<th scope="row">Facet joint pathway \(medial branch block\)[^<]*</th>'
                     r'<td>Radicular pain to address first</td>', page)


def test_alert_first_and_suggestions_withheld(page_of):
    page = page_of(HEADACHE_PREGNANT)
    assert page.index("Headache red flag (urgent)") < page.index("Consultations to discuss")
    assert "Withheld because of an alert" in page
    assert "Nerve block, occipital" in page
    assert "Pregnancy" in page


def test_bleeding_caution_shows_the_asra_class(page_of):
    page = page_of(NECK_ON_TWO_THINNERS)
    assert "ASRA bleeding-risk class" in page
    # cervical epidural is intermediate; a blood thinner plus an antiplatelet raises it one class
    assert re.search(r'Epidural steroid injection, cervical</th><td><span class="asra asra--high">high</span>', page)


def test_emergency_page_lists_the_alert_reason(page_of):
    page = page_of(CAUDA_EQUINA)
    assert "Emergency: Possible cauda equina syndrome" in page
    assert "<code>alert.cauda_equina</code>" in page
    assert "Saddle anaesthesia or new sexual dysfunction" in page


def test_unknown_submission_is_404(nurse_client):
    assert nurse_client.get("/nurse/submissions/999").status_code == 404


def test_mark_reviewed_with_a_note(db_app, add_submission, nurse_client):
    submission_id = add_submission(CAUDA_EQUINA, "EMR001")
    response = nurse_client.post(f"/nurse/submissions/{submission_id}/review",
                                 data={"note": "Sent to ED by phone, 10:05."})
    assert response.status_code == 302 and response.location == "/nurse/"
    assert "EMR001 marked reviewed." in nurse_client.get("/nurse/").get_data(as_text=True)
    with db_app.app_context():
        submission = db.session.get(Submission, submission_id)
        assert (submission.status, submission.review_note) == ("reviewed", "Sent to ED by phone, 10:05.")
        assert submission.reviewed_by.username == "nina" and submission.reviewed_at is not None
    page = nurse_client.get(f"/nurse/submissions/{submission_id}").get_data(as_text=True)
    assert "Reviewed by nina on" in page and "Sent to ED by phone, 10:05." in page
    assert "Mark reviewed</button>" not in page


def test_second_review_keeps_the_first(db_app, add_submission, nurse_client, create_staff):
    from conftest import sign_in

    submission_id = add_submission(SCIATICA, "TWICE1")
    nurse_client.post(f"/nurse/submissions/{submission_id}/review", data={"note": "first"})
    create_staff("olga")
    other = db_app.test_client()
    sign_in(other, "olga")
    response = other.post(f"/nurse/submissions/{submission_id}/review", data={"note": "second"})
    assert response.location == f"/nurse/submissions/{submission_id}"
    assert "TWICE1 was already reviewed by nina." in other.get(response.location).get_data(as_text=True)
    with db_app.app_context():
        assert db.session.execute(select(Submission.review_note)).scalar_one() == "first"


def test_a_too_long_note_is_refused(db_app, add_submission, nurse_client):
    submission_id = add_submission(SCIATICA, "LONG01")
    response = nurse_client.post(f"/nurse/submissions/{submission_id}/review", data={"note": "x" * 2001})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True)
    with db_app.app_context():
        assert db.session.get(Submission, submission_id).status == "new"


def test_printable_summary(add_submission, nurse_client):
    submission_id = add_submission(NECK_ON_TWO_THINNERS, "PRINT1")
    page = nurse_client.get(f"/nurse/submissions/{submission_id}/print").get_data(as_text=True)
    assert "Pain intake summary: check-in PRINT1" in page
    assert "Epidural steroid injection, cervical — ASRA high" in page
    assert "Printed" in page and "by nina" in page
    assert 'data-print' in page and "onclick" not in page


def test_no_inline_script_or_style_on_nurse_pages(add_submission, nurse_client):
    submission_id = add_submission(KNEE_ON_THINNER, "CSP001")
    for url in ("/nurse/", f"/nurse/submissions/{submission_id}", f"/nurse/submissions/{submission_id}/print"):
        page = nurse_client.get(url).get_data(as_text=True)
        assert not re.search(r"<script>|<script [^>]*>[^<]+</script>|\sstyle=|<style|\son[a-z]+=", page), url
