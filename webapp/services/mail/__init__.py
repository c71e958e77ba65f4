"""Outgoing email. Features call `send_later(to, subject, text)`, which stores the message
in the database outbox and has the worker send it (outbox.py); `send_mail` hands one message
to SMTP or the `.eml` folder (transport.py). Links in mail come from config.public_url
(BASE_URL only), passed in by the features that compose the mail."""

from .outbox import composer, deliver, queue_mail, send_later, sweep_outbox
from .transport import MailError, build_message, send_mail

__all__ = [
    "MailError",
    "build_message",
    "composer",
    "deliver",
    "queue_mail",
    "send_later",
    "send_mail",
    "sweep_outbox",
]
