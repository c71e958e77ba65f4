"""Mail delivery (queue `<prefix>-default`)."""

from __future__ import annotations

from ..extensions import db

# Imported for their composers: they write their mails at send time.
from ..services import (  # noqa: F401
    email_verification,
    invitations,
    job_registry,
    mail,
    password_reset,
)


@job_registry.internal_task(job_registry.InternalTask.DELIVER_MAIL, in_process=True)
def deliver_mail_task(message_id: str) -> None:
    """Send one outbox message. Runs in the worker process itself: it waits on the
    network only. A failure is recorded on the row (retried later or failed) and still
    reaches RQ."""
    try:
        mail.deliver(message_id)
    finally:
        db.session.remove()
