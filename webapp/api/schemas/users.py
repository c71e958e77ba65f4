"""The account itself (the profile and password models are in schemas.auth)."""

from __future__ import annotations

from pydantic import Field

from .auth import Password
from .common import RequestModel


class DeleteAccountRequest(RequestModel):
    password: Password = Field(description="The current password, to confirm.")
