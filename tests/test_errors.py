"""What users see of a failure we did not expect: a reference id, never the exception's text;
the same id is in the log next to the traceback.

An unexpected 500 (a route that raises) answers `detail.error_id` in the API and
"Reference: <id>" on the HTML page; a source whose parser breaks in a way nobody planned
for (a real DOCX nested too deeply for mammoth) fails with a readable reason that ends in
"(ref <id>)"."""

from __future__ import annotations

import io
import logging
import re

import pytest

from webapp import create_app

from .conftest import build_test_config, wait_for
from .files import _minimal_docx

INTERNALS = "psycopg.OperationalError: connection to server at 10.0.0.7 failed: password"
ERROR_ID = r"[0-9a-f]{12}"


@pytest.fixture(scope="module")
def failing_app(database_url):
    """An app of its own with one route per side that fails the way a bug or a lost
    database would: with an exception whose text must never reach the user."""
    app = create_app(build_test_config(database_url))

    def explode():
        raise RuntimeError(INTERNALS)

    app.add_url_rule("/api/v1/test-only/explode", "api_explode", explode)
    app.add_url_rule("/test-only/explode", "page_explode", explode)
    return app


def logged_error_ids(caplog) -> dict[str, logging.LogRecord]:
    return {
        match.group(1): record
        for record in caplog.records
        if (match := re.search(rf"error_id=({ERROR_ID})", record.getMessage()))
    }


def test_api_500_carries_an_error_id_found_in_the_log(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    response = failing_app.test_client().get("/api/v1/test-only/explode")
    assert response.status_code == 500
    detail = response.get_json()["detail"]
    assert detail["code"] == "INTERNAL_ERROR"
    assert detail["message"] == "Internal server error."
    assert re.fullmatch(ERROR_ID, detail["error_id"])
    assert "10.0.0.7" not in response.get_data(as_text=True)
    assert "RuntimeError" not in response.get_data(as_text=True)

    record = logged_error_ids(caplog)[detail["error_id"]]
    assert "/api/v1/test-only/explode" in record.getMessage()
    assert record.exc_info and INTERNALS in str(record.exc_info[1])  # the traceback is logged


def test_html_500_page_shows_the_reference(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    response = failing_app.test_client().get("/test-only/explode")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Something went wrong on our side" in page
    shown = re.search(rf"Reference: <code data-error-id>({ERROR_ID})</code>", page)
    assert shown, page
    assert shown.group(1) in logged_error_ids(caplog)
    assert "10.0.0.7" not in page and "RuntimeError" not in page


def test_every_500_gets_its_own_id(failing_app):
    client = failing_app.test_client()
    ids = {
        client.get("/api/v1/test-only/explode").get_json()["detail"]["error_id"] for _ in range(3)
    }
    assert len(ids) == 3


def nested_content_controls_docx(depth: int = 1500) -> bytes:
    """A Word document whose one paragraph sits inside `depth` nested content controls
    (<w:sdt>): valid XML, opened by Word, but deeper than mammoth's recursive converter can
    go (RecursionError, which no parser error handler expects)."""

    def write(document):
        document.write(b"<w:p><w:r><w:t>Before the controls.</w:t></w:r></w:p>")
        document.write(b"<w:sdt><w:sdtContent>" * depth)
        document.write(b"<w:p><w:r><w:t>Deep inside.</w:t></w:r></w:p>")
        document.write(b"</w:sdtContent></w:sdt>" * depth)

    return _minimal_docx(write)


def test_a_source_whose_parser_breaks_unexpectedly_names_a_reference(client, auth, worker):
    headers = auth.headers()
    project = client.post("/api/v1/projects", headers=headers, json={"name": "P"}).get_json()
    created = client.post(
        f"/api/v1/sources/projects/{project['id']}/sources",
        headers=headers,
        data={"file": (io.BytesIO(nested_content_controls_docx()), "nested.docx")},
    )
    assert created.status_code == 201, created.get_json()

    def finished():
        body = client.get(
            f"/api/v1/sources/sources/{created.get_json()['id']}", headers=headers
        ).get_json()
        return body if body["status"] in ("parsed", "failed") else None

    body = wait_for(finished)
    assert body["status"] == "failed"
    message = body["error_message"]
    reference = re.search(rf"\(ref ({ERROR_ID})\)$", message)
    assert reference, message
    assert "RecursionError" not in message and "recursion" not in message.lower()
    assert message[0].isupper() and len(message) < 300

    def logged():
        text = open(worker.log_path).read()
        at = text.find(f"error_id={reference.group(1)}")
        return text[at:] if at >= 0 else None

    log = wait_for(logged, timeout=10)
    assert "Traceback" in log.split("error_id=")[1] and "RecursionError" in log
