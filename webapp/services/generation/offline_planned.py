"""The offline writer and planned outlines: the outline it would write for a brief, and
drafts that follow an outline (`Brief.outline`, perhaps edited by a person).

Its own outline is its unplanned layout: the sources' headings over the sentences it
chose, up to three short ones as each section's points. Following an outline, each
section takes the unused source sentences most relevant (BM25) to its heading and
points, within its share of the length target; a sentence goes first to the section it
suits best. A section that nothing matches shows its points instead (the draft is then
likely short of its target, and says so).
"""

from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import Channel
from .base import (
    LINKEDIN_MAX_CHARS,
    Brief,
    Draft,
    PlannedOutline,
    PlannedSection,
    Section,
    SourceText,
)
from .channels import THREAD_PIECE_MAX, clip
from .citations import strip_markers
from .content import count_words, draft_word_count
from .extract import SourceSentence
from .planned import as_sentences, bullets, short_form_body
from .ranking import bm25, tokens
from .structure import (
    INTRO_SENTENCES,
    group_into_sections,
    paragraphs_of,
    readable_title,
    title_of,
)

POINTS_PER_SECTION = 3
POINT_MAX_CHARS = 200
# A sentence is relevant to a section when it scores at least this share of the best.
RELEVANT_SHARE = 0.25
# Room a heading takes before a short-form section's text ("Pricing: ...").
LEAD_CHARS = 2


@dataclass(frozen=True)
class Budget:
    """What one section may take: words to reach, characters and sentences not to pass."""

    words: int | None = None
    chars: int | None = None
    sentences: int | None = None

    def full(self, picked: list[SourceSentence]) -> bool:
        if self.sentences is not None and len(picked) >= self.sentences:
            return True
        return self.words is not None and sum(count_words(s.text) for s in picked) >= self.words

    def fits(self, picked: list[SourceSentence], text: str) -> bool:
        return self.chars is None or sum(len(s.text) + 1 for s in picked) + len(text) <= self.chars


def opening_and_groups(chosen: list[SourceSentence], sources: list[SourceText], title: str):
    """(opening sentences, [(heading, sentences)]) as the offline writer lays the chosen
    sentences out, with at least one section when there is anything: heading-less text
    past the first few sentences sits under its source's name."""
    names = {s.id: readable_title(s.title) for s in sources}
    opening, groups = group_into_sections(sorted(chosen, key=lambda s: s.order), names, title)
    if not groups and opening:
        keep = opening[:INTRO_SENTENCES] if len(opening) > INTRO_SENTENCES else []
        name = names.get(opening[0].passage.source_id, "From the sources")
        groups = [(name, opening[len(keep) :])]
        opening = keep
    return opening, groups


def planned_outline(brief: Brief, chosen: list[SourceSentence], sources) -> PlannedOutline:
    """The outline of the draft the offline writer would compose from `chosen`."""
    title = title_of(brief.topic)
    _, groups = opening_and_groups(chosen, sources, title)
    return PlannedOutline(title, tuple(PlannedSection(h, points_of(g)) for h, g in groups))


def points_of(sentences: list[SourceSentence]) -> tuple[str, ...]:
    """Up to three short sentences of a section, in reading order, as its points."""
    plain = [" ".join(strip_markers(s.text).split()) for s in sentences]
    short = [p for p in plain if len(p) <= POINT_MAX_CHARS]
    return tuple(short[:POINTS_PER_SECTION]) or (clip(plain[0], POINT_MAX_CHARS),)


def follow_outline(
    brief: Brief,
    sentences: list[SourceSentence],
    sources: list[SourceText],
    chosen: list[SourceSentence],
) -> Draft:
    """The draft of `brief.outline`: long form, its title and exactly its sections after
    the opening the unplanned draft of `chosen` would have; short form, a paragraph (a
    thread post) per section led by its heading."""
    outline = brief.outline
    opening = []
    if brief.long_form:
        opening, _ = opening_and_groups(chosen, sources, title_of(brief.topic))
    taken = set(opening)
    budgets, room = section_budgets(brief, outline, opening)
    picked = assign(outline.sections, [s for s in sentences if s not in taken], budgets, room)
    citations: list = []
    draft = Draft(title=outline.title, citations=citations)
    if brief.long_form:
        draft.introduction = paragraphs_of(opening, citations)
        draft.sections = [
            Section(planned.heading, paragraphs_of(group, citations) or bullets(planned.points))
            for planned, group in zip(outline.sections, picked, strict=True)
        ]
    else:
        texts = [
            paragraphs_of(group, citations, per_paragraph=None)
            or points_text(brief, planned, budget)
            for planned, group, budget in zip(outline.sections, picked, budgets, strict=True)
        ]
        draft.body = short_form_body(outline, texts)
    draft.cited_source_ids = list(dict.fromkeys(c.source_id for c in citations))
    draft.short_of_target = draft_word_count(draft) < brief.word_range()[0]
    return draft


