"""Link opportunities: project URLs that generated posts link to where a keyword appears."""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from ..errors import ValidationFailed
from ..extensions import db
from ..models import LinkOpportunity, Project, User
from .access import get_in_project_or_404, get_owned_or_404
from .paging import Page, newest_first, paginate

MAX_KEYWORDS = 20
# Markdown regions links must never go into: fenced and indented code, inline code,
# inline and reference links and images, autolinks, bare URLs, ATX and setext headings,
# raw HTML links and tags. Indented lines are all protected (list continuations too):
# a link missed there costs less than a code block broken.
_PROTECTED = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`|!?\[[^\]\n]*\]\([^)\n]*\)"
                        r"|!?\[[^\]\n]*\]\[[^\]\n]*\]|<https?://[^>\s]+>|https?://\S+"
                        r"|^[ \t]*#[^\n]*|^(?: {4}|\t)[^\n]*"
                        r"|^[ \t]*\S[^\n]*\n {0,3}(?:=+|-+)[ \t]*$"
                        r"|<[aA]\b[^>]*>.*?</[aA]\s*>|</?[A-Za-z][^>\n]*>", re.S | re.M)


def field_error(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, errors=[{"loc": ["body", field], "msg": message,
                                              "type": "value_error"}])


def clean_keywords(keywords) -> list[str]:
    """Trimmed, 1-100 characters each, duplicates (any case) dropped, order kept."""
    cleaned, seen = [], set()
    for keyword in keywords or []:
        keyword = " ".join(str(keyword).split())
        if not keyword:
            continue
        if len(keyword) > 100:
            raise field_error("keywords", "Each keyword is at most 100 characters.")
        if keyword.lower() not in seen:
            seen.add(keyword.lower())
            cleaned.append(keyword)
    if not cleaned:
        raise field_error("keywords", "Give at least one keyword.")
    if len(cleaned) > MAX_KEYWORDS:
        raise field_error("keywords", f"At most {MAX_KEYWORDS} keywords.")
    return cleaned


def check_url(url: str) -> str:
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 2048 \
            or re.search(r"[\x00-\x20\x7f]", url):
        raise field_error("target_url", "Enter a full http:// or https:// address.")
    return url


def create_link(user: User, project: Project, target_url: str, keywords,
                anchor_text: str | None = None) -> LinkOpportunity:
    """Add a link opportunity to the project (validated as the reference documents)."""
    anchor = " ".join((anchor_text or "").split()) or None
    if anchor and len(anchor) > 200:
        raise field_error("anchor_text", "Anchor text is at most 200 characters.")
    link = LinkOpportunity(project_id=project.id, user_id=user.id,
                           target_url=check_url(target_url), keywords=clean_keywords(keywords),
                           anchor_text=anchor)
    db.session.add(link)
    db.session.commit()
    return link


def list_links(project: Project, limit: int = 50, offset: int = 0) -> Page[LinkOpportunity]:
    """The project's link opportunities, newest first, and their total."""
    query = db.select(LinkOpportunity).where(LinkOpportunity.project_id == project.id)
    return paginate(query, order_by=newest_first(LinkOpportunity), limit=limit, offset=offset)


NOT_FOUND = {"code": "LINK_NOT_FOUND", "message": "Link opportunity not found."}


def get_link_or_404(link_id: str, user: User,
                    project: Project | None = None) -> LinkOpportunity:
    """The user's link opportunity (in `project` when given); anybody else's, one of
    another project or a missing one is LINK_NOT_FOUND (404)."""
    if project is not None:
        return get_in_project_or_404(LinkOpportunity, link_id, project, user, **NOT_FOUND)
    return get_owned_or_404(LinkOpportunity, link_id, user, **NOT_FOUND)


def delete_link(link: LinkOpportunity) -> None:
    """Remove it; posts already written keep their links."""
    db.session.delete(link)
    db.session.commit()


def insert_links(markdown: str, opportunities) -> tuple[str, list[dict]]:
    """Link the first occurrence of each opportunity's keywords (SPEC §4): case-insensitive
    whole words, never in headings, code, links or URLs; each target URL at most once; the
    anchor text preferred when it occurs; longer keywords before shorter ones."""
    inserted, used_urls, protected = [], set(), _protected(markdown)
    for opportunity, phrase in _candidates(opportunities):
        if opportunity.target_url in used_urls:
            continue
        result = _link_first(markdown, protected, phrase, opportunity.target_url)
        if result:
            markdown, text = result
            protected = _protected(markdown)
            used_urls.add(opportunity.target_url)
            inserted.append({"opportunity_id": opportunity.id,
                             "target_url": opportunity.target_url,
                             "keyword": phrase, "anchor_text": text})
    return markdown, inserted


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


def _protected(markdown: str) -> list[tuple[int, int]]:
    return [match.span() for match in _PROTECTED.finditer(markdown)]


def _link_first(markdown: str, protected, phrase: str, url: str):
    pattern = re.compile(r"(?<![\w\[])" + re.escape(phrase) + r"(?![\w\]])", re.I)
    for match in pattern.finditer(markdown):
        if not any(a < match.end() and match.start() < b for a, b in protected):
            text = match.group(0)
            link = f"[{text}]({quote(url, safe=':/?#&=%+@;,~!$*.-_')})"
            return markdown[:match.start()] + link + markdown[match.end():], text
    return None
