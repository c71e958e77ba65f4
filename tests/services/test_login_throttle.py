"""The per-account limit on password guesses, through the services that check passwords."""

import threading

import pytest

from webapp.errors import Unauthorized
from webapp.services import accounts
from webapp.services.login_throttle import TooManyAttempts

from ..conftest import TEST_KEY_PREFIX
from ..factories import DEFAULT_PASSWORD, make_user

pytestmark = pytest.mark.usefixtures("db")

WRONG = "WrongPassword1!"


def sign_in(app, email, password):
    """'ok', 'wrong' or 'locked'."""
    with app.app_context():
        try:
            accounts.authenticate(email, password)
        except Unauthorized:
            return "wrong"
        except TooManyAttempts:
            return "locked"
        return "ok"


def test_parallel_guesses_get_ten_verifications_and_no_more(app):
    """Attempts are counted before the slow hash check, so a burst cannot slip past."""
    make_user(app, email="user@example.com")
    results, start = [], threading.Barrier(20)

    def guess():
        start.wait()
        results.append(sign_in(app, "user@example.com", WRONG))

    threads = [threading.Thread(target=guess) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["locked"] * 10 + ["wrong"] * 10


def test_successes_are_not_failures_and_do_not_wipe_earlier_ones(app):
    make_user(app, email="user@example.com")
    assert [sign_in(app, "user@example.com", WRONG) for _ in range(9)] == ["wrong"] * 9
    assert [sign_in(app, "user@example.com", DEFAULT_PASSWORD) for _ in range(3)] == ["ok"] * 3
    assert sign_in(app, "user@example.com", WRONG) == "wrong"
    assert sign_in(app, "user@example.com", DEFAULT_PASSWORD) == "locked"


def age_attempts(redis_client, seconds):
    """Move every counted attempt of this test run `seconds` into the past."""
    for key in redis_client.scan_iter(f"{TEST_KEY_PREFIX}-auth-attempts:*"):
        for member, score in redis_client.zrange(key, 0, -1, withscores=True):
            redis_client.zadd(key, {member: score - seconds * 1000})


@pytest.mark.parametrize("age, outcome", [(14 * 60, "locked"), (15 * 60 + 1, "ok")])
def test_failures_leave_the_window_after_15_minutes(app, redis_client, age, outcome):
    make_user(app, email="user@example.com")
    for _ in range(10):
        sign_in(app, "user@example.com", WRONG)
    age_attempts(redis_client, age)
    with app.app_context():
        if outcome == "locked":
            with pytest.raises(TooManyAttempts) as refused:
                accounts.authenticate("user@example.com", DEFAULT_PASSWORD)
            wait = refused.value.retry_after
            assert 30 <= wait <= 60  # the oldest failure leaves a minute from now, or sooner
            assert (
                refused.value.message
                == f"Too many failed sign-in attempts. Try again in {wait} seconds."
            )
        else:
            assert accounts.authenticate("user@example.com", DEFAULT_PASSWORD).email


def test_the_counters_name_no_email_address(app, redis_client):
    sign_in(app, "someone@example.com", WRONG)
    keys = [key.decode() for key in redis_client.scan_iter(f"{TEST_KEY_PREFIX}-auth-attempts:*")]
    assert len(keys) == 1 and "someone" not in keys[0]
    assert 0 < redis_client.pttl(keys[0]) <= 15 * 60 * 1000


def test_current_password_checks_are_counted_per_user(app):
    first, second = make_user(app), make_user(app)
    with app.app_context():
        user, other = accounts.get_user(first.id), accounts.get_user(second.id)
        for _ in range(10):
            with pytest.raises(accounts.ValidationFailed):
                accounts.ensure_current_password(user, WRONG)
        with pytest.raises(TooManyAttempts):
            accounts.ensure_current_password(user, DEFAULT_PASSWORD)
        accounts.ensure_current_password(other, DEFAULT_PASSWORD)
    # Signing in is a count of its own: the locked settings form does not lock the account.
    assert sign_in(app, first.email, DEFAULT_PASSWORD) == "ok"
