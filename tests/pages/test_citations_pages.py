"""Citations on the pages: a post's markers as footnote references, its list of sources
linking to the cited passage, the passage highlighted on the source page, the post's
warnings, and the Markdown export that keeps its sources."""

from __future__ import annotations

import html
import re

import pytest

from webapp.extensions import db
from webapp.models import Post, Source

from ..conftest import wait_for
from ..factories import make_completed_post, make_parsed_source, make_project
from ..fixtures.http_client import AuthActions

pytestmark = pytest.mark.usefixtures("db")

SOURCE_TEXT = (
    "# Remote work survey\n\n"
    "Teams that write things down meet less often.\n\n"
    "## Standups\n\n"
    "Asynchronous standups save about 20 minutes a day per person.\n\n"
    "Most teams post their updates before 10 am.\n\n"
    "Code like `x < y` & other <b>markup</b> stays text.\n"
)  # blocks: 1 heading, 2, 3 heading, 4, 5, 6


def add_source(app, user, project, text=SOURCE_TEXT, name="survey.md", details=None) -> str:
    return make_parsed_source(app, user, project, text, name, details)


def passages_of(page: str) -> str:
    return re.search(r'<div class="source-passages"[^>]*>(.*?)</div>', page, re.S).group(1)


def citation(n, source_id, quote, paragraph, page=None, name="survey.md") -> dict:
    return {
        "n": n,
        "source_id": source_id,
        "source_name": name,
        "quote": quote,
        "location": {"page": page, "paragraph": paragraph},
    }


def add_post(app, user, project, content, warnings=None, channel="blog", **fields) -> str:
    return make_completed_post(app, user, project, content, warnings, channel=channel, **fields)


def cited_post(app, user, project, source_id, **fields) -> str:
    markdown = (
        "# Async standups\n\n"
        "Teams that write things down meet less often.[1]\n\n"
        "## Why\n\n"
        "Asynchronous standups save about 20 minutes a day per person.[2] "
        "Most teams post their updates before 10 am.[2][1]\n\n"
        "Keep `list[1]` as code and [the guide [2]](https://example.com/guide).\n"
    )
    content = {
        "title": "Async standups",
        "markdown": markdown,
        "word_count": 40,
        "kind": "draft",
        "citations": [
            citation(1, source_id, "Teams that write things down meet less often.", 2),
            citation(2, source_id, "standups save about 20 minutes a day", 4, page=3),
        ],
    }
    return add_post(app, user, project, content, **fields)


