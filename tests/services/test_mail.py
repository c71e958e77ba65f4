"""webapp/services/mail: send_mail (the `.eml` folder without MAIL_SERVER, and real SMTP
on loopback (aiosmtpd) with plain, STARTTLS and implicit TLS connections), the database
outbox that send_later fills and the worker empties, and mailed links built from BASE_URL
only."""

from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import logging
import ssl
import threading
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.services import email_verification, mail, password_reset
from webapp.services.mail import MailError, send_mail
from webapp.services.mail.outbox import INTERRUPTED, RETRY_DELAYS
from webapp.timeutil import utcnow

from ..conftest import free_port

BODY = "Open https://copydesk.test/reset-password/SECRET-TOKEN within the hour.\n"


class Recorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        # SMTP carries CRLF line ends; compare with the LF text that was sent.
        return [
            email.message_from_bytes(
                envelope.content.replace(b"\r\n", b"\n"), policy=email.policy.default
            )
            for envelope in self.envelopes
        ]


def only_mailer(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"mailer", b"s3cret")
    return AuthResult(success=ok, handled=False)  # handled=False: aiosmtpd answers 535


@pytest.fixture
def smtp_server():
    """Start aiosmtpd on a free loopback port with `options`; returns (recorder, port)."""
    controllers = []

    def start(**options):
        recorder = Recorder()
        controller = Controller(recorder, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        controllers.append(controller)
        return recorder, controller.port

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for 127.0.0.1: (cert path, key path)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def server_tls_context(certificate) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def mail_config(app, monkeypatch):
    """Set mail settings on the test app for this test only."""

    def configure(**settings):
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return configure


def test_without_server_the_message_is_saved_and_only_named_in_the_log(
    app, mail_config, tmp_path, caplog
):
    outbox = tmp_path / "not" / "yet" / "there"
    mail_config(MAIL_OUTBOX_DIR=str(outbox), MAIL_FROM="Copydesk <no-reply@copydesk.test>")
    with app.app_context(), caplog.at_level(logging.INFO, logger="webapp.services.mail"):
        send_mail("ada@example.com", "Reset your password", BODY)
    files = list(outbox.glob("*.eml"))
    assert len(files) == 1 and files[0].stat().st_mode & 0o077 == 0
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "ada@example.com"
    assert message["From"] == "Copydesk <no-reply@copydesk.test>"
    assert message["Subject"] == "Reset your password"
    assert message["Date"] and message["Message-ID"].endswith("@copydesk.test>")
    assert message.get_content() == BODY
    logged = caplog.text
    assert "ada@example.com" in logged and "Reset your password" in logged
    assert "SECRET-TOKEN" not in logged and "reset-password" not in logged


def test_outbox_keeps_messages_in_sending_order_and_non_ascii_text(app, mail_config, tmp_path):
    mail_config(MAIL_OUTBOX_DIR=str(tmp_path))
    with app.app_context():
        for n in range(3):
            send_mail("zoë@example.com", f"Message {n}", f"Grüße, {n} €\n")
    files = sorted(tmp_path.glob("*.eml"))
    parsed = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default) for path in files
    ]
    assert [message["Subject"] for message in parsed] == ["Message 0", "Message 1", "Message 2"]
    assert parsed[2].get_content() == "Grüße, 2 €\n"
    assert not list(tmp_path.glob(".*"))  # no partial files left behind


def test_a_long_link_stays_on_one_readable_line(app, mail_config, tmp_path):
    link = "https://copydesk.test/reset-password/" + "x" * 300
    mail_config(MAIL_OUTBOX_DIR=str(tmp_path))
    with app.app_context():
        send_mail("ada@example.com", "Link", f"Open:\n\n{link}\n")
        send_mail("ada@example.com", "Too long", "y" * 2000 + "\n")
    first, second = sorted(tmp_path.glob("*.eml"))
    raw = first.read_text()
    assert link in raw.splitlines() and "Content-Transfer-Encoding: 7bit" in raw
    assert "Content-Transfer-Encoding: quoted-printable" in second.read_text()


def test_smtp_delivers_with_login(app, mail_config, smtp_server, tmp_path):
    recorder, port = smtp_server(authenticator=only_mailer, auth_require_tls=False)
    mail_config(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_USERNAME="mailer",
        MAIL_PASSWORD="s3cret",
        MAIL_FROM="Copydesk <no-reply@copydesk.test>",
        MAIL_OUTBOX_DIR=str(tmp_path),
    )
    with app.app_context():
        send_mail("ada@example.com", "Reset your password", BODY)
    assert recorder.envelopes[0].mail_from == "no-reply@copydesk.test"
    assert recorder.envelopes[0].rcpt_tos == ["ada@example.com"]
    message = recorder.messages()[0]
    assert message["Subject"] == "Reset your password" and message["To"] == "ada@example.com"
    assert message.get_content() == BODY
    assert not list(tmp_path.iterdir())  # sent, so nothing in the outbox


