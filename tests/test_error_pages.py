"""Error pages say what happened, truthfully, in the patient's language."""
import pytest
from sqlalchemy.exc import OperationalError
from test_i18n import assert_spanish
from test_patient_flow import NO_FLAGS, post_step

from web import error_page

POSTED_FAILURE = "What you just sent may not have been saved."
# (status, method) -> the sentence that tells the English reader what happened.
WHAT_HAPPENED = {
    (400, "GET"): "Please go back and try again.",
    (400, "POST"): "We could not use what you sent, so none of it was saved.",
    (404, "GET"): "There is no page at this address.",
    (405, "POST"): "We could not use what you sent, so none of it was saved.",
    (413, "POST"): "It was too big for us to take, so none of it was saved.",
    (429, "POST"): "Please wait a minute before you try again.",
    (500, "GET"): "Please try again in a moment.",
    (500, "POST"): POSTED_FAILURE,
    (503, "GET"): "Please try again in a moment.",
    (503, "POST"): POSTED_FAILURE,
}


def _database_down(*args, **kwargs):
    raise OperationalError("UPDATE draft", {}, Exception("database is locked"))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_failed_step_save_does_not_claim_the_answers_are_saved(client, monkeypatch, lang):
    client.post("/language", data={"lang": lang, "next": "/"})
    client.post("/start")
    monkeypatch.setattr("web.patient.views.save_step", _database_down)
    response = post_step(client, "safety", NO_FLAGS)
    assert response.status_code == 503, "a database that cannot be written is a 503: try again soon"
    page = response.get_data(as_text=True)
    assert "are saved" not in page and "están guardadas" not in page
    if lang == "es":
        assert_spanish(response, "a failed step save")
        assert "Puede que lo que acaba de enviar no se haya guardado." in page
    else:
        assert POSTED_FAILURE in page


@pytest.mark.parametrize("status, method", sorted(WHAT_HAPPENED))
def test_every_error_page_says_what_happened(app, status, method):
    with app.test_request_context("/questions/safety", method=method):
        html = error_page(status)[0]
    assert WHAT_HAPPENED[status, method] in html
    assert "If it keeps happening, ask the front desk for help." in html
    if method == "GET":
        assert "saved" not in html, "a page view changes nothing: it must not talk about saving"


@pytest.mark.parametrize("status, method", sorted(WHAT_HAPPENED))
def test_every_error_page_is_in_spanish(app, status, method):
    with app.test_request_context("/questions/safety", method=method, headers={"Accept-Language": "es"}):
        html = error_page(status)[0]
        response = app.response_class(html)
    assert_spanish(response, f"{status} after {method}")


def _bug(*args, **kwargs):
    raise RuntimeError("a bug")


@pytest.mark.parametrize("failure, status", [(_bug, 500), (_database_down, 503)], ids=["bug", "database"])
def test_an_unexpected_error_on_a_page_view_makes_no_claim(client, monkeypatch, failure, status):
    monkeypatch.setattr("web.patient.views.load_draft", failure)
    response = client.get("/")
    assert response.status_code == status
    page = response.get_data(as_text=True)
    assert "Please try again in a moment." in page and "saved" not in page
