"""The stdlib check of our own JWTs accepts exactly the live tokens we sign and leaves
everything else (every refusal included) to PyJWT."""

from __future__ import annotations

import time

import jwt
import pytest

from webapp.services.signed_claims import ALGORITHM, verified_own_claims

SECRET = "s" * 64


def our_token(**changes) -> tuple[str, dict]:
    now = int(time.time())
    claims = {
        "sub": "a" * 24,
        "type": "access",
        "ver": 0,
        "fam": "f" * 32,
        "iat": now,
        "exp": now + 3600,
        **changes,
    }
    claims = {name: value for name, value in claims.items() if value is not None}
    return jwt.encode(claims, SECRET, algorithm=ALGORITHM), claims


def test_accepts_our_live_tokens_with_the_claims_pyjwt_reads():
    for token, claims in (our_token(), our_token(type="refresh", fam=None, jti="j" * 32)):
        assert verified_own_claims(token, SECRET) == claims
        assert verified_own_claims(token, SECRET) == jwt.decode(
            token, SECRET, algorithms=[ALGORITHM]
        )


@pytest.mark.parametrize(
    "token",
    [
        our_token()[0] + "x",  # signature altered
        our_token()[0].replace(".", ".e", 1),  # payload altered
        jwt.encode(our_token()[1], "o" * 64, algorithm=ALGORITHM),
        jwt.encode(our_token()[1], SECRET, algorithm="HS512"),  # another header
        jwt.encode(our_token()[1], SECRET, algorithm=ALGORITHM, headers={"kid": "1"}),
        our_token(exp=int(time.time()) - 1)[0],  # expired: PyJWT says TOKEN_EXPIRED
        # issued in the future (far enough that it still is when a long suite gets here)
        our_token(iat=int(time.time()) + 10 * 365 * 86400)[0],
        our_token(aud="someone")[0],  # a claim we never issue
        our_token(sub=None)[0],
        our_token(exp=None)[0],
        our_token(type=None)[0],
        our_token(exp=float(time.time() + 600))[0],
        "not.a.token",
        "",
        "..",
        "a.b",
    ],
)
def test_anything_else_is_left_to_pyjwt(token):
    assert verified_own_claims(token, SECRET) is None


def test_unsigned_token_is_left_to_pyjwt():
    header = jwt.encode({}, None, algorithm="none").split(".")[0]
    payload = our_token()[0].split(".")[1]
    assert verified_own_claims(f"{header}.{payload}.", SECRET) is None
