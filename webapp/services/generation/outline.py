"""The outline a model writes for a long-form post, as structured output: asked for as
JSON (with the schema where the provider takes one), validated against `Outline`, repaired
once by the model itself when it is not usable, and otherwise a readable failure. Nothing
is scraped out of prose: an answer is the outline or it is not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from pydantic import BaseModel, ValidationError, ValidationInfo, field_validator, model_validator

from ..llm import Completion, LLMError
from .base import PlannedOutline, PlannedSection
from .citations import strip_markers
from .prompts import outline_repair_task

# What the model is asked for (OpenAI's strict structured outputs need every property
# required and no others; counts are the prompt's and the validation's business).
OUTLINE_SCHEMA = {
    "name": "outline",
    "schema": {
        "type": "object",
        "properties": {
            "title": {"type": "string"},
            "sections": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "heading": {"type": "string"},
                        "points": {"type": "array", "items": {"type": "string"}},
                    },
                    "required": ["heading", "points"],
                    "additionalProperties": False,
                },
            },
            "meta_keywords": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["title", "sections", "meta_keywords"],
        "additionalProperties": False,
    },
}
_LINE_PREFIX = re.compile(r"^(#+\s*|\*+\s*|\d+[.)]\s+)+")
_FENCED = re.compile(r"^```(?:json)?\s*\n(.*)\n```$", re.S)


def _line(value: str) -> str:
    """One line of the outline: whitespace collapsed, no Markdown heading, bullet or
    numbering prefix, no citation marker."""
    return _LINE_PREFIX.sub("", " ".join(strip_markers(value).split())).strip()


class OutlineSection(BaseModel):
    heading: str
    points: list[str] = []

    @field_validator("heading")
    @classmethod
    def _heading(cls, value: str) -> str:
        value = _line(value)
        if not value:
            raise ValueError("a heading is empty")
        return value[:150]

    @field_validator("points")
    @classmethod
    def _points(cls, value: list[str]) -> list[str]:
        return [p for p in (_line(p)[:500] for p in value) if p][:20]


class Outline(BaseModel):
    """A usable outline; validate with `context={"sections": n}` to require n sections
    (more are cut to n)."""

    title: str
    sections: list[OutlineSection]
    meta_keywords: list[str] = []

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        value = _line(value)
        if not value:
            raise ValueError("the title is empty")
        return value[:200]

    @field_validator("meta_keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        return [k for k in (_line(k)[:60] for k in value) if k][:8]

    @model_validator(mode="after")
    def _count(self, info: ValidationInfo) -> Outline:
        wanted, got = (info.context or {}).get("sections"), len(self.sections)
        if wanted and got < wanted:
            raise ValueError(f"{wanted} sections were asked for, the answer has {got}")
        if wanted:
            self.sections = self.sections[:wanted]
        headings = [s.heading.lower() for s in self.sections]
        if len(set(headings)) < len(headings):
            raise ValueError("two sections have the same heading")
        return self

    @property
    def headings(self) -> list[str]:
        return [s.heading for s in self.sections]

    def planned(self) -> PlannedOutline:
        return PlannedOutline(
            self.title, tuple(PlannedSection(s.heading, tuple(s.points)) for s in self.sections)
        )


class OutlineError(LLMError):
    """The model's outline was not usable, even after one repair."""


class UnusableAnswer(ValueError):
    """An answer that is not a valid outline; `reason` says why, in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def read_outline(text: str, sections: int) -> Outline:
    """The outline in the model's answer (a JSON object, optionally in one code fence);
    raises UnusableAnswer."""
    answer = (text or "").strip()
    if not answer:
        raise UnusableAnswer("the answer was empty")
    fenced = _FENCED.match(answer)
    try:
        data = json.loads(fenced.group(1) if fenced else answer)
    except ValueError as exc:
        raise UnusableAnswer(f"it is not valid JSON ({exc})") from None
    try:
        return Outline.model_validate(data, context={"sections": sections})
    except ValidationError as exc:
        raise UnusableAnswer(_problems(exc)) from None


def _problems(error: ValidationError, most: int = 3) -> str:
    """The first validation errors, as `where: what` phrases."""
    phrases = []
    for problem in error.errors()[:most]:
        where = ".".join(str(part) for part in problem["loc"])
        message = problem["msg"].removeprefix("Value error, ")
        phrases.append(f"{where}: {message}" if where else message)
    return "; ".join(phrases)


def ask_outline(ask: Callable[[list[dict]], Completion], task: str, sections: int) -> Outline:
    """The outline from the model: `ask(messages)` makes one structured-output call with
    the conversation after the system prompt. A bad first answer gets one repair call
    (the answer and what is wrong with it); a second bad one raises OutlineError."""
    conversation = [{"role": "user", "content": task}]
    first = ask(conversation)
    try:
        return read_outline(first.text, sections)
    except UnusableAnswer as problem:
        conversation += [
            {"role": "assistant", "content": first.text or "(empty)"},
            {"role": "user", "content": outline_repair_task(problem.reason, sections)},
        ]
    second = ask(conversation)
    try:
        return read_outline(second.text, sections)
    except UnusableAnswer as problem:
        raise OutlineError(
            f"The model did not return a usable outline ({problem.reason[:300]})."
        ) from None
