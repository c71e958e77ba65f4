"""The activity page: a member sees who did what and when, newest first, a page at a time,
filtered by action with a plain form (htmx swaps the list alone); anybody else gets 404."""

from __future__ import annotations

import html
import re

from webapp.extensions import db
from webapp.models import ActivityEvent
from webapp.services import accounts, activity
from webapp.vocabulary import Activity

from ..factories import make_user
from ..team_factories import make_team, make_team_project

HTMX_LIST = {"HX-Request": "true", "HX-Target": "activity-events"}


def rows(page: str) -> list[str]:
    """The summaries of the events listed, in order."""
    return [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
        for cell in re.findall(r'<tr id="event-[^"]+">.*?</tr>', page, re.S)
    ]


def test_a_member_sees_who_did_what_and_when(client, auth, app):
    viewer = auth.signed_in(email="val@example.com", name="Val")
    ann = make_user(app, email="ann@example.com", name="Ann")
    team = make_team(app, ann, name="Marketing", viewer=viewer)
    make_team_project(app, ann, team, "Launch")
    make_team_project(app, ann, team, "Autumn <sale>")

    response = client.get(f"/workspaces/{team.id}/activity")

    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<html" in page and "Marketing" in page
    listed = rows(page)
    assert len(listed) == 2
    assert 'Ann created project "Autumn <sale>"' in listed[0]  # newest first
    assert "<sale>" not in page  # escaped
    assert 'Ann created project "Launch"' in listed[1]
    # When, as the app shows times elsewhere.
    assert re.search(
        r'<time datetime="\d{4}-\d\d-\d\dT[^"]+Z" title="[^"]+ UTC" data-local="datetime">'
        r"\d\d \w{3} \d{4}, \d\d:\d\d UTC</time>",
        page,
    )


def test_an_event_without_its_actor_still_reads(client, auth, app):
    ann = auth.signed_in(email="ann@example.com", name="Ann")
    team = make_team(app, ann)
    with app.app_context():
        activity.record(team.id, None, Activity.MEMBER_REMOVED, "member", None, "Bo left")
        db.session.commit()
    listed = rows(client.get(f"/workspaces/{team.id}/activity").get_data(as_text=True))
    assert "Deleted account" in listed[0] and "Bo left" in listed[0]


def test_filter_by_action_works_without_javascript_and_with_htmx(client, auth, app):
    ann = auth.signed_in(email="ann@example.com", name="Ann")
    team = make_team(app, ann)
    make_team_project(app, ann, team, "Launch")
    with app.app_context():
        activity.record(
            team.id,
            accounts.get_user(ann.id),
            Activity.INVITATION_SENT,
            "invitation",
            None,
            "Ann invited bo@example.com as editor",
        )
        db.session.commit()
    url = f"/workspaces/{team.id}/activity"

    everything = client.get(url).get_data(as_text=True)
    assert '<select id="action" name="action">' in everything
    assert '<option value="project.created" >Project created</option>' in everything
    assert len(rows(everything)) == 2

    filtered = client.get(url, query_string={"action": "project.created"}).get_data(as_text=True)
    assert len(rows(filtered)) == 1 and 'Ann created project "Launch"' in rows(filtered)[0]
    assert '<option value="project.created" selected>' in filtered

    fragment = client.get(url, query_string={"action": "invitation.sent"}, headers=HTMX_LIST)
    text = fragment.get_data(as_text=True)
    assert "<html" not in text
    assert 'id="activity-events"' in text
    assert len(rows(text)) == 1 and "invited bo@example.com" in rows(text)[0]

    unknown = client.get(url, query_string={"action": "nonsense"}).get_data(as_text=True)
    assert len(rows(unknown)) == 2  # not an action: everything


def test_newer_and_older_pages(client, auth, app):
    ann = auth.signed_in(email="ann@example.com", name="Ann")
    team = make_team(app, ann)
    with app.app_context():
        for number in range(30):
            activity.record(
                team.id,
                accounts.get_user(ann.id),
                Activity.PROJECT_CREATED,
                "project",
                None,
                f'Ann created project "P{number}"',
            )
            db.session.flush()
        db.session.commit()
        assert db.session.query(ActivityEvent).count() == 30
    url = f"/workspaces/{team.id}/activity"

    first = client.get(url, query_string={"action": "project.created"}).get_data(as_text=True)
    assert len(rows(first)) == 25 and '"P29"' in rows(first)[0]
    assert "Newer" not in first
    older = re.search(r'<a href="([^"]+)"[^>]*rel="next">Older', first).group(1)
    assert "action=project.created" in older and "page=2" in older

    second = client.get(older.replace("&amp;", "&")).get_data(as_text=True)
    assert [r.split('"')[1] for r in rows(second)] == [f"P{n}" for n in range(4, -1, -1)]
    assert "Older" not in second
    newer = re.search(r'<a href="([^"]+)"[^>]*rel="prev">', second).group(1)
    assert "page=1" in newer

    past = client.get(url, query_string={"page": 9}).get_data(as_text=True)
    assert "No more events" in past


def test_a_non_member_gets_404_and_a_visitor_signs_in(client, auth, app):
    ann = make_user(app, email="ann@example.com", name="Ann")
    team = make_team(app, ann)
    url = f"/workspaces/{team.id}/activity"

    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]

    auth.signed_in(email="out@example.com")
    assert client.get(url).status_code == 404
    assert client.get("/workspaces/507f1f77bcf86cd799439017/activity").status_code == 404
