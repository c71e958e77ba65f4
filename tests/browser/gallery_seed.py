"""The data the gallery walks through: one marketer's account with a team, a project with
sources and posts of three channels, jobs running and finished, and a link, key, voice,
invitation and tokens for every page that needs one. Made through the factories and
services, once per test; returned as the ids and tokens the page paths are built from."""

from __future__ import annotations

from types import SimpleNamespace

from webapp.extensions import db
from webapp.models import Job, Post, Project, Source, User, Workspace
from webapp.services import (
    api_keys,
    email_verification,
    invitations,
    links,
    password_reset,
    projects,
)
from webapp.services.review import sharing
from webapp.services.voices import core as voices
from webapp.services.workspaces import personal_workspace_of

from ..export_helpers import cited_post
from ..factories import make_user
from ..review_factories import make_reviewable_post
from ..team_factories import make_team

MARKETER = {"email": "maya@example.com", "name": "Maya Chen", "plan": "pro"}
DESCRIPTION = "Posts for the spring product launch: the blog, LinkedIn and X."


def seed_gallery(app) -> SimpleNamespace:
    """Everything the gallery's pages show; the marketer signs in as `.user`."""
    user = make_user(app, **MARKETER)
    sam = make_user(app, email="sam@example.com", name="Sam Lee")
    team = make_team(app, user, name="Northwind Marketing", editor=sam)
    with app.app_context():
        maya = db.session.get(User, user.id)
        project = projects.create_project(maya, "Spring launch", DESCRIPTION, workspace_id=team.id)
        projects.create_project(maya, "Customer stories", "Case studies from our customers.")
        ids = SimpleNamespace(id=project.id, name=project.name)
    posts = {
        "blog": cited_post(app, user, ids, title="Async standups", channel="blog"),
        "linkedin": make_reviewable_post(app, user, ids, channel="linkedin"),
        "twitter": make_reviewable_post(app, user, ids, channel="twitter"),
    }
    with app.app_context():
        maya = db.session.get(User, user.id)
        workspace = db.session.get(Workspace, team.id)
        blog = db.session.get(Post, posts["blog"])
        source = name_sources(ids.id)
        finished, running = finished_and_running_jobs(maya, ids.id, blog)
        _, raw_key = api_keys.create_api_key(maya, "Zapier")
        key = api_keys.active_keys(maya)[0]
        link = links.create_link(
            maya, db.session.get(Project, ids.id), "https://example.com/pricing", ["pricing"]
        )
        voice = voices.create_voice(
            workspace,
            maya,
            name="Northwind",
            description="Warm, direct and concrete; short sentences.",
            dos=["Lead with the reader's problem"],
            donts=["Exclamation marks"],
        )
        invitation = invitations.invite(workspace, maya, "jo@example.com", "editor")
        _, share_token = sharing.create_link(blog, maya)
        newcomer = db.session.get(User, make_user(app, email="new@example.com").id)
        newcomer.email_verified_at = None  # the link in the sign-up mail is not opened yet
        return SimpleNamespace(
            user=user,
            project=ids.id,
            source=source.id,
            blog=posts["blog"],
            linkedin=posts["linkedin"],
            twitter=posts["twitter"],
            running_job=running,
            finished_job=finished,
            link=link.id,
            api_key=key.id,
            raw_key=raw_key,
            team=team.id,
            personal=personal_workspace_of(maya).id,
            voice=voice.id,
            sam=sam.id,
            invitation_token=invitations.issue_token(invitation),
            share_token=share_token,
            reset_token=password_reset.issue_reset_token(maya),
            verify_token=email_verification.issue_verification_token(newcomer),
        )


def name_sources(project_id: str) -> Source:
    """Each post factory made its own survey.md: the others get names of their own. The
    first one."""
    sources = db.session.execute(
        db.select(Source).where(Source.project_id == project_id).order_by(Source.created_at)
    ).scalars()
    first, *others = list(sources)
    for source, name in zip(others, ("brand-guidelines.md", "customer-interviews.md"), strict=True):
        source.filename = name
    db.session.commit()
    return first


def finished_and_running_jobs(user, project_id: str, post) -> tuple[str, str]:
    """A generation job that wrote `post`, and one still writing; their ids."""
    finished = generation_job(user, project_id, "completed", 100, "Done")
    running = generation_job(user, project_id, "processing", 45, "Writing section 2 of 4")
    db.session.flush()
    post.job_id = finished.id
    db.session.commit()
    return finished.id, running.id


def generation_job(user, project_id: str, status: str, progress: int, step: str) -> Job:
    job = Job(
        user_id=user.id,
        project_id=project_id,
        job_type="content_generation",
        status=status,
        progress=progress,
        current_step=step,
    )
    db.session.add(job)
    return job
