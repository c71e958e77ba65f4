"""Exports as files: Markdown with `[^n]` footnotes, a standalone sanitised HTML page, a
Word document with real headings, lists, links and a Sources list, and the project ZIP."""

from __future__ import annotations

import io
import json
import zipfile

import docx
import pytest

from webapp.errors import AppError
from webapp.extensions import db
from webapp.models import Post
from webapp.services import exports
from webapp.services.exports import project_zip

from ..export_helpers import APPROVED, cited_post, generating_post, require_approval
from ..factories import make_completed_post, make_project, make_user

pytestmark = pytest.mark.usefixtures("db")


@pytest.fixture
def owner(app):
    return make_user(app, email="owner@example.com")


@pytest.fixture
def project(app, owner):
    return make_project(app, owner, name="Remote Work: A Study")


def export(app, post_id, fmt) -> exports.Export:
    with app.app_context():
        return exports.export_post(db.session.get(Post, post_id), fmt)


def test_markdown_turns_markers_into_footnotes_with_their_definitions(app, owner, project):
    result = export(app, cited_post(app, owner, project), "md")
    text = result.body.decode("utf-8")
    assert result.filename == "async-standups.md"
    assert result.mimetype == "text/markdown; charset=utf-8"
    assert text.startswith("# Async standups\n")
    assert "meet less often.[^1] Read [the guide](https://example.com/guide)." in text
    assert "a day.[^2]" in text
    assert "`list[1]`" in text  # code is left as written
    assert "[^1]: survey.md — “Teams that write things down meet less often.” (paragraph 2)" in text
    assert text.rstrip().endswith(
        "[^2]: survey.md — “standups save about 20 minutes a day” (page 4, paragraph 3)"
    )


def test_markdown_of_the_other_channels(app, owner, project):
    email = make_completed_post(
        app,
        owner,
        project,
        {"title": "News", "markdown": "# News\n\nHello.", "subject": "Hi", "preheader": "Read"},
        channel="email",
    )
    thread = make_completed_post(
        app, owner, project, {"title": "Thread", "thread": ["One.", "Two."]}, channel="twitter"
    )
    linkedin = make_completed_post(
        app, owner, project, {"title": "Post", "text": "Line one.\n\nLine two."}, channel="linkedin"
    )
    assert (
        export(app, email, "md")
        .body.decode()
        .startswith("Subject: Hi  \nPreheader: Read\n\n# News\n\nHello.")
    )
    assert export(app, thread, "md").body.decode() == "# Thread\n\nOne.\n\nTwo.\n"
    assert export(app, linkedin, "md").body.decode() == "# Post\n\nLine one.\n\nLine two.\n"
    assert "<li>One.</li><li>Two.</li>" in export(app, thread, "html").body.decode()


def test_html_is_a_standalone_sanitised_page_with_a_sources_list(app, owner, project):
    post_id = cited_post(app, owner, project, title="Standups <script>alert(1)</script>")
    result = export(app, post_id, "html")
    page = result.body.decode("utf-8")
    assert result.mimetype == "text/html; charset=utf-8"
    assert result.filename == "standups-script-alert-1-script.html"
    assert page.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in page and "<style>" in page
    assert "<title>Standups &lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    assert "<script" not in page and "alert('x')" not in page
    assert '<sup><a href="#cite-1" id="cite-ref-1-1">1</a></sup>' in page
    sources = page[page.index('<section class="sources">') :]
    assert "<h2>Sources</h2>" in sources
    assert '<li id="cite-1" value="1">survey.md (paragraph 2)' in sources
    assert '<a href="#cite-ref-1-1" aria-label="Back to the text">' in sources
    assert "survey.md (page 4, paragraph 3) — “standups save about 20 minutes a day”" in sources


