"""Workflows through the API, with the real `python worker.py` and the offline writer: the
catalog, each workflow's posts (a campaign pack's four written from the blog post's
sections), the result's post_ids, the validation of workflow, channel and slots, and a
campaign's four quota units reserved up front."""

from __future__ import annotations

import io
import re

import pytest

from webapp.extensions import db
from webapp.models import Job, Post, Project, Source, User
from webapp.services import plans
from webapp.services.plans import PLANS
from webapp.vocabulary import PlanName

from ..factories import make_sources
from .test_posts import Api

CAMPAIGN_CHANNELS = ["blog", "twitter", "linkedin", "email"]
SOURCE = [
    "Onboarding emails should arrive within minutes of sign-up, while interest is high.",
    "A welcome email that names one next step doubles the share of users who take it.",
    "Product tours work best when each step shows the customer's own data.",
    "Checklists inside the app keep new users moving without a call from sales.",
    "Customers who finish onboarding in the first week stay twice as long.",
    "Survey new users after a month to learn which step confused them most.",
]
GUIDE = (
    "# Onboarding guide\n\n"
    "## Welcome emails\n\n"
    "Onboarding emails should arrive within minutes of sign-up, while interest is high. "
    "An onboarding email that names one next step doubles the share of users who take it. "
    "Onboarding mail sent on the third day catches the users who stalled.\n\n"
    "## Product tours\n\n"
    "Onboarding tours work best when each step shows the customer's own data. "
    "Onboarding checklists inside the app keep new users moving without a call from sales. "
    "Short onboarding videos help the users who skip written steps.\n\n"
    "## Measuring onboarding\n\n"
    "Customers who finish onboarding in the first week stay twice as long. "
    "Survey new users after a month to learn which onboarding step confused them most. "
    "Track onboarding completion per signup cohort to see what a change did.\n"
)
CHANGELOG = (
    "## 2.4.0\n\n"
    "Added: bulk generation from a CSV of topics, up to the plan's bulk limit.\n\n"
    "Changed: campaign packs reserve four posts of the monthly quota when they start.\n\n"
    "Fixed: the job page no longer stops updating after a worker restart.\n\n"
    "Upgrade: run the database migrations before restarting the workers.\n"
)


class Flow(Api):
    def generate_workflow(self, workflow, **fields):
        return self.generate(workflow=workflow, **fields)

    def finished(self, response, status="completed") -> dict:
        assert response.status_code == 202, response.get_json()
        job = self.finished_job(response.get_json()["job_id"])
        assert job["status"] == status, job
        return job

    def markdown_source(self, markdown: str = GUIDE, name="guide.md") -> str:
        response = self.client.post(
            f"/api/v1/sources/projects/{self.project['id']}/sources",
            headers=self.headers,
            data={"file": (io.BytesIO(markdown.encode()), name)},
        )
        return self.wait_parsed(response.get_json()["id"])

    def posts_of(self, job) -> list[dict]:
        return [self.post(i).get_json() for i in job["result"]["post_ids"]]


@pytest.fixture
def flow(client, auth, worker):
    return Flow(client, auth.headers(), worker)


def counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.execute(db.select(db.func.count()).select_from(Post)).scalar(),
            db.session.execute(db.select(db.func.count()).select_from(Job)).scalar(),
        )


def headings_named(text: str, headings: list[str]) -> list[str]:
    """The headings `text` names (case and spacing aside)."""
    flat = " ".join(text.lower().split())
    return [h for h in headings if " ".join(h.lower().split()) in flat]


# ------------------------------------------------------------------------- catalog


