"""End-to-end browser tests of sources on the project page: upload through the file input,
drag-and-drop, the client-side size check, the live status badge (htmx polling, no page
reload) and the source page. Parsing is done by the real worker (`worker` fixture)."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from ..files import make_pdf
from .conftest import drop_files, source_row, status_badge
from .test_signup_flow import create_project, sign_up

PARSE_TIMEOUT_MS = 30_000
PDF_MIME = "application/pdf"


def set_page_marker(page: Page) -> None:
    """A JS marker that only survives if the page is never reloaded or navigated away."""
    page.evaluate("window.__marker = 1")


def assert_same_page(page: Page) -> None:
    state = page.evaluate("""() => ({
        marker: window.__marker,
        navigations: performance.getEntriesByType('navigation').length,
    })""")
    assert state == {"marker": 1, "navigations": 1}, f"the page was reloaded: {state}"


def upload_requests(page: Page) -> list:
    """Collects the POSTs to the upload endpoint made from now on."""
    seen: list = []
    page.on(
        "request",
        lambda request: (
            seen.append(request.url)
            if (request.method == "POST" and re.search(r"/projects/[^/]+/sources$", request.url))
            else None
        ),
    )
    return seen


def test_upload_pdf_and_watch_it_parse_without_reload(page: Page, live_server, worker, screenshot):
    sign_up(page, live_server, name="Rosalind Franklin", email="rosalind@example.com")
    create_project(page, "Structures", "Notes on crystallography.")
    expect(page.get_by_role("heading", level=2, name="Sources")).to_be_visible()
    expect(page.locator("#sources-list")).to_contain_text("No sources yet")
    # Nothing pending: the list does not poll.
    expect(page.locator("#sources-list")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    set_page_marker(page)

    # With JavaScript the file goes as soon as it is chosen: no Upload button to press.
    expect(page.get_by_role("button", name="Upload", exact=True)).to_be_hidden()
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/sources")
    ) as posted:
        page.locator("#source-files").set_input_files(
            {
                "name": "diffraction.pdf",
                "mimeType": PDF_MIME,
                "buffer": make_pdf(
                    ["X-ray diffraction of DNA fibres.", "Photograph 51 shows a helical pattern."]
                ),
            }
        )
    assert posted.value.status == 200

    row = source_row(page, "diffraction.pdf")
    expect(row).to_have_count(1)
    badge = status_badge(row)
    expect(badge).to_be_visible()
    expect(row.locator(".badge-type")).to_have_text("pdf")

    # The list polls itself; the row's status turns parsed without reloading the page,
    # and the list's "Reading…" line goes with it: no notice outlives the reading.
    expect(badge).to_have_class(re.compile(r"\bstatus-parsed\b"), timeout=PARSE_TIMEOUT_MS)
    expect(page.locator(".sources-reading")).to_have_count(0)
    expect(page.locator("#flashes")).not_to_contain_text("diffraction.pdf")
    expect(page.locator("#upload-status")).to_have_text("")
    assert_same_page(page)
    expect(page).to_have_url(re.compile(r"/projects/[^/]+$"))
    # Once everything is parsed, polling stops (the list came back without hx-trigger).
    expect(page.locator("#sources-list")).not_to_have_attribute("hx-trigger", re.compile(".*"))
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"^\d+$"))
    # The form was reset after the successful upload.
    assert page.locator("#source-files").evaluate("el => el.files.length") == 0
    screenshot("project-sources-list-parsed")

    # Click the source name: the source page with its text as numbered passages.
    row.get_by_role("link", name="diffraction.pdf").click()
    expect(page.get_by_role("heading", level=1, name="diffraction.pdf")).to_be_visible()
    expect(page).to_have_title("diffraction.pdf · Copydesk")
    expect(page.get_by_role("heading", level=2, name="Text", exact=True)).to_be_visible()
    preview = page.locator(".source-passages")
    expect(preview).to_contain_text("X-ray diffraction of DNA fibres.")
    expect(preview).to_contain_text("Photograph 51 shows a helical pattern.")
    expect(page.locator("#source-detail")).to_contain_text(re.compile(r"\d+ words"))
    expect(page.locator("#source-detail")).to_contain_text("2 pages")
    expect(page.locator("#source-detail .badge[class*='status-']")).to_have_class(
        re.compile(r"\bstatus-parsed\b")
    )
    screenshot("source-page-preview")


def test_drag_and_drop_uploads_the_file(page: Page, live_server, worker, screenshot):
    sign_up(page, live_server, name="Barbara McClintock", email="barbara@example.com")
    create_project(page, "Maize genetics", "Transposition notes.")
    set_page_marker(page)
    requests = upload_requests(page)

    zone = page.locator("[data-dropzone]")
    data = make_pdf(["Jumping genes move within the genome."])
    with page.expect_response(
        lambda r: r.request.method == "POST" and r.url.endswith("/sources")
    ) as posted:
        drop_files(page, [("dropped.pdf", PDF_MIME, data)])
    assert posted.value.status == 200
    assert "dropped.pdf</a>" in posted.value.text()
    expect(zone).not_to_have_class(re.compile(r"\bdragging\b"))

    row = source_row(page, "dropped.pdf")
    expect(row).to_have_count(1)
    expect(status_badge(row)).to_have_class(
        re.compile(r"\bstatus-parsed\b"), timeout=PARSE_TIMEOUT_MS
    )
    assert len(requests) == 1, requests
    assert_same_page(page)
    screenshot("project-sources-dropped-parsed")


def test_oversized_file_is_refused_in_the_browser(page: Page, live_server, app, worker, screenshot):
    sign_up(page, live_server, name="Lise Meitner", email="lise@example.com")
    create_project(page, "Fission", "Energy release notes.")
    set_page_marker(page)
    requests = upload_requests(page)
    limit = app.config["MAX_UPLOAD_BYTES"]
    limit_mb = limit // (1024 * 1024)

    error = page.locator("#upload-error")
    expect(error).to_be_hidden()
    page.locator("#source-files").set_input_files(
        {
            "name": "huge.pdf",
            "mimeType": PDF_MIME,
            "buffer": b"%PDF-1.7\n" + b"0" * (limit + 1024 * 1024),
        }
    )

    expect(error).to_be_visible()
    expect(error).to_have_text(f"huge.pdf: larger than the {limit_mb} MB limit.")
    expect(page.locator("#upload-progress")).to_be_hidden()
    assert requests == [], f"the oversized file was sent: {requests}"
    assert_same_page(page)
    expect(page.locator("#sources-list")).to_contain_text("No sources yet")
    screenshot("upload-too-large")

    # A file within the limit then goes through, and the error goes away.
    page.locator("#source-files").set_input_files(
        {"name": "small.pdf", "mimeType": PDF_MIME, "buffer": make_pdf(["Small enough."])}
    )
    expect(source_row(page, "small.pdf")).to_have_count(1)
    expect(error).to_be_hidden()
    assert len(requests) == 1, requests
    expect(status_badge(source_row(page, "small.pdf"))).to_have_class(
        re.compile(r"\bstatus-parsed\b"), timeout=PARSE_TIMEOUT_MS
    )
    assert_same_page(page)