def test_docx_keeps_headings_lists_links_markers_and_sources(app, owner, project):
    result = export(app, cited_post(app, owner, project), "docx")
    assert result.filename == "async-standups.docx"
    document = docx.Document(io.BytesIO(result.body))
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[0] == ("Title", "Async standups")
    assert ("Heading 2", "Why it works") in paragraphs
    assert ("Heading 3", "In order") in paragraphs
    assert ("List Bullet", "Standups save 20 minutes a day.2") in paragraphs
    assert ("List Bullet", "Updates are written") in paragraphs
    assert ("List Number", "Write the update") in paragraphs
    assert ("List Number", "Read the others") in paragraphs
    assert all("alert" not in text for _, text in paragraphs)

    first = next(p for p in document.paragraphs if p.text.startswith("Teams that write"))
    assert [(link.text, link.address) for link in first.hyperlinks] == [
        ("the guide", "https://example.com/guide")
    ]
    assert [r.text for r in first.runs if r.font.superscript] == ["1"]
    bullet = next(p for p in document.paragraphs if p.text.startswith("Standups save"))
    assert [r.text for r in bullet.runs if r.bold] == ["20 minutes"]

    sources = paragraphs[paragraphs.index(("Heading 1", "Sources")) + 1 :]
    assert sources == [
        (
            "List Number",
            "survey.md (paragraph 2) — “Teams that write things down meet less often.”",
        ),
        ("List Number", "survey.md (page 4, paragraph 3) — “standups save about 20 minutes a day”"),
    ]
    assert document.core_properties.title == "Async standups"


def test_filenames_are_ascii_slugs_of_the_title():
    assert exports.slug("Ünïcode — déjà vu: 10 tips!") == "unicode-deja-vu-10-tips"
    assert exports.slug("") == "post"
    assert exports.slug("日本語") == "post"
    long = exports.slug("word " * 40)
    assert len(long) <= 80 and not long.endswith("-")


def test_a_post_that_is_not_completed_or_not_cleared_is_refused(app, owner, project):
    generating = generating_post(app, owner, project)
    with pytest.raises(AppError) as refused:
        export(app, generating, "md")
    assert (refused.value.code, refused.value.status) == ("INVALID_STATE", 409)

    draft = cited_post(app, owner, project)
    require_approval(app, project)
    with pytest.raises(AppError) as refused:
        export(app, draft, "md")
    assert (refused.value.code, refused.value.status) == ("APPROVAL_REQUIRED", 409)


def test_the_zip_streams_a_chunk_per_post_with_unique_names(app, owner, project):
    for _ in range(3):
        cited_post(app, owner, project)  # the same title three times
    stale = dict(APPROVED, item_version=2)  # approved at version 1, edited since
    cited_post(app, owner, project, title="Edited since", **stale)
    with app.app_context():
        chunks = list(project_zip.project_zip(project.id))
    assert len(chunks) == 5  # one per post, then the manifest and the directory
    assert chunks[0].startswith(b"PK\x03\x04")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    names = archive.namelist()
    for name in ("async-standups", "async-standups-2", "async-standups-3", "edited-since"):
        assert {f"posts/{name}.{ext}" for ext in ("md", "html", "docx")} <= set(names)
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["project"]["name"] == "Remote Work: A Study"
    assert manifest["sources"][0] == {"name": "survey.md", "type": "md"}

    require_approval(app, project)
    with app.app_context():
        archive = zipfile.ZipFile(io.BytesIO(b"".join(project_zip.project_zip(project.id))))
    assert [p["title"] for p in json.loads(archive.read("manifest.json"))["posts"]] == []


def test_a_post_of_another_channel_is_named_with_it(app, owner, project):
    cited_post(app, owner, project)
    cited_post(app, owner, project, channel="twitter")
    with app.app_context():
        archive = zipfile.ZipFile(io.BytesIO(b"".join(project_zip.project_zip(project.id))))
    stems = {name.rsplit(".", 1)[0] for name in archive.namelist()}
    assert stems == {"manifest", "posts/async-standups", "posts/async-standups-twitter"}
