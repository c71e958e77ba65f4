"""Channel outputs as pasted: Markdown to plain text, a post's plain text per channel, and
the clean HTML of a rich copy."""

from __future__ import annotations

from webapp.services.channel_text import (
    is_plain,
    plain_text,
    post_plain_text,
    rich_html,
    thread_posts,
    x_length,
)
from webapp.services.footnotes import Footnote


def footnote(n: int, page: int | None = None) -> Footnote:
    return Footnote(n, "s1", "survey.md", "Teams  meet less.", page, None, True)


def test_emphasis_headings_and_quotes_lose_their_marks():
    text = plain_text("## Why\n\n**Bold**, _em_, ~~gone~~ and `code`.\n\n> Quoted")
    assert text == "Why\n\nBold, em, gone and code.\n\nQuoted"


def test_a_link_keeps_its_address_in_brackets_and_an_autolink_its_address_only():
    assert plain_text("Read [the guide](https://example.com/g).") == (
        "Read the guide (https://example.com/g)."
    )
    assert plain_text("See <https://example.com>.") == "See https://example.com."
    assert plain_text("![A chart](https://example.com/c.png)") == "A chart"


def test_hashtags_line_breaks_and_escapes_stay_as_written():
    assert plain_text("Line one\nLine two #growth #B2B\n\n#1 tip: 5 \\* 3") == (
        "Line one\nLine two #growth #B2B\n\n#1 tip: 5 * 3"
    )


def test_lists_keep_their_marks_and_numbers_and_raw_html_is_dropped():
    markdown = "- one\n- **two**\n  - nested\n\n3. three\n4. four\n\n<div></div>\n\nA <b>b</b>."
    assert plain_text(markdown) == "- one\n- two\n  - nested\n\n3. three\n4. four\n\nA b."


def test_html_tags_are_dropped_and_a_placeholder_in_angle_brackets_kept():
    assert plain_text("Hi <b>there</b> <name>,<br>\n\n<div>Block</div>") == (
        "Hi there <name>,\n\nBlock"
    )


def test_citation_markers_are_dropped_only_when_asked():
    assert plain_text("Less meetings.[1][2] In 2020 [see 2].") == (
        "Less meetings.[1][2] In 2020 [see 2]."
    )
    assert plain_text("Less meetings.[1][2] In 2020 [see 2].", keep_markers=False) == (
        "Less meetings. In 2020 [see 2]."
    )


def test_each_channels_plain_text():
    assert post_plain_text("linkedin", {"text": "**Hi** there"}) == "Hi there"
    thread = {"thread": ["**One** 1/2", "[Two](https://x.example) 2/2"]}
    assert thread_posts(thread) == ["One 1/2", "Two (https://x.example) 2/2"]
    assert post_plain_text("twitter", thread) == "One 1/2\n\nTwo (https://x.example) 2/2"
    social = {"markdown": "# A Title Like a Blog\n\n**Short** post.[1]\n"}
    assert post_plain_text("social", social) == "Short post."
    blog = {"markdown": "# Title\n\n## Part\n\nText.[1]\n"}
    assert post_plain_text("blog", blog) == "Title\n\nPart\n\nText.[1]"


def test_only_linkedin_x_and_social_are_plain_channels():
    assert [c for c in ("blog", "social", "email", "twitter", "linkedin") if is_plain(c)] == [
        "social",
        "twitter",
        "linkedin",
    ]


def test_rich_html_is_clean_semantic_html_with_bare_citation_numbers():
    markdown = "# T\n\nFewer **meetings**.[1] See [guide](https://example.com).\n"
    html = str(rich_html(markdown, [footnote(1, page=2)]))
    assert "<h1>T</h1>" in html and "<strong>meetings</strong>" in html
    assert "<sup>1</sup>" in html and '<a href="https://example.com">guide</a>' in html
    sources = "<h2>Sources</h2>\n<ol><li>survey.md, p. 2 — “Teams meet less.”</li></ol>\n"
    assert html.endswith(sources)
    assert "class=" not in html and "id=" not in html and "rel=" not in html


def test_rich_html_escapes_what_the_sources_say():
    html = str(rich_html("Text.[1]", [Footnote(1, None, "<b>x</b>", "a <i>", None, None, False)]))
    assert "<b>x</b>" not in html and "&lt;b&gt;x&lt;/b&gt;" in html and "a &lt;i&gt;" in html


def test_x_counts_a_link_as_a_t_co_address_of_23_characters():
    long_link = "https://example.com/" + "a" * 80
    assert x_length("Read it") == 7
    assert x_length(f"Read {long_link} now") == len("Read  now") + 23
    assert x_length("http://a.io and https://b.io") == 23 + len(" and ") + 23
