"""Roles, proved over every workspace-scoped API route and page × every role.

One table, `ROUTES`: a row per (method, URL rule as `app.url_map` spells it, the minimum
Permission). For each row and each role of a team world (owner, admin, editor, reviewer,
viewer, and an outsider who belongs to nothing there):
- a role whose permissions include the row's `need` is served: no 403, no 404, no 5xx;
- a member whose role lacks it gets 403: `detail.code == "INSUFFICIENT_ROLE"` from the API,
  the "Not allowed" page from the pages;
- the outsider gets 404, as for something that does not exist.

`test_every_route_is_classified` walks `app.url_map`: a rule (endpoint + method) in neither
`ROUTES` nor `NOT_WORKSPACE_SCOPED` fails the suite, so a new route is classified by whoever
adds it.

Adding a row is one line:
    Row("POST", "/api/v1/things/<thing_id>/frobnicate", EDIT, json={"level": 2}),
Path parameters come from the world by name (`World.ids`: workspace_id, project_id,
post_id, source_id, link_id/opportunity_id, job_id, voice_id); `fresh="post_id"` makes a new object
of that kind for every call (destructive rows; also fresh="workspace_id": a new team
workspace with the same members, "user_id": a new viewer member, "invitation_id": a
pending invitation, "voice_id": a brand voice); `json`/`form` may be a dict or a
function `(world, role) -> dict`;
`params=lambda world, role: {...}` overrides any path parameter (e.g.
`{"user_id": world.users[role].id}` for leaving); `served=("owner", ...)` names the roles
served when the rule is not "the roles with `need`"; `files=True` sends a small text
upload as field `file`. The lead's routes, for example:
    Row("GET", "/api/v1/workspaces/<workspace_id>/members", READ),
    Row("PATCH", "/api/v1/workspaces/<workspace_id>/members/<user_id>", MANAGE,
        json={"role": "editor"}, fresh="user_id"),
    Row("DELETE", "/api/v1/workspaces/<workspace_id>", OWN, fresh="workspace_id"),
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from types import SimpleNamespace
from typing import Any

import pytest

from webapp.extensions import db
from webapp.models import (
    BrandVoice,
    Invitation,
    Job,
    LinkOpportunity,
    Membership,
    Post,
    PostComment,
    PostSuggestion,
    Project,
    ShareLink,
    Source,
    User,
    Workspace,
)
from webapp.models.base import new_id
from webapp.services import api_keys, storage, tokens, workspaces
from webapp.services.access import ROLE_PERMISSIONS, Permission
from webapp.services.passwords import hash_password
from webapp.services.review import revisions
from webapp.timeutil import utcnow
from webapp.vocabulary import JobStatus, JobType, PlanName, PostStatus, Role, SourceStatus

from .factories import DEFAULT_PASSWORD
from .fixtures.http_client import AuthActions, csrf_token_from
from .fixtures.settings import TEST_KEY_PREFIX

pytestmark = pytest.mark.usefixtures("db")

READ, COMMENT, REVIEW, EDIT, MANAGE, OWN = (
    Permission.READ,
    Permission.COMMENT,
    Permission.REVIEW,
    Permission.EDIT,
    Permission.MANAGE,
    Permission.OWN,
)
OUTSIDER = "outsider"
ROLES = (*(role.value for role in Role), OUTSIDER)


@dataclass(frozen=True)
class Row:
    method: str
    rule: str  # exactly as in app.url_map
    need: Permission
    json: dict | Callable[..., dict] | None = None
    form: dict | Callable[..., dict] | None = None
    files: bool = False  # a small text file as multipart field `file`
    fresh: str | None = None  # a path parameter made anew for each call
    params: Callable[..., dict] | None = None  # (world, role) -> path parameters
    served: tuple[str, ...] | None = None  # the roles served, when not those with `need`

    @property
    def is_api(self) -> bool:
        return self.rule.startswith("/api/")

    @property
    def id(self) -> str:
        return f"{self.method} {self.rule}"


def generation(world, role):
    return {
        "project_id": world.ids["project_id"],
        "topic": f"Spring launch notes by the {role}",
        "voice": "casual",
        "target_length": "short",
        "channel": "blog",
    }


def outline_slots():
    outline = {"title": "Spring launch", "sections": [{"heading": "Colours", "points": []}]}
    return {"item_version": 1, "slots": [{"slot_id": "outline", "value": outline}]}


def retitle(role):
    return {"item_version": 1, "title": f"Spring launch, edited by the {role}"}


ONE_REVISION = "/api/v1/posts/<post_id:post_id>/revisions/<revision_id>"


def link_form(world, role):
    return {"target_url": f"https://example.com/{role}", "keywords": f"{role}, launch"}


def the_admin(world, role):
    return {"user_id": world.users["admin"].id}


def the_team(world, role):
    return {"workspace_id": world.ids["workspace_id"]}


def invitation(world, role):
    return {"email": f"new-{role}-{new_id()}@team.example", "role": "viewer"}


A_PAGE = "http://93.184.215.14/launch"  # a public address: no DNS lookup, nothing fetched
ONE_INVITATION = "/api/v1/invitations/<invitation_id:invitation_id>"


def brand_voice(world, role):
    return {"name": f"Voice of the {role} {new_id()[:6]}", "description": "Warm and brief."}


ROUTES: list[Row] = [
    # ---- API: projects
    Row("GET", "/api/v1/projects/<project_id>", READ),
    Row("PATCH", "/api/v1/projects/<project_id>", EDIT, json={"description": "Renamed"}),
    Row("PUT", "/api/v1/projects/<project_id>", EDIT, json={"name": "Launch"}),
    Row("DELETE", "/api/v1/projects/<project_id>", EDIT, fresh="project_id"),
    Row(
        "POST",
        "/api/v1/projects",
        EDIT,
        json=lambda w, role: {"name": f"By {role}", "workspace_id": w.ids["workspace_id"]},
    ),
    # ---- API: sources
    Row("GET", "/api/v1/sources/projects/<project_id>/sources", READ),
    Row("POST", "/api/v1/sources/projects/<project_id>/sources", EDIT, files=True),
    Row("POST", "/api/v1/sources/projects/<project_id>/sources/url", EDIT, json={"url": A_PAGE}),
    Row("GET", "/api/v1/sources/sources/<source_id>", READ),
    Row("PUT", "/api/v1/sources/sources/<source_id>", EDIT, json={"filename": "brief.txt"}),
    Row("DELETE", "/api/v1/sources/sources/<source_id>", EDIT, fresh="source_id"),
    # ---- API: posts
    Row("POST", "/api/v1/posts/generate", EDIT, json=generation),
    Row(
        "POST",
        "/api/v1/posts/bulk-generate",
        EDIT,
        json=lambda w, role: {
            "project_id": w.ids["project_id"],
            "csv_source_id": w.ids["source_id"],
        },
    ),
    Row("GET", "/api/v1/posts/projects/<project_id>/posts", READ),
    Row("GET", "/api/v1/posts/<post_id:post_id>", READ),
    Row("DELETE", "/api/v1/posts/<post_id:post_id>", EDIT, fresh="post_id"),
    Row("PATCH", "/api/v1/posts/<post_id:post_id>", EDIT, json=lambda w, role: retitle(role)),
    # ---- API: revisions and exports
    Row("GET", "/api/v1/posts/<post_id:post_id>/revisions", READ),
    Row("GET", ONE_REVISION, READ),
    Row("GET", ONE_REVISION + "/diff", READ),
    Row("POST", ONE_REVISION + "/restore", EDIT),
    Row("GET", "/api/v1/posts/<post_id:post_id>/export", READ),
    Row("GET", "/api/v1/projects/<project_id>/export", READ),
    # ---- API: suggestions
    Row(
        "POST",
        "/api/v1/posts/<post_id:post_id>/suggestions",
        EDIT,
        json={"action": "shorten", "quote": "Three new colours, one price."},
    ),
    Row("GET", "/api/v1/posts/<post_id:post_id>/suggestions", READ),
    Row("POST", "/api/v1/suggestions/<suggestion_id>/accept", EDIT, json={"item_version": 1}),
    Row("POST", "/api/v1/suggestions/<suggestion_id>/reject", EDIT),
    # ---- pages: suggestions
    Row(
        "POST",
        "/posts/<post_id>/suggestions",
        EDIT,
        form={"action": "shorten", "quote": "Three new colours, one price."},
    ),
    Row("GET", "/suggestions/<suggestion_id>", READ),
    Row("POST", "/suggestions/<suggestion_id>/accept", EDIT, form={"item_version": "1"}),
    Row("POST", "/suggestions/<suggestion_id>/reject", EDIT, form={}),
    Row("POST", "/api/v1/posts/<post_id:post_id>/submit", EDIT),
    Row("PUT", "/api/v1/posts/<post_id:post_id>/approve", REVIEW),
    Row("POST", "/api/v1/posts/<post_id:post_id>/request-changes", REVIEW, json={"comment": "x"}),
    # ---- API: link opportunities
    Row("GET", "/api/v1/links/projects/<project_id>/opportunities", READ),
    Row(
        "POST",
        "/api/v1/links/projects/<project_id>/opportunities",
        EDIT,
        json=lambda w, role: {"target_url": f"https://example.com/{role}", "keywords": ["x"]},
    ),
    Row("DELETE", "/api/v1/links/opportunities/<opportunity_id>", EDIT, fresh="opportunity_id"),
    # ---- API: jobs
    Row("GET", "/api/v1/jobs/<job_id>", READ),
    Row("POST", "/api/v1/jobs/<job_id>/cancel", EDIT, fresh="job_id"),
    Row("GET", "/api/v1/jobs/<job_id>/download", READ),
    # the outline checkpoint (the world's job has finished: the roles served get 400)
    Row("PATCH", "/api/v1/jobs/<job_id>/slots", EDIT, json=lambda w, role: outline_slots()),
    Row("POST", "/api/v1/jobs/<job_id>/confirm", EDIT, json={"item_version": 1}),
    # ---- pages: projects
    Row("GET", "/projects/<project_id>", READ),
    Row("GET", "/projects/<project_id>/edit", EDIT),
    Row("POST", "/projects/<project_id>/edit", EDIT, form={"name": "Launch", "description": "x"}),
    Row("GET", "/projects/<project_id>/delete", EDIT),
    Row("POST", "/projects/<project_id>/delete", EDIT, form={}, fresh="project_id"),
    # ---- pages: sources
    Row("GET", "/projects/<project_id>/sources", READ),
    Row("POST", "/projects/<project_id>/sources", EDIT, form={}, files=True),
    Row("POST", "/projects/<project_id>/sources/url", EDIT, form={"url": A_PAGE}),
    Row("GET", "/projects/<project_id>/sources/<source_id>", READ),
    Row("GET", "/projects/<project_id>/sources/<source_id>/topics.csv", READ),
    Row("POST", "/projects/<project_id>/sources/<source_id>/generate-all", EDIT, form={}),
    Row(
        "POST",
        "/projects/<project_id>/sources/<source_id>/rename",
        EDIT,
        form={"filename": "brief.txt"},
    ),
    Row("GET", "/projects/<project_id>/sources/<source_id>/delete", EDIT),
    Row(
        "POST",
        "/projects/<project_id>/sources/<source_id>/delete",
        EDIT,
        form={},
        fresh="source_id",
    ),
    # ---- pages: posts
    Row("GET", "/projects/<project_id>/posts", READ),
    Row("GET", "/projects/<project_id>/posts/new", EDIT),
    Row(
        "POST",
        "/projects/<project_id>/posts/new",
        EDIT,
        form=lambda w, role: {k: v for k, v in generation(w, role).items() if k != "project_id"},
    ),
    Row("GET", "/posts/<post_id>", READ),
    Row("GET", "/posts/<post_id>.md", READ),
    Row("GET", "/posts/<post_id>/delete", EDIT),
    Row("GET", "/posts/<post_id>/edit", EDIT),
    Row(
        "POST",
        "/posts/<post_id>/edit",
        EDIT,
        form=lambda w, role: {"item_version": "1", "markdown": f"# By the {role}\n\nText."},
    ),
    Row("POST", "/posts/<post_id>/preview", EDIT, form={"markdown": "# Preview"}),
    Row("GET", "/posts/<post_id>/revisions", READ),
    Row("POST", "/posts/<post_id>/revisions/<revision_id>/restore", EDIT, form={}),
    Row("GET", "/posts/<post_id>/export.<fmt>", READ, params=lambda w, role: {"fmt": "docx"}),
    Row("GET", "/projects/<project_id>/export.zip", READ),
    Row("POST", "/posts/<post_id>/delete", EDIT, form={}, fresh="post_id"),
    # ---- comments and share links (API, then pages); a comment's body is its author's,
    # resolving is for editors and up and reviewers: any commenter is answered (not 403)
    Row("GET", "/api/v1/posts/<post_id:post_id>/comments", READ),
    Row("POST", "/api/v1/posts/<post_id:post_id>/comments", COMMENT, json={"body": "Hi"}),
    Row(
        "PATCH",
        "/api/v1/comments/<comment_id>",
        COMMENT,
        json={"resolved": True},
        params=lambda w, role: {"comment_id": w.comment()},
    ),
    Row(
        "DELETE",
        "/api/v1/comments/<comment_id>",
        EDIT,
        params=lambda w, role: {"comment_id": w.comment()},
    ),
    Row("POST", "/api/v1/posts/<post_id:post_id>/share", EDIT, json={}),
    Row(
        "GET",
        "/api/v1/posts/<post_id:post_id>/share",
        READ,
        params=lambda w, role: {"post_id": w.shared_post()},
    ),
    Row(
        "DELETE",
        "/api/v1/posts/<post_id:post_id>/share",
        EDIT,
        params=lambda w, role: {"post_id": w.shared_post()},
    ),
    Row("POST", "/posts/<post_id>/comments", COMMENT, form={"body": "Hi"}),
    Row(
        "POST",
        "/comments/<comment_id>/edit",
        COMMENT,
        form={"body": "Edited"},
        params=lambda w, role: {"comment_id": w.comment()},
    ),
    Row(
        "POST",
        "/comments/<comment_id>/resolve",
        COMMENT,
        form={"resolved": "1"},
        params=lambda w, role: {"comment_id": w.comment()},
    ),
    Row(
        "POST",
        "/comments/<comment_id>/delete",
        EDIT,
        form={},
        params=lambda w, role: {"comment_id": w.comment()},
    ),
    Row("POST", "/posts/<post_id>/share", EDIT, form={}),
    Row(
        "POST",
        "/posts/<post_id>/share/revoke",
        EDIT,
        form={},
        params=lambda w, role: {"post_id": w.shared_post()},
    ),
    Row("POST", "/posts/<post_id>/submit", EDIT, form={}),
    Row("POST", "/posts/<post_id>/approve", REVIEW, form={}),
    Row("POST", "/posts/<post_id>/request-changes", REVIEW, form={"comment": "x"}),
    # ---- pages: link opportunities
    Row("GET", "/projects/<project_id>/links", READ),
    Row("POST", "/projects/<project_id>/links", EDIT, form=link_form),
    Row("GET", "/projects/<project_id>/links/<link_id>/delete", EDIT),
    Row("POST", "/projects/<project_id>/links/<link_id>/delete", EDIT, form={}, fresh="link_id"),
    # ---- pages: jobs
    Row("GET", "/jobs/<job_id>", READ),
    Row("POST", "/jobs/<job_id>/cancel", EDIT, form={}, fresh="job_id"),
    Row("POST", "/jobs/<job_id>/outline", EDIT, form={"item_version": "1", "action": "save"}),
    Row("GET", "/jobs/<job_id>/posts.zip", READ),
    # workspaces and members (API, then pages); leaving is in tests/api/test_workspaces.py
    Row("GET", "/api/v1/workspaces/<workspace_id>", READ),
    Row("PATCH", "/api/v1/workspaces/<workspace_id>", MANAGE, json={"name": "Launch team"}),
    Row("DELETE", "/api/v1/workspaces/<workspace_id>", OWN, fresh="workspace_id"),
    Row(
        "POST",
        "/api/v1/workspaces/<workspace_id>/transfer",
        OWN,
        json=the_admin,
        fresh="workspace_id",
    ),
    Row("GET", "/api/v1/workspaces/<workspace_id>/members", READ),
    Row(
        "PATCH",
        "/api/v1/workspaces/<workspace_id>/members/<user_id>",
        MANAGE,
        json={"role": "editor"},
        fresh="user_id",
    ),
    Row("DELETE", "/api/v1/workspaces/<workspace_id>/members/<user_id>", MANAGE, fresh="user_id"),
    Row("POST", "/workspaces/switch", READ, form=the_team),
    Row("GET", "/workspaces/<workspace_id>/settings", READ),
    Row("POST", "/workspaces/<workspace_id>/settings", MANAGE, form={"name": "Launch team"}),
    Row("GET", "/workspaces/<workspace_id>/delete", OWN),
    Row("POST", "/workspaces/<workspace_id>/delete", OWN, form={}, fresh="workspace_id"),
    Row("GET", "/workspaces/<workspace_id>/members", READ),
    Row(
        "POST",
        "/workspaces/<workspace_id>/members/<user_id>/role",
        MANAGE,
        form={"role": "editor"},
        fresh="user_id",
    ),
    Row("GET", "/workspaces/<workspace_id>/members/<user_id>/remove", MANAGE, fresh="user_id"),
    Row(
        "POST",
        "/workspaces/<workspace_id>/members/<user_id>/remove",
        MANAGE,
        form={},
        fresh="user_id",
    ),
    Row("GET", "/workspaces/<workspace_id>/transfer/<user_id>", OWN, params=the_admin),
    Row(
        "POST",
        "/workspaces/<workspace_id>/transfer/<user_id>",
        OWN,
        form={},
        fresh="workspace_id",
        params=the_admin,
    ),
    Row("GET", "/api/v1/workspaces/<workspace_id>/activity", READ),
    Row("GET", "/workspaces/<workspace_id>/activity", READ),
    Row("GET", "/workspaces/<workspace_id>/usage", READ),
    # invitations (API, then pages)
    Row("GET", "/api/v1/workspaces/<workspace_id>/invitations", MANAGE),
    Row("POST", "/api/v1/workspaces/<workspace_id>/invitations", MANAGE, json=invitation),
    Row(
        "POST",
        "/api/v1/invitations/<invitation_id:invitation_id>/resend",
        MANAGE,
        fresh="invitation_id",
    ),
    Row(
        "DELETE", "/api/v1/invitations/<invitation_id:invitation_id>", MANAGE, fresh="invitation_id"
    ),
    Row("GET", "/workspaces/<workspace_id>/invitations", MANAGE),
    Row("POST", "/workspaces/<workspace_id>/invitations", MANAGE, form=invitation),
    Row(
        "POST",
        "/workspaces/<workspace_id>/invitations/<invitation_id>/resend",
        MANAGE,
        form={},
        fresh="invitation_id",
    ),
    Row(
        "POST",
        "/workspaces/<workspace_id>/invitations/<invitation_id>/revoke",
        MANAGE,
        form={},
        fresh="invitation_id",
    ),
    # brand voices (API, then pages); GET /api/v1/voices is in tests/api/test_voices.py
    Row("GET", "/api/v1/workspaces/<workspace_id>/voices", READ),
    Row("POST", "/api/v1/workspaces/<workspace_id>/voices", MANAGE, json=brand_voice),
    Row("GET", "/api/v1/workspaces/<workspace_id>/voices/<voice_id>", READ),
    Row(
        "PATCH",
        "/api/v1/workspaces/<workspace_id>/voices/<voice_id>",
        MANAGE,
        json={"description": "Warmer"},
    ),
    Row("DELETE", "/api/v1/workspaces/<workspace_id>/voices/<voice_id>", MANAGE, fresh="voice_id"),
    Row("GET", "/workspaces/<workspace_id>/voices", READ),
    Row("GET", "/workspaces/<workspace_id>/voices/new", MANAGE),
    Row("POST", "/workspaces/<workspace_id>/voices/new", MANAGE, form=brand_voice),
    Row("GET", "/workspaces/<workspace_id>/voices/<voice_id>/edit", MANAGE),
    Row(
        "POST",
        "/workspaces/<workspace_id>/voices/<voice_id>/edit",
        MANAGE,
        form={"name": "Launch voice", "description": "Warmer"},
    ),
    Row("GET", "/workspaces/<workspace_id>/voices/<voice_id>/delete", MANAGE),
    Row(
        "POST",
        "/workspaces/<workspace_id>/voices/<voice_id>/delete",
        MANAGE,
        form={},
        fresh="voice_id",
    ),
]

# Routes that touch nothing of a workspace, each with the reason.
NOT_WORKSPACE_SCOPED: dict[str, str] = {
    "static": "assets",
    "main.index": "landing",
    "share.show": "a post's public share page: the token in the path is the key",
    "share.comment": "a guest's comment through a share link: the token is the key",
    "main.healthz": "health",
    "usage.current": "redirects to the usage page of the caller's current workspace",
    "api_docs.reference": "docs",
    "api.openapi_document": "docs",
    "api.workflow_catalog": "the built-in workflow catalog, the same for everybody",
    # signing up, in and out; passwords and email addresses
    "auth.login_page": "auth",
    "auth.logout": "auth",
    "auth.signup": "auth",
    "auth.forgot_password": "auth",
    "auth.forgot_password_sent": "auth",
    "auth.reset_password": "auth",
    "auth.verify_email": "auth",
    "auth.resend_verification": "auth",
    "api.login": "auth",
    "api.logout": "auth",
    "api.register": "auth",
    "api.refresh": "auth",
    "api.request_password_reset": "auth",
    "api.confirm_password_reset": "auth",
    "api.verify_email": "auth",
    "api.resend_verification": "auth",
    # the caller's own account and keys
    "api.get_me": "account",
    "api.update_me": "account",
    "api.change_password": "account",
    "api.create_api_key": "account",
    "api.list_api_keys": "account",
    "api.revoke_api_key": "account",
    "settings.index": "account",
    "settings.profile": "account",
    "settings.notifications_page": "account",
    "settings.password": "account",
    "settings.api_keys": "account",
    "settings.create_api_key": "account",
    "settings.revoke_api_key": "account",
    "settings.sessions_page": "account",
    "settings.sign_out_everywhere": "account",
    "settings.delete_account": "account",
    "api.delete_me": "account",
    # lists filtered by membership (test_lists_show_members_only proves it), and the
    # dashboard's form, which creates in the caller's current workspace (its role there is
    # checked: tests/pages/test_workspaces.py)
    "api.list_projects": "list",
    "api.list_jobs": "list",
    "projects.index": "list",
    "projects.create": "current",
    "projects.new": "current",
    "api.list_workspaces": "list",
    "api.create_workspace": "personal",
    "workspaces.new": "personal",
    # every voice of the caller's personal workspace, or of one named by ?workspace_id=
    # (checked as the workspace routes are: tests/api/test_voices.py)
    "api.list_voices": "list",
    # the invited person holds the token; the invitation itself checks their email
    "api.accept_invitation": "invitee",
    "invitations.open_invitation": "invitee",
    "invitations.accept": "invitee",
    "invitations.signup": "invitee",
}


# ----------------------------------------------------------------------------- world


@cache
def password_hash() -> str:
    return hash_password(DEFAULT_PASSWORD)  # once: argon2 is slow on purpose


class World:
    """Owner A's team workspace "Launch team" with a project holding a parsed source (a
    topics CSV), a completed post, a link opportunity and the completed generation job that
    wrote the post; a member of each other role; an outsider with only their personal
    workspace. Built directly with the models (no worker), in well under a second."""

    def __init__(self, app):
        self.app = app
        self.users: dict[str, SimpleNamespace] = {}
        self._api: dict[str, dict] = {}
        self._pages: dict[str, Any] = {}
        with app.app_context():
            people = {}
            for role in ROLES:
                user = User(
                    email=f"{role}@team.example",
                    name=role.title(),
                    password_hash=password_hash(),
                    subscription_tier=PlanName.PRO if role == Role.OWNER else PlanName.FREE,
                    email_verified_at=utcnow(),
                )
                db.session.add(user)
                workspaces.add_personal_workspace(user)
                people[role] = user
            team = workspaces.add_workspace(people[Role.OWNER], "Launch team")
            for role in (Role.ADMIN, Role.EDITOR, Role.REVIEWER, Role.VIEWER):
                team.memberships.append(Membership(user=people[role], role=role))
            db.session.flush()
            self.owner_id = people[Role.OWNER].id
            self.ids = {"workspace_id": team.id}
            self.ids["project_id"] = self._project().id
            self.ids["source_id"] = self._source().id
            self.ids["post_id"] = self._post().id
            self.ids["link_id"] = self.ids["opportunity_id"] = self._link().id
            self.ids["job_id"] = self._job(JobStatus.COMPLETED).id
            # The job wrote the post: its download (a ZIP of the job's posts) has one.
            db.session.get(Post, self.ids["post_id"]).job_id = self.ids["job_id"]
            self.ids["voice_id"] = self._voice("Launch voice").id
            self.ids["suggestion_id"] = self._suggestion().id
            self.ids["revision_id"] = self._revision().id
            db.session.commit()
            self.users = {
                role: SimpleNamespace(id=user.id, email=user.email) for role, user in people.items()
            }

    # Objects of the team's project, added to the session (the caller commits).
    def _project(self):
        project = Project(
            user_id=self.owner_id, workspace_id=self.ids["workspace_id"], name="Launch"
        )
        db.session.add(project)
        db.session.flush()
        return project

    def _source(self):
        """A parsed topics CSV, its file stored (the topics download re-reads it)."""
        data = b"topic,keywords\nSpring colours,launch\nOne price,pricing\n"
        key = storage.new_key("sources", self.owner_id)
        storage.get_storage().save(key, io.BytesIO(data))
        source = Source(
            project_id=self.ids["project_id"],
            user_id=self.owner_id,
            filename="topics.csv",
            file_type="csv",
            file_size=len(data),
            storage_key=key,
            status=SourceStatus.PARSED,
            parsed_text="Spring colours\nOne price",
            word_count=4,
            parse_details={"rows": 2, "problems": []},
        )
        db.session.add(source)
        db.session.flush()
        return source

    def _post(self):
        markdown = "# Spring launch\n\nThree new colours, one price."
        post = Post(
            project_id=self.ids["project_id"],
            user_id=self.owner_id,
            topic="Spring launch",
            voice="casual",
            status=PostStatus.COMPLETED,
            content={"title": "Spring launch", "markdown": markdown, "word_count": 7},
            word_count=7,
            model="offline",
        )
        db.session.add(post)
        db.session.flush()
        return post

    def _revision(self):
        """The post's revision 1 (the generated draft)."""
        post = db.session.get(Post, self.ids["post_id"])
        revision = revisions.record(post, None, revisions.GENERATED_SUMMARY)
        db.session.flush()
        return revision

    def _suggestion(self):
        """A pending suggestion on the post (accept and reject answer 400: not ready)."""
        suggestion = PostSuggestion(
            post_id=self.ids["post_id"], action="shorten", quote="Three new colours, one price."
        )
        db.session.add(suggestion)
        db.session.flush()
        return suggestion

    def _link(self):
        link = LinkOpportunity(
            project_id=self.ids["project_id"],
            user_id=self.owner_id,
            target_url="https://example.com/colours",
            keywords=["colours"],
        )
        db.session.add(link)
        db.session.flush()
        return link

    def _job(self, status=JobStatus.QUEUED):
        job = Job(
            user_id=self.owner_id,
            project_id=self.ids["project_id"],
            job_type=JobType.CONTENT_GENERATION,
            status=status,
        )
        db.session.add(job)
        db.session.flush()
        if status == JobStatus.COMPLETED:
            job.progress, job.finished_at = 100, utcnow()
        return job

    def _voice(self, name=None):
        voice = BrandVoice(
            workspace_id=self.ids["workspace_id"],
            name=name or f"Voice {new_id()}",
            description="Warm and brief.",
            created_by=self.owner_id,
        )
        voice.name_key = voice.name.lower()
        db.session.add(voice)
        db.session.flush()
        return voice

    def _workspace(self):
        """Another team workspace of the owner, with the same members in the same roles."""
        team = db.session.get(Workspace, self.ids["workspace_id"])
        other = workspaces.add_workspace(team.owner, "Second team")
        for membership in team.memberships:
            if membership.role != Role.OWNER:
                other.memberships.append(
                    Membership(user_id=membership.user_id, role=membership.role)
                )
        db.session.flush()
        return other

    def _member(self, role=Role.VIEWER):
        """A new member of the team workspace (the user: their id is the path's user_id)."""
        user = User(
            email=f"member-{new_id()}@team.example",
            name="Member",
            password_hash=password_hash(),
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        workspaces.add_personal_workspace(user)
        db.session.add(Membership(workspace_id=self.ids["workspace_id"], user=user, role=role))
        db.session.flush()
        return user

    def _invitation(self, role=Role.EDITOR):
        invitation = Invitation(
            workspace_id=self.ids["workspace_id"],
            email=f"invited-{new_id()}@team.example",
            role=role,
            token_hash=hashlib.sha256(new_id().encode()).hexdigest(),
            invited_by=self.owner_id,
            expires_at=utcnow() + timedelta(days=7),
        )
        db.session.add(invitation)
        db.session.flush()
        return invitation

    def comment(self) -> str:
        """A new comment of the owner's on the world's post."""
        with self.app.app_context():
            comment = PostComment(post_id=self.ids["post_id"], author_id=self.owner_id, body="Hm")
            db.session.add(comment)
            db.session.commit()
            return comment.id

    def shared_post(self) -> str:
        """A new post with an active share link."""
        with self.app.app_context():
            post = self._post()
            db.session.add(
                ShareLink(
                    post_id=post.id,
                    token_hash=new_id(),
                    expires_at=utcnow() + timedelta(days=1),
                )
            )
            db.session.commit()
            return post.id

    def fresh(self, name: str) -> str:
        """The id of a new object of the kind path parameter `name` names."""
        make = {
            "workspace_id": self._workspace,
            "project_id": self._project,
            "source_id": self._source,
            "post_id": self._post,
            "link_id": self._link,
            "opportunity_id": self._link,
            "job_id": self._job,
            "user_id": self._member,
            "invitation_id": self._invitation,
            "voice_id": self._voice,
        }[name]
        with self.app.app_context():
            object_id = make().id
            db.session.commit()
        return object_id

    # Callers.
    def api_headers(self, role: str) -> dict:
        if role not in self._api:
            with self.app.app_context():
                user = db.session.get(User, self.users[role].id)
                token = tokens.issue_token_pair(user)["access_token"]
            self._api[role] = {"Authorization": f"Bearer {token}"}
        return self._api[role]

    def use_api_keys(self) -> None:
        """From now on the API is called with each member's API key (X-API-Key)."""
        with self.app.app_context():
            for role, person in self.users.items():
                user = db.session.get(User, person.id)
                _, raw_key = api_keys.create_api_key(user, f"{role} key")
                self._api[role] = {"X-API-Key": raw_key}

    def page_client(self, role: str):
        """A test client of its own, signed in through the form as `role`'s member."""
        if role not in self._pages:
            client = self.app.test_client()
            response = AuthActions(self.app, client).login_page(self.users[role].email)
            assert response.status_code in (302, 303), response.status_code
            client.csrf = csrf_token_from(client.get("/settings/profile"))
            self._pages[role] = client
        return self._pages[role]


@pytest.fixture
def world(app, monkeypatch) -> World:
    # Jobs the rows queue (generations, suggestions) go to a queue no worker listens to:
    # a worker left running by an earlier test would otherwise write posts while this
    # test's teardown deletes them (a deadlock on Postgres).
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle-roles")
    return World(app)


# ----------------------------------------------------------------------------- calling


def url_for_row(row: Row, world: World, role: str) -> str:
    params = dict(world.ids)
    if row.fresh:
        params[row.fresh] = world.fresh(row.fresh)
    if row.params:
        params.update(row.params(world, role))
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda m: params[m.group(1)], row.rule)


