"""services.usage: a workspace's last 30 UTC days added up by the database (posts per day
with the window's edges, tokens and cost per model, the split per member), and the bar
chart's geometry."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from webapp.extensions import db
from webapp.models import Workspace
from webapp.services import usage

from ..factories import make_user
from ..team_factories import make_team, make_team_project
from ..usage_helpers import add_post

pytestmark = pytest.mark.usefixtures("db")

TODAY = date(2026, 11, 30)
SPAN = usage.window(TODAY)


def at(day: date, hour=12, minute=0, microsecond=0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, 0, microsecond)


@pytest.fixture
def team(app):
    owner = make_user(app, email="owner@example.com", name="Olive Owner")
    editor = make_user(app, email="editor@example.com", name="Eddie Editor")
    workspace = make_team(app, owner, editor=editor)
    project = make_team_project(app, owner, workspace)
    return workspace, project, owner, editor


def report(app, workspace_id, what, span=SPAN):
    with app.app_context():
        return what(db.session.get(Workspace, workspace_id), span)


def test_the_window_is_the_last_thirty_utc_days_today_included():
    assert SPAN.first_day == date(2026, 11, 1) and SPAN.last_day == TODAY
    assert len(SPAN.days) == 30
    assert SPAN.start == datetime(2026, 11, 1) and SPAN.end == datetime(2026, 12, 1)


def test_posts_per_day_counts_each_utc_day_and_keeps_the_window_edges(app, team):
    workspace, project, owner, editor = team
    first = SPAN.first_day
    add_post(app, project, owner, at(first, 0, 0))  # the first moment in
    add_post(app, project, owner, at(first - timedelta(days=1), 23, 59, 999_999))  # just before
    add_post(app, project, editor, at(TODAY, 23, 59, 999_999))  # the last moment in
    add_post(app, project, editor, at(TODAY + timedelta(days=1), 0, 0))  # tomorrow: out
    for hour in (1, 9, 22):
        add_post(app, project, editor, at(date(2026, 11, 12), hour))

    days = report(app, workspace.id, usage.posts_per_day)

    assert [d.day for d in days] == SPAN.days
    counts = {d.day: d.posts for d in days if d.posts}
    assert counts == {first: 1, date(2026, 11, 12): 3, TODAY: 1}


def test_only_completed_posts_of_the_workspace_count(app, team):
    workspace, project, owner, _ = team
    add_post(app, project, owner, at(TODAY), status="failed")
    add_post(app, project, owner, at(TODAY), status="generating")
    add_post(app, project, owner, at(TODAY), test_mode=True)
    elsewhere = make_team_project(app, owner, make_team(app, owner, name="Other"))
    add_post(app, elsewhere, owner, at(TODAY))
    add_post(app, project, owner, at(TODAY))

    days = report(app, workspace.id, usage.posts_per_day)

    assert sum(d.posts for d in days) == 1


def test_tokens_and_cost_are_summed_per_model_costliest_first(app, team):
    workspace, project, owner, editor = team
    add_post(app, project, owner, at(TODAY), prompt_tokens=1000, completion_tokens=500)
    add_post(app, project, editor, at(date(2026, 11, 3)), cost_usd="0.0250")
    add_post(app, project, owner, at(TODAY), model="anthropic/claude", cost_usd="0.5000")
    add_post(
        app,
        project,
        owner,
        at(TODAY),
        model="offline",
        prompt_tokens=0,
        completion_tokens=0,
        cost_usd="0",
    )
    add_post(app, project, owner, at(date(2026, 10, 31)), model="anthropic/claude")  # before

    models = report(app, workspace.id, usage.usage_per_model)

    assert [(m.model, m.posts, m.tokens, m.cost) for m in models] == [
        ("anthropic/claude", 1, 150, Decimal("0.5")),
        ("openai/gpt-4o-mini", 2, 1650, Decimal("0.035")),
        ("offline", 1, 0, Decimal("0")),
    ]
    assert models[-1].offline and not models[0].offline


def test_the_split_per_member_adds_up_each_authors_posts(app, team):
    workspace, project, owner, editor = team
    add_post(app, project, owner, at(TODAY), cost_usd="0.2000")
    for day in (date(2026, 11, 2), date(2026, 11, 20)):
        add_post(app, project, editor, at(day), prompt_tokens=10, completion_tokens=20)
    add_post(app, project, editor, at(date(2026, 10, 1)))  # outside the window

    members = report(app, workspace.id, usage.usage_per_member)

    assert [(m.name, m.email, m.posts, m.tokens, m.cost) for m in members] == [
        ("Eddie Editor", "editor@example.com", 2, 60, Decimal("0.02")),
        ("Olive Owner", "owner@example.com", 1, 150, Decimal("0.2")),
    ]


def test_an_empty_workspace_has_thirty_empty_days_and_no_rows(app, team):
    workspace = team[0]
    assert all(d.posts == 0 for d in report(app, workspace.id, usage.posts_per_day))
    assert report(app, workspace.id, usage.usage_per_model) == []
    assert report(app, workspace.id, usage.usage_per_member) == []


def test_the_chart_draws_a_bar_per_day_with_posts_scaled_to_a_round_top():
    counts = [(day, 0) for day in SPAN.days]
    counts[11] = (date(2026, 11, 12), 3)
    counts[29] = (TODAY, 7)

    chart = usage.bar_chart(counts)

    assert [bar.title for bar in chart.bars] == ["3 posts on 12 Nov", "7 posts on 30 Nov"]
    assert [tick.label for tick in chart.ticks] == ["0", "2", "4", "6", "8"]
    tall = chart.bars[1]
    assert tall.y + tall.height == chart.baseline
    assert tall.height == pytest.approx((chart.baseline - chart.ticks[-1].y) * 7 / 8, abs=0.2)
    assert tall.x + tall.width <= chart.right and chart.bars[0].x >= chart.left
    assert [label.label for label in chart.day_labels] == [
        "2 Nov",
        "9 Nov",
        "16 Nov",
        "23 Nov",
        "30 Nov",
    ]


def test_a_chart_of_one_post_says_post_and_an_empty_one_has_an_axis():
    assert usage.bar_chart([(TODAY, 1)]).bars[0].title == "1 post on 30 Nov"
    empty = usage.bar_chart([(day, 0) for day in SPAN.days])
    assert empty.bars == [] and [tick.label for tick in empty.ticks] == ["0", "1"]