def test_smtp_declares_8bit_text(app, mail_config, smtp_server):
    recorder, port = smtp_server()
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False)
    with app.app_context():
        send_mail("zoe@example.com", "Grüße", "Hallo Zoë,\n")
    assert "BODY=8BITMIME" in recorder.envelopes[0].mail_options
    message = recorder.messages()[0]
    assert message["Subject"] == "Grüße" and message.get_content() == "Hallo Zoë,\n"


def test_smtp_wrong_login_is_a_mail_error(app, mail_config, smtp_server):
    recorder, port = smtp_server(authenticator=only_mailer, auth_require_tls=False)
    mail_config(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_USE_TLS=False,
        MAIL_USERNAME="mailer",
        MAIL_PASSWORD="wrong",
    )
    with app.app_context(), pytest.raises(MailError, match=r"ada@example\.com"):
        send_mail("ada@example.com", "Hello", BODY)
    assert recorder.envelopes == []


def test_starttls_with_a_trusted_certificate(
    app, mail_config, smtp_server, certificate, monkeypatch
):
    recorder, port = smtp_server(tls_context=server_tls_context(certificate), require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust our test CA only
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=True)
    with app.app_context():
        send_mail("ada@example.com", "Over TLS", BODY)
    assert recorder.messages()[0].get_content() == BODY


def test_starttls_refuses_an_untrusted_certificate(app, mail_config, smtp_server, certificate):
    recorder, port = smtp_server(tls_context=server_tls_context(certificate), require_starttls=True)
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=True)
    with app.app_context(), pytest.raises(MailError, match="certificate"):
        send_mail("ada@example.com", "Over TLS", BODY)
    assert recorder.envelopes == []


def test_starttls_never_falls_back_to_plain_text(app, mail_config, smtp_server):
    recorder, port = smtp_server()  # offers no STARTTLS
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=True)
    with app.app_context(), pytest.raises(MailError, match="STARTTLS"):
        send_mail("ada@example.com", "Secret", BODY)
    assert recorder.envelopes == []


def test_implicit_tls(app, mail_config, smtp_server, certificate, monkeypatch):
    recorder, port = smtp_server(ssl_context=server_tls_context(certificate))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_SSL=True, MAIL_USE_TLS=True)
    with app.app_context():
        send_mail("ada@example.com", "Over SSL", BODY)
    assert recorder.messages()[0]["Subject"] == "Over SSL"


def test_unreachable_server_is_a_mail_error(app, mail_config):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    with app.app_context(), pytest.raises(MailError):
        send_mail("ada@example.com", "Hello", BODY)


# --------------------------------------------------------------------------- the outbox


def add_row(app, **fields) -> str:
    """An outbox row as the web leaves it (pending, due now), with `fields` changed."""
    values = {
        "kind": "message",
        "recipient": "ada@example.com",
        "subject": "Hello",
        "body": BODY,
        "next_attempt_at": utcnow(),
        **fields,
    }
    with app.app_context():
        row = OutboxMessage(**values)
        db.session.add(row)
        db.session.commit()
        return row.id


def get_row(app, message_id) -> OutboxMessage:
    with app.app_context():
        row = db.session.get(OutboxMessage, message_id)
        db.session.expunge(row)
        return row


def queued_tasks(app, redis_client) -> int:
    return redis_client.llen(f"rq:queue:{app.config['REDIS_KEY_PREFIX']}-default")


def test_send_later_is_sent_by_the_worker_and_the_text_not_kept(app, outbox, worker):
    with app.app_context():
        message_id = mail.send_later(" zoe@example.com ", "Willkommen", "Grüße, Zoë\n")
    (message,) = outbox.settle()
    assert message["To"] == "zoe@example.com" and message["Subject"] == "Willkommen"
    assert message.get_content() == "Grüße, Zoë\n"
    row = get_row(app, message_id)
    assert (row.status, row.attempts, row.body) == ("sent", 1, None) and row.sent_at


def test_send_later_with_the_queue_down_keeps_the_message(
    app, outbox, held_mail, monkeypatch, caplog
):
    monkeypatch.setitem(app.config, "REDIS_URL", "redis://127.0.0.1:9/0")  # nothing there
    monkeypatch.delitem(app.extensions, "copydesk_redis", raising=False)
    with app.app_context():
        message_id = mail.send_later("ada@example.com", "Later", BODY)
    assert get_row(app, message_id).status == "pending" and outbox.messages() == []
    assert f"mail {message_id} (message) waits in the outbox" in caplog.text


