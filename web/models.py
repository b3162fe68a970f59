"""Database tables: server-side sessions, drafts, submissions, staff, audit."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DDL, JSON, Boolean, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from web.clock import UTCDateTime
from web.clock import now as utcnow
from web.extensions import db


class ServerSession(db.Model):
    """A browser session kept on the server; the cookie holds only its opaque key."""

    __tablename__ = "server_session"
    # sha256 of the cookie's random token: a database leak does not yield live cookies.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Draft(db.Model):
    """A patient's answers in progress, step by step."""

    __tablename__ = "draft"
    id: Mapped[str] = mapped_column(String(43), primary_key=True)
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    completed_steps: Mapped[list] = mapped_column(JSON, default=list)
    lang: Mapped[str] = mapped_column(String(8), default="en")
    kiosk: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class User(UserMixin, db.Model):
    """A staff account (nurse or admin)."""

    __tablename__ = "staff_user"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default="nurse")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @property
    def is_active(self):
        """Disabled accounts cannot log in or keep a session."""
        return self.active


# Queue order: emergency first, then urgent, then everything else.
QUEUE_PRIORITY = {"emergency": 0, "urgent": 1}
NO_ALERT_PRIORITY = 2


def queue_priority(result):
    """Return the queue priority of a result: 0 emergency, 1 urgent, 2 no alert."""
    return min((QUEUE_PRIORITY[alert["level"]] for alert in result["alerts"]), default=NO_ALERT_PRIORITY)


class Submission(db.Model):
    """A submitted intake with the engine's result, waiting for nurse review."""

    __tablename__ = "submission"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    checkin_code: Mapped[str] = mapped_column(String(6), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # sha256 of the draft it came from: unique, so one draft becomes one submission however
    # many requests submit it at once. Empty for demo and seeded rows.
    draft_key: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True, index=True)
    intake: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    contract: Mapped[str] = mapped_column(String(32))
    rulebase: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(8), default="en")
    # 0 emergency, 1 urgent, 2 no alert: the queue sorts on it.
    priority: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="new")
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    review_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewed_by: Mapped[User | None] = relationship()
    # The patient's FHIR Patient.id in the clinic's EHR, set by a nurse: CDS Hooks cards find
    # the newest submission linked to the patient the physician opens.
    ehr_patient_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    @classmethod
    def of_result(cls, intake, result, checkin_code, lang="en", created_at=None, draft_key=None):
        """Return an unsaved submission of an intake and the engine's result for it."""
        return cls(checkin_code=checkin_code, intake=intake, result=result, contract=result["contract"],
                   rulebase=result["rulebase"], lang=lang, priority=queue_priority(result),
                   created_at=created_at or utcnow(), draft_key=draft_key)

    __table_args__ = (Index("ix_submission_queue", "status", "priority", "created_at"),
                      Index("ix_submission_created", "created_at"),
                      Index("ix_submission_ehr_patient", "ehr_patient_id", "created_at"))


class CdsCard(db.Model):
    """A CDS Hooks card sent to the EHR about a submission, so its feedback finds the submission."""

    __tablename__ = "cds_card"
    uuid: Mapped[str] = mapped_column(String(36), primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    # What the card is about: "alert:<id>", "suggestion:<consultation>:<variant>:<regions>", "caution:<id>".
    item: Mapped[str] = mapped_column(String(160))
    indicator: Mapped[str] = mapped_column(String(16))
    summary: Mapped[str] = mapped_column(String(140))
    first_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    feedback: Mapped[list["CdsFeedback"]] = relationship(order_by="CdsFeedback.outcome_at",
                                                         passive_deletes=True)


class CdsFeedback(db.Model):
    """What the EHR user did with a card: accepted it, or overrode it (with the reason given)."""

    __tablename__ = "cds_feedback"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    card_uuid: Mapped[str] = mapped_column(ForeignKey("cds_card.uuid", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))
    outcome_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason_system: Mapped[str | None] = mapped_column(String(255), nullable=True)
    reason_code: Mapped[str | None] = mapped_column(String(255), nullable=True)
    reason_display: Mapped[str | None] = mapped_column(String(255), nullable=True)
    user_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    issuer: Mapped[str] = mapped_column(String(255))
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CdsTokenSeen(db.Model):
    """A CDS Hooks client JWT already used, kept until it expires so it cannot be replayed."""

    __tablename__ = "cds_token_seen"
    # sha256 of the issuer and the token's jti: fixed length, whatever the EHR sends.
    key_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class SafetyStop(db.Model):
    """An emergency answer on the safety questions, stored when the emergency page is shown.

    One per draft (intake.md, "Safety stop record"): the red flags and the emergency alerts
    they raise, never any other answer or anything that identifies the patient.
    """

    __tablename__ = "safety_stop"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    # sha256 of the draft, as a submission keeps it: one stop per draft, found again on submit.
    draft_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(8))
    lang: Mapped[str] = mapped_column(String(8))
    contract: Mapped[str] = mapped_column(String(32))
    red_flags: Mapped[list] = mapped_column(JSON)
    alerts: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="open")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    submission_id: Mapped[int | None] = mapped_column(ForeignKey("submission.id", ondelete="SET NULL"),
                                                     nullable=True)
    acknowledged_by: Mapped[User | None] = relationship()
    submission: Mapped[Submission | None] = relationship()

    __table_args__ = (Index("ix_safety_stop_open", "status", "updated_at"),)


class RuleBaseSignoff(db.Model):
    """Who approved which rule base: its version and the SHA-256 of its `triage rules` document."""

    __tablename__ = "rulebase_signoff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    rulebase: Mapped[str] = mapped_column(String(32))
    document_sha256: Mapped[str] = mapped_column(String(64))
    approved_by: Mapped[str] = mapped_column(String(120))
    recorded_by: Mapped[str] = mapped_column(String(80))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_rulebase_signoff_version", "rulebase", "document_sha256"),)


class AuditEvent(db.Model):
    """One line of the audit trail. Rows are only ever inserted."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    username: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    # Not a foreign key: the trail outlives purged submissions.
    submission_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    checkin_code: Mapped[str | None] = mapped_column(String(6), nullable=True, index=True)
    remote_addr: Mapped[str | None] = mapped_column(String(64), nullable=True)
    detail: Mapped[str | None] = mapped_column(Text, nullable=True)


# The database itself refuses to change or remove audit rows, whoever asks.
# The initial migration creates the same triggers (web/migrations).
AUDIT_APPEND_ONLY = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        # REPLACE deletes the old row without firing delete triggers: refuse the insert itself.
        "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
        "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
    ),
    "postgresql": (
        "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$",
        "CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_event "
        "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
        "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    ),
}
for _dialect, _statements in AUDIT_APPEND_ONLY.items():
    for _statement in _statements:
        event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect=_dialect))
