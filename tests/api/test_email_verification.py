"""Email verification: the mailed link (API and page), what an unverified account may do
while REQUIRE_EMAIL_VERIFICATION is on, and the rate-limited resend."""

import io
import re
from datetime import timedelta

import jwt
import pytest

from webapp.extensions import db
from webapp.models import Job, User
from webapp.services import accounts, email_verification, password_reset
from webapp.timeutil import utcnow

from ..factories import DEFAULT_PASSWORD

VERIFY = "/api/v1/auth/verify-email"
RESEND = "/api/v1/auth/verify-email/resend"
LINK = re.compile(r"(https?://\S+)/verify-email/(\S+)")


@pytest.fixture(autouse=True)
def _mail_waits_for_send_here(held_mail):
    """Mail is sent by the worker; these tests send it in-process with outbox.send_here()."""


@pytest.fixture
def required(app_config):
    app_config(REQUIRE_EMAIL_VERIFICATION=True)


def mailed_links(outbox) -> list[tuple[str, str]]:
    """(base URL, token) of every verification link mailed so far, oldest first."""
    links = []
    for message in outbox.send_here():
        assert message["Subject"] == email_verification.SUBJECT
        links.append(LINK.search(message.get_content()).groups())
    return links


def signed_up(client, auth, email="user@example.com") -> dict:
    """Register through the API; Bearer headers of the new account."""
    auth.register(email=email)
    return {"Authorization": f"Bearer {auth.tokens(email)['access_token']}"}


def assert_error(response, status, code):
    assert response.status_code == status, response.get_json()
    assert response.get_json()["detail"]["code"] == code


def is_verified(client, headers) -> bool:
    return client.get("/api/v1/users/me", headers=headers).get_json()["email_verified"]


def test_sign_up_mails_a_link_that_verifies_once(client, auth, outbox, required):
    headers = signed_up(client, auth)
    assert not is_verified(client, headers)
    [message] = outbox.send_here()
    assert message["To"] == "user@example.com"
    [(base, token)] = mailed_links(outbox)
    assert base == "http://127.0.0.1:8000"  # BASE_URL unset: the documented fallback
    response = client.post(VERIFY, json={"token": token})
    assert response.status_code == 200 and "verified" in response.get_json()["message"]
    assert is_verified(client, headers)
    assert_error(client.post(VERIFY, json={"token": token}), 400, "INVALID_TOKEN")


def test_links_come_from_base_url_never_from_the_host_header(
    client, auth, outbox, required, app_config
):
    client.post(
        "/api/v1/auth/register",
        headers={"Host": "evil.example"},
        json={"email": "a@example.com", "password": DEFAULT_PASSWORD, "name": "A"},
    )
    outbox.send_here()  # the worker writes each mail, links included, when it sends it
    app_config(BASE_URL="https://copydesk.example.com")
    auth.register(email="b@example.com")
    assert [base for base, _ in mailed_links(outbox)] == [
        "http://127.0.0.1:8000",
        "https://copydesk.example.com",
    ]


def test_forged_expired_foreign_and_stale_tokens_are_invalid(client, app, auth, outbox, required):
    signed_up(client, auth)
    [(_, good)] = mailed_links(outbox)
    with app.app_context():
        user = accounts.find_user_by_email("user@example.com")
        claims = jwt.decode(good, options={"verify_signature": False})
        expired = email_verification.issue_verification_token(
            user, issued_at=utcnow() - timedelta(hours=49)
        )
        reset_token = password_reset.issue_reset_token(user)
    forged = jwt.encode(claims, "not-the-server-secret-but-as-long-as-one", algorithm="HS256")
    for token in (forged, expired, reset_token, "not-a-token"):
        assert_error(client.post(VERIFY, json={"token": token}), 400, "INVALID_TOKEN")
    with app.app_context():  # the address changed since the link was mailed
        db.session.execute(db.update(User).values(email="new@example.com"))
        db.session.commit()
    assert_error(client.post(VERIFY, json={"token": good}), 400, "INVALID_TOKEN")


def test_without_required_verification_accounts_are_verified_and_nothing_is_mailed(
    client, auth, outbox
):
    headers = signed_up(client, auth)
    assert is_verified(client, headers)
    assert outbox.send_here() == []


def test_unverified_account_reads_uploads_and_imports_but_does_not_generate(
    client, app, auth, outbox, required, app_config, web_pages
):
    headers = signed_up(client, auth)
    project = client.post("/api/v1/projects", headers=headers, json={"name": "P"}).get_json()
    generate = {"project_id": project["id"], "topic": "Qubits", "voice": "technical"}
    refused = client.post("/api/v1/posts/generate", headers=headers, json=generate)
    assert_error(refused, 403, "EMAIL_NOT_VERIFIED")
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar_one() == 0
    assert client.get("/api/v1/projects", headers=headers).status_code == 200
    sources = f"/api/v1/sources/projects/{project['id']}/sources"
    upload = client.post(
        sources, headers=headers, data={"file": (io.BytesIO(b"Qubits and gates."), "notes.txt")}
    )
    assert upload.status_code == 201, upload.get_json()
    app_config(ALLOWED_PRIVATE_HOSTS=[web_pages.host_port])
    imported = client.post(
        sources + "/url", headers=headers, json={"url": web_pages.url + "/article"}
    )
    assert imported.status_code == 201, imported.get_json()
    [(_, token)] = mailed_links(outbox)
    assert client.post(VERIFY, json={"token": token}).status_code == 200
    accepted = client.post("/api/v1/posts/generate", headers=headers, json=generate)
    assert accepted.status_code == 202, accepted.get_json()


def test_resend_mails_a_new_link_three_times_an_hour(client, auth, outbox, required):
    headers = signed_up(client, auth)
    statuses = [client.post(RESEND, headers=headers).status_code for _ in range(4)]
    assert statuses == [202, 202, 202, 429]
    links = mailed_links(outbox)
    assert len(links) == 4  # the sign-up mail and three more
    assert client.post(VERIFY, json={"token": links[-1][1]}).status_code == 200


def test_resend_when_verified_sends_nothing_and_needs_sign_in(client, auth, outbox):
    headers = signed_up(client, auth)
    assert_error(client.post(RESEND, headers=headers), 409, "EMAIL_ALREADY_VERIFIED")
    assert_error(client.post(RESEND), 401, "UNAUTHORIZED")
    assert outbox.send_here() == []


def test_both_endpoints_are_documented_with_their_errors(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    assert set(paths[VERIFY]["post"]["responses"]) >= {"200", "400", "429"}
    assert set(paths[RESEND]["post"]["responses"]) >= {"202", "401", "409", "429"}
    assert "403" in paths["/api/v1/auth/register"]["post"]["responses"]
