"""The usage page: the last 30 UTC days of the current workspace as an SVG bar chart
readable without JavaScript (titles, a data table), tokens and cost per model, the posts
left this month; the owner alone sees the split per member; anybody else gets 404."""

from __future__ import annotations

from datetime import timedelta

from bs4 import BeautifulSoup

from webapp.extensions import db
from webapp.models import Job
from webapp.services import plans, quota
from webapp.timeutil import utcnow
from webapp.vocabulary import JobType

from ..factories import make_user
from ..team_factories import make_team, make_team_project
from ..usage_helpers import add_post


def noon_days_ago(days: int):
    return utcnow().replace(hour=12, minute=0, second=0, microsecond=0) - timedelta(days=days)


def day_label(moment) -> str:
    return f"{moment.day} {moment:%b}"


def setup_team(app, owner, editor):
    team = make_team(app, owner, name="Marketing", editor=editor)
    project = make_team_project(app, owner, team)
    for _ in range(3):
        add_post(app, project, editor, noon_days_ago(2), cost_usd="0.0200")
    add_post(app, project, owner, noon_days_ago(0), model="anthropic/claude", cost_usd="0.5000")
    return team, project


def usage_page(client, team) -> BeautifulSoup:
    response = client.get(f"/workspaces/{team.id}/usage")
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def text_of(node) -> str:
    return " ".join(node.get_text(" ").split())


def test_the_owner_sees_the_chart_the_models_and_the_split_per_member(client, auth, app):
    owner = auth.signed_in(email="olive@example.com", name="Olive")
    editor = make_user(app, email="eddie@example.com", name="Eddie")
    team, _ = setup_team(app, owner, editor)

    page = usage_page(client, team)

    assert [text_of(h) for h in page.find_all("h1")] == ["Usage"]
    assert "Days are in UTC" in text_of(page.main)
    models = page.find("section", attrs={"aria-labelledby": "usage-models-title"})
    rows = [text_of(row) for row in models.find_all("tr")]
    assert "anthropic/claude 1 150 $0.5000" in rows
    assert "openai/gpt-4o-mini 3 450 $0.0600" in rows
    assert "Total 4 600 $0.5600" in rows
    members = page.find("section", attrs={"aria-labelledby": "usage-members-title"})
    assert members is not None
    member_rows = [text_of(row) for row in members.find("tbody").find_all("tr")]
    assert member_rows == [
        "Eddie eddie@example.com 3 450 $0.0600",
        "Olive olive@example.com 1 150 $0.5000",
    ]


def test_a_member_who_is_not_the_owner_sees_no_split(client, auth, app):
    owner = make_user(app, email="olive@example.com", name="Olive")
    editor = auth.signed_in(email="eddie@example.com", name="Eddie")
    team, _ = setup_team(app, owner, editor)

    page = usage_page(client, team)

    assert page.find(id="usage-members-title") is None
    assert "olive@example.com" not in str(page.main)
    assert "Per member" not in text_of(page.main)
    assert "openai/gpt-4o-mini 3 450 $0.0600" in [text_of(r) for r in page.find_all("tr")]
    assert "Counted on the plan of Olive, the owner, who can raise it." in text_of(page.main)


def test_the_chart_is_an_svg_with_titles_axis_labels_and_a_table(client, auth, app):
    owner = auth.signed_in(email="olive@example.com", name="Olive")
    team, _ = setup_team(app, owner, make_user(app, email="eddie@example.com"))

    page = usage_page(client, team)

    svg = page.find("svg", class_="usage-chart")
    assert svg["role"] == "img"
    labelled_by = svg["aria-labelledby"].split()
    assert [svg.find(id=name).name for name in labelled_by] == ["title", "desc"]
    assert "4 posts in 30 days" in text_of(svg.find("desc"))
    bars = svg.find_all("rect", class_="usage-bar")
    assert [text_of(bar.title) for bar in bars] == [
        f"3 posts on {day_label(noon_days_ago(2))}",
        f"1 post on {day_label(noon_days_ago(0))}",
    ]
    dates = [text_of(t) for t in svg.find_all("text", class_="usage-day")]
    assert day_label(noon_days_ago(0)) == dates[-1]
    assert [text_of(t) for t in svg.find_all("text", class_="usage-tick")] == ["0", "1", "2", "3"]
    assert not page.find_all(attrs={"style": True})
    table = page.find("details", class_="usage-table")
    assert text_of(table.summary) == "Show as table"
    days = [text_of(row) for row in table.find("tbody").find_all("tr")]
    assert len(days) == 30
    assert days[2].endswith(f"{day_label(noon_days_ago(2))} 3")


