"""Link opportunities: project URLs that generated posts link to where a keyword appears."""

from __future__ import annotations

import re
from bisect import bisect_right
from urllib.parse import quote, urlsplit

from ..errors import ErrorCode, ValidationFailed
from ..extensions import db
from ..models import LinkOpportunity, Project, User
from .access import Permission, get_in_project_or_404, get_owned_or_404
from .link_spans import linkable_spans
from .paging import Page, newest_first, paginate
from .render import markdown_parser

MAX_KEYWORDS = 20
# Bare URLs are plain text to CommonMark; a link inside one would break it.
_BARE_URL = re.compile(r"https?://\S+")


def clean_keywords(keywords) -> list[str]:
    """Trimmed, 1-100 characters each, duplicates (any case) dropped, order kept."""
    cleaned, seen = [], set()
    for keyword in keywords or []:
        keyword = " ".join(str(keyword).split())
        if not keyword:
            continue
        if len(keyword) > 100:
            raise ValidationFailed.at("keywords", "Each keyword is at most 100 characters.")
        if keyword.lower() not in seen:
            seen.add(keyword.lower())
            cleaned.append(keyword)
    if not cleaned:
        raise ValidationFailed.at("keywords", "Give at least one keyword.")
    if len(cleaned) > MAX_KEYWORDS:
        raise ValidationFailed.at("keywords", f"At most {MAX_KEYWORDS} keywords.")
    return cleaned


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or len(url) > 2048
        or re.search(r"[\x00-\x20\x7f]", url)
    ):
        raise ValidationFailed.at("target_url", "Enter a full http:// or https:// address.")
    return url


def create_link(
    user: User, project: Project, target_url: str, keywords, anchor_text: str | None = None
) -> LinkOpportunity:
    """Add a link opportunity to the project (validated as the reference documents)."""
    anchor = " ".join((anchor_text or "").split()) or None
    if anchor and len(anchor) > 200:
        raise ValidationFailed.at("anchor_text", "Anchor text is at most 200 characters.")
    link = LinkOpportunity(
        project_id=project.id,
        user_id=user.id,
        target_url=check_url(target_url),
        keywords=clean_keywords(keywords),
        anchor_text=anchor,
    )
    db.session.add(link)
    db.session.commit()
    return link


def list_links(project: Project, limit: int = 50, offset: int = 0) -> Page[LinkOpportunity]:
    """The project's link opportunities, newest first, and their total."""
    query = db.select(LinkOpportunity).where(LinkOpportunity.project_id == project.id)
    return paginate(query, order_by=newest_first(LinkOpportunity), limit=limit, offset=offset)


NOT_FOUND = {"code": ErrorCode.LINK_NOT_FOUND, "message": "Link opportunity not found."}


def get_link_or_404(
    link_id: str, user: User, project: Project | None = None, need: Permission = Permission.READ
) -> LinkOpportunity:
    """The user's link opportunity (in `project` when given); anybody else's, one of
    another project or a missing one is LINK_NOT_FOUND (404)."""
    if project is not None:
        return get_in_project_or_404(
            LinkOpportunity, link_id, project, user, need=need, **NOT_FOUND
        )
    return get_owned_or_404(LinkOpportunity, link_id, user, need=need, **NOT_FOUND)


def delete_link(link: LinkOpportunity) -> None:
    """Remove it; posts already written keep their links."""
    db.session.delete(link)
    db.session.commit()


def insert_links(markdown: str, opportunities) -> tuple[str, list[dict]]:
    """Link the first occurrence of each opportunity's keywords (SPEC §4): case-insensitive
    whole words in the post's plain text as CommonMark parses it (never in headings, code,
    links, images, raw HTML anchors or bare URLs; a keyword must not cross emphasis or a
    line break); each target URL at most once; the anchor text preferred when it occurs;
    longer keywords before shorter ones. The rest of the Markdown is left byte for byte."""
    inserted, used_urls, draft = [], set(), _Draft(markdown)
    for opportunity, phrase in _candidates(opportunities):
        if opportunity.target_url in used_urls:
            continue
        result = _link_first(draft, phrase, opportunity.target_url)
        if result:
            draft, text = result
            used_urls.add(opportunity.target_url)
            inserted.append(
                {
                    "opportunity_id": opportunity.id,
                    "target_url": opportunity.target_url,
                    "keyword": phrase,
                    "anchor_text": text,
                }
            )
    return draft.markdown, inserted


