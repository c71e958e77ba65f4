"""Pure text rules of review: finding a quote (whitespace collapsed), and citations after an
edit (markers re-resolved, numbers never reassigned)."""

from __future__ import annotations

import pytest

from webapp.errors import ValidationFailed
from webapp.services.review import citation_markers, quotes

MARKDOWN = "# Title\n\nTeams that write\nthings down meet less.[1]\n\nTeams that write code.\n"


def test_a_quote_matches_across_line_breaks_and_extra_spaces():
    start, end = quotes.locate(MARKDOWN, "write   things down")
    assert MARKDOWN[start:end] == "write\nthings down"


def test_a_quote_found_twice_or_not_at_all_is_refused_with_its_code():
    with pytest.raises(ValidationFailed) as twice:
        quotes.locate(MARKDOWN, "Teams that write")
    assert twice.value.code == "QUOTE_AMBIGUOUS"
    with pytest.raises(ValidationFailed) as missing:
        quotes.locate(MARKDOWN, "meetings are great")
    assert missing.value.code == "QUOTE_NOT_FOUND"
    with pytest.raises(ValidationFailed):
        quotes.locate(MARKDOWN, "   ")


def test_replacing_a_quote_keeps_the_text_around_it():
    replaced = quotes.replace_once(MARKDOWN, "things down meet less.[1]", "notes meet less.[1]")
    assert "Teams that write\nnotes meet less.[1]\n\nTeams that write code." in replaced


def test_markers_naming_no_citation_go_and_the_others_keep_their_numbers():
    citations = [{"n": 1}, {"n": 2}, {"n": 3}]
    text, kept = citation_markers.resolve("A.[3] B.[1, 9] C.[9]", citations)
    assert text == "A.[3] B.[1] C."
    assert kept == [{"n": 1}, {"n": 3}]


def test_a_marker_inside_a_link_or_a_definition_is_not_a_citation():
    assert citation_markers.markers_in("[2](https://x) and [3]: note, but [4]") == {4}
