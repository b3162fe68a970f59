"""Time: one injectable clock for every timeout, and stored times that are always aware UTC."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import DateTime, select
from sqlalchemy.exc import StatementError

from web.clock import FrozenClock, UTCDateTime, now
from web.extensions import db
from web.models import Draft, utcnow

FIVE_EAST = timezone(timedelta(hours=5))


def test_every_stored_time_uses_the_one_utc_column_type():
    columns = [column for table in db.metadata.tables.values() for column in table.columns
               if isinstance(column.type, (DateTime, UTCDateTime))]
    assert len(columns) >= 9
    assert all(isinstance(column.type, UTCDateTime) for column in columns), columns


def test_a_stored_time_comes_back_aware_in_utc(db_app):
    moment = datetime(2026, 3, 4, 14, 30, tzinfo=FIVE_EAST)
    with db_app.app_context():
        db.session.add(Draft(id="d1", created_at=moment, updated_at=moment))
        db.session.commit()
        db.session.expunge_all()
        stored = db.session.get(Draft, "d1").updated_at
    assert stored == moment and stored.utcoffset() == timedelta(0)
    assert stored.hour == 9


def test_times_compare_in_utc_whatever_zone_they_were_given_in(db_app):
    moment = datetime(2026, 3, 4, 9, 30, tzinfo=timezone.utc)
    with db_app.app_context():
        db.session.add(Draft(id="d1", created_at=moment, updated_at=moment))
        db.session.commit()
        just_before = datetime(2026, 3, 4, 14, 29, tzinfo=FIVE_EAST)
        found = db.session.execute(select(Draft.id).where(Draft.updated_at > just_before)).scalars().all()
    assert found == ["d1"]


def test_a_naive_time_is_refused_rather_than_guessed(app):
    with app.app_context():
        db.session.add(Draft(id="d1", updated_at=datetime(2026, 3, 4, 9, 30)))
        with pytest.raises(StatementError, match="timezone-aware"):
            db.session.commit()
        db.session.rollback()


def test_the_app_reads_its_injected_clock(tmp_path):
    from conftest import make_app

    clock = FrozenClock(datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    app = make_app(tmp_path, CLOCK=clock)
    with app.app_context():
        assert now() == utcnow() == clock.moment
        clock.advance(90)
        assert now() == datetime(2030, 1, 2, 3, 5, 35, tzinfo=timezone.utc)
        draft = Draft(id="d1")
        db.session.add(draft)
        db.session.commit()
        assert draft.updated_at == clock.moment
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_without_an_app_the_clock_is_the_real_one():
    before = datetime.now(timezone.utc)
    assert before <= now() <= datetime.now(timezone.utc)
