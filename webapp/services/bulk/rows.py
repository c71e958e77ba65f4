"""The rows of a bulk job: each row of the topics CSV becomes a `BulkRow`, the brief of
one post, or the reason it cannot be written (the parser rejected it, its voice is not on
the plan, its workflow does not run in bulk).

Rows are planned when the job is requested (to count them against the plan) and again
when the worker runs it, from the CSV file as stored: the job keeps only the source id."""

from __future__ import annotations

from dataclasses import dataclass

from ...errors import AppError, ErrorCode
from ...models import Project
from ...vocabulary import BulkRowStatus, Channel, Length, Voice, Workflow
from .. import plans, voices
from ..parsing.csv_topics import TopicTable

# The workflows a row may name, and the channel each writes (None: the row's `channel`).
BULK_WORKFLOWS: dict[str, Channel | None] = {
    Workflow.BLOG_POST: None,
    Workflow.NEWSLETTER: Channel.EMAIL,
}
BUILT_IN_VOICES = tuple(Voice)


@dataclass(frozen=True)
class BulkRow:
    row: int  # the spreadsheet row: the header is row 1
    topic: str
    voice: str = Voice.PROFESSIONAL
    target_length: str = Length.MEDIUM
    channel: str = Channel.BLOG
    workflow: str = Workflow.BLOG_POST
    custom_instructions: str = ""
    error: dict | None = None  # {"code", "message"}: the row cannot be written

    @property
    def writable(self) -> bool:
        return self.error is None

    def entry(self) -> dict:
        """The row as `result.rows` first shows it: queued, or failed with its reason."""
        return {
            "row": self.row,
            "topic": self.topic,
            "status": BulkRowStatus.QUEUED if self.writable else BulkRowStatus.FAILED,
            "post_id": None,
            "error": self.error,
        }


def row_error(code: ErrorCode, message: str) -> dict:
    return {"code": code.value, "message": message}


def plan_rows(project: Project, plan: plans.Plan, table: TopicTable) -> list[BulkRow]:
    """Every row of the CSV in spreadsheet order: the usable ones with their brief (or why
    their voice or workflow cannot be used on `plan`), and those the parser rejected,
    failed with its message."""
    voice_problems: dict[str, dict | None] = {}  # a brand voice is looked up once

    def voice_problem(voice: str) -> dict | None:
        if voice not in voice_problems:
            voice_problems[voice] = _voice_problem(project, plan, voice)
        return voice_problems[voice]

    planned = [
        _planned(number, cells, voice_problem)
        for number, cells in zip(table.row_numbers, table.rows, strict=True)
    ]
    planned += [
        BulkRow(
            problem["row"],
            problem.get("topic", ""),
            error=row_error(
                ErrorCode.INVALID_SOURCE, f"Row {problem['row']}: {problem['message']}."
            ),
        )
        for problem in table.problems
    ]
    return sorted(planned, key=lambda row: row.row)


def _planned(number: int, cells: dict, voice_problem) -> BulkRow:
    workflow = cells.get("workflow") or Workflow.BLOG_POST
    row = BulkRow(
        number,
        cells["topic"],
        voice=cells.get("voice") or Voice.PROFESSIONAL,
        target_length=cells.get("target_length") or Length.MEDIUM,
        channel=BULK_WORKFLOWS.get(workflow) or cells.get("channel") or Channel.BLOG,
        workflow=workflow,
        custom_instructions=cells.get("custom_instructions", ""),
    )
    problem = _workflow_problem(workflow, cells.get("channel")) or voice_problem(row.voice)
    if problem is None:
        return row
    return BulkRow(row.row, row.topic, error=problem)


def _workflow_problem(workflow: str, channel: str | None) -> dict | None:
    valid = " or ".join(BULK_WORKFLOWS)
    if workflow not in BULK_WORKFLOWS:
        return row_error(
            ErrorCode.VALIDATION_ERROR,
            f"The {workflow[:60]!r} workflow does not run in bulk; use {valid}.",
        )
    fixed = BULK_WORKFLOWS[workflow]
    if fixed is not None and channel and channel != fixed:
        return row_error(
            ErrorCode.VALIDATION_ERROR,
            f"channel applies to the blog_post workflow only; {workflow} writes {fixed}.",
        )
    return None


def _voice_problem(project: Project, plan: plans.Plan, voice: str) -> dict | None:
    if voice not in BUILT_IN_VOICES and not voice.startswith(voices.CUSTOM_PREFIX):
        return row_error(
            ErrorCode.VALIDATION_ERROR,
            f"Unknown voice {voice[:60]!r}; use one of {', '.join(BUILT_IN_VOICES)}, or a "
            "brand voice as custom:<voice_id>.",
        )
    try:
        voices.check_generation_voice(project, voice, plan)
    except AppError as error:
        return row_error(error.code, error.message)
    return None