def test_the_sweep_queues_waiting_mail_once_per_grace(app, outbox, held_mail, redis_client):
    waited = add_row(app, next_attempt_at=utcnow() - timedelta(minutes=5))
    add_row(app)  # just queued by the web: its own task will send it
    add_row(app, next_attempt_at=utcnow() + timedelta(minutes=5))  # retry not due yet
    with app.app_context():
        assert mail.sweep_outbox() == 1
        assert mail.sweep_outbox() == 0  # another worker's sweep right after: nothing
        assert mail.sweep_outbox(grace=timedelta(0)) == 2  # at worker start: all that is due
    assert queued_tasks(app, redis_client) == 3
    assert get_row(app, waited).status == "pending"


def test_a_message_queued_twice_is_sent_once(app, outbox, held_mail):
    message_id = add_row(app)
    errors = []

    def deliver():
        try:
            with app.app_context():
                mail.deliver(message_id)
                db.session.remove()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(outbox.messages()) == 1
    assert get_row(app, message_id).attempts == 1
    with app.app_context():
        mail.deliver(message_id)  # a late duplicate task
    assert len(outbox.messages()) == 1


def test_a_failing_send_is_retried_with_backoff_then_failed(
    app, outbox, held_mail, mail_config, caplog
):
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_USE_TLS=False)
    message_id = add_row(app)
    delays = []
    with caplog.at_level(logging.INFO, logger="webapp.services.mail"):
        for attempt in range(1, 6):
            with app.app_context(), pytest.raises(MailError):
                mail.deliver(message_id)
            row = get_row(app, message_id)
            assert row.attempts == attempt and "ada@example.com" in row.last_error
            if row.status == "failed":
                break
            delays.append(row.next_attempt_at - utcnow())
            with app.app_context():
                mail.deliver(message_id)  # not due yet: nothing happens
                db.session.execute(
                    db.update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1))
                )
                db.session.commit()
    assert (row.status, row.attempts, row.body) == ("failed", 5, None)
    assert [round(delay.total_seconds() / 10) * 10 for delay in delays] == [
        delay.total_seconds() for delay in RETRY_DELAYS
    ]
    assert "failed after 5 attempts" in caplog.text and "ada@example.com" in caplog.text
    assert "SECRET-TOKEN" not in caplog.text  # the reason is logged, never the body
    assert outbox.messages() == []


def test_a_send_interrupted_midway_is_failed_never_sent_again(app, outbox, held_mail):
    stuck = add_row(app, status="sending", attempts=1, claimed_at=utcnow() - timedelta(minutes=11))
    busy = add_row(app, status="sending", attempts=1, claimed_at=utcnow())
    with app.app_context():
        mail.sweep_outbox()
        mail.deliver(stuck)
    row = get_row(app, stuck)
    assert (row.status, row.last_error, row.body) == ("failed", INTERRUPTED, None)
    assert get_row(app, busy).status == "sending" and outbox.messages() == []


def test_the_sweep_forgets_finished_mail_after_a_week(app, outbox, held_mail):
    old = add_row(app, status="sent", created_at=utcnow() - timedelta(days=8))
    recent = add_row(app, status="failed", created_at=utcnow() - timedelta(days=6))
    with app.app_context():
        mail.sweep_outbox()
        assert db.session.get(OutboxMessage, old) is None
        assert db.session.get(OutboxMessage, recent) is not None


def test_links_come_from_base_url_never_from_the_request(app, monkeypatch):
    with app.app_context():  # what the worker has: no request at all
        assert password_reset.reset_link("abc") == "http://127.0.0.1:8000/reset-password/abc"
    monkeypatch.setitem(app.config, "BASE_URL", "https://copydesk.example.com/")
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        assert password_reset.reset_link("abc") == (
            "https://copydesk.example.com/reset-password/abc"
        )
        assert email_verification.verification_link("abc") == (
            "https://copydesk.example.com/verify-email/abc"
        )


def test_mailed_links_open_the_pages_they_promise(app):
    """The services know the paths of the pages their mail links to; the routes must agree."""
    token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl-_"
    pages = app.url_map.bind("localhost")
    with app.app_context():
        for link, endpoint in (
            (password_reset.reset_link(token), "auth.reset_password"),
            (email_verification.verification_link(token), "auth.verify_email"),
        ):
            assert pages.match(urlsplit(link).path, method="GET") == (endpoint, {"token": token})
