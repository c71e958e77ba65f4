"""Posts ready for review: realistic content objects of each channel, with citations."""

from __future__ import annotations

from webapp.services.generation.channels import split_into_thread
from webapp.services.review import channel_content

from .factories import make_completed_post, make_parsed_source

SOURCE_TEXT = (
    "# Remote work survey\n\n"
    "Teams that write things down meet less often.\n\n"
    "Asynchronous standups save about 20 minutes a day per person.\n"
)
BLOG_MARKDOWN = (
    "# Async standups\n\n"
    "Teams that write things down meet less often.[1]\n\n"
    "## Why it works\n\n"
    "Asynchronous standups save about 20 minutes a day per person.[2] "
    "People answer when they are free.\n\n"
    "## Conclusion\n\n"
    "Try it for two weeks.\n"
)


def citations_of(source_id: str) -> list[dict]:
    quotes = (
        "Teams that write things down meet less often.",
        "Asynchronous standups save about 20 minutes a day per person.",
    )
    return [
        {
            "n": n,
            "source_id": source_id,
            "source_name": "survey.md",
            "quote": quote,
            "location": {"page": None, "paragraph": n + 1},
        }
        for n, quote in enumerate(quotes, 1)
    ]


def content_for(channel: str, source_id: str, markdown: str = BLOG_MARKDOWN) -> dict:
    """The content object a generator would have written for `channel`."""
    base = {"kind": "draft", "citations": citations_of(source_id), "title": "Async standups"}
    if channel == "twitter":
        sent = {"thread": split_into_thread("Write things down. Meet less.\n\nTry it.")}
    elif channel == "linkedin":
        sent = {"text": "Write things down.\n\nMeet less."}
    else:
        base.update(meta_description="Async standups.", meta_keywords=["standups"])
        if channel == "email":
            base.update(subject="Async standups", preheader="Meet less.")
        sent = {"markdown": markdown}
    return channel_content.edited_content(channel, base, sent, None)


def make_reviewable_post(app, user, project, channel="blog", **fields) -> str:
    """A completed `channel` post citing a parsed source of `project`; its id."""
    source_id = make_parsed_source(app, user, project, SOURCE_TEXT, name="survey.md")
    content = content_for(channel, source_id)
    return make_completed_post(
        app,
        user,
        project,
        content,
        channel=channel,
        source_ids=[source_id],
        word_count=content["word_count"],
        **fields,
    )
