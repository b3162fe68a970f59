"""What the detail page shows about the EHR: the linked patient id and the physicians' card feedback."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from web.extensions import db
from web.models import CdsCard
from web.nurse.forms import EhrLinkForm

INDICATOR_WORDS = {"critical": "Critical", "warning": "Warning", "info": "Info"}
# The order the EHR shows them in: alerts, then suggestions, then cautions.
CARD_ORDER = {"alert": 0, "suggestion": 1, "caution": 2}


def panel(submission, form=None):
    """The EHR link form and every card sent about this submission, with its feedback."""
    cards = db.session.execute(
        select(CdsCard).where(CdsCard.submission_id == submission.id)
        .options(selectinload(CdsCard.feedback))).scalars().all()
    cards = sorted(cards, key=lambda card: (card.first_sent_at, CARD_ORDER.get(card.item.split(":")[0], 3),
                                            card.indicator != "critical", card.item))
    if form is None:
        form = EhrLinkForm(data={"patient_id": submission.ehr_patient_id or ""})
    return {"form": form, "cards": cards, "indicator_words": INDICATOR_WORDS}
