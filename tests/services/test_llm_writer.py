"""The LLM writer through litellm for real, against the loopback model server: citations
of the numbered passages the prompts carried (invented numbers removed, quotes as sent,
pages of PDF passages), and outlines asked for as structured output, repaired once,
failing readably."""

from __future__ import annotations

import json
import re

import pytest

from tests.files import make_pdf
from tests.llm_server import default_reply, prose
from webapp.services.generation import Brief, NullSink, SourceText, generate
from webapp.services.generation.citations import MARKER
from webapp.services.generation.llm_writer import LLMWriter
from webapp.services.generation.outline import OutlineError
from webapp.services.generation.prompts import number_passages
from webapp.services.parsing import parse_document

NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.M)
INVALID = ("[999]", "[0]")

GUIDE = SourceText(
    "guide-1",
    "retention-guide.md",
    "# Keeping subscribers\n\n"
    "Subscriber retention decides whether a newsletter pays off over a year.\n\n"
    "A welcome email sent within an hour doubles subscriber retention in the first month.\n\n"
    "Subscribers who get a monthly digest unsubscribe half as often as others.\n\n"
    + "Unrelated notes on office plants and watering schedules. "
    * 80,
)
NOTES = SourceText(
    "notes-2",
    "notes.txt",
    "Retention of subscribers improves when every email keeps one promise.\n\n"
    "Segmenting subscribers by interest lifts retention and clicks.",
)


@pytest.fixture
def config(llm_server):
    return {
        "LLM_MODEL": "openai/fake-model",
        "LLM_API_BASE": llm_server.url,
        "LLM_API_KEY": "sk-fake",
        "LLM_TIMEOUT_SECONDS": 10,
        "LLM_MAX_RETRIES": 0,
        "LLM_RETRY_BASE_SECONDS": 0.01,
        "LLM_FALLBACK_MODELS": [],
        "LLM_SOURCE_TOKEN_BUDGET": 300,
    }


def task_of(body: dict) -> str:
    return body["messages"][-1]["content"]


def never_sent() -> int:
    """The number of the long off-topic passage, over any prompt's budget."""
    return next(p.n for p in number_passages([GUIDE, NOTES]) if "office plants" in p.passage.text)


def citing(body: dict) -> str:
    """Prose of the length asked for, each paragraph's sentences citing the passages the
    prompt numbered, plus markers that resolve to nothing."""
    if "exactly" in task_of(body) and "sections" in task_of(body):
        return default_reply(body)
    numbers = NUMBERED.findall(task_of(body))
    paragraphs = prose(int(re.search(r"about (\d+) words", task_of(body)).group(1))).split("\n\n")
    cited = []
    for i, paragraph in enumerate(paragraphs):
        n = numbers[i % len(numbers)][0]
        first, rest = ([*re.split(r"(?<=\.) ", paragraph, maxsplit=1), ""])[:2]
        cited.append(f"{first} [{n}] {rest} [999] [0] [{never_sent()}] [{n}, 999]")
    return "\n\n".join(cited)


def write(config, brief: Brief, sources: list[SourceText]):
    return generate(brief, sources, LLMWriter(config), NullSink())


def markers(text: str) -> list[int]:
    return [int(n) for m in MARKER.finditer(text) for n in re.split(r"\s*,\s*", m.group(1))]


def sent_lines(llm_server) -> set[str]:
    return {line for body in llm_server.requests for line in NUMBERED.findall(task_of(body))}


def assert_citations_as_sent(citations: list[dict], llm_server, sources) -> None:
    sent = {quote for _, quote in sent_lines(llm_server)}
    assert citations and all(c["quote"] in sent for c in citations)
    assert {c["source_id"] for c in citations} <= {s.id for s in sources}
    assert [c["n"] for c in citations] == list(range(1, len(citations) + 1))


@pytest.mark.parametrize("channel", ["social", "blog"])
def test_model_markers_resolve_to_the_passages_the_prompts_carried(config, llm_server, channel):
    llm_server.responder = citing
    post = write(config, Brief("Subscriber retention", channel=channel), [GUIDE, NOTES])
    content = post.content
    text = content["markdown"]
    found = markers(text)
    assert found and set(found) == set(range(1, len(content["citations"]) + 1))
    assert not any(bad in text for bad in INVALID) and "999" not in text
    assert_citations_as_sent(content["citations"], llm_server, [GUIDE, NOTES])
    assert all("office plants" not in c["quote"] for c in content["citations"])
    assert str(never_sent()) not in {n for n, _ in sent_lines(llm_server)}
    if channel == "social":  # one call: every valid marker it wrote is kept, nothing else
        assert len(found) == 2 * content["markdown"].count("\n\n")
    # Every prompt asked for citations by number, inside the untrusted block.
    for body in llm_server.requests[1 if channel == "blog" else 0 :]:
        task = task_of(body)
        assert "[12]" in task and task.index("<reference_material>") < task.index("\n[")