def test_the_catalog_lists_every_workflow_with_its_slots(client, auth):
    response = client.get("/api/v1/workflows/catalog", headers=auth.headers())
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == len(body["workflows"]) == 5
    by_id = {w["spec_id"]: w for w in body["workflows"]}
    assert list(by_id) == ["blog_post", "campaign_pack", "newsletter", "release_notes", "repurpose"]
    for workflow in body["workflows"]:
        assert set(workflow) == {
            "spec_id",
            "name",
            "description",
            "channels",
            "required_slots",
            "supported_input_formats",
            "supports_outline_review",
        }
    assert by_id["campaign_pack"]["channels"] == CAMPAIGN_CHANNELS
    assert by_id["newsletter"]["channels"] == ["email"]
    assert by_id["blog_post"]["supports_outline_review"] is True
    assert by_id["repurpose"]["supports_outline_review"] is False
    slots = {s["slot_id"]: s for s in by_id["repurpose"]["required_slots"]}
    assert slots["post_id"]["type"] == "post_id" and slots["post_id"]["required"] is True
    assert slots["channels"]["type"] == "choices" and "linkedin" in slots["channels"]["options"]
    assert "pdf" in by_id["release_notes"]["supported_input_formats"]
    assert client.get("/api/v1/workflows/catalog").status_code == 401