def test_the_posts_left_this_month_and_the_reset_date_lead_the_page(client, auth, app):
    owner = auth.signed_in(email="olive@example.com", name="Olive")
    team = make_team(app, owner)
    page = usage_page(client, team)

    quota = page.find("section", class_="usage-quota")
    first = (utcnow().date().replace(day=28) + timedelta(days=4)).replace(day=1)
    said = " ".join(quota.get_text().split())
    assert f"10 of 10 posts left · resets on {first.day} {first:%B %Y}." in said
    assert quota.find("time")["datetime"] == first.isoformat()
    assert "No posts were written in the last 30 days." in text_of(page.main)


def test_usage_opens_the_current_workspace_and_is_in_the_menus(client, auth, app):
    owner = auth.signed_in(email="olive@example.com")
    team = make_team(app, owner)
    page = usage_page(client, team)
    usage_url = f"/workspaces/{team.id}/usage"
    assert page.find("nav", class_="workspace-tabs").find("a", href=usage_url)["aria-current"]

    response = client.get("/usage")

    assert response.status_code == 302
    personal = BeautifulSoup(
        client.get(response.headers["Location"]).get_data(as_text=True), "html.parser"
    )
    menu = personal.find("li", class_="workspace-switcher")
    assert menu.find("a", string="Usage")["href"] == response.headers["Location"]


def test_a_non_member_gets_404_and_a_visitor_signs_in(client, auth, app):
    team = make_team(app, make_user(app, email="olive@example.com"))
    url = f"/workspaces/{team.id}/usage"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    assert "/login" in client.get("/usage").headers["Location"]

    auth.signed_in(email="out@example.com")
    assert client.get(url).status_code == 404


def test_the_page_query_count_does_not_grow_with_posts_models_or_members(
    client, auth, app, sql_statements
):
    owner = auth.signed_in(email="olive@example.com", name="Olive")
    team, project = setup_team(app, owner, make_user(app, email="eddie@example.com"))

    def queries() -> int:
        with sql_statements() as executed:
            assert client.get(f"/workspaces/{team.id}/usage").status_code == 200
        return len(executed)

    few = queries()
    for n in range(6):
        author = make_user(app, email=f"writer{n}@example.com")
        add_post(app, project, author, noon_days_ago(n * 4), model=f"model-{n}")
    assert queries() == few


def test_an_unlimited_plan_says_so_and_htmx_gets_the_report_alone(client, auth, app):
    owner = auth.signed_in(email="olive@example.com", plan="enterprise")
    team = make_team(app, owner)
    page = usage_page(client, team)
    assert "Unlimited posts · 0 used this month." in " ".join(page.main.get_text().split())

    fragment = client.get(
        f"/workspaces/{team.id}/usage", headers={"HX-Request": "true", "HX-Target": "usage-report"}
    ).get_data(as_text=True)

    assert fragment.lstrip().startswith('<div id="usage-report">') and "<h1" not in fragment
    assert 'class="usage-chart"' in fragment


def test_the_usage_page_and_the_new_post_form_count_the_same_posts_left(client, auth, app):
    """Posts being written (reserved by a job that has not finished) count as used on
    both pages, so they never disagree about what is left."""
    owner = auth.signed_in(email="olive@example.com", name="Olive")
    team = make_team(app, owner)
    project = make_team_project(app, owner, team)
    with app.app_context():
        plans.add_posts_used(owner.id, 3)
        job = Job(user_id=owner.id, project_id=project.id, job_type=JobType.CONTENT_GENERATION)
        db.session.add(job)
        db.session.flush()
        quota.reserve(job, owner.id, 2)
        db.session.commit()

    said = " ".join(
        usage_page(client, team).find("section", class_="usage-quota").get_text().split()
    )
    assert "5 of 10 posts left" in said
    form = client.get(f"/projects/{project.id}/posts/new").get_data(as_text=True)
    assert "5 of 10 posts left this month" in form
