"""Writers plan an outline and follow one (`Brief.outline`): the outline each writer
would write, drafts whose sections are exactly an edited outline's, short-form posts
that name every section, and several posts written at once from one writer."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pytest

from webapp.services.generation import (
    Brief,
    NullSink,
    PlannedOutline,
    PlannedSection,
    SourceText,
    generate,
)
from webapp.services.generation.citations import MARKER, strip_markers
from webapp.services.generation.llm_writer import LLMWriter
from webapp.services.generation.offline import OfflineWriter
from webapp.services.parsing import parse_document

from . import test_llm_writer

# The writer's settings for the loopback model server (a fixture).
config = test_llm_writer.config

HANDBOOK = b"""# Running asynchronous standups

Remote teams often lose an hour a day to status meetings that could be written down.
An asynchronous standup replaces the meeting with three short written answers.

## How it works

Each person posts what they did, what they will do and what blocks them before noon.
The team lead reads the answers and follows up only on the blockers.
Nobody has to be online at the same time, which matters across time zones.

## What teams report

In our survey, 82% of teams kept their async standups after six months.
Teams said they spend less time in meetings and more time on focused work.
Managers noticed blockers earlier because they were written down and searchable.

## Pricing

The standup bot costs five dollars per seat per month, billed yearly.
A free tier covers teams of up to five people with a week of history.
"""
TOPIC = "Asynchronous standups for remote teams"


def handbook() -> SourceText:
    return SourceText("s1", "standup-handbook.md", parse_document(HANDBOOK, "md").text)


class RecordingSink(NullSink):
    def __init__(self):
        self.parts: dict[int, str] = {}
        self.steps: list[str] = []

    def write(self, part: int, text: str) -> None:
        self.parts[part] = self.parts.get(part, "") + text

    def step(self, percent: int, message: str) -> None:
        self.steps.append(message)


def squash(text: str) -> str:
    return " ".join(text.split())


def edited(outline: PlannedOutline) -> PlannedOutline:
    """What a person makes of the offline outline at the checkpoint: "How it works"
    renamed and moved after "What teams report", a section added, "Pricing" removed."""
    by_heading = {s.heading: s for s in outline.sections}
    return PlannedOutline(
        "Async standups, the edited plan",
        (
            by_heading["What teams report"],
            replace(by_heading["How it works"], heading="The daily routine"),
            PlannedSection("Getting buy-in from leadership", ("Show the hours saved per week",)),
        ),
    )


# --------------------------------------------------------------------- offline


def test_the_offline_outline_has_the_sources_headings_and_short_points():
    sink = RecordingSink()
    outline, usage = OfflineWriter().outline(Brief(TOPIC), [handbook()], sink)
    assert outline.title == "Asynchronous Standups for Remote Teams"
    assert outline.headings == ["How it works", "What teams report", "Pricing"]
    source = squash(handbook().text)
    for section in outline.sections:
        assert 1 <= len(section.points) <= 3
        assert all(len(p) <= 200 and p in source and not MARKER.search(p) for p in section.points)
    assert outline.sections[1].points[0] == (
        "In our survey, 82% of teams kept their async standups after six months."
    )
    assert sink.parts[0] == (
        "# Asynchronous Standups for Remote Teams\n\n"
        "1. How it works\n2. What teams report\n3. Pricing"
    )
    assert sink.steps and usage.model == "offline" and usage.calls == 0


def test_without_usable_sources_the_outline_is_the_outline_post():
    brief = Brief(TOPIC, custom_instructions="Cover the survey results; keep it casual.")
    outline, _ = OfflineWriter().outline(brief, [], NullSink())
    post = generate(brief, [], OfflineWriter(), NullSink()).content
    assert outline.headings == [s["heading"] for s in post["sections"]]
    assert [s["content"] for s in post["sections"]] == [
        "\n".join(f"- {p}" for p in s.points) for s in outline.sections
    ]
    assert outline.sections[1].points == ("Cover the survey results",)


def test_an_edited_outline_gives_a_blog_post_with_exactly_its_sections():
    writer, source = OfflineWriter(), handbook()
    plan = edited(writer.outline(Brief(TOPIC), [source], NullSink())[0])
    post = generate(Brief(TOPIC, outline=plan), [source], writer, NullSink())
    content = post.content
    assert content["title"] == plan.title
    assert [s["heading"] for s in content["sections"]] == plan.headings
    assert [line for line in content["markdown"].splitlines() if line.startswith("## ")] == [
        f"## {h}" for h in plan.headings
    ]
    sections = {s["heading"]: s["content"] for s in content["sections"]}
    assert "82% of teams" in sections["What teams report"]
    assert "posts what they did" in sections["The daily routine"]
    # Nothing in the sources is about leadership: the section shows its points, and the
    # post says it is short.
    assert sections["Getting buy-in from leadership"] == "- Show the hours saved per week"
    assert post.warnings[0]["code"] == "SHORT_OF_TARGET"
    # Every other sentence is quoted from the source, once, and cited.
    quoted = [
        s
        for s in re.split(r"(?<=[.!?])\s+", strip_markers(content["introduction"]))
        + [
            sentence
            for section in content["sections"][:2]
            for sentence in re.split(r"(?<=[.!?])\s+", strip_markers(section["content"]))
        ]
        if s.strip()
    ]
    assert all(squash(s) in squash(source.text) for s in quoted)
    assert len(quoted) == len(set(quoted))
    assert {c["quote"] for c in content["citations"]} == {squash(s) for s in quoted}


def test_an_outline_the_person_kept_gives_the_draft_the_writer_would_have_written():
    writer, source = OfflineWriter(), handbook()
    brief = Brief(TOPIC, channel="email")
    plan = writer.outline(brief, [source], NullSink())[0]
    planned = generate(replace(brief, outline=plan), [source], writer, NullSink()).content
    unplanned = generate(brief, [source], writer, NullSink()).content
    assert planned["sections"] == unplanned["sections"]
    assert planned["introduction"] == unplanned["introduction"]


def test_a_thread_from_an_outline_has_a_post_per_section_led_by_its_heading():
    writer, source = OfflineWriter(), handbook()
    plan = edited(writer.outline(Brief(TOPIC), [source], NullSink())[0])
    long_heading = PlannedSection("A" + " very long heading" * 8, ("x " * 300,))
    plan = replace(plan, sections=(*plan.sections, long_heading))
    thread = generate(
        Brief(TOPIC, channel="twitter", outline=plan), [source], writer, NullSink()
    ).content["thread"]
    assert len(thread) == len(plan.sections)
    for post, heading in zip(thread, plan.headings, strict=True):
        assert post.startswith(f"{heading}: ") and len(post) <= 280
    assert "82% of teams" in thread[0] and thread[2].startswith(
        "Getting buy-in from leadership: Show the hours saved per week."
    )


@pytest.mark.parametrize("channel", ["linkedin", "social"])
def test_linkedin_and_social_posts_from_an_outline_name_every_section_in_order(channel):
    writer, source = OfflineWriter(), handbook()
    plan = edited(writer.outline(Brief(TOPIC), [source], NullSink())[0])
    content = generate(
        Brief(TOPIC, channel=channel, outline=plan), [source], writer, NullSink()
    ).content
    text = content.get("text") or content["introduction"]
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    assert [p.split(": ", 1)[0] for p in paragraphs] == plan.headings
    assert content["title"] == plan.title and content["citations"]


def test_without_sources_an_outline_is_followed_as_an_outline_post():
    plan = PlannedOutline("Plan", (PlannedSection("First", ("One", "Two")), PlannedSection("B")))
    post = generate(Brief(TOPIC, outline=plan), [], OfflineWriter(), NullSink())
    assert post.content["kind"] == "outline"
    assert [(s["heading"], s["content"]) for s in post.content["sections"]] == [
        ("First", "- One\n- Two"),
        ("B", ""),
    ]
    assert [w["code"] for w in post.warnings] == ["NO_SOURCES"]


def test_one_offline_writer_writes_four_posts_at_once_as_it_writes_them_one_by_one():
    writer = OfflineWriter()
    plan = writer.outline(Brief(TOPIC), [handbook()], NullSink())[0]
    briefs = [Brief(TOPIC, channel=c, outline=plan) for c in ("blog", "twitter", "linkedin")]
    at_once_as_alone(writer, [*briefs, Brief(TOPIC, channel="email")], rounds=5)


# ------------------------------------------------------------------------- LLM


PLAN = PlannedOutline(
    "Standups without the meeting",
    (
        PlannedSection("Why meetings cost so much", ("An hour a day per person",)),
        PlannedSection("The three questions", ("Done", "Next", "Blocked")),
        PlannedSection("Rolling it out", ()),
    ),
)


def task_of(body: dict) -> str:
    return body["messages"][-1]["content"]


def llm_post(config, **brief) -> dict:
    brief = Brief(TOPIC, **{"outline": PLAN, **brief})
    return generate(brief, [handbook()], LLMWriter(config), NullSink()).content


def at_once_as_alone(writer, briefs: list[Brief], rounds: int = 1) -> None:
    """Posts written by one writer in four threads at once are the posts it writes alone."""

    def write(brief):
        return generate(brief, [handbook()], writer, NullSink()).content

    alone = [write(b) for b in briefs]
    with ThreadPoolExecutor(max_workers=4) as pool:
        for _ in range(rounds):
            assert list(pool.map(write, briefs)) == alone


def test_llm_outline_is_the_models_with_its_points_and_usage(config, llm_server):
    answer = {
        "title": "Async standups",
        "sections": [
            {"heading": f"## Part {i}", "points": [f"Point {i}a [3]", f"Point {i}b"]}
            for i in range(1, 5)
        ],
        "meta_keywords": ["standups"],
    }
    llm_server.reply_next(json.dumps(answer))
    sink = RecordingSink()
    outline, usage = LLMWriter(config).outline(
        Brief(TOPIC, target_length="short"), [handbook()], sink
    )
    assert outline == PlannedOutline(
        "Async standups",
        tuple(PlannedSection(f"Part {i}", (f"Point {i}a", f"Point {i}b")) for i in range(1, 5)),
    )
    assert len(llm_server.requests) == 1 and usage.calls == 1 and usage.prompt_tokens > 0
    assert sink.parts[0].splitlines()[0] == "# Async standups"
    assert "4. Part 4" in sink.parts[0]


def test_llm_blog_post_from_an_outline_asks_for_none_and_has_exactly_its_sections(
    config, llm_server
):
    content = llm_post(config, target_length="short")
    # Introduction, three sections and the conclusion; no outline call, no extension.
    assert len(llm_server.requests) == 5
    assert not any("response_format" in body for body in llm_server.requests)
    assert content["title"] == PLAN.title
    assert [s["heading"] for s in content["sections"]] == PLAN.headings
    tasks = [task_of(body) for body in llm_server.requests]
    for section in PLAN.sections:
        (task,) = [t for t in tasks if f'Write the section "{section.heading}"' in t]
        for point in section.points:
            assert f"\n- {point}\n" in task
    (intro,) = [t for t in tasks if "Write the introduction" in t]
    assert "Cover these points" not in intro


def test_llm_blog_post_from_an_outline_is_not_extended_when_short(config, llm_server):
    llm_server.responder = lambda body: "A short answer."
    content = llm_post(config)
    assert [s["heading"] for s in content["sections"]] == PLAN.headings
    assert len(llm_server.requests) == 5


def under_headings(body: dict) -> str:
    """A model that writes each listed section under its `## heading` line."""
    listed = re.findall(r"^\d+\. (.+)$", task_of(body), re.M)
    return "\n\n".join(f"## {h}\n\nAbout {h.lower()}, in a sentence." for h in listed)


@pytest.mark.parametrize("channel", ["twitter", "linkedin", "social"])
def test_llm_short_post_from_an_outline_covers_each_section_naming_it(config, llm_server, channel):
    llm_server.responder = under_headings
    content = llm_post(config, channel=channel)
    (body,) = llm_server.requests
    task = task_of(body)
    listed = "1. Why meetings cost so much\n   - An hour a day per person\n2. The three questions"
    assert listed in task and "in this order" in task
    text = "\n\n".join(content.get("thread") or [content.get("text") or content["introduction"]])
    positions = [text.index(f"{h}: About {h.lower()}") for h in PLAN.headings]
    assert positions == sorted(positions)
    assert "##" not in text


def test_llm_short_post_names_the_sections_the_model_left_out(config, llm_server):
    llm_server.responder = lambda body: "## The three questions\n\nDone, next, blocked."
    content = llm_post(config, channel="linkedin")
    assert content["text"].split("\n\n") == [
        "Why meetings cost so much: An hour a day per person.",
        "The three questions: Done, next, blocked.",
        "Rolling it out",
    ]


def test_one_llm_writer_writes_four_posts_at_once(config, llm_server):
    channels = ("blog", "twitter", "linkedin", "email")
    briefs = [Brief(TOPIC, channel=c, target_length="short", outline=PLAN) for c in channels]
    at_once_as_alone(LLMWriter(config), briefs)