def test_the_catalog_and_the_new_fields_are_in_the_openapi_document(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/workflows/catalog" in document["paths"]
    assert "patch" in document["paths"]["/api/v1/jobs/{job_id}/slots"]
    assert "post" in document["paths"]["/api/v1/jobs/{job_id}/confirm"]
    generate = document["components"]["schemas"]["GenerateRequest"]["properties"]
    assert {"workflow", "slots", "review_outline"} <= set(generate)
    job = document["components"]["schemas"]["JobOut"]["properties"]
    assert {"item_version", "checkpoint"} <= set(job)


# ------------------------------------------------------------------- the workflows


def test_a_blog_post_job_reports_its_post_as_post_id_and_post_ids(flow):
    job = flow.finished(flow.generate())
    assert job["result"]["post_ids"] == [job["result"]["post_id"]]
    assert job["item_version"] == 1 and job["checkpoint"] is None
    post = flow.post(job["result"]["post_id"]).get_json()
    assert post["workflow"] == "blog_post" and post["position"] == 0 and post["channel"] == "blog"


def test_a_campaign_pack_writes_four_posts_from_the_blog_posts_sections(flow, app, client):
    source_id = flow.markdown_source()
    job = flow.finished(
        flow.generate_workflow(
            "campaign_pack", topic="Onboarding new customers", source_ids=[source_id]
        )
    )
    assert job["total_items"] == 4 and job["job_type"] == "content_generation"
    posts = flow.posts_of(job)
    assert job["result"]["post_id"] == posts[0]["id"]
    assert [p["channel"] for p in posts] == CAMPAIGN_CHANNELS
    assert [p["position"] for p in posts] == [0, 1, 2, 3]
    assert {p["workflow"] for p in posts} == {"campaign_pack"}
    assert all(p["status"] == "completed" and p["job_id"] == job["id"] for p in posts)
    headings = [s["heading"] for s in posts[0]["content"]["sections"]]
    assert len(headings) >= 2
    thread, linkedin, newsletter = (p["content"] for p in posts[1:])
    # Each of the others is written from the blog post's sections and names them.
    assert headings_named(" ".join(thread["thread"]), headings) == headings
    assert headings_named(linkedin["text"], headings) == headings
    assert [s["heading"] for s in newsletter["sections"]] == headings
    # Four posts, four units of the quota.
    assert (
        client.get("/api/v1/users/me", headers=flow.headers).get_json()["quota"]["posts_used"] == 4
    )


def test_a_newsletter_is_one_email_post_for_its_audience(flow):
    source_id = flow.parsed_source(SOURCE)
    job = flow.finished(
        flow.generate_workflow(
            "newsletter",
            topic="Onboarding news",
            source_ids=[source_id],
            slots={"audience": "customers on the free plan"},
        )
    )
    [post] = flow.posts_of(job)
    assert job["result"]["post_id"] == post["id"]
    assert post["channel"] == "email" and post["workflow"] == "newsletter"
    assert post["content"]["subject"] and post["content"]["body"]
    assert "customers on the free plan" in post["custom_instructions"]


def test_release_notes_from_the_changes_slot_cite_a_real_source(flow, app):
    job = flow.finished(
        flow.generate_workflow(
            "release_notes",
            topic="Copydesk release",
            slots={"changes": CHANGELOG, "version": "2.4.0"},
        )
    )
    [post] = flow.posts_of(job)
    assert post["channel"] == "blog" and post["workflow"] == "release_notes"
    assert post["content"]["title"] == "Copydesk release 2.4.0"
    [source_id] = post["source_ids"]
    source = flow.client.get(f"/api/v1/sources/sources/{source_id}", headers=flow.headers)
    assert source.status_code == 200
    assert source.get_json()["status"] == "parsed"
    assert source.get_json()["filename"] == "Release changes 2.4.0.txt"
    citations = post["content"]["citations"]
    assert citations and {c["source_id"] for c in citations} == {source_id}
    assert "bulk generation from a CSV" in post["content"]["markdown"]


def test_release_notes_follow_their_own_outline(flow):
    """What changed, for whom, how to upgrade: the long-form post has those sections."""
    source_id = flow.parsed_source(CHANGELOG.split("\n\n"))
    job = flow.finished(
        flow.generate_workflow("release_notes", topic="Release 2.4.0", source_ids=[source_id])
    )
    [post] = flow.posts_of(job)
    assert [s["heading"] for s in post["content"]["sections"]] == [
        "What changed",
        "Who it affects",
        "How to upgrade",
    ]


def test_repurpose_writes_one_post_per_channel_from_the_post(flow):
    source_id = flow.markdown_source()
    original = flow.generated_post(topic="Onboarding that sticks", source_ids=[source_id])
    job = flow.finished(
        flow.generate_workflow(
            "repurpose",
            topic=None,
            slots={"post_id": original["id"], "channels": ["twitter", "linkedin"]},
        )
    )
    posts = flow.posts_of(job)
    assert "post_id" not in job["result"]  # two posts, neither the main one
    assert [p["channel"] for p in posts] == ["twitter", "linkedin"]
    assert all(p["topic"] == "Onboarding that sticks" for p in posts)
    assert all(p["source_ids"] == [source_id] for p in posts)
    headings = [s["heading"] for s in original["content"]["sections"]]
    assert len(headings) >= 2
    assert headings_named(" ".join(posts[0]["content"]["thread"]), headings) == headings
    assert headings_named(posts[1]["content"]["text"], headings) == headings


def test_repurpose_into_a_blog_keeps_the_posts_sections(flow):
    source_id = flow.markdown_source()
    original = flow.generated_post(topic="Onboarding", source_ids=[source_id])
    job = flow.finished(
        flow.generate_workflow(
            "repurpose",
            topic="Onboarding, the long read",
            slots={"post_id": original["id"], "channels": ["email"]},
        )
    )
    [post] = flow.posts_of(job)
    assert job["result"]["post_id"] == post["id"]
    assert post["topic"] == "Onboarding, the long read"
    assert [s["heading"] for s in post["content"]["sections"]] == [
        s["heading"] for s in original["content"]["sections"]
    ]


# ---------------------------------------------------------------------- bad input


def error_of(response, status=400):
    assert response.status_code == status, response.get_json()
    return response.get_json()["detail"]


@pytest.mark.parametrize(
    "fields,loc,says",
    [
        ({"workflow": "podcast"}, ["body", "workflow"], "campaign_pack"),
        ({"workflow": "campaign_pack", "channel": "blog"}, ["body", "channel"], "blog_post"),
        ({"workflow": "newsletter", "channel": "email"}, ["body", "channel"], "blog_post"),
        ({"workflow": "newsletter", "slots": {"audience": 42}}, ["body", "slots", "audience"], ""),
        (
            {"workflow": "newsletter", "slots": {"tone": "warm"}},
            ["body", "slots", "tone"],
            "audience",
        ),
        ({"slots": {"audience": "all"}}, ["body", "slots", "audience"], "no slots"),
        ({"workflow": "repurpose"}, ["body", "slots", "post_id"], ""),
        (
            {"workflow": "repurpose", "slots": {"post_id": "0" * 24, "channels": ["fax"]}},
            ["body", "slots", "channels"],
            "linkedin",
        ),
        (
            {"workflow": "repurpose", "slots": {"post_id": "0" * 24, "channels": ["twitter"]}},
            ["body", "slots", "post_id"],
            "",
        ),
        (
            {
                "workflow": "repurpose",
                "review_outline": True,
                "slots": {"post_id": "x", "channels": ["blog"]},
            },
            ["body", "review_outline"],
            "",
        ),
        ({"channel": "twitter", "review_outline": True}, ["body", "review_outline"], "blog"),
        ({"workflow": "release_notes"}, ["body", "slots", "changes"], "source"),
        ({"workflow": "campaign_pack", "topic": None}, ["body", "topic"], ""),
    ],
)
def test_bad_workflow_requests_are_400_at_the_field_and_start_nothing(flow, app, fields, loc, says):
    detail = error_of(flow.generate(**fields))
    assert detail["code"] == "VALIDATION_ERROR"
    assert detail["errors"][0]["loc"] == loc, detail
    assert says in detail["message"]
    assert counts(app) == (0, 0)


def test_repurposing_a_post_of_another_project_or_not_completed_is_refused(flow, app, client):
    other = Flow(client, flow.headers, flow.worker)  # a second project of the same user
    theirs = other.generated_post(topic="Elsewhere")
    detail = error_of(
        flow.generate_workflow(
            "repurpose", slots={"post_id": theirs["id"], "channels": ["twitter"]}
        )
    )
    assert detail["errors"][0]["loc"] == ["body", "slots", "post_id"]
    with app.app_context():
        db.session.execute(db.update(Post).values(status="failed"))
        db.session.commit()
    mine = Flow(client, flow.headers, flow.worker)
    with app.app_context():
        db.session.execute(db.update(Post).values(project_id=mine.project["id"]))
        db.session.commit()
    detail = error_of(
        mine.generate_workflow("repurpose", slots={"post_id": theirs["id"], "channels": ["blog"]})
    )
    assert "completed" in detail["message"]


def test_a_campaign_with_three_posts_left_is_refused_and_writes_nothing(flow, app, client):
    user_id = client.get("/api/v1/users/me", headers=flow.headers).get_json()["id"]
    with app.app_context():
        plans.add_posts_used(user_id, 7)  # the free plan's 10, less 3
        db.session.commit()
    detail = error_of(flow.generate_workflow("campaign_pack"), 403)
    assert detail["code"] == "QUOTA_EXCEEDED" and "3 left" in detail["message"]
    assert counts(app) == (0, 0)
    # One post still fits.
    flow.finished(flow.generate())


def test_release_notes_refused_at_the_quota_keep_no_changes_source(flow, app, client):
    user_id = client.get("/api/v1/users/me", headers=flow.headers).get_json()["id"]
    with app.app_context():
        plans.add_posts_used(user_id, 10)
        db.session.commit()
    response = flow.generate_workflow("release_notes", slots={"changes": CHANGELOG})
    assert error_of(response, 403)["code"] == "QUOTA_EXCEEDED"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Source)).scalar() == 0


def test_release_notes_refused_at_the_source_cap_write_nothing(flow, app):
    """The changes slot becomes a source of the project, so the plan's source caps hold
    for it as for an upload."""
    with app.app_context():
        project = db.session.get(Project, flow.project["id"])
        owner = db.session.get(User, project.user_id)
    make_sources(app, owner, project, count=PLANS[PlanName.FREE].sources_per_project)
    response = flow.generate_workflow("release_notes", slots={"changes": CHANGELOG})
    assert error_of(response, 403)["code"] == "SOURCE_LIMIT_REACHED"
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Job)).scalar() == 0
        assert not db.session.execute(
            db.select(Source.id).where(Source.filename.like("Release changes%"))
        ).first()


def test_channel_still_picks_the_blog_posts_channel(flow):
    job = flow.finished(flow.generate(workflow="blog_post", channel="linkedin"))
    post = flow.post(job["result"]["post_id"]).get_json()
    assert post["channel"] == "linkedin"
    assert re.match(r"^[0-9a-f]{24}$", post["id"])
