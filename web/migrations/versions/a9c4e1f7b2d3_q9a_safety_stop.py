"""The safety stop: an emergency answer on the safety questions, stored for the nurse.

Revision ID: a9c4e1f7b2d3
Revises: e29284e8d0e9
Create Date: 2026-12-03 06:10:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'a9c4e1f7b2d3'
down_revision = 'e29284e8d0e9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('safety_stop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('draft_key', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel', sa.String(length=8), nullable=False),
    sa.Column('lang', sa.String(length=8), nullable=False),
    sa.Column('contract', sa.String(length=32), nullable=False),
    sa.Column('red_flags', sa.JSON(), nullable=False),
    sa.Column('alerts', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('submission_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['staff_user.id'], ),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code'),
    sa.UniqueConstraint('draft_key')
    )
    with op.batch_alter_table('safety_stop', schema=None) as batch_op:
        batch_op.create_index('ix_safety_stop_open', ['status', 'updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('safety_stop', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_stop_open')
    op.drop_table('safety_stop')
