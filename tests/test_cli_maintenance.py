"""`flask maintenance purge-expired`: what nobody can use any more is deleted, the rest
kept."""

from datetime import timedelta

from webapp.extensions import db
from webapp.models import IdempotencyRecord, OutboxMessage, RefreshToken, UserSession
from webapp.timeutil import utcnow

from .factories import make_user


def count(model) -> int:
    return db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()


def test_purge_deletes_expired_records_and_keeps_live_ones(app, auth, client):
    auth.headers()  # a live refresh token
    auth.login_page()  # a live session
    user = make_user(app, email="old@example.com")
    now = utcnow()
    with app.app_context():
        db.session.add_all(
            [
                RefreshToken(
                    id="expired-token",
                    user_id=user.id,
                    family_id="f1",
                    expires_at=now - timedelta(minutes=1),
                ),
                UserSession(id="r" * 64, user_id=user.id, revoked_at=now),
                OutboxMessage(
                    kind="message",
                    recipient="a@example.com",
                    subject="old",
                    status="sent",
                    created_at=now - timedelta(days=31),
                ),
                OutboxMessage(
                    kind="message",
                    recipient="a@example.com",
                    subject="pending",
                    status="pending",
                    created_at=now - timedelta(days=31),
                ),
            ]
        )
        db.session.commit()
        before = {m: count(m) for m in (RefreshToken, UserSession, OutboxMessage)}

    result = app.test_cli_runner().invoke(args=["maintenance", "purge-expired"])

    assert result.exit_code == 0, result.output
    assert "refresh tokens: 1 deleted" in result.output
    assert "sessions: 1 deleted" in result.output
    assert "outbox mails: 1 deleted" in result.output
    with app.app_context():
        after = {m: count(m) for m in (RefreshToken, UserSession, OutboxMessage)}
        assert {m: before[m] - after[m] for m in before} == {
            RefreshToken: 1,
            UserSession: 1,
            OutboxMessage: 1,
        }
        assert db.session.execute(db.select(OutboxMessage.subject)).scalars().all() == ["pending"]
        assert count(IdempotencyRecord) == 0
