"""Outgoing email. Features call `send_later(to, subject, text)`, which stores the message
in the database outbox and has the worker send it (outbox.py); `send_mail` hands one message
to SMTP or the `.eml` folder (transport.py); `site_url` builds links from BASE_URL only."""
from .links import DEFAULT_BASE_URL, site_url
from .outbox import composer, deliver, queue_mail, send_later, sweep_outbox
from .transport import MailError, build_message, send_mail

__all__ = ["DEFAULT_BASE_URL", "MailError", "build_message", "composer", "deliver",
           "queue_mail", "send_later", "send_mail", "site_url", "sweep_outbox"]
