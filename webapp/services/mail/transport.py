"""Handing one message over: SMTP when MAIL_SERVER is set, otherwise the log and an `.eml`
file in MAIL_OUTBOX_DIR. Only the worker sends (see outbox.py); the web queues."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

from flask import current_app

from ...timeutil import utcnow

log = logging.getLogger(__name__)

SMTP_TIMEOUT_SECONDS = 15
MAX_LINE_BYTES = 998


class MailError(RuntimeError):
    """The message could not be handed to the mail server or written to the outbox."""


def send_mail(to: str, subject: str, text: str) -> None:
    """Send a plain-text message to `to`; MailError when it cannot be delivered.

    Without MAIL_SERVER the message is saved under MAIL_OUTBOX_DIR and the log names only
    its recipient and subject: bodies carry secrets such as reset links.
    """
    config = current_app.config
    message = build_message(config["MAIL_FROM"], to, subject, text)
    try:
        if config["MAIL_SERVER"]:
            _deliver_smtp(message, config)
            log.info("Mail sent to %s: %r", to, subject)
        else:
            path = _save_to_outbox(message, Path(config["MAIL_OUTBOX_DIR"]))
            log.info(
                "Mail to %s: %r not sent (MAIL_SERVER is unset); saved as %s", to, subject, path
            )
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"Could not send mail to {to}: {exc}") from exc


def build_message(sender: str, to: str, subject: str, text: str) -> EmailMessage:
    """A text/plain UTF-8 message with the headers mail servers expect."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(text, cte=_transfer_encoding(text))
    return message


def _transfer_encoding(text: str) -> str:
    """7bit/8bit keep a long link on one line, readable as is in the outbox (as Django
    sends mail); quoted-printable would cut it with soft breaks. RFC 5322 allows lines of
    998 bytes, past which only quoted-printable will do."""
    if any(len(line.encode()) > MAX_LINE_BYTES for line in text.splitlines()):
        return "quoted-printable"
    return "7bit" if text.isascii() else "8bit"


def _deliver_smtp(message: EmailMessage, config) -> None:
    # A verifying context: smtplib's default for STARTTLS does not check certificates.
    context = ssl.create_default_context()
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config["MAIL_USE_SSL"]:
        smtp = smtplib.SMTP_SSL(host, port, timeout=SMTP_TIMEOUT_SECONDS, context=context)
    else:
        smtp = smtplib.SMTP(host, port, timeout=SMTP_TIMEOUT_SECONDS)
    with smtp:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls(context=context)  # raises when the server does not offer it
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        smtp.ehlo_or_helo_if_needed()
        eight_bit = message["Content-Transfer-Encoding"] == "8bit" and smtp.has_extn("8bitmime")
        smtp.send_message(message, mail_options=("BODY=8BITMIME",) if eight_bit else ())


def _save_to_outbox(message: EmailMessage, outbox: Path) -> Path:
    """Write the message as `<utc time>-<random>.eml`; names sort in sending order."""
    outbox.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    partial = outbox / f".{name}.tmp"
    # Owner-only: the outbox holds live reset links. Renamed into place so that a reader
    # never sees half a message.
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    target = outbox / name
    os.replace(partial, target)
    return target
