"""The mail outbox: every message waits in the database until a worker sends it.

The web stores a row and puts a delivery task on the queue; when the queue is down, the row
just waits. Workers sweep the table when they start and every few seconds after, so nothing
is lost while Redis is down or after it lost its data. A worker claims a row with a
conditional update before sending it, so a message goes out at most once; a failed send is
retried with backoff and, after MAX_ATTEMPTS, marked failed with the reason, which is logged
(never the body).

Kinds other than "message" are written at send time by a composer registered for the kind
(see password_reset.py), so that secrets such as reset links are never stored.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from ...errors import ServiceUnavailable
from ...extensions import db
from ...models import OutboxMessage
from ...timeutil import utcnow
from ...vocabulary import OutboxStatus
from .. import job_registry
from . import transport

log = logging.getLogger(__name__)

MESSAGE_KIND = "message"
MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, ... failed attempt (at least: the sweep adds up to SWEEP_GRACE).
RETRY_DELAYS = (
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
)
# Rows due for this long have lost their task (queue down or wiped): the sweep queues them.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 100
# A claim older than this was interrupted (worker killed mid-send): failed, never resent.
SEND_LEASE = timedelta(minutes=10)
KEEP_FINISHED = timedelta(days=7)
DELIVER_TIMEOUT_SECONDS = 120
INTERRUPTED = "Interrupted while sending (the worker stopped); not retried, it may have gone out."

Composed = tuple[str, str, str]  # to, subject, text
_composers: dict[str, Callable[[OutboxMessage], Composed | None]] = {}


def composer(kind: str):
    """Register the function that writes messages of `kind` at send time: it gets the row
    and returns (to, subject, text), or None when there is nothing to send (the row is
    then dropped quietly)."""

    def register(function):
        _composers[kind] = function
        return function

    return register


@composer(MESSAGE_KIND)
def _stored_message(message: OutboxMessage) -> Composed:
    return message.recipient, message.subject, message.body or ""


def send_later(to: str, subject: str, text: str) -> str:
    """Queue a plain-text message to `to` for the worker to send; returns its outbox id.

    Commits the session. Never raises for a down queue: the message then waits in the
    database until a worker is back. The text is stored until it is sent.
    """
    return queue_mail(MESSAGE_KIND, to.strip(), subject, text)


def queue_mail(kind: str, recipient: str, subject: str, body: str | None = None) -> str:
    """Store a message of `kind` (body None: its composer writes it at send time) and ask a
    worker to send it; returns its id. Commits the session."""
    message = OutboxMessage(
        kind=kind, recipient=recipient, subject=subject, body=body, next_attempt_at=utcnow()
    )
    db.session.add(message)
    db.session.commit()
    try:
        _enqueue(message.id)
    except ServiceUnavailable:
        log.warning("mail %s (%s) waits in the outbox: the queue is unavailable", message.id, kind)
    return message.id


def _enqueue(message_id: str) -> None:
    # A fresh job id each time: a row may be queued again by the sweep, and the claim
    # keeps a second task from sending it twice.
    job_registry.enqueue_internal(
        job_registry.InternalTask.DELIVER_MAIL,
        message_id,
        job_id=f"mail-{message_id}-{secrets.token_hex(4)}",
        timeout=DELIVER_TIMEOUT_SECONDS,
        description=f"mail {message_id}",
    )


def deliver(message_id: str) -> None:
    """Send outbox message `message_id` if it is still pending and due (else do nothing).

    On failure the reason is recorded (retry later, or failed after MAX_ATTEMPTS) and the
    exception raised again.
    """
    message = _claim(message_id)
    if message is None:
        return
    try:
        composed = _composers[message.kind](message)
        if composed is None:
            _drop(message)
            return
        transport.send_mail(*composed)
    except transport.MailError as exc:
        _record_failure(message_id, str(exc))
        raise
    except Exception as exc:
        _record_failure(message_id, f"{type(exc).__name__} while writing or sending")
        raise
    _mark_sent(message)


def _claim(message_id: str) -> OutboxMessage | None:
    now = utcnow()
    claimed = db.session.execute(
        db.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        )
        .values(status=OutboxStatus.SENDING, claimed_at=now, attempts=OutboxMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return db.session.get(OutboxMessage, message_id) if claimed == 1 else None


def _mark_sent(message: OutboxMessage) -> None:
    message.status, message.sent_at, message.body = OutboxStatus.SENT, utcnow(), None
    db.session.commit()
    log.info("mail %s (%s) sent to %s", message.id, message.kind, message.recipient)


def _drop(message: OutboxMessage) -> None:
    log.info("mail %s (%s): nothing to send, dropped", message.id, message.kind)
    db.session.delete(message)
    db.session.commit()


def _record_failure(message_id: str, reason: str) -> None:
    db.session.rollback()
    message = db.session.get(OutboxMessage, message_id)
    message.last_error, message.claimed_at = reason[:2000], None
    if message.attempts >= MAX_ATTEMPTS:
        message.status, message.body = OutboxStatus.FAILED, None
        log.error(
            "mail %s (%s to %s) failed after %d attempts: %s",
            message.id,
            message.kind,
            message.recipient,
            message.attempts,
            reason,
        )
    else:
        delay = RETRY_DELAYS[min(message.attempts, len(RETRY_DELAYS)) - 1]
        message.status, message.next_attempt_at = OutboxStatus.PENDING, utcnow() + delay
        log.warning(
            "mail %s (%s to %s) not sent (attempt %d of %d), retrying in %s: %s",
            message.id,
            message.kind,
            message.recipient,
            message.attempts,
            MAX_ATTEMPTS,
            delay,
            reason,
        )
    db.session.commit()


def sweep_outbox(grace: timedelta = SWEEP_GRACE) -> int:
    """Queue every pending message that has been due for `grace` (its task was lost or
    never queued), fail interrupted sends and purge old finished rows. Returns how many
    messages were queued. Run by workers at start (no grace) and between jobs."""
    now = utcnow()
    _fail_interrupted(now)
    _purge_finished(now)
    due = db.session.execute(
        db.select(OutboxMessage.id, OutboxMessage.next_attempt_at)
        .where(
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at <= now - grace,
        )
        .order_by(OutboxMessage.next_attempt_at)
        .limit(SWEEP_BATCH)
    ).all()
    queued = 0
    for message_id, due_at in due:
        if _take_for_queueing(message_id, due_at, now):
            _enqueue(message_id)
            queued += 1
    return queued


def _take_for_queueing(message_id: str, due_at: datetime, now: datetime) -> bool:
    """Move the due time to now, unless another worker's sweep did first: each lost row is
    queued by one sweep per grace period, not by every worker every round."""
    taken = db.session.execute(
        db.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.next_attempt_at == due_at,
        )
        .values(next_attempt_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return taken == 1


def _fail_interrupted(now: datetime) -> None:
    failed = db.session.execute(
        db.update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < now - SEND_LEASE,
        )
        .values(status=OutboxStatus.FAILED, body=None, last_error=INTERRUPTED)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    if failed:
        log.warning("%d mail(s) interrupted while sending marked failed", failed)


def _purge_finished(now: datetime) -> None:
    db.session.execute(
        db.delete(OutboxMessage)
        .where(
            OutboxMessage.status.in_((OutboxStatus.SENT, OutboxStatus.FAILED)),
            OutboxMessage.created_at < now - KEEP_FINISHED,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
