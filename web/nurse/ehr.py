"""What the detail page shows about the EHR: the linked patient id and the physicians' card feedback."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from web.extensions import db
from web.models import CdsCard
from web.nurse.forms import EhrLinkForm

INDICATOR_WORDS = {"critical": "Critical", "warning": "Warning", "info": "Info"}


def panel(submission, form=None):
    """The EHR link form and every card sent about this submission, with its feedback."""
    cards = db.session.execute(
        select(CdsCard).where(CdsCard.submission_id == submission.id)
        .options(selectinload(CdsCard.feedback)).order_by(CdsCard.first_sent_at, CdsCard.item)).scalars().all()
    if form is None:
        form = EhrLinkForm(data={"patient_id": submission.ehr_patient_id or ""})
    return {"form": form, "cards": cards, "indicator_words": INDICATOR_WORDS}
