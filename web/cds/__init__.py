"""CDS Hooks 2.0: the EHR asks for cards when a physician opens a patient's record.

`GET /cds-services` lists the one service; `POST /cds-services/patient-view` answers with cards
for the newest submission a nurse linked to the EHR's patient; `POST .../feedback` records what
the physician did with each card. Both POSTs need the EHR's signed JWT (web/cds/auth.py).
"""
import re

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from web.audit import record
from web.cds import auth, cards, feedback
from web.extensions import csrf, db
from web.models import CdsCard, Submission

bp = Blueprint("cds", __name__, url_prefix="/cds-services")
SERVICE_ID = "patient-view"
FHIR_ID = r"[A-Za-z0-9\-.]{1,64}"


def register(app):
    """Read the trusted issuers' keys once, so a bad key stops the app at start-up."""
    app.extensions["cds_issuers"] = auth.load_issuers(app.config["CDS_HOOKS_ISSUERS"], app.instance_path)


bp.record_once(lambda state: register(state.app))


def endpoint_url(path=""):
    """This service's URL as the EHR calls it (the JWT's `aud`), from PUBLIC_BASE_URL."""
    return f"{current_app.config['PUBLIC_BASE_URL'].rstrip('/')}{bp.url_prefix}/{SERVICE_ID}{path}"


def problem(status, message, **extra):
    """A JSON error body; a 401 also says how to authenticate."""
    response = jsonify(error=message, status=status, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cds-services"'
    return response


def authenticated(audience):
    """Return the verified claims of the request's JWT (raises auth.Unauthorized)."""
    return auth.verify(auth.bearer_token(request.headers.get("Authorization")), audience)


@bp.errorhandler(auth.Unauthorized)
def unauthorized(error):
    return problem(401, str(error))


@bp.get("")
def discovery():
    """The discovery document (public: it holds no patient data)."""
    return jsonify(services=[{
        "hook": "patient-view",
        "id": SERVICE_ID,
        "title": "Pain Triage intake review",
        "description": ("Cards from the patient's newest pain intake that a nurse linked to this EHR "
                        "patient: red flags, consultations to discuss, and cautions, with the reasons "
                        "and sources."),
        "usageRequirements": ("A nurse links the intake to the EHR's Patient.id in the Pain Triage "
                              "workspace; every call carries the EHR's signed JWT."),
    }])


@bp.post(f"/{SERVICE_ID}")
@csrf.exempt
def patient_view():
    """Cards for the newest submission linked to `context.patientId`."""
    claims = authenticated(endpoint_url())
    body = request.get_json(silent=True) if request.is_json else None
    patient_id, message = _patient_id(body)
    if message:
        return problem(400, message)
    submission = db.session.execute(
        select(Submission).where(Submission.ehr_patient_id == patient_id)
        .order_by(Submission.created_at.desc(), Submission.id.desc()).limit(1)).scalar_one_or_none()
    if submission is None:
        return jsonify(cards=[])
    pairs = cards.cards_for(submission)
    _remember_cards(submission, pairs)
    record("cds_view", submission=submission, username=_ehr_name(claims),
           detail=f"patient-view: {len(pairs)} cards for EHR user {str(body['context'].get('userId'))[:80]}")
    db.session.commit()
    return jsonify(cards=[card for _, card in pairs])


def _patient_id(body):
    """Return (patientId, None) from a patient-view request, or (None, what is wrong)."""
    if not isinstance(body, dict) or body.get("hook") != "patient-view":
        return None, "Send a CDS Hooks patient-view request (JSON with hook 'patient-view')."
    if not isinstance(body.get("hookInstance"), str) or not body["hookInstance"]:
        return None, "hookInstance is required."
    context = body.get("context")
    patient_id = context.get("patientId") if isinstance(context, dict) else None
    if not isinstance(patient_id, str) or not re.fullmatch(FHIR_ID, patient_id):
        return None, "context.patientId must be a FHIR id (1 to 64 letters, digits, '-' or '.')."
    return patient_id, None


def _ehr_name(claims):
    """How the audit trail names the EHR: by its issuer."""
    return f"ehr:{claims['iss']}"[:80]


def _remember_cards(submission, pairs):
    """Store the cards not sent before, so feedback on them finds this submission."""
    sent = set(db.session.execute(select(CdsCard.uuid).where(CdsCard.submission_id == submission.id)).scalars())
    new = [CdsCard(uuid=card["uuid"], submission_id=submission.id, item=item[:160],
                   indicator=card["indicator"], summary=card["summary"])
           for item, card in pairs if card["uuid"] not in sent]
    if not new:
        return
    db.session.add_all(new)
    try:
        db.session.commit()
    except IntegrityError:
        # Another request sent the same cards at the same moment: they are stored either way.
        db.session.rollback()


@bp.post(f"/{SERVICE_ID}/feedback")
@csrf.exempt
def feedback_received():
    """Store accepted / overridden (with the reason) for each card named."""
    claims = authenticated(endpoint_url("/feedback"))
    body = request.get_json(silent=True) if request.is_json else None
    rows, problems = feedback.parse(body, claims["iss"])
    if problems:
        return problem(400, "The feedback was not stored.", problems=problems)
    db.session.add_all(rows)
    for card in db.session.execute(select(CdsCard).where(CdsCard.uuid.in_({row.card_uuid for row in rows}))).scalars():
        outcomes = ", ".join(row.outcome for row in rows if row.card_uuid == card.uuid)
        record("cds_feedback", submission=db.session.get(Submission, card.submission_id),
               username=_ehr_name(claims), detail=f"{card.item}: {outcomes}")
    db.session.commit()
    return jsonify(stored=len(rows))
