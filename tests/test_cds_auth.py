"""The EHR's JWT on CDS Hooks calls: issuer allow-list, keys, aud, exp, iat, jti (CDS Hooks 2.0)."""
import base64
import hashlib
import hmac
import json
from datetime import datetime, timezone

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from cds_hooks import BASE, FEEDBACK_URL, ISSUER, SCIATICA, SERVICE_URL, Ehr, add_linked, fixture
from conftest import make_app
from web.cds import auth
from web.clock import FrozenClock
from web.extensions import db


@pytest.fixture
def ehr():
    return Ehr(FrozenClock())


@pytest.fixture
def app(tmp_path, ehr):
    """An app (SQLite) that trusts the test EHR, with one submission linked to patient 1288992."""
    application = make_app(tmp_path, CLOCK=ehr.clock, PUBLIC_BASE_URL=BASE, CDS_HOOKS_ISSUERS={ISSUER: ehr.jwks})
    add_linked(application, SCIATICA, "SC0001", patient_id="1288992")
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def post(app, headers):
    return app.test_client().post("/cds-services/patient-view", json=fixture("patient-view-request.json"),
                                  headers=headers)


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_a_valid_jwt_is_accepted(app, ehr):
    response = post(app, ehr.auth())
    assert response.status_code == 200 and len(response.get_json()["cards"]) == 1


def test_aud_may_be_an_array(app, ehr):
    assert post(app, ehr.auth(audience=[SERVICE_URL])).status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Basic dXNlcjpwYXNz"}, {"Authorization": "Bearer "},
                                     {"Authorization": "Bearer not-a-jwt"}])
def test_no_readable_jwt_is_401_json(app, headers):
    response = post(app, headers)
    assert response.status_code == 401
    assert response.get_json()["status"] == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["error"]


def rejected(app, headers, reason):
    response = post(app, headers)
    assert response.status_code == 401, response.get_json()
    assert reason in response.get_json()["error"]


def test_issuer_not_on_the_allow_list(app, ehr):
    rejected(app, ehr.auth(iss="https://other-ehr.example.org/"), "allow-list")


def test_signed_by_a_key_the_issuer_did_not_register(app, ehr):
    rejected(app, ehr.auth(key=ec.generate_private_key(ec.SECP384R1())), "Signature verification failed")


def test_unknown_kid(app, ehr):
    rejected(app, ehr.auth(headers={"kid": "another-key"}), "kid")


def test_audience_must_be_the_service_url(app, ehr):
    rejected(app, ehr.auth(audience=f"{BASE}/cds-services"), "Audience")
    rejected(app, ehr.auth(audience="https://attacker.example/cds-services/patient-view"), "Audience")


@pytest.mark.parametrize("missing", ["exp", "iat", "jti", "aud"])
def test_required_claims(app, ehr, missing):
    rejected(app, ehr.auth(**{missing: None}) if missing != "aud" else ehr.auth(audience=None), missing)


def test_expired_token(app, ehr):
    token = ehr.token()
    ehr.clock.advance(300 + app.config["CDS_HOOKS_LEEWAY_SECONDS"])
    rejected(app, bearer(token), "expired")


def test_token_issued_in_the_future(app, ehr):
    now = int(ehr.clock.now().timestamp())
    rejected(app, ehr.auth(iat=now + 120, exp=now + 400), "not valid yet")


def test_a_jti_is_used_once(app, ehr):
    token = ehr.token()
    assert post(app, bearer(token)).status_code == 200
    rejected(app, bearer(token), "already used")


def test_a_seen_jti_is_forgotten_after_it_expires(app, ehr):
    token = ehr.token(jti="reused-later")
    assert post(app, bearer(token)).status_code == 200
    ehr.clock.advance(3600)
    assert post(app, ehr.auth(jti="reused-later")).status_code == 200


def test_alg_none_is_refused(app, ehr):
    now = int(ehr.clock.now().timestamp())
    token = jwt.encode({"iss": ISSUER, "aud": SERVICE_URL, "exp": now + 60, "iat": now, "jti": "n"}, None,
                       algorithm="none", headers={"kid": "ehr-test-key"})
    rejected(app, bearer(token), "algorithm")


def test_symmetric_algorithm_with_the_public_key_as_secret_is_refused(app, ehr):
    public_pem = ehr.private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    now = int(ehr.clock.now().timestamp())
    # Signed by hand: PyJWT itself refuses to use a public key as an HMAC secret.
    header = {"alg": "HS384", "typ": "JWT", "kid": "ehr-test-key"}
    claims = {"iss": ISSUER, "aud": SERVICE_URL, "exp": now + 60, "iat": now, "jti": "h"}
    signing_input = ".".join(b64(json.dumps(part).encode()) for part in (header, claims))
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha384).digest()
    token = f"{signing_input}.{b64(signature)}"
    rejected(app, bearer(token), "algorithm")


def test_feedback_needs_its_own_url_as_audience(app, ehr):
    client = app.test_client()
    body = fixture("feedback-overridden.json")
    assert client.post("/cds-services/patient-view/feedback", json=body, headers=ehr.auth()).status_code == 401
    response = client.post("/cds-services/patient-view/feedback", json=body, headers=ehr.auth(audience=FEEDBACK_URL))
    assert response.status_code == 400  # authenticated; the spec example's card was never sent here


def test_rs384_with_a_pem_key_file(tmp_path, ehr):
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem_file = tmp_path / "ehr.pem"
    pem_file.write_bytes(private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    app = make_app(tmp_path, CLOCK=ehr.clock, PUBLIC_BASE_URL=BASE, CDS_HOOKS_ISSUERS={ISSUER: str(pem_file)})
    add_linked(app, SCIATICA, "SC0001", patient_id="1288992")
    assert post(app, ehr.auth(key=private_key, alg="RS384")).status_code == 200
    rejected(app, ehr.auth(), "No configured key")  # an ES384 token: this issuer has no EC key


def test_a_private_key_or_bad_pem_in_the_settings_stops_the_app(tmp_path, ehr):
    private_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(ehr.private_key))
    with pytest.raises(ValueError, match="only EC and RSA public keys"):
        make_app(tmp_path, CDS_HOOKS_ISSUERS={ISSUER: {"keys": [private_jwk]}})
    with pytest.raises(ValueError, match="no usable public key"):
        make_app(tmp_path, CDS_HOOKS_ISSUERS={ISSUER: "-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----"})


def test_the_specs_example_jwt_verifies_with_the_specs_jwk_set(tmp_path):
    example = fixture("jwt-example.json")
    payload = example["payload"]
    clock = FrozenClock(datetime.fromtimestamp(payload["exp"] - 60, timezone.utc))
    app = make_app(tmp_path, CLOCK=clock, CDS_HOOKS_ISSUERS={payload["iss"]: example["jwks"]})
    with app.app_context():
        db.create_all()
        assert auth.verify(example["token"], payload["aud"]) == payload
        with pytest.raises(auth.Unauthorized, match="already used"):
            auth.verify(example["token"], payload["aud"])
        clock.advance(120)
        with pytest.raises(auth.Unauthorized, match="expired"):
            auth.verify(example["token"], payload["aud"])
