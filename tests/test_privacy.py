"""Health data stays out of logs and error messages."""
import pytest
from sqlalchemy.exc import IntegrityError

from web.extensions import db
from web.models import Submission

INTAKE = {"age": 40, "locations": ["lower_back"], "duration_weeks": 30, "pain_average": 6,
          "interference_enjoyment": 6, "interference_activity": 6, "red_flags": ["self_harm_thoughts"]}


def test_database_errors_do_not_quote_patient_answers(app):
    with app.app_context():
        for _ in range(2):
            db.session.add(Submission(checkin_code="AAAAAA", intake=INTAKE, result={}, contract="c",
                                      rulebase="r", priority=2))
        with pytest.raises(IntegrityError) as caught:
            db.session.commit()
        db.session.rollback()
    assert "self_harm_thoughts" not in str(caught.value)
    assert "hidden due to hide_parameters" in str(caught.value)
