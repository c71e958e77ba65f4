"""The Download group of a post's page and the project's "Download all (ZIP)" link."""

from __future__ import annotations

import io
import json
import zipfile

import pytest

from ..export_helpers import APPROVED, cited_post, require_approval
from ..factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")


def test_the_post_page_offers_the_three_formats(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Remote Work")
    post_id = cited_post(app, user, project)
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    group = page[page.index('<section class="exports"') :]
    group = group[: group.index("</section>")]
    assert ">Download</h2>" in group
    for fmt, label in (("md", "Markdown"), ("html", "HTML"), ("docx", "Word (.docx)")):
        assert f'<a href="/posts/{post_id}/export.{fmt}" download>{label}</a>' in group

    response = client.get(f"/posts/{post_id}/export.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="async-standups.docx"'
    assert client.get(f"/posts/{post_id}/export.md").headers["Content-Type"] == (
        "text/markdown; charset=utf-8"
    )
    assert client.get(f"/posts/{post_id}/export.pdf").status_code == 404


def test_under_approval_the_page_says_why_instead_of_offering_links(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    draft = cited_post(app, user, project, title="Draft")
    approved = cited_post(app, user, project, title="Approved", **APPROVED)
    require_approval(app, project)

    page = client.get(f"/posts/{draft}").get_data(as_text=True)
    assert "only a post approved at its current version can be exported" in page
    assert f"/posts/{draft}/export." not in page
    assert client.get(f"/posts/{draft}/export.html").status_code == 409
    assert client.get(f"/posts/{draft}.md").status_code == 409  # the older download too
    assert f"/posts/{draft}.md" not in page
    page = client.get(f"/posts/{approved}").get_data(as_text=True)
    assert f"/posts/{approved}/export.html" in page


def test_the_project_page_links_the_zip(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user, name="Remote Work")
    post_id = cited_post(app, user, project)
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert f'href="/projects/{project.id}/export.zip" download>Download all (ZIP)</a>' in page

    response = client.get(f"/projects/{project.id}/export.zip")
    assert response.is_streamed
    assert response.headers["Content-Disposition"] == 'attachment; filename="remote-work.zip"'
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("manifest.json"))
    assert [post["id"] for post in manifest["posts"]] == [post_id]


def test_a_stranger_cannot_download(client, auth, app):
    owner = make_user(app, email="owner@example.com")
    project = make_project(app, owner)
    post_id = cited_post(app, owner, project)
    auth.signed_in(email="stranger@example.com")
    assert client.get(f"/posts/{post_id}/export.md").status_code == 404
    assert client.get(f"/projects/{project.id}/export.zip").status_code == 404
