"""CDS Hooks: a submission's EHR patient id, the cards sent to the EHR, their feedback, used JWTs.

Revision ID: e29284e8d0e9
Revises: 5d0c2a7e91b4
Create Date: 2026-12-03 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'e29284e8d0e9'
down_revision = '5d0c2a7e91b4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ehr_patient_id', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_submission_ehr_patient', ['ehr_patient_id', 'created_at'], unique=False)
    op.create_table(
        'cds_card',
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('submission_id', sa.Integer(), nullable=False),
        sa.Column('item', sa.String(length=160), nullable=False),
        sa.Column('indicator', sa.String(length=16), nullable=False),
        sa.Column('summary', sa.String(length=140), nullable=False),
        sa.Column('first_sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('uuid'),
    )
    op.create_index('ix_cds_card_submission_id', 'cds_card', ['submission_id'], unique=False)
    op.create_table(
        'cds_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_uuid', sa.String(length=36), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('outcome_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('reason_system', sa.String(length=255), nullable=True),
        sa.Column('reason_code', sa.String(length=255), nullable=True),
        sa.Column('reason_display', sa.String(length=255), nullable=True),
        sa.Column('user_comment', sa.Text(), nullable=True),
        sa.Column('issuer', sa.String(length=255), nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['card_uuid'], ['cds_card.uuid'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_cds_feedback_card_uuid', 'cds_feedback', ['card_uuid'], unique=False)
    op.create_table(
        'cds_token_seen',
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('key_hash'),
    )
    op.create_index('ix_cds_token_seen_expires_at', 'cds_token_seen', ['expires_at'], unique=False)


def downgrade():
    op.drop_index('ix_cds_token_seen_expires_at', table_name='cds_token_seen')
    op.drop_table('cds_token_seen')
    op.drop_index('ix_cds_feedback_card_uuid', table_name='cds_feedback')
    op.drop_table('cds_feedback')
    op.drop_index('ix_cds_card_submission_id', table_name='cds_card')
    op.drop_table('cds_card')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index('ix_submission_ehr_patient')
        batch_op.drop_column('ehr_patient_id')
