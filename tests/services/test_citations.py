"""Markers settle after writing: renumbered in reading order, the unresolvable removed."""

from __future__ import annotations

from webapp.services.generation.base import Draft, Section
from webapp.services.generation.citations import Citation, settle, strip_markers
from webapp.services.generation.passages import blocks_of, passages_of


def cite(name: str) -> Citation:
    return Citation("s1", "notes.md", name, None, 1)


def test_markers_are_renumbered_in_reading_order_and_the_unresolvable_removed():
    draft = Draft(
        title="T",
        introduction="Second claim. [2] Invented claim. [9]",
        sections=[Section("H", "First cited again [2][1]. Zero [0]. Link [1](https://x.test).")],
        citations=[cite("a"), cite("b"), cite("c")],
    )
    settle(draft)
    assert draft.introduction == "Second claim. [1] Invented claim."
    assert draft.sections[0].content == "First cited again [1][2]. Zero. Link [1](https://x.test)."
    assert [c.quote for c in draft.citations] == ["b", "a"]


def test_without_markers_the_cited_entries_are_still_listed():
    draft = Draft(
        title="T", body="One [3], two [1, 3].", citations=[cite("a"), cite("b"), cite("c")]
    )
    settle(draft, keep_markers=False)
    assert draft.body == "One, two."
    assert [c.quote for c in draft.citations] == ["c", "a"]


def test_strip_markers_takes_adjacent_and_listed_markers():
    assert strip_markers("A claim [3][5] and [1, 2].") == "A claim and."


def test_passages_number_blocks_and_know_their_heading_and_page():
    text = "# Intro\n\nFirst paragraph.\n\n## Costs\n\nSecond\nwrapped paragraph."
    passages = passages_of("s1", "notes.md", text, (0, text.index("## Costs")))
    assert [p.paragraph for p in passages] == [1, 2, 3, 4]
    assert [p.page for p in passages] == [1, 1, 2, 2]
    assert passages[3].heading == "Costs" and passages[3].text == "Second wrapped paragraph."
    assert [offset for offset, _ in blocks_of(text)] == [0, 9, 27, 37]


def test_a_draft_being_written_shows_its_markers_as_superscripts():
    from webapp.services.footnotes import draft_html

    html = draft_html("Claim one. [2] Claim two [1][3]. Code `a[1]` stays.")
    assert "Claim one.<sup>2</sup> Claim two<sup>1,3</sup>." in html
    assert "<code>a[1]</code>" in html
