"""Sources when a backing service is gone: Redis down at upload answers 503 and keeps
nothing; the file storage can be an S3 bucket shared by separate web and worker processes."""

import os
import re
import uuid
from contextlib import contextmanager

import requests

from webapp.extensions import db
from webapp.models import Source

from ..conftest import TEST_KEY_PREFIX, UPLOAD_DIR, launch_worker, stop_process, wait_for
from ..files import make_pdf


def register(server, email="faults@example.com"):
    requests.post(
        f"{server}/api/v1/auth/register",
        timeout=10,
        json={"email": email, "password": "SecurePassword123!", "name": "F"},
    )
    token = requests.post(
        f"{server}/api/v1/auth/login",
        timeout=10,
        json={"email": email, "password": "SecurePassword123!"},
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    project = requests.post(
        f"{server}/api/v1/projects", headers=headers, timeout=10, json={"name": "P"}
    ).json()
    return headers, project


def stored_files():
    return [os.path.join(root, name) for root, _, names in os.walk(UPLOAD_DIR) for name in names]


def test_redis_down_at_upload_is_503_and_keeps_nothing(start_server, app):
    server = start_server(REDIS_URL="redis://127.0.0.1:9/0")
    headers, project = register(server)
    before = stored_files()
    response = requests.post(
        f"{server}/api/v1/sources/projects/{project['id']}/sources",
        headers=headers,
        timeout=10,
        files={"file": ("notes.md", b"# Notes\n\nText.")},
    )
    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "SERVICE_UNAVAILABLE"
    assert stored_files() == before
    with app.app_context():
        assert db.session.query(Source).count() == 0
    # Pages still render without Redis.
    assert requests.get(f"{server}/login", timeout=10).status_code == 200


@contextmanager
def s3_bucket(name: str):
    """A loopback S3 server (moto) holding one empty bucket `name`; yields the environment
    that points Copydesk at it, and the boto3 client."""
    import boto3
    from moto.server import ThreadedMotoServer

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    moto.start()
    try:
        host, port = moto.get_host_and_port()
        env = {
            "S3_BUCKET": name,
            "S3_ENDPOINT_URL": f"http://{host}:{port}",
            "S3_REGION": "us-east-1",
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
        }
        bucket = boto3.client(
            "s3",
            endpoint_url=env["S3_ENDPOINT_URL"],
            region_name="us-east-1",
            aws_access_key_id="test",
            aws_secret_access_key="test",
        )
        bucket.create_bucket(Bucket=name)
        yield env, bucket
    finally:
        moto.stop()


def test_s3_storage_shared_by_separate_web_and_worker(start_stack, tmp_path):
    with s3_bucket("copydesk-test") as (s3_env, bucket):
        server, worker = start_stack(**s3_env, UPLOAD_DIR=str(tmp_path / "must-stay-empty"))
        headers, project = register(server, email="s3@example.com")
        created = requests.post(
            f"{server}/api/v1/sources/projects/{project['id']}/sources",
            headers=headers,
            timeout=10,
            files={"file": ("paper.pdf", make_pdf(["Stored in a bucket."]))},
        ).json()
        key = created["s3_key"]
        assert bucket.head_object(Bucket="copydesk-test", Key=key)["ContentLength"] > 0
        body = wait_until_finished(server, headers, created["id"])
        assert body["status"] == "parsed", body["error_message"] + worker.log_path.read_text()
        assert "Stored in a bucket." in body["parsed_text"]
        assert not (tmp_path / "must-stay-empty").exists()
        requests.delete(
            f"{server}/api/v1/sources/sources/{created['id']}", headers=headers, timeout=10
        )
        listed = bucket.list_objects_v2(Bucket="copydesk-test").get("Contents", [])
        assert key not in [item["Key"] for item in listed]


def test_storage_failure_in_the_worker_shows_a_reference_not_botocore(
    start_server, database_url, tmp_path
):
    """The worker cannot read the bucket the web wrote to (a misconfigured S3_BUCKET): the
    source fails with a reason and a reference, never botocore's words, the bucket or the
    endpoint; the reference leads to the full story in the worker's log."""
    with s3_bucket("copydesk-web") as (s3_env, _):
        s3_env["REDIS_KEY_PREFIX"] = f"{TEST_KEY_PREFIX}-{uuid.uuid4().hex[:6]}"
        server = start_server(**s3_env)
        worker = launch_worker(
            database_url, tmp_path / "worker.log", **{**s3_env, "S3_BUCKET": "copydesk-elsewhere"}
        )
        try:
            headers, project = register(server, email="s3-broken@example.com")
            created = requests.post(
                f"{server}/api/v1/sources/projects/{project['id']}/sources",
                headers=headers,
                timeout=10,
                files={"file": ("notes.md", b"# Notes\n\nKept in a bucket.")},
            ).json()
            body = wait_until_finished(server, headers, created["id"])
        finally:
            stop_process(worker)
    assert body["status"] == "failed"
    message = body["error_message"]
    reference = re.search(r"\(ref ([0-9a-f]{12})\)$", message)
    assert reference, message
    endpoint = s3_env["S3_ENDPOINT_URL"].split("//")[1]
    for internal in (
        "NoSuchBucket",
        "copydesk-elsewhere",
        "GetObject",
        endpoint,
        created["s3_key"],
        "StorageError",
    ):
        assert internal not in message
    log = (tmp_path / "worker.log").read_text()
    assert f"error_id={reference.group(1)}" in log and "NoSuchBucket" in log


def wait_until_finished(server, headers, source_id, timeout=30):
    def finished():
        body = requests.get(
            f"{server}/api/v1/sources/sources/{source_id}", headers=headers, timeout=10
        ).json()
        return body if body["status"] in ("parsed", "failed") else None

    return wait_for(finished, timeout=timeout)
