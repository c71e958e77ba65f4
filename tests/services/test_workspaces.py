"""services.workspaces: activity recorded, the owner kept by every change, and parallel
changes on Postgres never leaving a workspace without exactly one owner."""

from __future__ import annotations

import threading
import time

import pytest

from webapp.errors import AppError
from webapp.extensions import db
from webapp.models import ActivityEvent, Membership, Workspace
from webapp.services import accounts
from webapp.services import workspaces as service

from ..factories import make_user
from ..workspace_helpers import add_member, make_workspace, roles_of

pytestmark = pytest.mark.usefixtures("db")


def _actions(app, workspace_id) -> list[str]:
    with app.app_context():
        return [
            str(action)
            for action in db.session.execute(
                db.select(ActivityEvent.action)
                .where(ActivityEvent.workspace_id == workspace_id)
                .order_by(ActivityEvent.created_at, ActivityEvent.id)
            ).scalars()
        ]


def test_the_old_names_stay_importable():
    from webapp.services.workspaces import (  # noqa: F401
        add_personal_workspace,
        add_workspace,
        get_workspace_or_404,
        list_workspaces,
        personal_workspace_of,
        workspace_for_new_project,
    )


def test_every_change_is_recorded(app):
    owner = make_user(app, email="owner@example.com", name="Ann")
    member = make_user(app, email="member@example.com", name="Bob")
    leaver = make_user(app, email="leaver@example.com", name="Cy")
    workspace = make_workspace(app, owner, "Team")
    add_member(app, workspace, member, "viewer")
    add_member(app, workspace, leaver, "viewer")
    with app.app_context():
        ann, bob, cy = (accounts.get_user(u.id) for u in (owner, member, leaver))
        team = db.session.get(Workspace, workspace.id)
        service.change_role(team, ann, bob.id, "editor")
        service.remove_member(team, cy, cy.id)
        service.transfer_ownership(team, ann, bob.id)
        summaries = (
            db.session.execute(
                db.select(ActivityEvent.summary)
                .where(ActivityEvent.workspace_id == workspace.id)
                .order_by(ActivityEvent.created_at, ActivityEvent.id)
            )
            .scalars()
            .all()
        )
    assert _actions(app, workspace.id) == [
        "workspace.created",
        "member.role_changed",
        "member.removed",
        "ownership.transferred",
    ]
    assert summaries == [
        "Ann created workspace Team",
        "Ann made Bob editor",
        "Cy left",
        "Ann transferred ownership to Bob",
    ]
    roles = roles_of(app, workspace)
    assert roles[member.id] == "owner" and roles[owner.id] == "admin" and roles[None] == member.id


def test_a_refused_change_leaves_no_trace(app):
    owner = make_user(app, email="owner@example.com")
    admin = make_user(app, email="admin@example.com")
    workspace = make_workspace(app, owner)
    add_member(app, workspace, admin, "admin")
    with app.app_context():
        team = db.session.get(Workspace, workspace.id)
        actor = accounts.get_user(admin.id)
        for attempt in (
            lambda: service.change_role(team, actor, owner.id, "viewer"),
            lambda: service.remove_member(team, actor, owner.id),
            lambda: service.transfer_ownership(team, actor, admin.id),
            lambda: service.change_role(team, actor, admin.id, "owner"),
        ):
            with pytest.raises(AppError) as refused:
                attempt()
            assert refused.value.code in {"LAST_OWNER", "INSUFFICIENT_ROLE", "VALIDATION_ERROR"}
    assert _actions(app, workspace.id) == ["workspace.created"]
    assert roles_of(app, workspace) == {owner.id: "owner", admin.id: "admin", None: owner.id}


def _run_together(app, *jobs):
    """Run each job in its own thread and app context (its own session and connection),
    released at once; the errors they raised, by job index."""
    start = threading.Barrier(len(jobs))
    errors: dict[int, BaseException] = {}

    def run(index, job):
        with app.app_context():
            start.wait()
            try:
                job()
            except BaseException as error:
                errors[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_parallel_transfer_and_demotion_keep_exactly_one_owner(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are what is tested: Postgres only")
    for round_ in range(16):
        _transfer_beside_demotion(app, round_)


def _transfer_beside_demotion(app, round_: int) -> None:
    """The owner transfers to the heir while an admin demotes the heir."""
    owner = make_user(app, email=f"owner{round_}@example.com")
    heir = make_user(app, email=f"heir{round_}@example.com")
    admin = make_user(app, email=f"admin{round_}@example.com")
    workspace = make_workspace(app, owner, f"Team {round_}")
    add_member(app, workspace, heir, "editor")
    add_member(app, workspace, admin, "admin")

    def transfer():
        team = db.session.get(Workspace, workspace.id)
        service.transfer_ownership(team, accounts.get_user(owner.id), heir.id)

    def demote():
        team = db.session.get(Workspace, workspace.id)
        actor = accounts.get_user(admin.id)
        time.sleep(round_ % 8 * 0.002)  # land at different points of the transfer
        service.change_role(team, actor, heir.id, "viewer")

    errors = _run_together(app, transfer, demote)
    assert 0 not in errors, errors  # the transfer always goes through
    # The demotion either ran first (then the heir got ownership all the same) or came
    # second and was refused: the heir was the owner by then.
    if 1 in errors:
        assert getattr(errors[1], "code", None) == "LAST_OWNER", errors
    roles = roles_of(app, workspace)
    owners = [user_id for user_id, role in roles.items() if user_id and role == "owner"]
    assert owners == [heir.id] == [roles[None]]
    assert roles[owner.id] == "admin"


def test_parallel_role_changes_on_the_same_member_end_in_one_of_them(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("row locks are what is tested: Postgres only")
    owner = make_user(app, email="owner@example.com")
    member = make_user(app, email="member@example.com")
    workspace = make_workspace(app, owner)
    add_member(app, workspace, member, "viewer")

    def make(role):
        def change():
            team = db.session.get(Workspace, workspace.id)
            service.change_role(team, accounts.get_user(owner.id), member.id, role)

        return change

    assert _run_together(app, make("editor"), make("reviewer"), make("admin")) == {}
    with app.app_context():
        count = db.session.execute(
            db.select(db.func.count()).where(Membership.workspace_id == workspace.id)
        ).scalar_one()
    assert count == 2 and roles_of(app, workspace)[member.id] in {"editor", "reviewer", "admin"}
    assert _actions(app, workspace.id).count("member.role_changed") == 3
