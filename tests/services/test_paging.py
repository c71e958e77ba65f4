"""Paging against the real database: the total counts every matching row (filters
included, other users' rows not), pages come newest first with the id breaking ties so
they never overlap, limit and offset land where asked, two queries per page whatever its
size, and eager-loading options on the query still load what they name."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import joinedload, selectinload

from webapp.extensions import db
from webapp.models import Project, Source
from webapp.services import accounts
from webapp.services.access import owned
from webapp.services.paging import Page, newest_first, paginate
from webapp.services.workspaces import personal_workspace_of
from webapp.timeutil import utcnow
from webapp.vocabulary import FileType, SourceStatus

from ..factories import make_project, make_user

pytestmark = pytest.mark.usefixtures("db")  # every test here reads or writes the database

START = utcnow().replace(microsecond=0) - timedelta(days=1)


def add_projects(app, user, count: int, same_time: bool = False) -> list[str]:
    """`count` projects of `user`, a minute apart (or all at one instant), oldest first."""
    with app.app_context():
        workspace_id = personal_workspace_of(user).id
        rows = [
            Project(
                user_id=user.id,
                workspace_id=workspace_id,
                name=f"P{n:02d}",
                created_at=START if same_time else START + timedelta(minutes=n),
            )
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def page_of(app, user, limit: int, offset: int = 0, query=None) -> Page:
    with app.app_context():
        query = query if query is not None else owned(Project, accounts.get_user(user.id))
        page = paginate(query, order_by=newest_first(Project), limit=limit, offset=offset)
        return Page([row.id for row in page.items], page.total)


@pytest.fixture
def user(app):
    return make_user(app, email="pager@example.com")


def test_pages_are_newest_first_with_the_total(app, user):
    ids = add_projects(app, user, 7)
    newest = list(reversed(ids))
    assert page_of(app, user, limit=3) == Page(newest[:3], 7)
    assert page_of(app, user, limit=3, offset=3) == Page(newest[3:6], 7)
    assert page_of(app, user, limit=3, offset=6) == Page(newest[6:], 7)


def test_an_offset_past_the_end_is_an_empty_page_with_the_total(app, user):
    add_projects(app, user, 4)
    assert page_of(app, user, limit=10, offset=4) == Page([], 4)
    assert page_of(app, user, limit=10, offset=100) == Page([], 4)


def test_nothing_to_list(app, user):
    assert page_of(app, user, limit=10) == Page([], 0)


def test_rows_created_at_the_same_instant_never_repeat_across_pages(app, user):
    ids = add_projects(app, user, 9, same_time=True)
    pages = [page_of(app, user, limit=2, offset=offset).items for offset in range(0, 9, 2)]
    seen = [project_id for page in pages for project_id in page]
    assert seen == sorted(ids, reverse=True)


def test_the_total_counts_only_what_the_query_selects(app, user):
    ids = add_projects(app, user, 5)
    add_projects(app, make_user(app, email="other@example.com"), 3)
    with app.app_context():
        query = owned(Project, accounts.get_user(user.id)).where(Project.name != "P00")
    assert page_of(app, user, limit=2, query=query) == Page([ids[4], ids[3]], 4)
    assert page_of(app, user, limit=50).total == 5


def test_a_page_unpacks_as_items_and_total(app, user):
    add_projects(app, user, 3)
    with app.app_context():
        items, total = paginate(
            owned(Project, accounts.get_user(user.id)), order_by=newest_first(Project), limit=2
        )
        assert [type(item) for item in items] == [Project, Project] and total == 3


@pytest.mark.parametrize("size", [1, 12])
def test_a_page_costs_two_queries_whatever_its_size(app, user, sql_statements, size):
    add_projects(app, user, size)
    with app.app_context():
        query = owned(Project, accounts.get_user(user.id))
        with sql_statements() as executed:
            page = paginate(query, order_by=newest_first(Project), limit=50)
    assert len(page.items) == size and len(executed) == 2, executed


def add_sources(app, user, project_id: str, count: int) -> None:
    with app.app_context():
        db.session.add_all(
            [
                Source(
                    project_id=project_id,
                    user_id=user.id,
                    filename=f"s{n}.txt",
                    file_type=FileType.TXT,
                    file_size=1,
                    status=SourceStatus.PARSED,
                )
                for n in range(count)
            ]
        )
        db.session.commit()


@pytest.mark.parametrize("loader", [selectinload, joinedload])
def test_eager_loading_options_are_kept(app, user, sql_statements, loader):
    projects = [make_project(app, user, name=f"With sources {n}") for n in range(3)]
    for project in projects:
        add_sources(app, user, project.id, 4)
    with app.app_context():
        query = owned(Project, accounts.get_user(user.id)).options(loader(Project.sources))
        page = paginate(query, order_by=newest_first(Project), limit=2)
        # Two projects, not one row per source, and the total still counts projects.
        assert len(page.items) == 2 and page.total == 3
        with sql_statements() as executed:
            loaded = [len(project.sources) for project in page.items]
    assert loaded == [4, 4] and executed == []
