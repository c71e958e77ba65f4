"""Each channel's content object rebuilt from what an editor may change.

The source of truth is `content.markdown` for blog, social and email posts (its first
`# ` line is the title), `content.thread` for twitter and `content.text` for linkedin;
everything else a channel shows is re-derived from it, the way the generator shaped it
(services.generation.channels). Email may also set `subject` and `preheader`.
"""

from __future__ import annotations

import re

from ...errors import ValidationFailed
from ...vocabulary import Channel
from ..generation.base import Draft
from ..generation.channels import LINKEDIN_MAX, MARKERLESS_CHANNELS, TWEET_MAX
from ..generation.content import (
    CONCLUSION_HEADING,
    count_words,
    split_long_form_markdown,
)

THREAD_MAX_ITEMS = 100
SUBJECT_MAX = 200
PREHEADER_MAX = 300

# What a PATCH may send in `content`, per channel.
EDITABLE = {
    Channel.BLOG: ("markdown",),
    Channel.SOCIAL: ("markdown",),
    Channel.EMAIL: ("markdown", "subject", "preheader"),
    Channel.TWITTER: ("thread",),
    Channel.LINKEDIN: ("text",),
}
_TITLE_LINE = re.compile(r"^# (.*)$", re.M)


def _error(loc: list, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[{"loc": loc, "msg": message, "type": "value_error"}])


def check_fields(channel: str, sent: dict) -> None:
    """400 for a field the channel derives (or does not have), naming what may be sent."""
    allowed = EDITABLE[Channel(channel)]
    for key in sent:
        if key not in allowed:
            raise _error(
                ["body", "content", key],
                f"content.{key} cannot be set on a {channel} post: it is derived. Send "
                + " or ".join(f"content.{a}" for a in allowed)
                + ".",
            )


def edited_content(channel: str, current: dict, sent: dict, title: str | None) -> dict:
    """The new content object of a `channel` post whose content is `current`, after the
    edit `sent` (content fields) and `title` (None: unchanged). Citations are carried over
    untouched; the caller re-resolves them."""
    check_fields(channel, sent)
    content = dict(current)
    channel = Channel(channel)
    if channel == Channel.TWITTER:
        return _twitter(content, sent.get("thread", content.get("thread") or []), title)
    if channel == Channel.LINKEDIN:
        return _linkedin(content, sent.get("text", content.get("text") or ""), title)
    markdown = sent.get("markdown", content.get("markdown") or "")
    content = _long_form(channel, content, _with_title(markdown, title, content))
    if channel == Channel.EMAIL:
        content.update(_email_head(content, sent))
    return content


def _with_title(markdown: str, title: str | None, current: dict) -> str:
    """`markdown` whose first `# ` line says `title` (added when missing)."""
    markdown = (markdown or "").replace("\r\n", "\n")
    found = _TITLE_LINE.search(markdown)
    if title is None:
        if found:
            return markdown
        title = current.get("title") or ""
    title = " ".join(title.split())
    if found:
        return markdown[: found.start()] + f"# {title}" + markdown[found.end() :]
    return f"# {title}\n\n{markdown.lstrip()}"


def title_of(markdown: str) -> str:
    found = _TITLE_LINE.search(markdown or "")
    return found.group(1).strip() if found else ""


def _long_form(channel: Channel, content: dict, markdown: str) -> dict:
    title = title_of(markdown)
    # A last "## Conclusion" section is the conclusion, as the generator wrote it.
    parts = split_long_form_markdown(markdown, Draft(title=title, conclusion=CONCLUSION_HEADING))
    if not markdown.endswith("\n"):
        markdown += "\n"
    content.update(
        title=title,
        markdown=markdown,
        introduction=parts.introduction,
        sections=[{"heading": s.heading, "content": s.content} for s in parts.sections],
        conclusion=parts.conclusion,
        word_count=count_words(re.sub(r"\]\([^)]*\)", "]", markdown)),
    )
    if channel == Channel.EMAIL:
        content["body"] = markdown.split("\n", 1)[1].strip() if "\n" in markdown else ""
    return content


def _email_head(content: dict, sent: dict) -> dict:
    head = {}
    for field, limit in (("subject", SUBJECT_MAX), ("preheader", PREHEADER_MAX)):
        if field in sent:
            value = " ".join(str(sent[field] or "").split())
            if len(value) > limit:
                raise _error(["body", "content", field], f"The {field} is over {limit} characters.")
            head[field] = value
    return head


def _twitter(content: dict, thread: list, title: str | None) -> dict:
    if not isinstance(thread, list) or not thread:
        raise _error(["body", "content", "thread"], "A thread needs at least one post.")
    if len(thread) > THREAD_MAX_ITEMS:
        raise _error(
            ["body", "content", "thread"], f"A thread has at most {THREAD_MAX_ITEMS} posts."
        )
    items = []
    for i, item in enumerate(thread):
        if not isinstance(item, str) or not item.strip():
            raise _error(["body", "content", "thread", i], "Each post of a thread needs text.")
        item = item.strip()
        if len(item) > TWEET_MAX:
            raise _error(
                ["body", "content", "thread", i],
                f"Post {i + 1} of the thread is {len(item)} characters; the most is {TWEET_MAX}.",
            )
        items.append(item)
    title = " ".join(title.split()) if title is not None else content.get("title") or ""
    content.update(
        title=title,
        thread=items,
        markdown=f"# {title}\n\n" + "\n\n".join(items) + "\n",
        word_count=sum(count_words(t) for t in items),
    )
    return content


def _linkedin(content: dict, text: str, title: str | None) -> dict:
    if not isinstance(text, str) or not text.strip():
        raise _error(["body", "content", "text"], "A LinkedIn post needs text.")
    text = text.replace("\r\n", "\n").strip()
    if len(text) > LINKEDIN_MAX:
        raise _error(
            ["body", "content", "text"],
            f"The post is {len(text):,} characters; LinkedIn takes at most {LINKEDIN_MAX:,}.",
        )
    title = " ".join(title.split()) if title is not None else content.get("title") or ""
    content.update(
        title=title, text=text, markdown=f"# {title}\n\n{text}\n", word_count=count_words(text)
    )
    return content


def carries_markers(channel: str) -> bool:
    return Channel(channel) not in MARKERLESS_CHANNELS