def _candidates(opportunities) -> list[tuple]:
    """(opportunity, phrase) pairs in the order they are tried: longest phrase first across
    all opportunities, an opportunity's anchor text just before its own longest keyword."""
    ranked = []
    for opportunity in opportunities:
        keywords = list(opportunity.keywords or [])
        if opportunity.anchor_text:
            longest = max([len(opportunity.anchor_text), *map(len, keywords)])
            ranked.append((-longest, 0, opportunity, opportunity.anchor_text))
        ranked += [(-len(keyword), 1, opportunity, keyword) for keyword in keywords]
    ranked.sort(key=lambda candidate: candidate[:2])
    return [(opportunity, phrase) for _, _, opportunity, phrase in ranked]


class _Draft:
    """One version of the Markdown with the spans a link may go in. Adding a link shifts
    the spans rather than parsing again; one parse per link checks the result."""

    def __init__(self, markdown: str, spans=None, signature: str | None = None):
        self.markdown = markdown
        self.spans = linkable_spans(markdown) if spans is None else spans
        self.starts = [start for start, _ in self.spans]
        self.urls = [match.span() for match in _BARE_URL.finditer(markdown)]
        self._signature = signature

    @property
    def signature(self) -> str:
        if self._signature is None:
            self._signature = _signature(self.markdown)
        return self._signature

    def allows(self, start: int, end: int) -> bool:
        index = bisect_right(self.starts, start) - 1
        return (
            index >= 0
            and end <= self.spans[index][1]
            and not any(a < end and start < b for a, b in self.urls)
        )

    def with_link(self, start: int, end: int, target: str) -> _Draft | None:
        """The draft with [text](target) around markdown[start:end], or None if that would
        change how anything else parses (a `!` before the text would make an image, a
        closing `**` could stop closing, ...)."""
        text = self.markdown[start:end]
        link = f"[{text}]({target})"
        markdown = self.markdown[:start] + link + self.markdown[end:]
        signature = _signature(markdown)
        if not _adds_only_the_link(self.signature, signature, text, target):
            return None
        shift = len(link) - len(text)
        spans = []
        for span_start, span_end in self.spans:
            if span_end <= start:
                spans.append((span_start, span_end))
            elif span_start >= end:
                spans.append((span_start + shift, span_end + shift))
            else:  # the span the link went into: what is left either side of it
                spans += [(span_start, start), (end + shift, span_end + shift)]
        return _Draft(markdown, [span for span in spans if span[0] < span[1]], signature)


def _link_first(draft: _Draft, phrase: str, url: str):
    pattern = re.compile(r"(?<![\w\[])" + re.escape(phrase) + r"(?![\w\]])", re.IGNORECASE)
    target = quote(url, safe=":/?#&=%+@;,~!$*.-_")
    for match in pattern.finditer(draft.markdown):
        if draft.allows(*match.span()):
            linked = draft.with_link(*match.span(), target)
            if linked is not None:
                return linked, match.group(0)
    return None


def _adds_only_the_link(old: str, new: str, text: str, target: str) -> bool:
    """The new signature is the old one with the link's two markers around `text`."""
    link = (f"\0link_open|a|{_RENDER_PARSER.normalizeLink(target)}\0", "\0link_close|a|\0")
    at = next((i for i, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old))
    return old[at : at + len(text)] == text and new == (
        old[:at] + link[0] + text + link[1] + old[at + len(text) :]
    )


def _signature(markdown: str) -> str:
    """Every token in order: text as its text, anything else as a NUL-delimited marker."""
    parts = []
    for token in _RENDER_PARSER.parse(markdown):
        for item in token.children if token.type == "inline" else [token]:
            parts.append(item.content if item.type == "text" else _marker(item))
    return "".join(parts)


def _marker(token) -> str:
    if token.type in ("link_open", "link_close"):
        return f"\0{token.type}|{token.tag}|{token.attrs.get('href', '')}\0"
    return f"\0{token.type}|{token.tag}|{token.markup}|{token.info}|{token.attrs}|{token.content}\0"


_RENDER_PARSER = markdown_parser()