def _value(spec, world, role):
    return spec(world, role) if callable(spec) else dict(spec) if spec is not None else None


def call(row: Row, world: World, role: str):
    url = url_for_row(row, world, role)
    upload = {"file": (io.BytesIO(b"Spring launch notes.\n"), f"notes-{role}.txt")}
    if row.is_api:
        kwargs: dict[str, Any] = {"headers": world.api_headers(role)}
        if row.files:
            kwargs["data"] = upload
        elif row.json is not None or row.method in ("POST", "PUT", "PATCH"):
            kwargs["json"] = _value(row.json, world, role) or {}
        return world.app.test_client().open(url, method=row.method, **kwargs)
    client = world.page_client(role)
    if row.method == "GET":
        return client.get(url)
    data = {**(_value(row.form, world, role) or {}), "csrf_token": client.csrf}
    if row.files:
        data.update(upload)
    return client.open(url, method=row.method, data=data)


def allowed(row: Row, role: str) -> bool:
    if row.served is not None:
        return role in row.served
    return role != OUTSIDER and row.need in ROLE_PERMISSIONS[Role(role)]


def problem(row: Row, role: str, response) -> str | None:
    """What is wrong with `response` to `role`'s call of `row`, or None."""
    status = response.status_code
    if role == OUTSIDER and not allowed(row, role):
        return None if status == 404 else f"expected 404, got {status}"
    if allowed(row, role):
        if status in (403, 404) or status >= 500:
            return f"expected to be served, got {status}"
        return None
    if status != 403:
        return f"expected 403, got {status}"
    if row.is_api:
        code = ((response.get_json(silent=True) or {}).get("detail") or {}).get("code")
        return None if code == "INSUFFICIENT_ROLE" else f"403 with code {code!r}"
    page = response.get_data(as_text=True)
    if "Not allowed" not in page or "Your role in this workspace does not allow" not in page:
        return "403 without the 'Not allowed' page"
    return None


