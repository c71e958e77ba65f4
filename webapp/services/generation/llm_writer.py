"""The LLM writer: an outline first (structured output, see outline.py), then
introduction, sections and conclusion written concurrently (each streamed to the job page
as it arrives), fitted to the length target. Every prompt carries the post's numbered
source passages; the model cites them as `[n]` and references.py turns what it cited into
the draft's citations.

Given an outline to follow (`Brief.outline`), it asks for none: a long-form post has
exactly its sections, each part's prompt carrying its section's points; a short-form post
is asked to cover each section in order under its heading (planned.py). The writer keeps
no state between calls: one instance may write several posts at once from several threads.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed

from .. import llm
from .base import (
    SECTION_COUNTS,
    Brief,
    Draft,
    DraftSink,
    JobCancelled,
    PlannedOutline,
    Section,
    SourceText,
    Usage,
    outline_markdown,
)
from .content import CONCLUSION_HEADING, clean_section_text, draft_word_count, fit_to_maximum
from .outline import OUTLINE_SCHEMA, Outline, ask_outline
from .planned import planned_short_form_body
from .prompts import outline_task, part_task, short_form_task, system_message
from .references import References

TOKENS_PER_WORD = 2  # generous: max_tokens must never cut a part short


class StreamProgress:
    """Moves the job's progress from `start` to `end` percent as streamed words arrive
    (from any of the writing threads), against the words expected."""

    def __init__(self, sink: DraftSink, start: int, end: int, expected_words: int, message: str):
        self.sink, self.start, self.end, self.message = sink, start, end, message
        self.expected = max(1, expected_words)
        self.words = 0
        self.lock = threading.Lock()

    def add(self, text: str) -> None:
        with self.lock:
            self.words += len(text.split())
            share = min(1.0, self.words / self.expected)
        self.sink.advance(self.start + int((self.end - self.start) * share), self.message)


class LLMWriter:
    def __init__(self, config):
        self.config = {key: config[key] for key in config if key.startswith("LLM_")}
        self.name = self.config["LLM_MODEL"]

    def outline(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[PlannedOutline, Usage]:
        """The model's outline of the post (one structured-output call, repaired once):
        its title, headings and points. Raises llm.LLMError as `write` does."""
        usage = Usage(model=self.name)
        planned = self._plan(brief, self._references(sources), sink, usage).planned()
        return planned, usage

    def write(
        self, brief: Brief, sources: list[SourceText], sink: DraftSink
    ) -> tuple[Draft, Usage]:
        """Write the post, its citations naming the numbered passages the prompts carried;
        raises llm.LLMError when the provider fails for good (or gives no usable outline)."""
        usage = Usage(model=self.name)
        refs = self._references(sources)
        if not brief.long_form:
            return refs.cite(self._short_form(brief, refs, sink, usage)), usage
        if brief.outline is None:
            draft = self._outline(brief, refs, sink, usage)
        else:
            draft = planned_draft(brief.outline, sink)
        self._write_parts(brief, refs, sink, usage, draft)
        low, high = brief.word_range()
        if brief.outline is None and draft_word_count(draft) < low:
            self._extend(brief, refs, sink, usage, draft, low)
        return refs.cite(fit_to_maximum(draft, high)), usage

    def _references(self, sources: list[SourceText]) -> References:
        return References(sources, int(self.config.get("LLM_SOURCE_TOKEN_BUDGET", 6000)))

    # ----------------------------------------------------------------------- calls

    def _call(
        self,
        brief: Brief,
        task: str,
        words: int,
        usage: Usage | None = None,
        sink: DraftSink | None = None,
        part: int | None = None,
        progress: StreamProgress | None = None,
        stop: threading.Event | None = None,
        heading: str | None = None,
        conversation: list[dict] | None = None,
        json_schema: dict | None = None,
    ):
        """One model call; with `part`, its text streams into that part of the draft
        (after `heading`, when given, as the part's `## heading`). `conversation` replaces
        the single `task` message after the system prompt."""
        on_delta = on_restart = None
        if sink is not None and part is not None:

            def on_delta(text, part=part):
                if stop is not None and stop.is_set():
                    raise JobCancelled()
                sink.write(part, text)
                if progress is not None:
                    progress.add(text)

            def on_restart(part=part):
                if stop is not None and stop.is_set():
                    raise JobCancelled()
                sink.clear(part)
                if heading:
                    sink.write(part, f"## {heading}\n\n")

            if heading:
                sink.write(part, f"## {heading}\n\n")
        completion = llm.complete(
            [system_message(brief), *(conversation or [{"role": "user", "content": task}])],
            max_tokens=max(256, words * TOKENS_PER_WORD),
            config=self.config,
            on_delta=on_delta,
            on_restart=on_restart,
            json_schema=json_schema,
        )
        if usage is not None:
            usage.add(completion.prompt_tokens, completion.completion_tokens, completion.cost_usd)
        return completion

    # -------------------------------------------------------------------- outline

    def _outline(self, brief, refs: References, sink, usage) -> Draft:
        outline = self._plan(brief, refs, sink, usage)
        return Draft(
            title=outline.title,
            sections=[Section(h, "") for h in outline.headings],
            meta_keywords=outline.meta_keywords,
        )

    def _plan(self, brief, refs: References, sink, usage) -> Outline:
        sink.step(8, "Outlining")
        count = SECTION_COUNTS[brief.target_length]
        low, high = brief.word_range()
        task = outline_task(brief, count, (low + high) // 2, refs.block(brief.topic))

        def ask(conversation):
            return self._call(
                brief, task, 400, usage, conversation=conversation, json_schema=OUTLINE_SCHEMA
            )

        outline = ask_outline(ask, task, count)
        sink.write(0, outline_markdown(outline.title, outline.headings))
        sink.step(15, "Outline ready")
        return outline

    # ---------------------------------------------------------------------- parts

    def _write_parts(self, brief, refs: References, sink, usage, draft: Draft) -> None:
        """Introduction (part 1), sections (2..n+1) and conclusion (n+2), concurrently."""
        low, high = brief.word_range()
        headings = [s.heading for s in draft.sections]
        points = (
            [s.points for s in brief.outline.sections] if brief.outline else [()] * len(headings)
        )
        intro_words = max(60, (low + high) // 2 // 12)
        section_words = ((low + high) // 2 - 2 * intro_words) // max(1, len(headings))
        jobs = {1: ("the introduction", intro_words, brief.topic, None, ())}
        for index, (heading, cover) in enumerate(zip(headings, points, strict=True), 2):
            focus = " ".join([heading, *cover])
            jobs[index] = (f'the section "{heading}"', section_words, focus, heading, cover)
        jobs[len(headings) + 2] = (
            "the conclusion",
            intro_words,
            brief.topic,
            CONCLUSION_HEADING,
            (),
        )
        share = 1 / 3
        texts = self._run_concurrently(brief, refs, sink, usage, draft, jobs, share)
        draft.introduction = texts.pop(1)
        draft.conclusion = texts.pop(len(headings) + 2)
        for index, section in enumerate(draft.sections, 2):
            section.content = texts[index]

    def _run_concurrently(self, brief, refs, sink, usage, draft, jobs, share) -> dict:
        headings = [s.heading for s in draft.sections]
        tasks = {
            part: part_task(
                brief, draft.title, headings, what, words, refs.block(focus, share), cover
            )
            for part, (what, words, focus, _, cover) in jobs.items()
        }
        texts, done = {}, 0
        progress = StreamProgress(
            sink, 15, 90, sum(job[1] for job in jobs.values()), "Writing the sections"
        )
        workers = min(len(tasks), int(self.config.get("LLM_MAX_PARALLEL_CALLS", 8)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="llm")
        stop = threading.Event()
        try:
            futures = {
                pool.submit(
                    self._call,
                    brief,
                    task,
                    jobs[part][1],
                    None,
                    sink,
                    part,
                    progress,
                    stop,
                    jobs[part][3],
                ): part
                for part, task in tasks.items()
            }
            for future in as_completed(futures):
                part, completion = futures[future], future.result()
                usage.add(
                    completion.prompt_tokens, completion.completion_tokens, completion.cost_usd
                )
                texts[part] = clean_section_text(completion.text)
                done += 1
                sink.step(15 + 75 * done // len(tasks), f"Wrote {jobs[part][0]}")
                sink.check_cancelled()
        except BaseException:
            # Failed, timed out or cancelled: the other calls stop at their next chunk, and
            # the job does not wait for them.
            stop.set()
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return texts

    def _extend(self, brief, refs: References, sink, usage, draft: Draft, low: int) -> None:
        """One more section when the model wrote short of the minimum."""
        missing = low - draft_word_count(draft) + 50
        heading = "Key takeaways"
        part = len(draft.sections) + 3
        task = part_task(
            brief,
            draft.title,
            [s.heading for s in draft.sections] + [heading],
            f'the section "{heading}"',
            missing,
            refs.block(brief.topic, 1 / 3),
        )
        completion = self._call(brief, task, missing, usage, sink, part, heading=heading)
        draft.sections.append(Section(heading, clean_section_text(completion.text)))

    # ----------------------------------------------------------------- short form

    def _short_form(self, brief, refs: References, sink, usage) -> Draft:
        sink.step(10, "Writing")
        low, high = brief.word_range()
        progress = StreamProgress(sink, 10, 90, (low + high) // 2, "Writing")
        planned = brief.outline
        if planned is not None:
            sink.write(0, outline_markdown(planned.title, planned.headings))
        focus = brief.topic if planned is None else " ".join([brief.topic, *planned.headings])
        completion = self._call(
            brief,
            short_form_task(brief, (low + high) // 2, refs.block(focus)),
            high,
            usage,
            sink,
            1,
            progress,
        )
        sink.step(90, "Written")
        if planned is not None:
            return Draft(planned.title, body=planned_short_form_body(planned, completion.text))
        return Draft(
            title=title_from_topic(brief.topic),
            body=clean_section_text(completion.text),
        )


def planned_draft(outline: PlannedOutline, sink: DraftSink) -> Draft:
    """The empty draft of a given outline: its title and sections, shown as part 0."""
    sink.write(0, outline_markdown(outline.title, outline.headings))
    sink.step(15, "Following the outline")
    return Draft(title=outline.title, sections=[Section(h, "") for h in outline.headings])


def title_from_topic(topic: str) -> str:
    topic = " ".join(topic.split())
    return topic[:1].upper() + topic[1:]
