"""Examples for the OpenAPI document, made from its JSON schemas: a value for every
request and response body, and a curl command for every operation.

A schema's own `examples` (or `default`) wins; otherwise the value is made up from the
field's name and type, so a new field gets a plausible example without anyone writing one.
"""

from __future__ import annotations

import json
import shlex

EXAMPLE_ID = "3f2b8c1e-5a7d-4e9b-9c0a-1d2e3f4a5b6c"
EXAMPLE_TIME = "2026-03-02T09:30:00Z"
# Made-up values by field name, for strings without an example of their own.
BY_NAME = {
    "name": "Spring launch",
    "title": "Five ways to cut onboarding time",
    "topic": "How small teams cut onboarding time",
    "description": "Posts for the spring product launch.",
    "email": "ada@example.com",
    "password": "Correct-horse-7",
    "current_password": "Correct-horse-7",
    "new_password": "Battery-staple-9",
    "url": "https://example.com/guide",
    "target_url": "https://example.com/guide",
    "token": "eyJhbGciOiJIUzI1NiJ9.example",
    "access_token": "eyJhbGciOiJIUzI1NiJ9.example",
    "refresh_token": "eyJhbGciOiJIUzI1NiJ9.refresh",
    "body": "Tighten the intro: lead with the number.",
    "message": "Give the project a name.",
    "filename": "research-notes.pdf",
    "channel": "blog",
    "status": "completed",
    "role": "editor",
    "markdown": "# Five ways to cut onboarding time\n\nStart with the first week…",
    "custom_instructions": "Mention the free trial once.",
    "dos": "Use plain words",
    "donts": "Promise results",
    "example": "We ship small, often, and say so.",
    "file_type": "pdf",
    "source_url": "https://example.com/guide",
    "voice": "professional",
    "workflow": "blog_post",
    "current_step": "Writing the draft",
}
NUMBERS_BY_NAME = {"expires_in": 900, "word_count": 1200, "file_size": 48213, "progress": 100}
# Nullable fields whose example is null: a successful answer carries no error.
NULL_NAMES = {"error", "error_message"}
FORMATS = {
    "date-time": EXAMPLE_TIME,
    "date": "2026-03-02",
    "email": "ada@example.com",
    "uri": "https://example.com/guide",
    "uuid": EXAMPLE_ID,
}
MAX_DEPTH = 8


def example_for(schema: dict, schemas: dict, name: str = "", depth: int = 0):
    """A JSON value that satisfies `schema`; `schemas` resolves `#/components/schemas/…`."""
    if depth > MAX_DEPTH:
        return None
    if "$ref" in schema:
        return example_for(schemas[schema["$ref"].split("/")[-1]], schemas, name, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    if schema.get("default") is not None:
        return schema["default"]
    if "allOf" in schema:
        return _merged(schema["allOf"], schemas, name, depth)
    for key in ("anyOf", "oneOf"):
        if key in schema and name in NULL_NAMES:
            return None
        if key in schema:
            choices = [c for c in schema[key] if c.get("type") != "null"] or schema[key]
            return example_for(choices[0], schemas, name, depth + 1)
    return _by_type(schema, schemas, name, depth)


def _merged(parts: list[dict], schemas: dict, name: str, depth: int):
    merged: dict = {}
    for part in parts:
        value = example_for(part, schemas, name, depth + 1)
        if not isinstance(value, dict):
            return value
        _deep_update(merged, value)
    return merged


def _deep_update(target: dict, extra: dict) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = value


def _by_type(schema: dict, schemas: dict, name: str, depth: int):
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        return _object(schema, schemas, depth)
    if kind == "array":
        return [example_for(schema.get("items", {}), schemas, _singular(name), depth + 1)]
    if kind == "integer":
        return NUMBERS_BY_NAME.get(name, max(schema.get("minimum", 1), 1))
    if kind == "number":
        return 0.25
    if kind == "boolean":
        return False
    if kind == "null":
        return None
    return _string(schema, name)


def _object(schema: dict, schemas: dict, depth: int) -> dict:
    properties = schema.get("properties")
    if properties:
        return {key: example_for(prop, schemas, key, depth + 1) for key, prop in properties.items()}
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return {"campaign": example_for(extra, schemas, "campaign", depth + 1)}
    return {}


def _string(schema: dict, name: str) -> str:
    if schema.get("format") in FORMATS:
        return FORMATS[schema["format"]]
    if name == "id" or name.endswith("_id"):
        return EXAMPLE_ID
    if name.endswith("_at"):
        return EXAMPLE_TIME
    value = BY_NAME.get(name, "spring-2026" if name == "campaign" else "text")
    return value[: schema["maxLength"]] if "maxLength" in schema else value


def _singular(name: str) -> str:
    return name if name in BY_NAME else name.removesuffix("s")


def curl_command(method: str, path: str, operation: dict, body_example) -> str:
    """The operation as a curl command, with the example body where it takes one."""
    url = "https://copydesk.example.com" + path.replace("{", "").replace("}", "")
    for param in operation.get("parameters", []):
        if param["in"] == "path":
            url = url.replace(param["name"], str(param.get("example", EXAMPLE_ID)), 1)
    lines = [f"curl -X {method.upper()} {shlex.quote(url)}"]
    if operation.get("security"):
        lines.append('-H "Authorization: Bearer $COPYDESK_API_KEY"')
    content = operation.get("requestBody", {}).get("content", {})
    if "multipart/form-data" in content:
        lines.append("-F file=@research-notes.pdf")
    elif body_example is not None:
        lines.append('-H "Content-Type: application/json"')
        lines.append("-d " + shlex.quote(json.dumps(body_example, indent=2)))
    return " \\\n  ".join(lines)


def add_examples(document: dict) -> None:
    """Give every operation of `document` a body example for each JSON request and
    response (`example` of the media type) and a curl command (`x-codeSamples`)."""
    schemas = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for param in operation.get("parameters", []):
                if param["in"] == "path":
                    param.setdefault("example", EXAMPLE_ID)
            body = _add_media_example(operation.get("requestBody", {}), schemas)
            for response in operation["responses"].values():
                _add_media_example(response, schemas)
                _add_error_example(response)
            operation["x-codeSamples"] = [
                {"lang": "curl", "source": curl_command(method, path, operation, body)}
            ]


def _add_error_example(response: dict) -> None:
    """An error's example carries the first code of its status and what that code means."""
    codes = response.get("x-error-codes")
    if codes:
        code, meaning = next(iter(codes.items()))
        response["content"]["application/json"]["example"] = {
            "detail": {"code": code, "message": meaning}
        }


def _add_media_example(holder: dict, schemas: dict):
    media = holder.get("content", {}).get("application/json")
    if media is None:
        return None
    media["example"] = example_for(media["schema"], schemas)
    return media["example"]