def section_budgets(brief: Brief, outline: PlannedOutline, opening: list[SourceSentence]):
    """Each section's Budget, and the words all sections together may not pass (None:
    no limit). A thread post holds one sentence after its heading; otherwise the length
    target, less what the title, headings and opening take, is split evenly."""
    sections = outline.sections
    if brief.channel == Channel.TWITTER:
        limit = [THREAD_PIECE_MAX - len(s.heading) - LEAD_CHARS for s in sections]
        return [Budget(chars=chars, sentences=1) for chars in limit], None
    low, high = brief.word_range()
    used = count_words(outline.title) + sum(count_words(s.heading) for s in sections)
    used += sum(count_words(s.text) for s in opening)
    words = max(1, ((low + high) // 2 - used) // max(1, len(sections)))
    if brief.channel == Channel.LINKEDIN:
        share = LINKEDIN_MAX_CHARS // max(1, len(sections))
        budgets = [Budget(words, chars=share - len(s.heading) - LEAD_CHARS) for s in sections]
    else:
        budgets = [Budget(words) for _ in sections]
    return budgets, max(0, high - used)


def assign(
    sections: tuple[PlannedSection, ...],
    candidates: list[SourceSentence],
    budgets: list[Budget],
    room: int | None,
) -> list[list[SourceSentence]]:
    """The sentences of each section, in reading order, each used once. A section first
    takes, most relevant first, the sentences it is the most relevant section for, then
    any left that are relevant to it (see `relevance`), until its budget is full."""
    if not sections:
        return []
    documents = [tokens(f"{c.passage.heading or ''} {c.text}") for c in candidates]
    scores = [relevance(section, documents) for section in sections]
    best = [max(range(len(sections)), key=lambda i: scores[i][j]) for j in range(len(candidates))]
    picked: list[list[SourceSentence]] = [[] for _ in sections]
    used, total = set(), 0
    for own_only in (True, False):
        for i, budget in enumerate(budgets):
            ranked = sorted(
                (
                    j
                    for j in range(len(candidates))
                    if scores[i][j] > 0 and j not in used and (best[j] == i or not own_only)
                ),
                key=lambda j, i=i: (-scores[i][j], j),
            )
            for j in ranked:
                if budget.full(picked[i]):
                    break
                size = count_words(candidates[j].text)
                if (room is not None and total + size > room) or not budget.fits(
                    picked[i], candidates[j].text
                ):
                    continue
                picked[i].append(candidates[j])
                used.add(j)
                total += size
    return [sorted(group, key=lambda s: s.order) for group in picked]


def relevance(section: PlannedSection, documents: list[list[str]]) -> list[float]:
    """The BM25 score of each tokenised sentence for the section's heading and points, 0
    for one that is not relevant: sharing no word with the heading and only one with the
    points (a "per" or a "week" in common), or scoring far below the best."""
    query = tokens(f"{section.heading} {' '.join(section.points)}")
    heading, words = _words(tokens(section.heading)), _words(query)
    scores = [
        score if heading & _words(document) or len(words & _words(document)) >= 2 else 0.0
        for score, document in zip(bm25(documents, query), documents, strict=True)
    ]
    floor = max(scores, default=0.0) * RELEVANT_SHARE
    return [score if score >= floor else 0.0 for score in scores]


def _words(found: list[str]) -> set[str]:
    """Tokens that say something ("it" and "of" do not)."""
    return {t for t in found if len(t) > 2}


def points_text(brief: Brief, section: PlannedSection, budget: Budget) -> str:
    """A short-form section's points as its text (a thread post: the first point), within
    its characters."""
    text = as_sentences(section.points[:1] if brief.channel == Channel.TWITTER else section.points)
    if budget.chars is None or len(text) <= budget.chars:
        return text
    return clip(text, budget.chars) if budget.chars >= 20 else ""
