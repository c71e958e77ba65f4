"""Workspaces: made, listed and fetched under membership (`core`); their members, roles
and ownership (`members`). Everything is importable from here."""

from .core import (
    NAME_MAX,
    NOT_FOUND,
    PERSONAL_NAME,
    PersonalWorkspace,
    add_personal_workspace,
    add_workspace,
    clean_name,
    create_workspace,
    delete_workspace,
    get_workspace_or_404,
    list_workspaces,
    personal_workspace_of,
    quotas_of,
    rename_workspace,
    workspace_for_new_project,
)
from .locking import workspace_locked
from .members import (
    LastOwner,
    change_role,
    get_member_or_404,
    list_members,
    remove_member,
    transfer_ownership,
)

__all__ = [
    "NAME_MAX",
    "NOT_FOUND",
    "PERSONAL_NAME",
    "LastOwner",
    "PersonalWorkspace",
    "add_personal_workspace",
    "add_workspace",
    "change_role",
    "clean_name",
    "create_workspace",
    "delete_workspace",
    "get_member_or_404",
    "get_workspace_or_404",
    "list_members",
    "list_workspaces",
    "personal_workspace_of",
    "quotas_of",
    "remove_member",
    "rename_workspace",
    "transfer_ownership",
    "workspace_for_new_project",
    "workspace_locked",
]
