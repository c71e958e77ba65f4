"""The generation pipeline (SPEC §4): a writer drafts, then the draft is fitted to its
channel and the project's internal links are inserted.

`writer_for` picks the writer: the LLM writer when LLM_MODEL is set (and the request is not
from a test-mode key), else the offline writer.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...vocabulary import PostWarning
from .base import (
    Brief,
    Draft,
    DraftSink,
    JobCancelled,
    NullSink,
    PlannedOutline,
    PlannedSection,
    SourceText,
    Usage,
)
from .channels import shape_content

__all__ = [
    "Brief",
    "Draft",
    "DraftSink",
    "GeneratedPost",
    "JobCancelled",
    "NullSink",
    "PlannedOutline",
    "PlannedSection",
    "SourceText",
    "Usage",
    "generate",
    "writer_for",
]


@dataclass
class GeneratedPost:
    content: dict
    links: list[dict]
    usage: Usage
    warnings: list[dict]

    @property
    def cited_source_ids(self) -> list[str]:
        """The sources the post's citations name, in order of first citation."""
        return list(dict.fromkeys(c["source_id"] for c in self.content.get("citations", [])))

    @property
    def word_count(self) -> int:
        return self.content["word_count"]


def writer_for(config, test_mode: bool = False):
    """The LLM writer for the configured model, or the offline writer."""
    if config.get("LLM_MODEL") and not test_mode:
        from .llm_writer import LLMWriter

        return LLMWriter(config)
    from .offline import OfflineWriter

    return OfflineWriter()


def generate(
    brief: Brief, sources: list[SourceText], writer, sink: DraftSink, insert_links=None
) -> GeneratedPost:
    """Write and shape one post. `insert_links(markdown) -> (markdown, links)` adds the
    project's link opportunities (none when omitted)."""
    draft, usage = writer.write(brief, sources, sink)
    sink.check_cancelled()
    sink.step(94, "Inserting internal links" if insert_links else "Formatting")
    content, links = shape_content(draft, brief, insert_links or (lambda md: (md, [])))
    warnings = list(draft.warnings)
    if draft.short_of_target:
        warnings.insert(0, short_of_target(content["word_count"]))
    return GeneratedPost(content=content, links=links, usage=usage, warnings=warnings)


def short_of_target(words: int) -> dict:
    """The warning of a draft its sources could not carry to the length asked for."""
    about = max(10, round(words, -1))
    return {
        "code": PostWarning.SHORT_OF_TARGET,
        "message": f"Your sources support about {about} words; add sources or connect a "
        "model for a longer draft.",
    }
