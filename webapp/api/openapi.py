"""The OpenAPI 3.1 document, built from the `@endpoint` specs and their pydantic models."""

from __future__ import annotations

import re

from flask import Flask
from pydantic.json_schema import models_json_schema

from ..error_codes import ErrorCode
from .examples import add_examples
from .schemas.common import ErrorEnvelope

REF = "#/components/schemas/{model}"
# The sections of the reference, in the order an integrator meets them.
TAGS = {
    "Authentication": "Sign up, sign in and keep a session going with tokens.",
    "Projects": "A project holds the sources and posts of one piece of work.",
    "Sources": "Research, briefs and pages that drafts are written from.",
    "Posts": "Generate posts from a project's sources and read or edit them.",
    "Jobs": "Generation runs in the background: follow, confirm or cancel a job.",
    "Workflows": "The workflows a post can be generated with, and what they ask for.",
    "Review": "Submit a post for review, approve it or ask for changes.",
    "Revisions": "Every saved version of a post: compare and restore.",
    "Comments": "Discuss a post, on the whole or on a passage.",
    "Suggestions": "Edits proposed by the model, to accept or reject.",
    "Exports": "Download a post or a whole project.",
    "Share links": "A read-only link to a post for people without an account.",
    "Internal Links": "Pages of yours that new posts link to.",
    "Voices": "A workspace's brand voices.",
    "Workspaces": "Workspaces, their members and their activity.",
    "Invitations": "Invite people into a workspace.",
    "Users": "Your own account.",
    "API keys": "Keys for scripts and services.",
}
ERROR_DESCRIPTIONS = {
    400: "Validation error or malformed request",
    401: "Missing, invalid or expired credentials",
    403: "Not allowed on the current plan",
    404: "Not found (or not yours)",
    409: "Conflict",
    413: "Request body too large (FILE_TOO_LARGE for uploads)",
    415: "Body is not JSON",
    422: "Idempotency-Key reused with a different request",
    429: "Rate limit exceeded",
    500: "Unexpected error",
    503: "A backing service is unavailable",
}


def api_endpoints(app: Flask):
    """(rule, method, spec) for every view carrying an `api_spec`, in URL order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        spec = getattr(app.view_functions.get(rule.endpoint), "api_spec", None)
        if spec is None:
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method, spec


def build_openapi(app: Flask) -> dict:
    endpoints = list(api_endpoints(app))
    models = {ErrorEnvelope}
    for _, _, spec in endpoints:
        models.update(m for m in (spec.body, spec.response) if m is not None)
    keyed = [(m, "validation") for m in models] + [(m, "serialization") for m in models]
    refs, definitions = models_json_schema(keyed, ref_template=REF)
    paths: dict[str, dict] = {}
    for rule, method, spec in endpoints:
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)
        paths.setdefault(path, {})[method.lower()] = _operation(rule, method, spec, refs)
    document = {
        "openapi": "3.1.0",
        "info": {
            "title": "Copydesk API",
            "version": "1.0.0",
            "description": "Projects, sources, posts and jobs of a self-hosted content studio. "
            'Errors use `{"detail": {"code", "message"}}`.',
        },
        "servers": [{"url": "/"}],
        "tags": _tags(paths),
        "paths": paths,
        "components": {
            "schemas": definitions.get("$defs", {}),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "JWT access token or API key",
                },
                "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            },
        },
    }
    add_examples(document)
    return document


def _tags(paths: dict) -> list[dict]:
    """The sections in use: the known ones in their order, then any new one by name."""
    used = {tag for ops in paths.values() for op in ops.values() for tag in op["tags"]}
    ordered = [tag for tag in TAGS if tag in used] + sorted(used - TAGS.keys())
    return [{"name": tag, "description": TAGS.get(tag, "")} for tag in ordered]


def _operation(rule, method: str, spec, refs) -> dict:
    operation = {
        "operationId": f"{rule.endpoint.split('.')[-1]}_{method.lower()}",
        "summary": spec.summary,
        "tags": [spec.tag],
        "parameters": _parameters(rule, spec),
        "responses": _responses(method, spec, refs),
    }
    if spec.description:
        operation["description"] = spec.description
    if spec.auth:
        operation["security"] = [{"bearer": []}, {"apiKey": []}]
    if spec.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[(spec.body, "validation")]}},
        }
    if spec.upload:
        operation["requestBody"] = {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {"file": {"type": "string", "format": "binary"}},
                    }
                }
            },
        }
    return operation


def _parameters(rule, spec) -> list[dict]:
    params = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in sorted(rule.arguments)
    ]
    if spec.query is not None:
        schema = spec.query.model_json_schema()
        for name, prop in schema.get("properties", {}).items():
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in schema.get("required", []),
                    "schema": prop,
                }
            )
    return params


def _responses(method: str, spec, refs) -> dict:
    # `extra={"response": {...}}` describes a success that is not JSON (such as a download).
    success: dict = {"description": "Success", **spec.extra.get("response", {})}
    if spec.response is not None:
        success["content"] = {
            "application/json": {"schema": refs[(spec.response, "serialization")]}
        }
    responses = {str(spec.status): success}
    by_status: dict[int, list[ErrorCode]] = {}
    for code in sorted(spec.error_codes(method)):
        for status in code.statuses:
            by_status.setdefault(status, []).append(code)
    envelope = refs[(ErrorEnvelope, "serialization")]
    for status, codes in sorted(by_status.items()):
        responses[str(status)] = _error_response(status, codes, envelope)
    return responses


def _error_response(status: int, codes: list[ErrorCode], envelope: dict) -> dict:
    """One error status of an operation: the envelope, its `detail.code` limited to the
    codes the operation answers with this status, and what each means."""
    code_schema = {"type": "string", "enum": [code.value for code in codes]}
    schema = {
        "allOf": [
            envelope,
            {
                "type": "object",
                "properties": {"detail": {"type": "object", "properties": {"code": code_schema}}},
            },
        ]
    }
    return {
        "description": f"{ERROR_DESCRIPTIONS.get(status, 'Error')}: {', '.join(codes)}",
        "content": {"application/json": {"schema": schema}},
        "x-error-codes": {code.value: code.meaning for code in codes},
    }
