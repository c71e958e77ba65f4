"""A post as a standalone HTML page: the rendered, sanitised body with its markers as
superscript links to a Sources list at the end."""

from __future__ import annotations

from markupsafe import Markup, escape

from ...vocabulary import Channel
from ..footnotes import Footnote, cited_html
from .markdown import location

STYLE = """
body{font:17px/1.6 Georgia,serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222}
h1,h2,h3{font-family:system-ui,sans-serif;line-height:1.25}
a{color:#1a5fb4}sup a{text-decoration:none}
blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem;color:#555}
pre{background:#f5f5f5;padding:.75rem;overflow:auto}
.email-head,.sources{font-size:.9em}.sources{border-top:1px solid #ddd;margin-top:2rem}
""".strip()


def post_html(post, footnotes: list[Footnote]) -> str:
    """The whole page, UTF-8, with nothing from the post unescaped or unsanitised."""
    content = post.content or {}
    title = content.get("title") or post.topic or "Post"
    body, referenced = _body(post, content, title, footnotes)
    sources = sources_list(footnotes, referenced)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n"
        f"<body>\n<article>\n{body}\n</article>\n{sources}</body>\n</html>\n"
    )


def _body(post, content: dict, title: str, footnotes: list[Footnote]) -> tuple[Markup, set[int]]:
    """The article's HTML and the footnote numbers its text refers to."""
    heading = Markup("<h1>{}</h1>\n").format(title)
    if post.channel == Channel.TWITTER:
        items = Markup("").join(
            Markup("<li>{}</li>").format(item) for item in content.get("thread") or []
        )
        return heading + Markup("<ol>{}</ol>").format(items), set()
    if post.channel == Channel.LINKEDIN:
        paragraphs = [p for p in (content.get("text") or "").split("\n\n") if p.strip()]
        text = Markup("").join(
            Markup("<p>{}</p>").format(Markup("<br>").join(p.strip().splitlines()))
            for p in paragraphs
        )
        return heading + text, set()
    body, referenced = cited_html(content.get("markdown"), footnotes)
    if post.channel == Channel.EMAIL:
        head = Markup(
            '<dl class="email-head"><dt>Subject</dt><dd>{}</dd><dt>Preheader</dt><dd>{}</dd></dl>\n'
        ).format(content.get("subject") or "", content.get("preheader") or "")
        return head + body, referenced
    return body, referenced


def sources_list(footnotes: list[Footnote], referenced: set[int]) -> Markup:
    """`<section class="sources">`: each footnote as a numbered item the markers link to,
    with a link back to its first use in the text when there is one."""
    if not footnotes:
        return Markup("")
    items = Markup("").join(
        Markup('<li id="cite-{n}" value="{n}">{name}{where} — “{quote}”{back}</li>\n').format(
            n=f.n,
            back=_back_link(f.n) if f.n in referenced else "",
            name=f.source_name,
            where=location(f),
            quote=" ".join(f.quote.split()),
        )
        for f in footnotes
    )
    return Markup(
        '<section class="sources">\n<h2>Sources</h2>\n<ol>\n{}</ol>\n</section>\n'
    ).format(items)


def _back_link(n: int) -> Markup:
    return Markup(' <a href="#cite-ref-{}-1" aria-label="Back to the text">↩</a>').format(n)
