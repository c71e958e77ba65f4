"""markdown_to_safe_html (webapp/services/render.py): what a post's Markdown looks like on a
page. CommonMark, so the two-space nested lists models write are nested lists."""

from __future__ import annotations

import re

from webapp.services.render import markdown_to_safe_html as render


def squash(html: str) -> str:
    """The HTML without its line breaks (and the indentation around them)."""
    return re.sub(r"\s*\n\s*", "", html)


def test_two_space_nested_lists_render_as_nested_lists():
    html = render("- Plan\n  - Outline\n  - Sources\n- Write\n")
    assert squash(html) == (
        "<ul><li>Plan<ul><li>Outline</li><li>Sources</li></ul></li><li>Write</li></ul>"
    )


def test_nested_ordered_list_inside_a_bullet_and_four_space_nesting():
    html = squash(render("1. First\n   - detail\n2. Second\n\n- a\n    - b\n"))
    assert "<ol><li>First<ul><li>detail</li></ul></li><li>Second</li></ol>" in html
    assert "<ul><li>a<ul><li>b</li></ul></li></ul>" in html


def test_a_list_right_after_a_paragraph_is_a_list():
    assert squash(render("Steps:\n- one\n- two")) == (
        "<p>Steps:</p><ul><li>one</li><li>two</li></ul>"
    )


def test_headings_emphasis_code_and_links():
    html = render(
        '## Why\n\nSome **bold**, *italic*, `x < y` and [a guide](https://example.com/g "Guide").\n'
    )
    assert "<h2>Why</h2>" in html
    assert "<strong>bold</strong>" in html and "<em>italic</em>" in html
    assert "<code>x &lt; y</code>" in html
    assert (
        '<a href="https://example.com/g" title="Guide" '
        'rel="noopener noreferrer nofollow">a guide</a>'
    ) in html


def test_fenced_code_keeps_its_text_and_loses_nothing_else():
    html = render("```python\nif a < b:\n    print('**no**')\n```\n")
    assert html.strip() == ("<pre><code>if a &lt; b:\n    print('**no**')\n</code></pre>")


def test_tables_keep_their_column_alignment():
    html = squash(render("| Plan | Price |\n|:-----|------:|\n| Pro | $9 |\n"))
    assert '<thead><tr><th align="left">Plan</th><th align="right">Price</th></tr></thead>' in html
    assert '<tbody><tr><td align="left">Pro</td><td align="right">$9</td></tr></tbody>' in html


def test_ordered_list_keeps_its_start_number_and_strikethrough_renders():
    html = squash(render("3. three\n4. four\n\n~~old~~ new"))
    assert '<ol start="3"><li>three</li><li>four</li></ol>' in html
    assert "<s>old</s> new" in html


def test_hard_line_break_and_blockquote():
    assert squash(render("> one  \n> two")) == "<blockquote><p>one<br>two</p></blockquote>"


def test_scripts_handlers_and_unsafe_links_are_removed():
    html = render(
        "Hi <script>alert(1)</script><img src=x onerror=alert(1)> "
        '<a href="javascript:alert(1)" onclick="x()">a</a> '
        "[b](javascript:alert(1)) [c](mailto:me@example.com)\n\n"
        '<div style="color:red">block</div>\n'
    )
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert not re.search(r"href=[\"']?javascript:", html, re.IGNORECASE)
    assert "<div" not in html and "style=" not in html
    assert '<a href="mailto:me@example.com" rel="noopener noreferrer nofollow">c</a>' in html


def test_empty_and_missing_text_render_nothing():
    assert render(None) == ""
    assert render("") == ""