# ----------------------------------------------------------------------------- tests


@pytest.mark.parametrize("row", ROUTES, ids=lambda row: row.id)
def test_route_answers_each_role_as_its_permissions_say(world, row):
    found = []
    for role in ROLES:
        response = call(row, world, role)
        response.get_data()  # a streamed body (the project ZIP) is read to its end
        wrong = problem(row, role, response)
        if wrong:
            found.append(f"{role}: {wrong}: {response.get_data(as_text=True)[:200]!r}")
    assert not found, f"{row.id} (needs {row.need}):\n  " + "\n  ".join(found)


def rules_of(app) -> set[tuple[str, str, str]]:
    """(endpoint, method, rule) of every route, HEAD and OPTIONS aside."""
    return {
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_classified(app):
    tabled = {(row.method, row.rule) for row in ROUTES}
    unclassified = sorted(
        f"{endpoint} {method} {rule}"
        for endpoint, method, rule in rules_of(app)
        if (method, rule) not in tabled and endpoint not in NOT_WORKSPACE_SCOPED
    )
    assert not unclassified, (
        "Routes neither in tests/test_roles.py ROUTES (method, rule, minimum permission) "
        "nor in NOT_WORKSPACE_SCOPED (with a reason):\n  " + "\n  ".join(unclassified)
    )


def test_the_table_names_only_routes_that_exist(app):
    existing = {(method, rule) for _, method, rule in rules_of(app)}
    stale = [row.id for row in ROUTES if (row.method, row.rule) not in existing]
    assert not stale, f"ROUTES rows with no such route: {stale}"
    assert len({row.id for row in ROUTES}) == len(ROUTES), "a route is in ROUTES twice"
    endpoints = {endpoint for endpoint, _, _ in rules_of(app)}
    gone = sorted(set(NOT_WORKSPACE_SCOPED) - endpoints)
    assert not gone, f"NOT_WORKSPACE_SCOPED names endpoints that no longer exist: {gone}"


def test_lists_show_the_team_project_to_members_only(world):
    """The lists that are not scoped by a path: every member finds the team's project in
    them, the outsider does not."""
    project_id = world.ids["project_id"]
    for role in ROLES:
        listed = world.app.test_client().get(
            "/api/v1/projects?limit=100", headers=world.api_headers(role)
        )
        assert listed.status_code == 200
        ids = [p["id"] for p in listed.get_json()["projects"]]
        client = world.page_client(role)  # the dashboard shows the current workspace's
        client.post(
            "/workspaces/switch",
            data={"workspace_id": world.ids["workspace_id"], "csrf_token": client.csrf},
        )
        dashboard = client.get("/projects").get_data(as_text=True)
        if role == OUTSIDER:
            assert project_id not in ids and f"/projects/{project_id}" not in dashboard, role
        else:
            assert project_id in ids and f"/projects/{project_id}" in dashboard, role


@pytest.mark.parametrize(
    "row",
    [
        row
        for row in ROUTES
        if row.id
        in {
            "GET /api/v1/posts/<post_id:post_id>",
            "DELETE /api/v1/posts/<post_id:post_id>",
            "POST /api/v1/sources/projects/<project_id>/sources/url",
        }
    ],
    ids=lambda row: row.id,
)
def test_api_keys_act_with_their_users_role(world, row):
    """An API key (X-API-Key) is answered as its user's access token is."""
    world.use_api_keys()
    found = []
    for role in ROLES:
        response = call(row, world, role)
        response.get_data()  # a streamed body (the project ZIP) is read to its end
        wrong = problem(row, role, response)
        if wrong:
            found.append(f"{role}: {wrong}")
    assert not found, f"{row.id} with API keys:\n  " + "\n  ".join(found)


def test_the_world_makes_every_fresh_kind(world):
    """Every kind a row may ask `fresh=` for can be made (the lead's rows use them)."""
    kinds = {
        "workspace_id": Workspace,
        "project_id": Project,
        "source_id": Source,
        "post_id": Post,
        "link_id": LinkOpportunity,
        "opportunity_id": LinkOpportunity,
        "job_id": Job,
        "user_id": User,
        "invitation_id": Invitation,
        "voice_id": BrandVoice,
    }
    for name, model in kinds.items():
        object_id = world.fresh(name)
        with world.app.app_context():
            assert db.session.get(model, object_id) is not None, name
    with world.app.app_context():
        member = db.session.get(User, world.fresh("user_id"))
        roles = {
            m.workspace_id: m.role
            for m in db.session.query(Membership).filter_by(user_id=member.id)
        }
        assert roles[world.ids["workspace_id"]] == Role.VIEWER
        second = db.session.get(Workspace, world.fresh("workspace_id"))
        assert {m.role for m in second.memberships} == {r.value for r in Role}