@pytest.mark.parametrize("channel", ["twitter", "linkedin"])
def test_threads_and_linkedin_list_citations_without_markers(config, llm_server, channel):
    llm_server.responder = citing
    content = write(config, Brief("Subscriber retention", channel=channel), [GUIDE]).content
    shown = "\n".join(content.get("thread") or [content.get("text", "")])
    assert not MARKER.search(shown) and not MARKER.search(content["markdown"])
    assert_citations_as_sent(content["citations"], llm_server, [GUIDE])


def test_a_pdf_passage_cited_by_the_model_carries_its_page(config, llm_server):
    parsed = parse_document(
        make_pdf(
            [
                "Our newsletter began in 2019 with forty readers.",
                "Subscriber retention after one year: 82% of subscribers are still active.",
                "The third page thanks the readers.",
            ]
        ),
        "pdf",
    )
    pdf = SourceText("pdf-1", "report.pdf", parsed.text, tuple(parsed.details["page_starts"]))

    def cite_each_page(body):
        lines = NUMBERED.findall(task_of(body))
        return " ".join(f"Fact {i} from the report. [{n}]" for i, (n, _) in enumerate(lines))

    llm_server.responder = cite_each_page
    content = write(config, Brief("Subscriber retention", channel="social"), [pdf]).content
    pages = {c["quote"]: c["location"]["page"] for c in content["citations"]}
    assert pages == {
        "Our newsletter began in 2019 with forty readers.": 1,
        "Subscriber retention after one year: 82% of subscribers are still active.": 2,
        "The third page thanks the readers.": 3,
    }
    assert all(c["source_name"] == "report.pdf" for c in content["citations"])


def test_without_sources_the_prompt_carries_no_reference_and_the_post_no_citations(
    config, llm_server
):
    llm_server.responder = lambda body: "Plain words. [1] More plain words. [2]"
    content = write(config, Brief("Retention", channel="social"), []).content
    assert content["citations"] == [] and not MARKER.search(content["markdown"])
    assert "reference_material" not in task_of(llm_server.requests[0])


# -------------------------------------------------------------------------- outline


def outline_requests(llm_server) -> list[dict]:
    return [b for b in llm_server.requests if "exactly 4 sections" in b["messages"][1]["content"]]


def test_a_good_outline_takes_one_json_mode_call(config, llm_server):
    content = write(config, Brief("Email lists", target_length="short"), [NOTES]).content
    asked = outline_requests(llm_server)
    assert len(asked) == 1 and len(asked[0]["messages"]) == 2
    # An OpenAI-compatible model litellm knows nothing about: JSON mode, not a schema.
    assert asked[0]["response_format"] == {"type": "json_object"}
    assert not asked[0].get("stream")
    assert len(content["sections"]) == 4
    assert content["title"] == "Email lists: a practical guide"


def test_a_model_that_supports_schemas_is_sent_the_outline_schema(config, llm_server):
    config = {**config, "LLM_MODEL": "openai/gpt-4o-mini"}
    write(config, Brief("Email lists", target_length="short"), [])
    sent = outline_requests(llm_server)[0]["response_format"]
    assert sent["type"] == "json_schema" and sent["json_schema"]["name"] == "outline"
    schema = sent["json_schema"]["schema"]
    assert schema["required"] == ["title", "sections", "meta_keywords"]
    # The parts are prose: no response format.
    assert all("response_format" not in b for b in llm_server.requests[1:])


def test_a_bad_outline_gets_one_repair_call_with_its_problem(config, llm_server):
    bad = json.dumps({"title": "Lists", "sections": [{"heading": "Only one", "points": []}]})
    llm_server.reply_next(bad)
    content = write(config, Brief("Email lists", target_length="short"), []).content
    first, repair = outline_requests(llm_server)
    assert repair["messages"][:2] == first["messages"]
    assert repair["messages"][2] == {"role": "assistant", "content": bad}
    assert "4 sections were asked for, the answer has 1" in repair["messages"][3]["content"]
    assert repair["response_format"] == {"type": "json_object"}
    assert len(content["sections"]) == 4


def test_two_bad_outlines_fail_with_a_readable_reason(config, llm_server):
    llm_server.reply_next("Here is your outline: 1. Lists 2. Subjects", '{"title": "Lists"}')
    with pytest.raises(OutlineError) as failure:
        write(config, Brief("Email lists", target_length="short"), [])
    assert failure.value.message == (
        "The model did not return a usable outline (sections: Field required)."
    )
    assert len(llm_server.requests) == 2  # nothing written after the outline failed
