"""The editor's form: each channel's source of truth, and the version it was made from."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from ..forms import EXPIRED, VersionField
from ..vocabulary import Channel

# A thread is edited as one text: its posts separated by a line holding only "---".
THREAD_SEPARATOR = "\n\n---\n\n"
_SEPARATOR_LINE = re.compile(r"\n\s*---\s*\n")


class EditForm(FlaskForm):
    item_version = VersionField(
        validators=[InputRequired(EXPIRED), NumberRange(min=1, message=EXPIRED)]
    )
    markdown = TextAreaField("Markdown")
    subject = StringField("Subject")
    preheader = StringField("Preheader")
    thread = TextAreaField("Thread (posts separated by a line with ---)")
    text = TextAreaField("Text")

    def fill_from(self, post) -> None:
        content = post.content or {}
        self.item_version.data = post.item_version
        self.markdown.data = content.get("markdown") or ""
        self.subject.data = content.get("subject") or ""
        self.preheader.data = content.get("preheader") or ""
        self.thread.data = THREAD_SEPARATOR.join(content.get("thread") or [])
        self.text.data = content.get("text") or ""

    def content_for(self, channel: str) -> dict:
        """The PATCH `content` this form says for a `channel` post."""
        channel = Channel(channel)
        if channel == Channel.TWITTER:
            return {"thread": thread_items(self.thread.data)}
        if channel == Channel.LINKEDIN:
            return {"text": self.text.data or ""}
        content = {"markdown": self.markdown.data or ""}
        if channel == Channel.EMAIL:
            content.update(subject=self.subject.data or "", preheader=self.preheader.data or "")
        return content

    def source_field(self, channel: str):
        """The field holding the channel's source of truth (errors go next to it)."""
        return {Channel.TWITTER: self.thread, Channel.LINKEDIN: self.text}.get(
            Channel(channel), self.markdown
        )


def thread_items(text: str | None) -> list[str]:
    return [item.strip() for item in _SEPARATOR_LINE.split((text or "").replace("\r\n", "\n"))]
