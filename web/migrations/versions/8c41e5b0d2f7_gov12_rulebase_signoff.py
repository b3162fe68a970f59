"""Rule base sign-offs: who approved which rule base version and document.

Revision ID: 8c41e5b0d2f7
Revises: a9c4e1f7b2d3
Create Date: 2026-12-03 06:10:00

"""
import sqlalchemy as sa
from alembic import op


revision = '8c41e5b0d2f7'
down_revision = 'a9c4e1f7b2d3'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'rulebase_signoff',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('rulebase', sa.String(length=32), nullable=False),
        sa.Column('document_sha256', sa.String(length=64), nullable=False),
        sa.Column('approved_by', sa.String(length=120), nullable=False),
        sa.Column('recorded_by', sa.String(length=80), nullable=False),
        sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_rulebase_signoff_version', 'rulebase_signoff', ['rulebase', 'document_sha256'])


def downgrade():
    op.drop_index('ix_rulebase_signoff_version', table_name='rulebase_signoff')
    op.drop_table('rulebase_signoff')
