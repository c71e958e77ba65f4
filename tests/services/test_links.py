"""insert_links (webapp/services/links.py): the SPEC §4 rules for linking a generated
post's Markdown to the project's link opportunities."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from webapp.services.links import insert_links

GUIDE = "https://blog.example.com/seo-guide"
TOOLS = "https://blog.example.com/seo-tools"


def opportunity(keywords, url=GUIDE, anchor_text=None, id="op1"):
    return SimpleNamespace(id=id, target_url=url, keywords=keywords, anchor_text=anchor_text)


def linked(markdown, *opportunities) -> str:
    return insert_links(markdown, opportunities)[0]


def test_first_occurrence_is_linked_whatever_its_case():
    markdown, links = insert_links("Good seo takes time. SEO is a habit.\n", [opportunity(["SEO"])])
    assert markdown == f"Good [seo]({GUIDE}) takes time. SEO is a habit.\n"
    assert links == [
        {"opportunity_id": "op1", "target_url": GUIDE, "keyword": "SEO", "anchor_text": "seo"}
    ]


@pytest.mark.parametrize(
    "text", ["SEOs matter.", "Try autoseo now.", "The seo_tag field.", "Read geoseoguide."]
)
def test_only_whole_words_match(text):
    assert insert_links(text, [opportunity(["seo"])]) == (text, [])


def test_a_word_next_to_punctuation_or_emphasis_is_whole():
    assert linked("(SEO), **SEO**", opportunity(["seo"])) == f"([SEO]({GUIDE})), **SEO**"
    assert linked("Use **SEO** daily", opportunity(["seo"])) == f"Use **[SEO]({GUIDE})** daily"


def test_headings_are_never_linked():
    markdown = "# SEO basics\n\n## Why SEO\n\n  ### SEO again\n\nStart with SEO today.\n"
    assert linked(markdown, opportunity(["SEO"])) == (
        f"# SEO basics\n\n## Why SEO\n\n  ### SEO again\n\nStart with [SEO]({GUIDE}) today.\n"
    )


@pytest.mark.parametrize(
    "protected",
    [
        "```\nSEO in code\n```",
        "~~~python\nseo = 1\n~~~",
        "Run `seo --check` first.",
        "See [our SEO notes](https://x.example/notes).",
        "![SEO chart](https://x.example/c.png)",
        "Read <https://seo.example.com/seo>.",
        "Read https://example.com/seo-tips/seo now.",
        "Read [the SEO primer][primer].\n\n[primer]: https://x.example/primer",
        "An example:\n\n    seo = load_seo()\n\tprint(seo)",
        "SEO in a setext heading\n=======================",
        "SEO in a smaller one\n---",
        'Read <a href="https://x.example/">the SEO notes</a>.',
        'A chart: <img alt="SEO chart" src="https://x.example/c.png">',
    ],
)
def test_code_links_images_and_urls_are_never_linked(protected):
    markdown = f"{protected}\n\nFinally, SEO.\n"
    result, links = insert_links(markdown, [opportunity(["seo"])])
    assert result == f"{protected}\n\nFinally, [SEO]({GUIDE}).\n"
    assert len(links) == 1


def test_a_rule_after_a_blank_line_is_no_heading():
    markdown = "SEO first.\n\n---\n\nThen more.\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"[SEO]({GUIDE}) first.\n\n---\n\nThen more.\n"
    )


def test_nothing_to_link_leaves_the_text_alone():
    markdown = "# SEO\n\n`SEO`\n"
    assert insert_links(markdown, [opportunity(["seo"])]) == (markdown, [])
    assert insert_links("Some text.", []) == ("Some text.", [])


def test_each_target_url_is_linked_at_most_once():
    first = opportunity(["SEO"], id="a")
    second = opportunity(["content marketing"], id="b")
    markdown, links = insert_links("SEO and content marketing. SEO again.", [first, second])
    assert markdown == f"SEO and [content marketing]({GUIDE}). SEO again."
    assert [link["opportunity_id"] for link in links] == ["b"]


def test_a_second_opportunity_for_the_same_url_is_used_when_the_first_finds_nothing():
    markdown, links = insert_links(
        "Content marketing works.",
        [opportunity(["SEO"], id="a"), opportunity(["content marketing"], id="b")],
    )
    assert markdown == f"[Content marketing]({GUIDE}) works."
    assert [link["opportunity_id"] for link in links] == ["b"]


def test_several_targets_each_get_their_link():
    markdown, links = insert_links(
        "Audit SEO, then buy tools.",
        [opportunity(["SEO"], id="a"), opportunity(["tools"], url=TOOLS, id="b")],
    )
    assert markdown == f"Audit [SEO]({GUIDE}), then buy [tools]({TOOLS})."
    assert {link["target_url"] for link in links} == {GUIDE, TOOLS}


def test_anchor_text_is_preferred_when_it_occurs():
    guide = opportunity(["SEO"], anchor_text="our complete SEO guide")
    markdown, links = insert_links("SEO matters; read our complete SEO guide.", [guide])
    assert markdown == f"SEO matters; read [our complete SEO guide]({GUIDE})."
    assert links[0]["anchor_text"] == "our complete SEO guide"


def test_a_keyword_is_linked_when_the_anchor_text_does_not_occur():
    guide = opportunity(["SEO"], anchor_text="our complete SEO guide")
    markdown, links = insert_links("SEO matters.", [guide])
    assert markdown == f"[SEO]({GUIDE}) matters."
    assert links[0]["keyword"] == "SEO" and links[0]["anchor_text"] == "SEO"


def test_anchor_text_wins_over_a_longer_keyword_of_the_same_opportunity():
    guide = opportunity(["search engine optimization"], anchor_text="SEO guide")
    markdown = linked("Search engine optimization: see the SEO guide.", guide)
    assert markdown == f"Search engine optimization: see the [SEO guide]({GUIDE})."


def test_longer_keywords_are_tried_before_shorter_ones():
    guide = opportunity(["SEO", "search engine optimization"])
    markdown, links = insert_links("SEO, or search engine optimization.", [guide])
    assert markdown == f"SEO, or [search engine optimization]({GUIDE})."
    assert links[0]["keyword"] == "search engine optimization"


def test_longer_keywords_win_across_opportunities():
    markdown, links = insert_links(
        "The best SEO tools help. SEO matters.",
        [opportunity(["SEO"], id="guide"), opportunity(["SEO tools"], url=TOOLS, id="tools")],
    )
    assert markdown == f"The best [SEO tools]({TOOLS}) help. [SEO]({GUIDE}) matters."
    assert [link["opportunity_id"] for link in links] == ["tools", "guide"]


def test_special_characters_in_the_url_are_quoted():
    url = "https://example.com/guides/a b(c)[d]ü?q=1&x=%20#part"
    markdown = linked("Learn SEO.", opportunity(["seo"], url=url))
    assert markdown == (
        "Learn [SEO](https://example.com/guides/a%20b%28c%29%5Bd%5D%C3%BC?q=1&x=%20#part)."
    )


def test_keywords_with_regex_characters_match_literally():
    markdown = linked(
        "We write C++ and C# daily; C+ is not a thing.",
        opportunity(["C++"]),
        opportunity(["c#"], url=TOOLS),
    )
    assert markdown == f"We write [C++]({GUIDE}) and [C#]({TOOLS}) daily; C+ is not a thing."


def test_a_long_post_with_many_opportunities_is_linked_quickly():
    markdown = "# Title\n\n" + "\n\n".join(
        f"## Part {n}\n\nParagraph {n} talks about customers and growth." for n in range(150)
    )
    opportunities = [
        opportunity([f"absent{n}-{k}" for k in range(20)], url=f"https://x.example/{n}", id=str(n))
        for n in range(50)
    ]
    started = time.monotonic()
    assert insert_links(markdown, opportunities) == (markdown, [])
    assert time.monotonic() - started < 5


# ------------------------------------------------- on markdown-it-py's tokens (CommonMark)


def test_a_two_space_nested_list_item_is_linked_in_place():
    markdown = "- Plan\n  - Learn `seo` basics\n  - Then SEO audits\n- Write\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"- Plan\n  - Learn `seo` basics\n  - Then [SEO]({GUIDE}) audits\n- Write\n"
    )


def test_list_items_nested_four_spaces_deep_are_text_not_code():
    markdown = "1. Plan\n    - an SEO audit\n"
    assert linked(markdown, opportunity(["seo"])) == f"1. Plan\n    - an [SEO]({GUIDE}) audit\n"


def test_a_fence_inside_a_list_item_stays_code():
    markdown = "- Try:\n\n  ```\n  seo --audit\n  ```\n\n  then read about SEO.\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"- Try:\n\n  ```\n  seo --audit\n  ```\n\n  then read about [SEO]({GUIDE}).\n"
    )


def test_blockquotes_and_lazy_lines_are_linked_at_the_right_place():
    markdown = "> Quote about `SEO`,\n> then SEO\nlazy SEO line\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"> Quote about `SEO`,\n> then [SEO]({GUIDE})\nlazy SEO line\n"
    )


def test_a_keyword_across_an_emphasis_boundary_is_not_linked():
    markdown = "Good content **marketing** pays. Content marketing works.\n"
    markdown_then = linked(markdown, opportunity(["content marketing"]))
    assert markdown_then == (
        f"Good content **marketing** pays. [Content marketing]({GUIDE}) works.\n"
    )


def test_a_keyword_across_a_line_break_is_not_linked():
    markdown = "Good content\nmarketing pays.\n"
    assert insert_links(markdown, [opportunity(["content marketing"])]) == (markdown, [])


def test_a_keyword_inside_emphasis_next_to_a_word_is_linked():
    assert linked("A *great SEO*-friendly page.", opportunity(["seo"])) == (
        f"A *great [SEO]({GUIDE})*-friendly page."
    )


@pytest.mark.parametrize(
    "text, expected",
    [
        ("SEO.", f"[SEO]({GUIDE})."),
        ("«SEO»", f"«[SEO]({GUIDE})»"),
        ("SEO's value", f"[SEO]({GUIDE})'s value"),
        ("re-SEO", f"re-[SEO]({GUIDE})"),
        ("[SEO] notes", "[SEO] notes"),
        ("SEO2 and SEO", f"SEO2 and [SEO]({GUIDE})"),
        ("café SEO", f"café [SEO]({GUIDE})"),
        ("éSEO SEO", f"éSEO [SEO]({GUIDE})"),
    ],
)
def test_punctuation_and_word_boundaries(text, expected):
    assert linked(text, opportunity(["seo"])) == expected


def test_unicode_keywords_match_whatever_their_case():
    markdown, links = insert_links(
        "Die STRASSE und die Straße. ÜBER uns.",
        [opportunity(["straße"]), opportunity(["über"], url=TOOLS)],
    )
    assert markdown == f"Die STRASSE und die [Straße]({GUIDE}). [ÜBER]({TOOLS}) uns."
    assert [link["anchor_text"] for link in links] == ["Straße", "ÜBER"]


def test_an_exclamation_mark_before_the_keyword_does_not_make_an_image():
    markdown = "Wow!SEO rocks. Later SEO.\n"
    assert linked(markdown, opportunity(["seo"])) == f"Wow!SEO rocks. Later [SEO]({GUIDE}).\n"


def test_escapes_and_entities_are_left_as_written():
    markdown = "Not \\*SEO\\* &amp; SEO&copy; here\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"Not \\*[SEO]({GUIDE})\\* &amp; SEO&copy; here\n"
    )


def test_windows_line_endings_and_tabs_are_kept():
    markdown = "# SEO\r\n\r\n-\tsee\tSEO\tnow\r\n"
    assert linked(markdown, opportunity(["seo"])) == f"# SEO\r\n\r\n-\tsee\t[SEO]({GUIDE})\tnow\r\n"


def test_text_inside_a_raw_html_anchor_and_in_autolinks_is_left_alone():
    markdown = '<a href="https://x.example/">all about SEO</a> <https://x.example/seo> SEO'
    assert linked(markdown, opportunity(["seo"])) == (
        f'<a href="https://x.example/">all about SEO</a> <https://x.example/seo> [SEO]({GUIDE})'
    )


def test_table_cells_are_linked():
    markdown = "| Topic | Notes |\n|---|---|\n| SEO | basics |\n"
    assert linked(markdown, opportunity(["seo"])) == (
        f"| Topic | Notes |\n|---|---|\n| [SEO]({GUIDE}) | basics |\n"
    )


def test_a_keyword_inside_a_link_title_or_reference_definition_is_left_alone():
    markdown = (
        'See [notes](https://x.example/n "SEO notes").\n\n[ref]: https://x.example/r '
        '"SEO ref"\n\nSEO at last.\n'
    )
    assert linked(markdown, opportunity(["seo"])) == markdown.replace(
        "SEO at last", f"[SEO]({GUIDE}) at last"
    )
