"""send_mail (webapp/services/mail.py): the outbox without MAIL_SERVER, and real SMTP on
loopback (aiosmtpd) with plain, STARTTLS and implicit TLS connections."""
from __future__ import annotations

import datetime
import email
import email.policy
import ipaddress
import logging
import ssl

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from webapp.services.mail import MailError, send_mail

from ..conftest import free_port

BODY = "Open https://copydesk.test/reset-password/SECRET-TOKEN within the hour.\n"


class Recorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self):
        # SMTP carries CRLF line ends; compare with the LF text that was sent.
        return [email.message_from_bytes(envelope.content.replace(b"\r\n", b"\n"),
                                         policy=email.policy.default)
                for envelope in self.envelopes]


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
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName(
                [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
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
        app, mail_config, tmp_path, caplog):
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
    parsed = [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
              for path in files]
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
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                MAIL_USERNAME="mailer", MAIL_PASSWORD="s3cret",
                MAIL_FROM="Copydesk <no-reply@copydesk.test>", MAIL_OUTBOX_DIR=str(tmp_path))
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
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=False,
                MAIL_USERNAME="mailer", MAIL_PASSWORD="wrong")
    with app.app_context(), pytest.raises(MailError, match="ada@example.com"):
        send_mail("ada@example.com", "Hello", BODY)
    assert recorder.envelopes == []


def test_starttls_with_a_trusted_certificate(app, mail_config, smtp_server, certificate,
                                             monkeypatch):
    recorder, port = smtp_server(tls_context=server_tls_context(certificate),
                                 require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust our test CA only
    mail_config(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_USE_TLS=True)
    with app.app_context():
        send_mail("ada@example.com", "Over TLS", BODY)
    assert recorder.messages()[0].get_content() == BODY


def test_starttls_refuses_an_untrusted_certificate(app, mail_config, smtp_server, certificate):
    recorder, port = smtp_server(tls_context=server_tls_context(certificate),
                                 require_starttls=True)
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
