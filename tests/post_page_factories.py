"""Completed posts of each channel whose stored text carries Markdown (as a model may write
it): for the post page's plain-text and copy tests."""

from __future__ import annotations

from .factories import make_completed_post

TOPIC = "Async standups"
TITLE = "The Async Standup Playbook: A Complete Guide"
LINKEDIN_TEXT = (
    "**Async standups** changed how we work.\n\n"
    "## What we learned\n\n"
    "- Fewer meetings\n"
    "- Read the [full guide](https://example.com/guide)\n\n"
    "Try it for a week."
)
LINKEDIN_PLAIN = (
    "Async standups changed how we work.\n\n"
    "What we learned\n\n"
    "- Fewer meetings\n"
    "- Read the full guide (https://example.com/guide)\n\n"
    "Try it for a week."
)
THREAD = [
    "**Standups** can be written down. 1/3",
    "## Why\nTeams that write things down meet less often. 2/3",
    "Read [the guide](https://example.com/guide). 3/3",
]
THREAD_PLAIN = [
    "Standups can be written down. 1/3",
    "Why\n\nTeams that write things down meet less often. 2/3",
    "Read the guide (https://example.com/guide). 3/3",
]
SOCIAL_MARKDOWN = f"# {TITLE}\n\n**Standups** in writing: [read more](https://example.com/guide).\n"
SOCIAL_PLAIN = "Standups in writing: read more (https://example.com/guide)."
BLOG_MARKDOWN = (
    f"# {TITLE}\n\nStandups in **writing** save time.\n\n## Why it works\n\n"
    "Read [the guide](https://example.com/guide).\n"
)


def channel_content(channel: str) -> dict:
    """The API's content object of a `channel` post, as the generator shapes it."""
    if channel == "linkedin":
        markdown = f"# {TITLE}\n\n{LINKEDIN_TEXT}\n"
        return {"title": TITLE, "text": LINKEDIN_TEXT, "markdown": markdown, "word_count": 30}
    if channel == "twitter":
        markdown = f"# {TITLE}\n\n" + "\n\n".join(THREAD) + "\n"
        return {"title": TITLE, "thread": THREAD, "markdown": markdown, "word_count": 25}
    markdown = SOCIAL_MARKDOWN if channel == "social" else BLOG_MARKDOWN
    return {
        "title": TITLE,
        "introduction": "Standups in writing.",
        "sections": [],
        "conclusion": "",
        "meta_description": "How async standups save a team an hour a week.",
        "meta_keywords": ["standups"],
        "markdown": markdown,
        "word_count": 12,
    }


def make_channel_post(app, user, project, channel: str, **content) -> str:
    """A completed `channel` post of the project (`content` overrides fields of its
    content object); its id."""
    return make_completed_post(
        app,
        user,
        project,
        {**channel_content(channel), **content},
        topic=TOPIC,
        channel=channel,
        model="offline",
    )
