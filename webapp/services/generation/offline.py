"""The offline writer: a draft composed only from the selected sources, without a model.

Source sentences are ranked by BM25 relevance to the topic and the instructions; the best
are taken until the length target is met, then set back in reading order under the
sources' own headings. Each sentence is quoted exactly and cited. Nothing is added but the
title and headings: when the sources support fewer words than asked, the draft is shorter
and says so (`short_of_target`). With nothing to draw on it writes an outline of what to
cover instead. It cannot imitate a voice, and says that too. Same input, same output.

Given an outline to follow (`Brief.outline`), it writes to that outline instead
(offline_planned.py); `outline` gives the outline it would write. It keeps no state: one
instance may write several posts at once from several threads.
"""

from __future__ import annotations

from ...vocabulary import Channel, ContentKind, PostWarning, Voice
from .base import (
    LINKEDIN_MAX_CHARS,
    Brief,
    Draft,
    DraftSink,
    PlannedOutline,
    Section,
    SourceText,
    Usage,
    outline_markdown,
)
from .citations import Citation
from .content import count_words, draft_word_count
from .extract import SourceSentence, source_sentences
from .offline_planned import follow_outline, planned_outline
from .outline_only import as_outline_post, outline_draft, outline_plan
from .ranking import bm25, tokens
from .structure import group_into_sections, paragraphs_of, readable_title, title_of

TWEET_SENTENCE_MAX = 250
# Each post of a thread ends with its position ("3/7"), which counts as two words.
THREAD_COUNTER_WORDS = 2


