"""Initial schema: sessions, drafts, staff, submissions, and the append-only audit log.

Revision ID: 172e607fc5b3
Revises:
Create Date: 2026-11-28 05:21:59.127416

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '172e607fc5b3'
down_revision = None
branch_labels = None
depends_on = None

# The database refuses to change or remove audit rows (the same triggers as
# AUDIT_APPEND_ONLY in web/models.py, frozen here as of this revision).
AUDIT_APPEND_ONLY = {
    "sqlite": (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
        "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END",
        "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
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
AUDIT_APPEND_ONLY_DOWN = {
    "sqlite": ("DROP TRIGGER audit_event_no_update", "DROP TRIGGER audit_event_no_delete"),
    "postgresql": ("DROP TRIGGER audit_event_no_change ON audit_event",
                   "DROP TRIGGER audit_event_no_truncate ON audit_event",
                   "DROP FUNCTION audit_event_append_only()"),
}


def upgrade():
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('username', sa.String(length=80), nullable=True),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.Column('checkin_code', sa.String(length=6), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_at'), ['at'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_checkin_code'), ['checkin_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_event_username'), ['username'], unique=False)

    op.create_table('draft',
    sa.Column('id', sa.String(length=43), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('completed_steps', sa.JSON(), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('kiosk', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_draft_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_draft_updated_at'), ['updated_at'], unique=False)

    op.create_table('server_session',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key_hash')
    )
    with op.batch_alter_table('server_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_server_session_updated_at'), ['updated_at'], unique=False)

    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('checkin_code', sa.String(length=6), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('intake', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('contract', sa.String(length=32), nullable=False),
    sa.Column('rulebase', sa.String(length=32), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['staff_user.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('checkin_code')
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index('ix_submission_created', ['created_at'], unique=False)
        batch_op.create_index('ix_submission_queue', ['status', 'priority', 'created_at'], unique=False)

    for statement in AUDIT_APPEND_ONLY.get(op.get_bind().dialect.name, ()):
        op.execute(statement)


def downgrade():
    for statement in AUDIT_APPEND_ONLY_DOWN.get(op.get_bind().dialect.name, ()):
        op.execute(statement)
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_queue')
        batch_op.drop_index('ix_submission_created')

    op.drop_table('submission')
    op.drop_table('staff_user')
    with op.batch_alter_table('server_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_server_session_updated_at'))

    op.drop_table('server_session')
    with op.batch_alter_table('draft', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_draft_updated_at'))
        batch_op.drop_index(batch_op.f('ix_draft_created_at'))

    op.drop_table('draft')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_username'))
        batch_op.drop_index(batch_op.f('ix_audit_event_submission_id'))
        batch_op.drop_index(batch_op.f('ix_audit_event_checkin_code'))
        batch_op.drop_index(batch_op.f('ix_audit_event_at'))
        batch_op.drop_index(batch_op.f('ix_audit_event_action'))

    op.drop_table('audit_event')
