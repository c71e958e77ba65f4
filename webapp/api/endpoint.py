"""`@endpoint`: one decorator that authenticates, parses and validates the request,
applies Idempotency-Key, serialises the response, and describes all of it to OpenAPI.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from functools import partial, wraps

from flask import Response, current_app, jsonify, request
from pydantic import BaseModel, ValidationError

from ..errors import AppError, ErrorCode, ValidationFailed
from ..json_input import loads_bounded
from ..services import idempotency
from .principal import current_principal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EndpointSpec:
    summary: str
    tag: str
    body: type[BaseModel] | None = None
    query: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    # The codes the operation itself answers (beyond those of `common_error_codes`).
    errors: tuple[ErrorCode, ...] = ()
    auth: bool = True
    upload: bool = False  # multipart/form-data with a `file` field
    # The body may be left out altogether (every field of `body` is optional): no body
    # and no Content-Type reads as `{}`.
    body_optional: bool = False
    # Idempotency-Key honoured: the request runs once per key.
    idempotent: bool = True
    # The first 2xx response is kept and replayed. False when it carries a credential: a
    # retry then gets 409 IDEMPOTENCY_REPLAY_UNAVAILABLE and nothing runs twice.
    replay: bool = True
    description: str = ""
    extra: dict = field(default_factory=dict)

    def error_codes(self, method: str) -> frozenset[ErrorCode]:
        """Every code the operation (this view under `method`) may answer: its own and
        those of what it takes."""
        return frozenset(self.errors) | common_error_codes(self, method)


def common_error_codes(spec: EndpointSpec, method: str) -> frozenset[ErrorCode]:
    """The codes `@endpoint` itself may answer, from what the operation declares it takes."""
    codes = {ErrorCode.RATE_LIMIT_EXCEEDED, ErrorCode.INTERNAL_ERROR}
    if spec.auth:
        codes |= {
            ErrorCode.UNAUTHORIZED,
            ErrorCode.TOKEN_EXPIRED,
            ErrorCode.TOKEN_INVALID,
            ErrorCode.INVALID_API_KEY,
        }
    if spec.query is not None:
        codes.add(ErrorCode.VALIDATION_ERROR)
    if spec.body is not None:
        codes |= {
            ErrorCode.VALIDATION_ERROR,
            ErrorCode.INVALID_JSON,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.PAYLOAD_TOO_LARGE,
        }
    if spec.upload:
        codes |= {
            ErrorCode.VALIDATION_ERROR,
            ErrorCode.BAD_REQUEST,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            ErrorCode.FILE_TOO_LARGE,
        }
    if method == "POST" and spec.idempotent:  # a malformed, reused or busy Idempotency-Key
        codes |= {
            ErrorCode.VALIDATION_ERROR,
            ErrorCode.IDEMPOTENCY_KEY_REUSED,
            ErrorCode.IDEMPOTENCY_IN_PROGRESS,
        }
        if not spec.replay:
            codes.add(ErrorCode.IDEMPOTENCY_REPLAY_UNAVAILABLE)
    return frozenset(codes)


def endpoint(summary: str, *, tag: str, **options):
    """Wrap an API view; the view receives `body=` / `query=` models when declared."""
    spec = EndpointSpec(summary=summary, tag=tag, **options)
    _refuse_keeping_credentials(spec)
    _refuse_undeclared_codes(spec)

    def decorate(view):
        @wraps(view)
        def wrapper(**path_args):
            return _handle(spec, view, path_args)

        wrapper.api_spec = spec
        return wrapper

    return decorate


# Response fields that hold a secret: such a response must never be stored for replay.
CREDENTIAL_FIELDS = frozenset(
    {"key", "secret", "password", "token", "access_token", "refresh_token"}
)


def _refuse_keeping_credentials(spec: EndpointSpec) -> None:
    if not (spec.idempotent and spec.replay and spec.response is not None):
        return
    carried = CREDENTIAL_FIELDS & set(spec.response.model_fields)
    if carried:
        raise TypeError(
            f"{spec.summary!r} answers with {sorted(carried)}, which would be kept "
            "for Idempotency-Key replays: declare replay=False."
        )


def _refuse_undeclared_codes(spec: EndpointSpec) -> None:
    strays = [code for code in spec.errors if not isinstance(code, ErrorCode)]
    if strays:
        raise TypeError(
            f"{spec.summary!r} declares errors={strays!r}: declare the ErrorCode "
            "members the operation answers (their statuses follow)."
        )


def _handle(spec: EndpointSpec, view, path_args: dict):
    principal = current_principal() if spec.auth else None
    kwargs = dict(path_args)
    if spec.query is not None:
        kwargs["query"] = validate_model(spec.query, request.args.to_dict(), "query")
    raw, data = read_body(spec)
    if spec.upload:
        raw = upload_fingerprint()
    replay_key = _idempotency_key(spec)
    if spec.body is not None:
        kwargs["body"] = validate_model(spec.body, data, "body")
    if not replay_key:
        return render(view(**kwargs), spec)
    fingerprint = idempotency.request_fingerprint(request.method, request.path, raw)
    scope = idempotency.scope_for(principal.user.id if principal else None, fingerprint)
    record = idempotency.claim_key(scope, replay_key, fingerprint)
    if not record.is_pending:
        return _replayed(record)
    return _run_claimed(spec, view, kwargs, record.id)


def _run_claimed(spec: EndpointSpec, view, kwargs: dict, claim_id: str) -> Response:
    """Run the view that owns an Idempotency-Key: keep a 2xx answer (unless it carries a
    credential), release the key after anything else so that a retry can run."""
    try:
        response = render(view(**kwargs), spec)
    except BaseException:
        _release_after_failure(claim_id)
        raise
    if not 200 <= response.status_code < 300:
        _release_after_failure(claim_id)
        return response
    kept = response.get_data(as_text=True) if spec.replay else None
    idempotency.complete_claim(claim_id, response.status_code, kept)
    return response


def _release_after_failure(claim_id: str) -> None:
    try:
        idempotency.release_claim(claim_id)
    except Exception:  # the request's own failure is what the client must hear about
        log.exception("could not release Idempotency-Key claim %s", claim_id)


def upload_fingerprint() -> bytes:
    """What identifies a multipart upload for Idempotency-Key: names and file contents."""
    if request.mimetype != "multipart/form-data":
        raise AppError(
            "Send the file as multipart/form-data.", code=ErrorCode.UNSUPPORTED_MEDIA_TYPE
        )
    digest = hashlib.sha256()
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest.update(f"{name}={upload.filename}\n".encode())
        for chunk in iter(partial(upload.stream.read, 1024 * 1024), b""):
            digest.update(chunk)
        upload.stream.seek(0)
    return digest.hexdigest().encode()


def _idempotency_key(spec: EndpointSpec) -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is None or request.method != "POST" or not spec.idempotent:
        return None
    idempotency.check_key(key)
    return key


def _replayed(record) -> Response:
    response = Response(
        record.response_body, status=record.status_code, mimetype="application/json"
    )
    response.headers["Idempotent-Replayed"] = "true"
    return response


def render(result, spec: EndpointSpec) -> Response:
    if result is None:
        return Response(status=204)
    if isinstance(result, Response):  # serialised by the view itself (a hot path)
        return result
    status = spec.status
    if isinstance(result, tuple):
        result, status = result
    if spec.response is not None and not isinstance(result, BaseModel):
        result = spec.response.model_validate(result, from_attributes=True)
    payload = result.model_dump(mode="json") if isinstance(result, BaseModel) else result
    response = jsonify(payload)
    response.status_code = status
    return response


def read_body(spec: EndpointSpec) -> tuple[bytes, dict | None]:
    if spec.body is None:
        return b"", None
    if spec.body_optional and not request.content_length and not request.mimetype:
        return b"", {}
    return read_json_body()


def read_json_body() -> tuple[bytes, dict]:
    """The raw body and its JSON object; 415 / 413 / 400 when it is not one."""
    if request.mimetype != "application/json":
        raise AppError(
            "Send the body as JSON with Content-Type: application/json.",
            code=ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        )
    request.max_content_length = current_app.config["API_MAX_JSON_BYTES"]
    raw = request.get_data(cache=True)
    try:
        data = loads_bounded(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise AppError("The request body is not valid UTF-8.", code=ErrorCode.INVALID_JSON)
    except ValueError as exc:
        raise AppError(f"The request body is not valid JSON: {exc}.", code=ErrorCode.INVALID_JSON)
    if not isinstance(data, dict):
        raise ValidationFailed(
            "The request body must be a JSON object.",
            errors=[{"loc": ["body"], "msg": "Input should be an object", "type": "model_type"}],
        )
    if _contains_unstorable(data):  # recursion is safe: loads_bounded limits the depth
        raise ValidationFailed(
            "Text must be valid Unicode without NUL characters.",
            errors=[
                {
                    "loc": ["body"],
                    "msg": "NUL characters and lone surrogates are not allowed",
                    "type": "value_error",
                }
            ],
        )
    return raw, data


# JSON may encode NUL and lone UTF-16 surrogates; no database column can store them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _contains_unstorable(value) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(_contains_unstorable(k) or _contains_unstorable(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_contains_unstorable(item) for item in value)
    return False


def validate_model(model: type[BaseModel], data, where: str) -> BaseModel:
    """Validate into `model`, or VALIDATION_ERROR with pydantic-style `errors`."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = [
            {"loc": [where, *error["loc"]], "msg": error["msg"], "type": error["type"]}
            for error in exc.errors(include_url=False, include_input=False)
        ]
        first = errors[0]
        field_path = ".".join(str(part) for part in first["loc"][1:]) or where
        codes = getattr(model, "error_codes", {})
        code = codes.get(f"{field_path}:{first['type']}", ErrorCode.VALIDATION_ERROR)
        raise ValidationFailed(f"{field_path}: {first['msg']}", code=code, errors=errors)
