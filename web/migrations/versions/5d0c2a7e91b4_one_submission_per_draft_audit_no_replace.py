"""One submission per draft (a unique draft key); SQLite's audit trail refuses REPLACE.

Revision ID: 5d0c2a7e91b4
Revises: 172e607fc5b3
Create Date: 2026-12-02 18:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '5d0c2a7e91b4'
down_revision = '172e607fc5b3'
branch_labels = None
depends_on = None

# REPLACE INTO deletes the old row without firing delete triggers (unless recursive
# triggers are on), so the insert itself is refused when the id is already taken.
SQLITE_NO_REPLACE = (
    "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
    "WHEN EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only'); END"
)


def upgrade():
    op.add_column('submission', sa.Column('draft_key', sa.String(length=64), nullable=True))
    op.create_index('ix_submission_draft_key', 'submission', ['draft_key'], unique=True)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(SQLITE_NO_REPLACE)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER audit_event_no_replace")
    op.drop_index('ix_submission_draft_key', table_name='submission')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('draft_key')