class OfflineWriter:
    name = "offline"

    def outline(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[PlannedOutline, Usage]:
        """The outline of the draft `write` would compose: its title, and per section its
        heading and up to three of its sentences as points. With nothing to draw on, the
        outline of what to cover."""
        sink.step(10, "Reading the sources")
        sentences = source_sentences(sources)
        planned = None
        if sentences:
            planned = planned_outline(brief, select(brief, sentences, sources)[0], sources)
        if planned is None or not planned.sections:
            planned = outline_plan(brief)
        sink.write(0, outline_markdown(planned.title, planned.headings))
        sink.step(15, "Outline ready")
        return planned, Usage(model=self.name)

    def write(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[Draft, Usage]:
        """Compose the draft; see the module's docstring."""
        sink.step(10, "Reading the sources")
        sentences = source_sentences(sources)
        if brief.outline is not None:
            draft = self._follow(brief, sentences, sources, sink)
        elif not sentences:
            draft = outline_draft(brief, had_sources=bool(sources))
            sink.write(0, outline_markdown(draft.title, [s.heading for s in draft.sections]))
        else:
            draft = self._compose(brief, sentences, sources, sink)
        if brief.voice != Voice.PROFESSIONAL and draft.kind == ContentKind.DRAFT:
            draft.warnings.append(voice_warning(brief.voice))
        return draft, Usage(model=self.name)

    def _compose(self, brief, sentences, sources, sink) -> Draft:
        sink.step(20, "Choosing passages")
        draft = select(brief, sentences, sources)[1]
        sink.write(0, outline_markdown(draft.title, [s.heading for s in draft.sections]))
        report(draft, sink)
        return draft

    def _follow(self, brief, sentences, sources, sink) -> Draft:
        """The draft of `brief.outline`; with nothing to draw on, its points as an outline."""
        sink.step(20, "Choosing passages")
        sink.write(0, outline_markdown(brief.outline.title, brief.outline.headings))
        chosen = select(brief, sentences, sources)[0] if sentences and brief.long_form else []
        draft = follow_outline(brief, sentences, sources, chosen)
        if not sentences:
            as_outline_post(draft, had_sources=bool(sources))
        report(draft, sink)
        return draft


def select(brief: Brief, sentences: list[SourceSentence], sources: list[SourceText]):
    """(the sentences the unplanned draft quotes, that draft): the most relevant within
    the length target."""
    ranked = rank(brief, sentences)
    low, high = brief.word_range()
    chosen = choose(brief, ranked, (low + high) // 2, high)
    draft = assemble(brief, chosen, sources)
    while draft_word_count(draft) > high and len(chosen) > 1:
        chosen = chosen[:-1]  # the least relevant goes first
        draft = assemble(brief, chosen, sources)
    draft.short_of_target = draft_word_count(draft) < low
    return chosen, draft


def rank(brief: Brief, sentences: list[SourceSentence]) -> list[SourceSentence]:
    """The sentences relevant to the brief, most relevant first. Relevant: sharing a word
    with the topic or instructions, or standing in a passage with such a sentence; when
    nothing matches, every sentence (the user chose these sources for this post)."""
    query = tokens(brief.topic) + tokens(brief.custom_instructions)
    scores = bm25([tokens(f"{s.passage.heading or ''} {s.text}") for s in sentences], query)
    matched = {s.passage for s, score in zip(sentences, scores, strict=True) if score > 0}
    keep = [
        (score, s)
        for s, score in zip(sentences, scores, strict=True)
        if not matched or s.passage in matched
    ]
    keep.sort(key=lambda pair: (-pair[0], pair[1].order))
    return [s for _, s in keep]


def choose(brief: Brief, ranked: list[SourceSentence], target: int, high: int):
    """The most relevant sentences up to `target` words (never past `high`), most relevant
    first; sentences too long for the channel are passed over."""
    chosen, words, chars = [], count_words(brief.topic), 0
    for sentence in ranked:
        size = count_words(sentence.text) + (
            THREAD_COUNTER_WORDS if brief.channel == Channel.TWITTER else 0
        )
        if words >= target:
            break
        if words + size > high or not fits_channel(brief, sentence.text, chars):
            continue
        chosen.append(sentence)
        words += size
        chars += len(sentence.text) + 6
    return chosen


def fits_channel(brief: Brief, text: str, chars_so_far: int) -> bool:
    if brief.channel == Channel.TWITTER:
        return len(text) <= TWEET_SENTENCE_MAX
    if brief.channel == Channel.LINKEDIN:
        return chars_so_far + len(text) <= LINKEDIN_MAX_CHARS
    return True


def assemble(brief: Brief, chosen: list[SourceSentence], sources: list[SourceText]) -> Draft:
    """The chosen sentences in reading order, cited, under headings (long form) or as
    short paragraphs (short form)."""
    in_order = sorted(chosen, key=lambda s: s.order)
    citations: list[Citation] = []
    draft = Draft(title=title_of(brief.topic), citations=citations)
    if not brief.long_form:
        per_paragraph = 1 if brief.channel == Channel.TWITTER else 2
        draft.body = paragraphs_of(in_order, citations, per_paragraph)
    else:
        names = {s.id: readable_title(s.title) for s in sources}
        introduction, groups = group_into_sections(in_order, names, draft.title)
        draft.introduction = paragraphs_of(introduction, citations)
        draft.sections = [
            Section(heading, paragraphs_of(group, citations)) for heading, group in groups
        ]
    draft.cited_source_ids = list(dict.fromkeys(c.source_id for c in citations))
    return draft


def report(draft: Draft, sink: DraftSink) -> None:
    """Show the draft on the job page, part by part."""
    parts = [draft.introduction or draft.body] + [
        f"## {s.heading}\n\n{s.content}" for s in draft.sections
    ]
    for index, text in enumerate(parts, 1):
        sink.check_cancelled()
        sink.write(index, text)
        sink.step(20 + 70 * index // len(parts), f"Writing part {index} of {len(parts)}")


def voice_warning(voice: str) -> dict:
    if voice.startswith("custom:"):
        which = "your brand voice"
    else:
        which = f"the {voice.replace('_', ' ')} voice"
    return {
        "code": PostWarning.VOICE_NEEDS_MODEL,
        "message": f"Drafts without a model keep the sources' own words, so this one is not "
        f"in {which}; connect a model to write in it.",
    }
