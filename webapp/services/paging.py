"""Paging a list query: the total it matches and one page of it, in a stable order."""

from __future__ import annotations

from typing import Generic, NamedTuple, TypeVar

from ..extensions import db

T = TypeVar("T")


class Page(NamedTuple, Generic[T]):
    """One page of rows and the total count of rows matching; unpacks as
    `items, total = page`."""

    items: list[T]
    total: int


def newest_first(model) -> tuple:
    """The lists' order: newest first, the id breaking ties so pages never overlap."""
    return model.created_at.desc(), model.id.desc()


def paginate(query, *, order_by, limit: int, offset: int = 0) -> Page:
    """Count the rows `query` selects, then fetch `limit` of them from `offset` in
    `order_by` order: two queries whatever the page size. Loader options on `query`
    (selectinload, joinedload) apply to the rows fetched and stay out of the count."""
    total = db.session.execute(
        db.select(db.func.count()).select_from(query.order_by(None).subquery())
    ).scalar_one()
    rows = (
        db.session.execute(query.order_by(*order_by).limit(limit).offset(offset))
        .scalars()
        .unique()
        .all()
    )
    return Page(list(rows), total)
