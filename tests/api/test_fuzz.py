"""Schemathesis fuzzes the API from its own OpenAPI document: no 5xx, every response as
documented, schema-valid requests accepted. Runs the real CLI against a real server."""

import subprocess
import sys
from pathlib import Path

import pytest
import requests

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
UPLOAD_PATH = "/api/v1/sources/projects/{project_id}/sources"
URL_IMPORT_PATH = UPLOAD_PATH + "/url"
RESET_CONFIRM_PATH = "/api/v1/auth/password-reset/confirm"
VERIFY_EMAIL_PATH = "/api/v1/auth/verify-email"
ACCEPT_INVITATION_PATH = "/api/v1/invitations/accept"
TRANSFER_PATH = "/api/v1/workspaces/{workspace_id}/transfer"
INVITE_PATH = "/api/v1/workspaces/{workspace_id}/invitations"


# Two schemathesis runs over every operation: longer than the suite's 300 s per test.
@pytest.mark.timeout(1200)
def test_api_survives_schemathesis(start_server, tmp_path):
    server = start_server(RATELIMIT_ENABLED="false")
    registered = requests.post(
        f"{server}/api/v1/auth/register",
        timeout=10,
        json={"email": "fuzz@example.com", "password": "SecurePassword123!", "name": "Fuzz"},
    )
    assert registered.status_code == 201, registered.text
    login = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": "fuzz@example.com", "password": "SecurePassword123!"},
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    common = [
        str(SCHEMATHESIS),
        "run",
        f"{server}/api/v1/openapi.json",
        "-H",
        f"Authorization: Bearer {token}",
        "--max-examples",
        "25",
        "--seed",
        "1",
    ]
    # Changing the password or deleting the account would sign the fuzzer itself out
    # half-way (and a fuzzed password is refused, schema-valid as it is). Uploads and URL
    # imports are judged by what no schema can describe (a PNG is a schema-valid "binary",
    # http://000 a schema-valid URL of a private address), and so are a password reset
    # confirmation, an email verification and accepting an invitation (no generated token
    # was ever mailed), a transfer of ownership (to a user who must be a member) and an
    # invitation (an address at a special-use domain such as .test is "format: email" but
    # never deliverable): for them every check but "schema-valid data is accepted" runs.
    everything_else = subprocess.run(
        common
        + [
            "--checks",
            "all",
            "--exclude-path",
            "/api/v1/users/change-password",
            "--exclude-name",
            "DELETE /api/v1/users/me",
            "--exclude-path",
            UPLOAD_PATH,
            "--exclude-path",
            URL_IMPORT_PATH,
            "--exclude-path",
            RESET_CONFIRM_PATH,
            "--exclude-path",
            VERIFY_EMAIL_PATH,
            "--exclude-path",
            ACCEPT_INVITATION_PATH,
            "--exclude-path",
            TRANSFER_PATH,
            "--exclude-path",
            INVITE_PATH,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert everything_else.returncode == 0, everything_else.stdout[-6000:]
    uploads = subprocess.run(
        common
        + [
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--include-path",
            UPLOAD_PATH,
            "--include-path",
            URL_IMPORT_PATH,
            "--include-path",
            RESET_CONFIRM_PATH,
            "--include-path",
            VERIFY_EMAIL_PATH,
            "--include-path",
            ACCEPT_INVITATION_PATH,
            "--include-path",
            TRANSFER_PATH,
            "--include-path",
            INVITE_PATH,
        ],
        capture_output=True,
        text=True,
        timeout=600,
        cwd=tmp_path,
    )
    assert uploads.returncode == 0, uploads.stdout[-6000:]
