"""POST/GET/DELETE /api-keys."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import api_keys as key_service
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.api_keys import ApiKeyCreate, ApiKeyList, ApiKeyOut, CreatedApiKey


@bp.post("/api-keys", strict_slashes=False)
@endpoint(
    "Create an API key (the secret is shown once)",
    tag="API keys",
    body=ApiKeyCreate,
    response=CreatedApiKey,
    status=201,
    replay=False,
    errors=(ErrorCode.LIVE_KEY_REQUIRED, ErrorCode.API_KEY_LIMIT_REACHED),
    description="At most 5 active keys. A test key (sk_test_) may create only test "
    "keys: a live key asked for with one is 403 LIVE_KEY_REQUIRED. "
    "With an Idempotency-Key the key is created once: the secret is never "
    "stored, so a retry with the same key and body after success answers "
    "409 IDEMPOTENCY_REPLAY_UNAVAILABLE (list the keys to find it; revoke it "
    "and create another if the secret was lost) instead of replaying the "
    "response.",
)
def create_api_key(body: ApiKeyCreate):
    principal = current_principal()
    key, secret = key_service.create_api_key(
        principal.user, body.name, body.mode, created_with_test_key=principal.test_mode
    )
    return CreatedApiKey.model_validate(
        {**ApiKeyOut.model_validate(key).model_dump(), "key": secret}
    )


@bp.get("/api-keys", strict_slashes=False)
@endpoint("List active API keys", tag="API keys", response=ApiKeyList)
def list_api_keys():
    keys = key_service.active_keys(current_principal().user)
    return {"api_keys": keys, "total": len(keys)}


@bp.delete("/api-keys/<key_id>")
@endpoint(
    "Revoke an API key (immediately)",
    tag="API keys",
    status=204,
    errors=(ErrorCode.NOT_FOUND, ErrorCode.LIVE_KEY_REQUIRED),
    description="A test key (sk_test_) may revoke only test keys: revoking a live key "
    "with one is 403 LIVE_KEY_REQUIRED.",
)
def revoke_api_key(key_id: str):
    principal = current_principal()
    key_service.revoke_api_key(
        key_service.get_api_key_or_404(key_id, principal.user),
        revoked_with_test_key=principal.test_mode,
    )
