"""The offline writer: a real draft without a model, composed extractively.

Sentences of the sources are ranked by how many of the topic's (and the section's) terms
they share and used at most once each; headings come from the sources' most frequent
informative phrases, else from topic angles. When the sources run out, topic-templated
sentences (chosen by a stable hash, never twice in a post) fill the length target. Same
input, same output.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from itertools import pairwise

from ...vocabulary import Channel, Voice
from .base import (
    SECTION_COUNTS,
    Brief,
    Draft,
    DraftSink,
    Section,
    SourceText,
    Usage,
    outline_markdown,
)
from .content import count_words, draft_word_count
from .prompts import STOP_WORDS, terms

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
_STEERING = re.compile(
    r"ignore (all |any )?(previous|prior|above)|disregard (the|all|previous)"
    r"|you are now|system prompt|respond only|as an ai|new instructions",
    re.I,
)
ANGLES = (
    "Why {t} matters",
    "The essentials of {t}",
    "Getting started with {t}",
    "Common mistakes to avoid",
    "Measuring what works",
    "Tools and habits that help",
    "What to do next",
)
FILLERS = (
    "Teams that treat {t} as a habit rather than a project see steadier results.",
    "Start with one clear goal for {t}, and let every later choice serve it.",
    "A short checklist keeps {t} consistent when several people share the work.",
    "Small, regular improvements to {t} compound faster than occasional overhauls.",
    "Write down what you tried with {t} and what happened, so the next round starts smarter.",
    "Readers notice when {t} is built around their problems rather than your product.",
    "Pick two or three numbers that show whether {t} is working, and review them monthly.",
    "The best time to simplify {t} is before it grows; the second best is now.",
    "Budget a little time each week for {t}, and protect it like any other meeting.",
    "Ask the people closest to customers what they hear; it sharpens {t} quickly.",
    "Examples make {t} concrete: show one before explaining the rule behind it.",
    "Done well, {t} saves time later, because fewer things need fixing.",
    "Keep the tone of {t} steady across channels so people recognise you at once.",
    "When results stall, change one variable of {t} at a time and compare.",
    "Share early drafts of {t} work with a colleague; fresh eyes catch what you miss.",
    "Good {t} is specific: name the audience, the outcome and the deadline.",
)
OPENERS = {
    Voice.CASUAL: "Here's the thing: ",
    Voice.WITTY: "Plot twist: ",
    Voice.GEN_Z: "Real talk: ",
    Voice.STORYTELLING: "Picture this: ",
    Voice.HUMOROUS: "Fun fact: ",
    Voice.INSPIRATIONAL: "Imagine what's possible: ",
    Voice.CONVERSATIONAL: "You might wonder why. ",
    Voice.ACADEMIC: "The evidence suggests that ",
    Voice.CORPORATE: "For the business, ",
}


def sentences_of(sources: list[SourceText]) -> list[tuple[str, str]]:
    """(source id, sentence) pairs that read as prose: no headings, markup, URLs, tables or
    text that tries to steer a writer."""
    found, seen = [], set()
    for source in sources:
        text = re.sub(r"<[^>]+>", " ", source.text or "")
        for line in text.splitlines():
            line = re.sub(r"^\s*(#+|[-*+]|\d+[.)])\s*", "", line).strip()
            if not line or "|" in line or re.fullmatch(r"\S*https?://\S+", line):
                continue
            for sentence in _SENTENCE.split(line):
                sentence = " ".join(sentence.split())
                if (
                    6 <= len(sentence.split()) <= 60
                    and not _STEERING.search(sentence)
                    and sentence.lower() not in seen
                ):
                    seen.add(sentence.lower())
                    found.append((source.id, sentence))
    return found


def key_phrases(sentences: list[tuple[str, str]], topic: str, limit: int) -> list[str]:
    """Frequent two-word phrases of informative words, not already in the topic."""
    counts: Counter = Counter()
    topic_terms = terms(topic)
    for _, sentence in sentences:
        words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]+", sentence)]
        for first, second in pairwise(words):
            if (
                first not in STOP_WORDS
                and second not in STOP_WORDS
                and len(first) > 3
                and len(second) > 3
                and not {first, second} <= topic_terms
            ):
                counts[f"{first} {second}"] += 1
    return [phrase for phrase, n in counts.most_common(limit) if n >= 2]


def stable_order(items: list[str], seed: str) -> list[str]:
    return sorted(
        items,
        key=lambda item: hashlib.sha1((seed + item).encode(), usedforsecurity=False).hexdigest(),
    )


class OfflineWriter:
    name = "offline"

    def write(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[Draft, Usage]:
        """Compose the draft; see the module's docstring."""
        sink.step(10, "Outlining")
        pool = _SentencePool(brief, sentences_of(sources))
        if not brief.long_form:
            draft = self._short_form(brief, pool)
            sink.write(1, draft.body)
        else:
            draft = self._long_form(brief, pool, sink)
        draft.cited_source_ids = [s.id for s in sources if s.id in pool.cited]
        return draft, Usage(model=self.name)

    def _long_form(self, brief: Brief, pool: _SentencePool, sink: DraftSink) -> Draft:
        count = SECTION_COUNTS[brief.target_length]
        phrases = key_phrases(pool.sentences, brief.topic, count)
        headings = [p.title() for p in phrases[: max(0, count - 2)]]
        for angle in ANGLES:
            if len(headings) >= count:
                break
            heading = angle.format(t=_topic_phrase(brief))
            if heading not in headings:
                headings.append(heading)
        title = _title(brief)
        sink.write(0, outline_markdown(title, headings))
        low, high = brief.word_range()
        target = (low + high) // 2
        intro_words = target // 10
        per_section = (target - 2 * intro_words) // count
        introduction = _opener(brief) + pool.paragraphs(brief.topic, intro_words, 1)
        sections = []
        for index, heading in enumerate(headings, 1):
            sink.check_cancelled()
            content = pool.paragraphs(heading + " " + brief.topic, per_section, 3)
            sections.append(Section(heading, content))
            sink.write(index, f"## {heading}\n\n{content}")
            sink.step(15 + 75 * index // count, f"Writing section {index} of {count}: {heading}")
        conclusion = pool.paragraphs(brief.topic, intro_words, 1)
        draft = Draft(
            title=title,
            introduction=introduction,
            sections=sections,
            conclusion=conclusion,
            meta_keywords=_keywords(brief, phrases),
        )
        _top_up(draft, pool, brief, low)
        return draft

    def _short_form(self, brief: Brief, pool: _SentencePool) -> Draft:
        low, high = brief.word_range()
        target = (low + high) // 2
        hook = _opener(brief) + f"{_title(brief)}, in a few lines."
        closing = (
            "What would you add? Tell us in the comments."
            if brief.channel != Channel.TWITTER
            else "Follow for more."
        )
        body_words = max(10, target - count_words(hook) - count_words(closing))
        paragraphs = pool.paragraphs(
            brief.topic,
            body_words,
            max(2, body_words // 45),
            max_chars=250 if brief.channel == Channel.TWITTER else 900,
        )
        body = "\n\n".join([hook, paragraphs, closing])
        return Draft(title=_title(brief), body=body)


class _SentencePool:
    """Source sentences, best first for a focus, each handed out once; then fillers."""

    def __init__(self, brief: Brief, sentences: list[tuple[str, str]]):
        self.brief = brief
        self.sentences = sentences
        self.used: set[int] = set()
        self.cited: set[str] = set()
        self.fillers = stable_order(list(FILLERS), brief.topic + brief.voice)
        self.extra = 0

    def take(self, focus: str) -> str:
        wanted = terms(focus) | terms(self.brief.topic)
        best, best_score = None, -1
        for index, (_, sentence) in enumerate(self.sentences):
            if index not in self.used:
                score = len(terms(sentence) & wanted)
                if score > best_score:
                    best, best_score = index, score
        if best is not None:
            self.used.add(best)
            self.cited.add(self.sentences[best][0])
            return self.sentences[best][1]
        return self._filler()

    def _filler(self) -> str:
        topic = self.brief.topic.strip().rstrip(".").lower()
        if self.fillers:
            return self.fillers.pop(0).format(t=topic)
        self.extra += 1
        return (
            f"Point {self.extra} for {topic}: review the last step, keep what worked, "
            "and change one thing next time."
        )

    def paragraphs(self, focus: str, words: int, count: int, max_chars: int = 900) -> str:
        """About `words` words of `count` paragraphs (more when a paragraph would pass
        `max_chars`)."""
        per_paragraph = max(8, words // max(1, count))
        blocks, written = [], 0
        while written < words:
            block, block_words = [], 0
            while block_words < per_paragraph:
                sentence = self.take(focus)
                size = count_words(sentence)
                too_long = len(" ".join(block + [sentence])) > max_chars
                if (block or blocks) and (written + block_words + size > words or too_long):
                    break
                block.append(sentence)
                block_words += size
            if not block:
                break
            blocks.append(" ".join(block))
            written += block_words
        return "\n\n".join(blocks)


def _title(brief: Brief) -> str:
    topic = " ".join(brief.topic.split()).rstrip(".")
    title = " ".join(w if w.isupper() else w[:1].upper() + w[1:] for w in topic.split())
    return title if len(title.split()) > 6 else f"{title}: A Practical Guide"


def _topic_phrase(brief: Brief) -> str:
    """The topic inside a sentence: lower-case first letter unless it is an acronym."""
    topic = " ".join(brief.topic.split()).rstrip(".")
    first = topic.split(" ", 1)[0]
    return topic if first.isupper() else topic[:1].lower() + topic[1:]


def _opener(brief: Brief) -> str:
    return OPENERS.get(brief.voice, "")


def _keywords(brief: Brief, phrases: list[str]) -> list[str]:
    keywords = [brief.topic.lower()] + phrases
    keywords += [t for t in sorted(terms(brief.topic)) if t not in " ".join(keywords)]
    return list(dict.fromkeys(keywords))[:8]


def _top_up(draft: Draft, pool: _SentencePool, brief: Brief, low: int) -> None:
    """Rounding can leave a post a few words short of its range: add to the last section."""
    while draft_word_count(draft) < low + 20:
        draft.sections[-1].content += "\n\n" + pool.paragraphs(brief.topic, 40, 1)
