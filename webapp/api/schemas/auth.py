"""Accounts: register, login, refresh, logout, the current user."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, EmailStr, Field, StrictBool

from .common import RequestModel, ResponseModel, UtcDatetime, text, trimmed


def _max_255(value: str) -> str:
    if len(value) > 255:
        raise ValueError("email must be at most 255 characters")
    return value


Email = Annotated[EmailStr, AfterValidator(_max_255)]
Name = trimmed(1, 100)
Password = text(1, 128)
# The rules of services.passwords, as documentation (pydantic's regex engine has no
# look-ahead; the service enforces them).
NEW_PASSWORD_PATTERN = r"^(?=.*[A-Z])(?=.*[a-z])(?=.*[0-9])(?=.*[^A-Za-z0-9])[^\x00]{8,128}$"
NewPassword = Annotated[
    str,
    Field(
        min_length=8,
        max_length=128,
        description="8+ characters with upper and lower case, a number and a special character.",
        json_schema_extra={"pattern": NEW_PASSWORD_PATTERN},
    ),
]


class RegisterRequest(RequestModel):
    email: Email
    password: NewPassword
    name: Name


class LoginRequest(RequestModel):
    email: text(1, 255)
    password: Password


class RefreshRequest(RequestModel):
    refresh_token: text(1, 4096)


class LogoutRequest(RefreshRequest):
    """The refresh token whose sign-in ends."""


class UserSummary(ResponseModel):
    id: str
    email: str
    name: str
    subscription_tier: str
    email_verified: bool = Field(description="Whether the owner confirmed the address.")


class RegisteredUser(UserSummary):
    created_at: UtcDatetime


class TokenPair(ResponseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


class LoginResponse(TokenPair):
    user: UserSummary


class Quota(ResponseModel):
    posts_used: int
    posts_limit: int | None = Field(description="null on unlimited plans")
    reset_date: UtcDatetime


class NotificationSettings(ResponseModel):
    notify_review: bool = Field(
        description="Review mail: a post submitted for your review, yours approved or sent "
        "back with changes requested."
    )
    notify_mentions: bool = Field(description="Mail when a comment @mentions you.")


class CurrentUser(UserSummary, NotificationSettings):
    quota: Quota
    created_at: UtcDatetime


class ProfileUpdate(RequestModel):
    name: Name | None = None
    notify_review: StrictBool | None = Field(None, description="Turn review mail on or off.")
    notify_mentions: StrictBool | None = Field(None, description="Turn mention mail on or off.")


class UpdatedProfile(UserSummary, NotificationSettings):
    updated_at: UtcDatetime


class ChangePasswordRequest(RequestModel):
    current_password: Password
    new_password: NewPassword


class PasswordResetRequest(RequestModel):
    # Any string, as for login: the answer is the same 202 whatever was typed.
    email: Annotated[text(1, 255), Field(description="The account's email address.")]


class PasswordResetConfirm(RequestModel):
    token: text(1, 4096)
    new_password: NewPassword


class VerifyEmailRequest(RequestModel):
    token: Annotated[text(1, 4096), Field(description="The token of the mailed link.")]
