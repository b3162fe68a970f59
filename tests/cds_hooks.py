"""Helpers for the CDS Hooks tests: an EHR's test keys, its signed JWTs, the spec's examples."""
import json
import uuid
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import ec

from web.demo import DEMO_PATIENTS, submission_for
from web.extensions import db
from web.models import utcnow

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cds-hooks"
BASE = "https://triage.example-clinic.org"
SERVICE_URL = f"{BASE}/cds-services/patient-view"
FEEDBACK_URL = f"{SERVICE_URL}/feedback"
ISSUER = "https://ehr.example-hospital.org/"
KID = "ehr-test-key"

SCIATICA = DEMO_PATIENTS[0][2]
CAUDA_EQUINA = DEMO_PATIENTS[1][2]
NECK_ON_TWO_THINNERS = DEMO_PATIENTS[3][2]
HEADACHE_PREGNANT = DEMO_PATIENTS[8][2]


def fixture(name):
    """One of the CDS Hooks 2.0 specification's examples (see fixtures/cds-hooks/README.md)."""
    return json.loads((FIXTURES / name).read_text())


class Ehr:
    """A CDS Client: its private key (made for the test), its JWK Set, and the JWTs it signs."""

    def __init__(self, clock, issuer=ISSUER, kid=KID):
        self.clock, self.issuer, self.kid = clock, issuer, kid
        self.private_key = ec.generate_private_key(ec.SECP384R1())
        jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.private_key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": kid, "use": "sig", "alg": "ES384"}]}

    def token(self, audience=SERVICE_URL, headers=None, key=None, alg="ES384", **claims):
        """A signed JWT per the spec; a claim given as None is left out."""
        now = int(self.clock.now().timestamp())
        payload = {"iss": self.issuer, "aud": audience, "exp": now + 300, "iat": now,
                   "jti": str(uuid.uuid4()), **claims}
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, key or self.private_key, algorithm=alg,
                          headers={"kid": self.kid, "typ": "JWT", **(headers or {})})

    def auth(self, **token_options):
        """The Authorization header of one call."""
        return {"Authorization": f"Bearer {self.token(**token_options)}"}


def add_linked(app, intake, code, patient_id=None, minutes_ago=0):
    """Store an evaluated intake, linked to an EHR patient id; return its id."""
    from datetime import timedelta

    with app.app_context():
        submission = submission_for(intake, code, utcnow() - timedelta(minutes=minutes_ago))
        submission.ehr_patient_id = patient_id
        db.session.add(submission)
        db.session.commit()
        return submission.id


def patient_view_request(patient_id="1288992"):
    """The spec's patient-view request, for one EHR patient."""
    body = fixture("patient-view-request.json")
    body["context"]["patientId"] = patient_id
    return body
