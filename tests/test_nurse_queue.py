"""The queue: order, filters, search, counts, pages; and the CSV export of it."""
import csv
import io
import re

import pytest

from web.demo import DEMO_PATIENTS
from web.exports import neutralise

SCIATICA = DEMO_PATIENTS[0][2]        # no alert: lumbar epidural suggested
CAUDA_EQUINA = DEMO_PATIENTS[1][2]    # emergency
MALIGNANCY = DEMO_PATIENTS[5][2]      # urgent
MILD = DEMO_PATIENTS[14][2]           # no alert, nothing suggested


def codes_in(page):
    """The check-in codes of the queue table, top to bottom."""
    return re.findall(r'<th scope="row"><a href="/nurse/submissions/\d+">(\w+)</a>', page)


@pytest.fixture
def queue(add_submission):
    """A queue where arrival order differs from priority order: {code: id}."""
    return {
        "OLD001": add_submission(SCIATICA, "OLD001", minutes_ago=300),
        "URG001": add_submission(MALIGNANCY, "URG001", minutes_ago=30),
        "EMR001": add_submission(CAUDA_EQUINA, "EMR001", minutes_ago=5),
        "NEW001": add_submission(MILD, "NEW001", minutes_ago=1),
        "URG000": add_submission(MALIGNANCY, "URG000", minutes_ago=90),
        "DONE01": add_submission(SCIATICA, "DONE01", minutes_ago=400, status="reviewed"),
    }


def test_emergency_then_urgent_then_oldest_first(queue, nurse_client):
    page = nurse_client.get("/nurse/").get_data(as_text=True)
    assert codes_in(page) == ["EMR001", "URG000", "URG001", "OLD001", "NEW001"]


@pytest.mark.parametrize("status, expected", [
    ("new", ["EMR001", "URG000", "URG001", "OLD001", "NEW001"]),
    ("reviewed", ["DONE01"]),
    ("all", ["EMR001", "URG000", "URG001", "OLD001", "NEW001", "DONE01"]),
    ("nonsense", ["EMR001", "URG000", "URG001", "OLD001", "NEW001"]),
])
def test_filters(queue, nurse_client, status, expected):
    page = nurse_client.get(f"/nurse/?status={status}").get_data(as_text=True)
    assert codes_in(page) == expected


@pytest.mark.parametrize("typed", ["URG001", "urg001", " urg-001 "])
def test_search_by_check_in_code(queue, nurse_client, typed):
    page = nurse_client.get("/nurse/", query_string={"status": "all", "code": typed}).get_data(as_text=True)
    assert codes_in(page) == ["URG001"]


def test_search_with_no_match_says_so(queue, nurse_client):
    page = nurse_client.get("/nurse/?code=ZZZZZZ").get_data(as_text=True)
    assert codes_in(page) == []
    assert "No submission has this check-in code." in page


def test_counts_at_the_top(queue, nurse_client):
    page = nurse_client.get("/nurse/").get_data(as_text=True)
    counts = dict((label, int(number)) for number, label in re.findall(
        r'<span class="count__number">(\d+)</span> ([a-z ]+)</li>', page))
    assert counts == {"new emergency": 1, "new urgent": 2, "new in all": 5, "reviewed": 1}
    assert "All (6)" in page


def test_pages(db_app, add_submission, nurse_client):
    db_app.config["QUEUE_PAGE_SIZE"] = 2
    for number in range(5):
        add_submission(SCIATICA, f"PAGE0{number}", minutes_ago=50 - number)
    first = nurse_client.get("/nurse/").get_data(as_text=True)
    third = nurse_client.get("/nurse/?page=3").get_data(as_text=True)
    assert codes_in(first) == ["PAGE00", "PAGE01"]
    assert codes_in(third) == ["PAGE04"]
    assert "Page 1 of 3" in first and 'rel="next" href="/nurse/?status=new&amp;page=2"' in first
    assert codes_in(nurse_client.get("/nurse/?page=9").get_data(as_text=True)) == []


def test_queue_rows_speak_clinical_words(queue, nurse_client):
    page = nurse_client.get("/nurse/").get_data(as_text=True)
    assert "Possible cauda equina syndrome" in page
    assert "Lower back (lumbar), Leg" in page
    assert '<span class="badge badge--emergency">Emergency</span>' in page


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_csv_follows_the_current_filter(queue, nurse_client):
    response = nurse_client.get("/nurse/export.csv?status=new")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert [row["checkin_code"] for row in rows] == ["EMR001", "URG000", "URG001", "OLD001", "NEW001"]
    assert rows[0]["priority"] == "emergency" and rows[0]["alerts"] == "cauda_equina"
    assert rows[3]["suggestions"] == "epidural_steroid_injection:lumbar"
    searched = read_csv(nurse_client.get("/nurse/export.csv?status=all&code=done01"))
    assert [row["checkin_code"] for row in searched] == ["DONE01"]


def test_csv_neutralises_formulas_in_free_text(queue, nurse_client):
    nurse_client.post(f"/nurse/submissions/{queue['EMR001']}/review",
                      data={"note": '=HYPERLINK("http://evil.example","click")'})
    rows = read_csv(nurse_client.get("/nurse/export.csv?status=reviewed"))
    note = next(row["review_note"] for row in rows if row["checkin_code"] == "EMR001")
    assert note == '\'=HYPERLINK("http://evil.example","click")'


@pytest.mark.parametrize("cell, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("plain", "plain"), ("a=b", "a=b"), (6.3, "6.3"), (None, ""),
])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected
