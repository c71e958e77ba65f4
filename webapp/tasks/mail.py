"""Mail delivery (queue `<prefix>-default`)."""
from __future__ import annotations

from ..extensions import db
from ..services import mail
from ..services import password_reset  # noqa: F401  (registers the reset mail's composer)


def deliver_mail_task(message_id: str) -> None:
    """Send one outbox message. Runs in the worker process itself (worker.py): it waits on
    the network only. A failure is recorded on the row (retried later or failed) and still
    reaches RQ."""
    try:
        mail.deliver(message_id)
    finally:
        db.session.remove()
