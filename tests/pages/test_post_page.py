"""The post page: LinkedIn, X and social posts read as plain text (on the page and in what
the copy buttons copy) under the post's topic, with no blog title or meta description; a
thread's posts each with a count and a copy button; the action bar's links; the API's
content object unchanged."""

from __future__ import annotations

import html
import re

import pytest

from webapp.services.channel_text import x_length

from ..factories import make_project
from ..post_page_factories import (
    LINKEDIN_PLAIN,
    SOCIAL_PLAIN,
    THREAD_PLAIN,
    TITLE,
    TOPIC,
    channel_content,
    make_channel_post,
)

MARKUP = ("**", "## ", "# ", "](", "<b>")


def post_page(client, auth, app, channel: str) -> tuple[str, str, object]:
    user = auth.signed_in()
    project = make_project(app, user)
    post_id = make_channel_post(app, user, project, channel)
    response = client.get(f"/posts/{post_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True), post_id, project


def element_text(page: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</(?:textarea|div|p)>', page, re.S)
    assert found, f"no #{element_id} on the page"
    return html.unescape(found.group(1))


@pytest.mark.parametrize(
    ("channel", "plain", "label"),
    [
        ("linkedin", LINKEDIN_PLAIN, "LinkedIn post"),
        ("social", SOCIAL_PLAIN, "Social post"),
        ("twitter", "\n\n".join(THREAD_PLAIN), "X / Twitter thread"),
    ],
)
def test_social_channels_are_plain_text_under_the_topic(client, auth, app, channel, plain, label):
    page, _, _ = post_page(client, auth, app, channel)
    assert element_text(page, "post-plain") == plain  # what Copy puts on the clipboard
    article = re.search(r'<article class="post-body".*?</article>', page, re.S).group(0)
    for mark in MARKUP:
        assert mark not in html.unescape(article), mark
    if channel != "twitter":
        assert element_text(page, "post-text") == plain
    assert f"<h1>{TOPIC}</h1>" in page and page.count("<h1") == 1
    assert f'<p class="channel-kicker muted">{html.escape(label)}</p>' in page
    assert TITLE not in page  # no blog title
    assert "Meta description" not in page and "save a team an hour" not in page
    assert 'id="post-markdown"' not in page and 'id="post-rich"' not in page
    assert "Copy Markdown" not in page


def test_each_post_of_a_thread_has_its_count_and_copy_button(client, auth, app):
    page, _, _ = post_page(client, auth, app, "twitter")
    for n, text in enumerate(THREAD_PLAIN, 1):
        assert element_text(page, f"tweet-{n}") == text
        assert f"{x_length(text)}/280" in page  # a link counts 23, as on X
        button = re.search(rf'<button[^>]*data-copy-text="#tweet-{n}"[^>]*>(.*?)</button>', page)
        assert button and " hidden>" in button.group(0)  # shown by JavaScript only
        assert re.sub(r"<[^>]+>", "", button.group(1)) == f"Copy post {n}"


def test_linkedin_shows_its_length_against_the_limit(client, auth, app):
    page, _, _ = post_page(client, auth, app, "linkedin")
    assert f"{len(LINKEDIN_PLAIN)}/3,000 characters" in page


def test_a_blog_post_keeps_its_title_meta_description_and_formatted_copy(client, auth, app):
    page, _, _ = post_page(client, auth, app, "blog")
    assert f"<h1>{TITLE}</h1>" in page
    assert "Meta description" in page
    rich = re.search(r'<template id="post-rich">(.*?)</template>', page, re.S).group(1)
    assert "<strong>writing</strong>" in rich and "<h2>Why it works</h2>" in rich
    assert '<a href="https://example.com/guide">the guide</a>' in rich
    assert "class=" not in rich and "id=" not in rich and "rel=" not in rich
    assert element_text(page, "post-plain").startswith(f"{TITLE}\n\nStandups in writing save")
    assert element_text(page, "post-markdown").startswith(f"# {TITLE}")


def test_the_action_bar_links_download_edit_and_regenerate(client, auth, app):
    page, post_id, project = post_page(client, auth, app, "linkedin")
    bar = re.search(r'<nav class="post-actions".*?</nav>', page, re.S).group(0)
    assert f'href="/posts/{post_id}.md"' in bar and ">Download .md<" in bar
    assert f'href="/posts/{post_id}/edit"' in bar and ">Edit<" in bar
    regenerate = f'href="/projects/{project.id}/posts/new?from_post={post_id}"'
    assert regenerate in bar and ">Regenerate<" in bar
    assert re.search(r"<button[^>]*data-copy-text=\"#post-plain\"[^>]* hidden>", bar)


def test_copy_buttons_are_all_hidden_until_javascript_shows_them(client, auth, app):
    user = auth.signed_in()
    project = make_project(app, user)
    for channel in ("blog", "twitter"):
        post_id = make_channel_post(app, user, project, channel)
        page = client.get(f"/posts/{post_id}").get_data(as_text=True)
        buttons = re.findall(r"<button[^>]*data-copy-text[^>]*>", page)
        assert buttons and all(b.endswith(" hidden>") for b in buttons), buttons


def test_the_api_keeps_each_channels_content_as_stored(client, auth, app):
    user = auth.signed_in()
    headers = auth.headers()
    project = make_project(app, user)
    for channel in ("linkedin", "twitter", "social", "blog"):
        post_id = make_channel_post(app, user, project, channel)
        assert client.get(f"/posts/{post_id}").status_code == 200
        post = client.get(f"/api/v1/posts/{post_id}", headers=headers).get_json()
        assert post["content"] == channel_content(channel), channel
