"""GET/PATCH/DELETE /users/me, POST /users/change-password."""

from __future__ import annotations

from ...errors import ErrorCode
from ...services import account_deletion, accounts, api_keys, plans
from ...services.review import notifications
from .. import bp
from ..endpoint import endpoint
from ..principal import current_principal
from ..schemas.auth import ChangePasswordRequest, CurrentUser, ProfileUpdate, UpdatedProfile
from ..schemas.common import Message
from ..schemas.users import DeleteAccountRequest


@bp.get("/users/me")
@endpoint("The current user, with quota", tag="Users", response=CurrentUser)
def get_me():
    user = current_principal().user
    return CurrentUser.model_validate(
        {
            **UpdatedProfile.model_validate(user, from_attributes=True).model_dump(),
            "quota": plans.quota_for(user),
            "created_at": user.created_at,
        }
    )


@bp.patch("/users/me")
@endpoint(
    "Update the profile and the notification settings",
    tag="Users",
    body=ProfileUpdate,
    response=UpdatedProfile,
    description="Fields left out stay as they are.",
)
def update_me(body: ProfileUpdate):
    user = current_principal().user
    if body.name is not None:
        accounts.update_profile(user, body.name)
    return notifications.set_preferences(user, body.notify_review, body.notify_mentions)


@bp.post("/users/change-password")
@endpoint(
    "Change the password (other sessions and tokens are signed out)",
    tag="Users",
    body=ChangePasswordRequest,
    response=Message,
    errors=(ErrorCode.INVALID_CREDENTIALS, ErrorCode.LIVE_KEY_REQUIRED),
    description="Not with a test key (sk_test_): 403 LIVE_KEY_REQUIRED.",
)
def change_password(body: ChangePasswordRequest):
    principal = current_principal()
    if principal.test_mode:
        api_keys.refuse_test_key(
            "A test API key cannot change the password. Use a live key or an access token."
        )
    accounts.change_password(principal.user, body.current_password, body.new_password)
    return {"message": "Password updated successfully"}


@bp.delete("/users/me")
@endpoint(
    "Delete the account",
    tag="Users",
    body=DeleteAccountRequest,
    status=204,
    errors=(
        ErrorCode.INVALID_CREDENTIALS,
        ErrorCode.LIVE_KEY_REQUIRED,
        ErrorCode.TRANSFER_OWNERSHIP_FIRST,
    ),
    description="Confirmed with the current password. While the account owns a workspace "
    "with other members: 409 TRANSFER_OWNERSHIP_FIRST, `workspaces` naming them. Otherwise "
    "the account goes with its own workspaces and everything in them; what it made in "
    "other people's workspaces stays there, credited to each workspace's owner. Every "
    "session, token and API key of the account stops working. Not with a test key "
    "(sk_test_): 403 LIVE_KEY_REQUIRED.",
)
def delete_me(body: DeleteAccountRequest):
    principal = current_principal()
    if principal.test_mode:
        api_keys.refuse_test_key("A test API key cannot delete the account.")
    account_deletion.delete_account(principal.user, body.password)
