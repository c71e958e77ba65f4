"""The API's own description: GET /api/v1/openapi.json for machines and GET /api/docs, the
HTML reference, for people."""

from __future__ import annotations

import json
import re

from flask import current_app, jsonify, render_template

from .. import bp, docs_bp
from ..openapi import build_openapi

STATUS_TEXT = {200: "OK", 201: "Created", 202: "Accepted", 204: "No Content"}


@bp.get("/openapi.json")
def openapi_document():
    return jsonify(build_openapi(current_app))


@docs_bp.get("/api/docs")
def reference():
    spec = build_openapi(current_app)
    return render_template("api/docs.html", spec=spec, sections=reference_sections(spec))


def reference_sections(spec: dict) -> list[dict]:
    """The document's operations grouped by tag, in the order of its `tags`, each with its
    curl example and the example of its successful answer."""
    sections = {
        tag["name"]: {**tag, "slug": _slug(tag["name"]), "operations": []} for tag in spec["tags"]
    }
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            sections[operation["tags"][0]]["operations"].append(
                {
                    "path": path,
                    "method": method,
                    "op": operation,
                    "request_example": operation["x-codeSamples"][0]["source"],
                    "response_example": response_example(operation),
                }
            )
    return [section for section in sections.values() if section["operations"]]


def response_example(operation: dict) -> str:
    """The successful answer as an integrator would see it: status line, then the body."""
    status = next(code for code in operation["responses"] if code.startswith("2"))
    answer = operation["responses"][status]
    head = f"HTTP/1.1 {status} {STATUS_TEXT.get(int(status), '')}".rstrip()
    content = answer.get("content", {})
    if "application/json" in content:
        body = json.dumps(content["application/json"]["example"], indent=2, ensure_ascii=False)
        return f"{head}\nContent-Type: application/json\n\n{body}"
    if content:
        types = " or ".join(content)
        return f"{head}\nContent-Type: {types}\n\n({answer['description']})"
    return head


def _slug(name: str) -> str:
    return "section-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
