"""The replacement text of a suggestion: from the configured model (through services/llm,
the one client), or from the offline edits when there is none. Either way the citation
markers of the quote survive: one the model dropped goes back after the sentence it
followed, one it invented is removed."""

from __future__ import annotations

import re

from flask import current_app

from ...vocabulary import SuggestionAction
from .. import llm
from ..generation import writer_for
from . import citation_markers, offline_edits
from .offline_edits import sentences

CONTEXT_CHARACTERS = 800  # of the post on each side of the passage, for the model
TOKENS_PER_WORD = 3
MODEL_REQUIRED_MESSAGE = (
    "Only “shorten” and “fix” work without a model. To {action}, connect a model: "
    "set LLM_MODEL (for example openai/gpt-4o-mini) and the provider's key (LLM_API_KEY, "
    "or its usual variable such as OPENAI_API_KEY) where Copydesk and its worker run, "
    "then restart them."
)

WANTED = {
    SuggestionAction.REWRITE: "rewrite a passage",
    SuggestionAction.EXPAND: "expand a passage",
    SuggestionAction.TONE: "change a passage's tone",
}


def model_required_message(action: str) -> str:
    return MODEL_REQUIRED_MESSAGE.format(action=WANTED.get(action, f"{action} a passage"))


OFFLINE_ACTIONS = frozenset({SuggestionAction.SHORTEN, SuggestionAction.FIX})

ASKS = {
    SuggestionAction.REWRITE: "Rewrite the passage so it reads better, keeping its meaning.",
    SuggestionAction.SHORTEN: "Shorten the passage to about half its length, keeping its "
    "key facts.",
    SuggestionAction.EXPAND: "Expand the passage with more explanation or an example, "
    "staying with what it claims (invent no facts, figures or sources).",
    SuggestionAction.FIX: "Fix the passage's grammar, spelling and punctuation, changing "
    "as little as possible.",
    SuggestionAction.TONE: "Rewrite the passage in a different tone, keeping its meaning.",
}
SYSTEM = (
    "You edit one passage of a draft for a content team. Answer with the replacement "
    "text only: no preamble, no quotes around it, no notes. Keep Markdown formatting. "
    "Citation markers such as [2] name the sources of the claims they follow: keep every "
    "marker of the passage attached to the claim it supports, and add no other marker."
)


def model_replacement(
    action: str, quote: str, before: str, after: str, instructions: str, tone: str, config
) -> str:
    """The model's replacement for `quote` (its markers enforced); llm.LLMError when the
    provider fails for good or answers nothing."""
    settings = {key: config[key] for key in config if key.startswith("LLM_")}
    completion = llm.complete(
        [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": prompt(action, quote, before, after, instructions, tone)},
        ],
        max_tokens=max(256, len(quote.split()) * TOKENS_PER_WORD * 2),
        config=settings,
        temperature=0.4,
    )
    text = clean_reply(completion.text)
    if not text:
        raise llm.LLMError("The model answered with no text; ask again.")
    return with_markers_of(quote, text)


def prompt(action: str, quote: str, before: str, after: str, instructions: str, tone: str) -> str:
    parts = [f"Task: {ASKS[SuggestionAction(action)]}"]
    if tone:
        parts.append(f"Tone wanted: {tone}")
    if instructions:
        parts.append(f"Editor's instructions: {instructions}")
    parts.append(
        f"Context before the passage (do not repeat it):\n<<<\n{before[-CONTEXT_CHARACTERS:]}\n>>>"
    )
    parts.append(f"The passage to edit:\n<<<\n{quote}\n>>>")
    parts.append(
        f"Context after the passage (do not repeat it):\n<<<\n{after[:CONTEXT_CHARACTERS]}\n>>>"
    )
    markers = sorted(citation_markers.markers_in(quote))
    if markers:
        parts.append(
            "Keep these citation markers, each after the claim it supports: "
            + ", ".join(f"[{n}]" for n in markers)
            + "."
        )
    parts.append("Answer with the replacement text only.")
    return "\n\n".join(parts)


def clean_reply(text: str) -> str:
    """The reply without a code fence or the <<< >>> delimiters a model may echo."""
    text = (text or "").strip()
    text = re.sub(r"^```[a-z]*\n(.*?)\n```$", r"\1", text, flags=re.S)
    text = re.sub(r"^<<<\s*(.*?)\s*>>>$", r"\1", text, flags=re.S)
    return text.strip()


def offline_replacement(action: str, quote: str, starts_sentence: bool) -> str:
    """What the offline edits make of `quote` (OFFLINE_ACTIONS only)."""
    if action == SuggestionAction.SHORTEN:
        return offline_edits.shorten(quote)
    return offline_edits.fix(quote, starts_sentence)


def uses_model(post) -> bool:
    """Whether suggestions on `post` go to a model (as its generation would have)."""
    return writer_for(current_app.config, post.test_mode).name != "offline"


# ------------------------------------------------------------------------ markers


def with_markers_of(quote: str, replacement: str) -> str:
    """`replacement` carrying exactly the markers of `quote`: unknown ones removed, each
    missing one re-appended after the replacement's sentence most like the one it
    followed in the quote (at the end when none is alike)."""
    known = citation_markers.markers_in(quote)
    text = citation_markers.without_unknown_markers(replacement, known).strip()
    missing = sorted(known - citation_markers.markers_in(text))
    for n in missing:
        text = _reattach(text, n, _sentence_citing(quote, n))
    return text


def _sentence_citing(quote: str, n: int) -> str:
    for line in quote.splitlines():
        for sentence in sentences(line):
            if n in citation_markers.markers_in(sentence):
                return sentence
    return ""


def _words(text: str) -> set[str]:
    return {
        w.lower() for w in re.findall(r"\w+", citation_markers.without_unknown_markers(text, set()))
    }


def _reattach(text: str, n: int, cited: str) -> str:
    """`text` with ` [n]` after the end of its sentence sharing most words with `cited`."""
    wanted = _words(cited)
    best, best_score = None, 0.0
    for match in re.finditer(r"[^\n]+", text):
        for sentence in _spans(match.group(0), match.start()):
            found = _words(text[sentence[0] : sentence[1]])
            score = len(wanted & found) / max(1, len(wanted | found))
            if score > best_score:
                best, best_score = sentence, score
    if best is None or best_score < 0.2:
        return f"{text} [{n}]"
    end = best[1]
    return f"{text[:end]} [{n}]{text[end:]}"


def _spans(line: str, offset: int) -> list[tuple[int, int]]:
    """Where each sentence of `line` ends (after its markers), as spans of the text."""
    spans, cursor = [], 0
    for sentence in sentences(line):
        start = line.index(sentence, cursor)
        cursor = start + len(sentence)
        spans.append((offset + start, offset + cursor))
    return spans