def test_markers_become_footnotes_that_open_the_cited_passage(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    post_id = cited_post(app, user, project, source_id)

    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    prose = re.search(r'<div class="prose">(.*?)</div>', page, re.S).group(1)
    assert '<sup><a href="#cite-1" id="cite-ref-1-1">1</a></sup>' in prose
    assert '<sup><a href="#cite-2" id="cite-ref-2-1">2</a></sup>' in prose
    # A footnote cited twice: each use has its own id.
    assert 'id="cite-ref-2-2"' in prose and 'id="cite-ref-1-2"' in prose
    assert "[1]" not in prose.replace("<code>list[1]</code>", "")
    # Markers in code and in a link's text are left as written.
    assert "<code>list[1]</code>" in prose and ">the guide [2]</a>" in prose

    notes = re.search(r'<section class="footnotes".*?</section>', page, re.S).group(0)
    assert notes.index('id="cite-1"') < notes.index('id="cite-2"')
    quote = "standups+save+about+20+minutes+a+day"
    href = f"/projects/{project.id}/sources/{source_id}?passage=4&amp;quote={quote}#passage-4"
    assert f'<a href="{href}">survey.md</a>, p. 3, paragraph 4' in notes
    assert "standups save about 20 minutes a day" in notes
    assert 'href="#cite-ref-1-1"' in notes  # back to the text

    source_page = client.get(href.split("#")[0].replace("&amp;", "&")).get_data(as_text=True)
    # The quoted words are marked inside the highlighted passage, and only there.
    assert source_page.count('<mark class="passage-quote">') == 1
    cited = re.findall(r'<(?:p|h3) id="passage-(\d+)" class="[^"]*passage-cited[^"]*"', source_page)
    assert cited == ["4"]
    assert passages_of(source_page).count('aria-current="true"') == 1
    assert re.search(
        r'id="passage-4"[^>]*aria-current="true"><span[^>]*>[^<]*</span>Asynchronous '
        r'<mark class="passage-quote">standups save about 20 minutes a day</mark> per person.</p>',
        source_page,
    )


def test_the_source_page_numbers_every_passage_and_escapes_the_text(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    page = client.get(f"/projects/{project.id}/sources/{source_id}").get_data(as_text=True)
    ids = re.findall(r'id="passage-(\d+)"', page)
    assert ids == ["1", "2", "3", "4", "5", "6"]
    assert re.search(r'<h3 id="passage-3" class="passage passage-heading">.*Standups</h3>', page)
    assert "Code like `x &lt; y` &amp; other &lt;b&gt;markup&lt;/b&gt; stays text." in page
    assert "passage-cited" not in page and 'aria-current="true"' not in passages_of(page)


def test_a_passage_beyond_the_first_four_hundred_is_still_shown(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    text = "\n\n".join(f"Paragraph number {n}." for n in range(1, 1001))
    source_id = add_source(app, user, project, text=text, name="long.txt")
    url = f"/projects/{project.id}/sources/{source_id}"

    page = client.get(url).get_data(as_text=True)
    assert len(re.findall(r'id="passage-\d+"', page)) == 400
    assert "Passages 401–1000 are not shown." in page

    page = client.get(url + "?passage=750").get_data(as_text=True)
    ids = [int(n) for n in re.findall(r'id="passage-(\d+)"', page)]
    assert ids == [*range(1, 401), 750]
    assert "Passages 401–749 are not shown." in page
    assert "Passages 751–1000 are not shown." in page
    assert re.search(r'id="passage-750" class="passage passage-cited" aria-current="true">', page)


def test_warnings_are_said_above_the_post(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    message = "Your sources support about 120 words; add sources or connect a model."
    warnings = [
        {"code": "SHORT_OF_TARGET", "message": message},
        {"code": "VOICE_NEEDS_MODEL", "message": "Only a model writes in the casual voice."},
    ]
    post_id = cited_post(app, user, project, source_id, warnings=warnings)
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    notice = re.search(r'<div class="[^"]*post-warnings" role="status">(.*?)</div>', page, re.S)
    items = re.findall(r"<li[^>]*>(.*?)</li>", notice.group(1))
    assert items == [html.escape(message), "Only a model writes in the casual voice."]
    assert page.index("post-warnings") < page.index('<div class="prose">')


def test_an_outline_says_so(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    content = {
        "title": "Async standups",
        "markdown": "# Async standups\n\n## What to cover\n\n- Why teams try them\n",
        "word_count": 8,
        "kind": "outline",
        "citations": [],
    }
    warnings = [{"code": "NO_SOURCES", "message": "No sources were selected: an outline."}]
    post_id = add_post(app, user, project, content, warnings=warnings)
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert "This is an outline to write from" in page
    assert "No sources were selected: an outline." in page
    assert 'class="footnotes"' not in page


def test_an_older_post_without_citations_renders_as_before(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    markdown = "# Old post\n\nWritten in 2020 [see 2] before citations.\n"
    post_id = add_post(app, user, project, {"title": "Old post", "markdown": markdown})
    response = client.get(f"/posts/{post_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>Written in 2020 [see 2] before citations.</p>" in page
    assert "<sup>" not in page and 'class="footnotes"' not in page
    assert "post-warnings" not in page
    assert client.get(f"/posts/{post_id}.md").get_data(as_text=True) == markdown


def test_thread_and_linkedin_posts_list_their_sources(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    quote = "Teams that write things down meet less often."
    content = {
        "title": "Async standups",
        "thread": ["Teams that write things down meet less often. 1/1"],
        "markdown": "# Async standups\n\nTeams that write things down meet less often. 1/1\n",
        "word_count": 9,
        "kind": "draft",
        "citations": [citation(1, source_id, quote, 2)],
    }
    post_id = add_post(app, user, project, content, channel="twitter")
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    assert f"/sources/{source_id}?passage=2&amp;quote=" in page
    assert 'id="cite-1"' in page and "<sup>" not in page
    assert 'href="#cite-ref-1-1"' not in page  # nothing in the text to go back to


def test_a_deleted_source_keeps_its_quote_without_a_link(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    post_id = cited_post(app, user, project, source_id)
    with app.app_context():
        db.session.delete(db.session.get(Source, source_id))
        db.session.commit()
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    notes = re.search(r'<section class="footnotes".*?</section>', page, re.S).group(0)
    assert 'survey.md <span class="muted">(source deleted)</span>' in notes
    assert "Teams that write things down meet less often." in notes
    assert "/sources/" not in notes


def test_quotes_are_escaped(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    content = {
        "title": "T",
        "markdown": "# T\n\nA claim.[1]\n",
        "kind": "draft",
        "citations": [citation(1, source_id, '<script>alert("x")</script>', 2, name="<i>s</i>")],
    }
    page = client.get(f"/posts/{add_post(app, user, project, content)}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert(" in page
    assert "<i>s</i>" not in page and "&lt;i&gt;s&lt;/i&gt;" in page


def test_copy_and_download_keep_the_markers_and_list_the_sources(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    post_id = cited_post(app, user, project, source_id)
    download = client.get(f"/posts/{post_id}.md").get_data(as_text=True)
    assert "meet less often.[1]\n" in download
    assert download.endswith(
        "## Sources\n\n"
        "[1]: survey.md — “Teams that write things down meet less often.”\n\n"
        "[2]: survey.md, p. 3 — “standups save about 20 minutes a day”\n"
    )
    page = client.get(f"/posts/{post_id}").get_data(as_text=True)
    copied = re.search(r'<textarea id="post-markdown"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert html.unescape(copied) == download


def test_another_workspace_sees_neither_the_post_nor_the_source(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    source_id = add_source(app, user, project)
    post_id = cited_post(app, user, project, source_id)
    stranger = app.test_client()
    AuthActions(app, stranger).signed_in("stranger@example.com")
    assert stranger.get(f"/posts/{post_id}").status_code == 404
    url = f"/projects/{project.id}/sources/{source_id}?passage=4"
    assert stranger.get(url).status_code == 404


def test_the_finished_job_page_says_the_warnings(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    token = csrf(client.get(f"/projects/{project.id}/posts/new"))
    fields = {"topic": "Standups", "voice": "professional", "target_length": "short"}
    response = client.post(
        f"/projects/{project.id}/posts/new",
        data={**fields, "channel": "blog", "csrf_token": token},
    )
    job_url = response.headers["Location"]

    def finished_post():
        with app.app_context():
            post = db.session.execute(db.select(Post)).scalar_one_or_none()
            if post is None or post.status != "completed":
                return None
            post.warnings = [{"code": "NO_SOURCES", "message": "Written without sources."}]
            db.session.commit()
            return post.id

    wait_for(finished_post, timeout=60, interval=0.2)
    page = client.get(job_url).get_data(as_text=True)
    assert "Read the post" in page
    assert re.search(r'post-warnings" role="status">\s*<ul><li[^>]*>Written without sources.', page)
