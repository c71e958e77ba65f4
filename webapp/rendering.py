"""Rendering helpers shared by the HTML blueprints."""

from __future__ import annotations

import re

from flask import Response, redirect, render_template, stream_with_context, url_for
from flask_wtf import FlaskForm
from markupsafe import Markup

from .errors import AppError, ValidationFailed
from .extensions import htmx
from .services.exports import content_disposition


def page_or_fragment(page_template: str, fragment_template: str, /, status: int = 200, **context):
    """The fragment for an htmx request that targets a part of the page, the whole page
    otherwise (same view, same data). An HX-Location navigation targets <body> (no
    HX-Target header) and so gets the whole page.

    A form sent back with its errors (400) is answered 200 to htmx, which swaps only 2xx
    answers: the user must see the messages next to the fields."""
    template = fragment_template if htmx and htmx.target else page_template
    if htmx and status == 400:
        status = 200
    return render_template(template, **context), status


def attach_error(
    form: FlaskForm, error: AppError, default_field: str | None = None, *, field_at=None
) -> None:
    """Show a service error next to the form field it concerns. A validation error's items
    go to the field `field_at(loc)` names when given (nested fields: a slot, a section of
    a list), else to the field named by the last part of their `loc`."""
    if isinstance(error, ValidationFailed) and error.errors and field_at is not None:
        for item in error.errors:
            field = field_at(item.get("loc") or ())
            if field is None:
                form.form_errors.append(item["msg"])
            elif item["msg"] not in field.errors:
                field.errors = [*field.errors, item["msg"]]
        return
    if isinstance(error, ValidationFailed) and error.errors:
        for name, message in error.field_messages().items():
            field = getattr(form, name, None)
            if field is not None:
                field.errors = [*field.errors, message]
            else:
                form.form_errors.append(message)
        return
    field = getattr(form, default_field, None) if default_field else None
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def htmx_redirect(endpoint: str, **values):
    """Navigate: a plain redirect, or HX-Location for htmx so history stays right."""
    target = url_for(endpoint, **values)
    if htmx:
        return "", 204, {"HX-Location": target}
    return redirect(target)


def streamed_download(chunks, mimetype: str, filename: str) -> Response:
    """A file to save, sent while it is written (`chunks` run with the request's context
    kept open: a ZIP reads its posts as it goes)."""
    return Response(
        stream_with_context(chunks),
        mimetype=mimetype,
        headers={"Content-Disposition": content_disposition(filename)},
    )


_HEADING_TAG = re.compile(r"<(/?)h([1-5])\b")


def demote_headings(html: str) -> Markup:
    """Sanitised HTML shown inside a page (the editor's preview) with its headings one
    level down, so the page keeps its one `h1`."""
    return Markup(_HEADING_TAG.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", str(html)))  # noqa: S704
