"""One catalogue of error codes: every code the application raises is in it, every API
operation lists the codes it answers in the OpenAPI document, and under TESTING an
operation answering a code it did not declare fails (so the API tests prove the
declarations complete)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from webapp import create_app
from webapp.api.endpoint import endpoint
from webapp.error_codes import ErrorCode
from webapp.errors import AppError, NotFound, UndeclaredErrorCode, ValidationFailed

from .conftest import build_test_config

WEBAPP = Path(__file__).resolve().parent.parent / "webapp"


def codes_named_in_source() -> list[tuple[str, str]]:
    """(where, code) for every code the source names: `ErrorCode.X`, `code="X"` in a
    call, `code = "X"` in a class body and `{"code": "X"}`."""
    found = []
    for path in sorted(WEBAPP.rglob("*.py")):
        tree = ast.parse(path.read_text(), filename=str(path))
        where = str(path.relative_to(WEBAPP.parent))
        for node in ast.walk(tree):
            found += [(f"{where}:{node.lineno}", code) for code in _codes_in(node)]
    return found


def _codes_in(node: ast.AST) -> list[str]:
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ErrorCode"
        and not node.attr.startswith("_")
    ):
        return [node.attr]
    if isinstance(node, ast.keyword) and node.arg == "code":
        return _string(node.value)
    if isinstance(node, ast.ClassDef):
        return [
            code
            for statement in node.body
            if isinstance(statement, ast.Assign)
            and any(getattr(t, "id", None) == "code" for t in statement.targets)
            for code in _string(statement.value)
        ]
    if isinstance(node, ast.Dict):
        return [
            code
            for key, value in zip(node.keys, node.values, strict=True)
            if isinstance(key, ast.Constant) and key.value == "code"
            for code in _string(value)
        ]
    return []


def _string(node: ast.AST) -> list[str]:
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def test_every_code_raised_in_webapp_is_in_the_catalogue():
    named = codes_named_in_source()
    attributes = {"status", "statuses", "meaning", "value", "name"}
    missing = [
        (where, code)
        for where, code in named
        if code not in ErrorCode.__members__ and code not in attributes
    ]
    assert not missing
    # The walk does see the raises: the common ones and one still written as a string.
    codes = {code for _, code in named}
    assert {
        "VALIDATION_ERROR",
        "PROJECT_NOT_FOUND",
        "JOB_NOT_FOUND",
        "RATE_LIMIT_EXCEEDED",
        "INVALID_TOKEN",
    } <= codes


def test_each_code_is_its_name_with_statuses_and_a_meaning():
    for name, member in ErrorCode.__members__.items():
        assert member == name and member.value == name
        assert member.meaning and "\n" not in member.meaning
        assert all(400 <= status <= 599 for status in member.statuses)
        assert member.status == (member.statuses[0] if member.statuses else 0)
    assert ErrorCode.HTTP_ERROR.statuses == ()  # answered with whatever werkzeug raised


def test_an_error_takes_its_status_from_the_catalogue():
    assert NotFound("x", code=ErrorCode.POST_NOT_FOUND).status == 404
    assert AppError("x", code=ErrorCode.STORAGE_LIMIT_REACHED).status == 413
    assert AppError("x", code="JOB_NOT_FOUND").code is ErrorCode.JOB_NOT_FOUND
    refused = ValidationFailed("x", code=ErrorCode.INVALID_CREDENTIALS, status=400)
    assert refused.status == 400
    with pytest.raises(ValueError):
        AppError("x", code="NO_SUCH_CODE")
    with pytest.raises(ValueError, match="not answered with 404"):
        AppError("x", code=ErrorCode.EMAIL_EXISTS, status=404)


def test_openapi_lists_the_codes_of_each_operation(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]

    def codes(path, method, status):
        response = paths[path][method]["responses"][status]
        schema = response["content"]["application/json"]["schema"]
        enum = schema["allOf"][1]["properties"]["detail"]["properties"]["code"]["enum"]
        assert set(response["x-error-codes"]) == set(enum)
        assert all(code in response["description"] for code in enum)
        return set(enum)

    assert codes("/api/v1/projects/{project_id}", "get", "404") == {"PROJECT_NOT_FOUND"}
    assert codes("/api/v1/projects/{project_id}", "get", "401") == {
        "UNAUTHORIZED",
        "TOKEN_EXPIRED",
        "TOKEN_INVALID",
        "INVALID_API_KEY",
    }
    assert codes("/api/v1/projects", "get", "429") == {"RATE_LIMIT_EXCEEDED"}
    assert codes("/api/v1/projects", "post", "400") == {"VALIDATION_ERROR", "INVALID_JSON"}
    assert codes("/api/v1/projects", "post", "409") == {"IDEMPOTENCY_IN_PROGRESS"}
    assert codes("/api/v1/api-keys", "post", "409") == {
        "API_KEY_LIMIT_REACHED",
        "IDEMPOTENCY_IN_PROGRESS",
        "IDEMPOTENCY_REPLAY_UNAVAILABLE",
    }
    generate = "/api/v1/posts/generate"
    assert codes(generate, "post", "403") == {
        "EMAIL_NOT_VERIFIED",
        "VOICE_NOT_AVAILABLE",
        "QUOTA_EXCEEDED",
        "INSUFFICIENT_ROLE",
        "SOURCE_LIMIT_REACHED",  # release notes' changes slot becomes a source
    }
    assert codes(generate, "post", "413") == {"PAYLOAD_TOO_LARGE", "STORAGE_LIMIT_REACHED"}
    assert codes(generate, "post", "429") == {"RATE_LIMIT_EXCEEDED", "CONCURRENT_LIMIT_EXCEEDED"}
    upload = "/api/v1/sources/projects/{project_id}/sources"
    assert codes(upload, "post", "413") == {"FILE_TOO_LARGE", "STORAGE_LIMIT_REACHED"}
    assert "401" not in paths["/api/v1/auth/password-reset"]["post"]["responses"]
    assert codes("/api/v1/auth/login", "post", "401") == {"INVALID_CREDENTIALS"}


def test_an_operation_declares_codes_not_statuses():
    with pytest.raises(TypeError, match="ErrorCode"):
        endpoint("Get a thing", tag="Things", errors=(401, 404))
    with pytest.raises(TypeError, match="ErrorCode"):
        endpoint("Get a thing", tag="Things", errors=("THING_NOT_FOUND",))


@pytest.fixture(scope="module")
def declaring_app(database_url):
    """An app of its own with one API operation that declares PROJECT_NOT_FOUND and
    answers whatever `?code=` names."""
    app = create_app(build_test_config(database_url))

    @endpoint("Test only", tag="Test", auth=False, errors=(ErrorCode.PROJECT_NOT_FOUND,))
    def answer():
        from flask import request

        raise NotFound("Gone.", code=ErrorCode(request.args["code"]))

    app.add_url_rule("/api/v1/test-only/declared", "api_declared", answer)
    return app


def test_an_operation_answering_an_undeclared_code_fails_under_testing(declaring_app):
    client = declaring_app.test_client()
    declared = client.get("/api/v1/test-only/declared?code=PROJECT_NOT_FOUND")
    assert declared.status_code == 404
    assert declared.get_json()["detail"]["code"] == "PROJECT_NOT_FOUND"
    with pytest.raises(UndeclaredErrorCode, match="POST_NOT_FOUND"):
        client.get("/api/v1/test-only/declared?code=POST_NOT_FOUND")
    declaring_app.testing = False  # in production the answer goes out as it is
    try:
        assert client.get("/api/v1/test-only/declared?code=POST_NOT_FOUND").status_code == 404
    finally:
        declaring_app.testing = True
