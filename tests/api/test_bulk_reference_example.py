"""The issue's done-condition: reference 004's Bulk Generation Example, its four steps as
written (the CSV byte for byte, the curl calls made with `requests`), against a web server
and a worker of their own as `make run` starts them (offline writer), yields its three
posts."""

from __future__ import annotations

import time

import requests

from ..conftest import wait_for

# Step 1: Prepare CSV
TOPICS_CSV = """topic,voice,custom_instructions
"SEO Best Practices for 2025","professional","Include examples"
"Content Marketing Strategy Guide","professional","Focus on B2B"
"Social Media Optimization Tips","casual","Keep it practical"
"""


def test_the_bulk_generation_example_runs_unchanged(start_stack, tmp_path):
    base_url, worker = start_stack()
    # An account, a token and a project, as the reference's Python example makes them.
    requests.post(
        f"{base_url}/api/v1/auth/register",
        json={"email": "marketer@example.com", "password": "SecurePassword123!", "name": "M"},
        timeout=10,
    )
    access_token = requests.post(
        f"{base_url}/api/v1/auth/login",
        json={"email": "marketer@example.com", "password": "SecurePassword123!"},
        timeout=10,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"}
    project = requests.post(
        f"{base_url}/api/v1/projects",
        headers=headers,
        json={"name": "My Project", "description": "Project description"},
        timeout=10,
    ).json()
    project_id = project["id"]
    (tmp_path / "topics.csv").write_text(TOPICS_CSV)

    # Step 2: Upload CSV as Source
    #   curl -X POST .../api/v1/sources/projects/${PROJECT_ID}/sources \
    #     -H "Authorization: Bearer ${ACCESS_TOKEN}" -F "file=@topics.csv"
    with open(tmp_path / "topics.csv", "rb") as topics:
        uploaded = requests.post(
            f"{base_url}/api/v1/sources/projects/{project_id}/sources",
            headers={"Authorization": f"Bearer {access_token}"},
            files={"file": ("topics.csv", topics)},
            timeout=10,
        )
    assert uploaded.status_code == 201, uploaded.text
    csv_source_id = uploaded.json()["id"]
    # "Poll the source endpoint to check parsing status", as the reference says.
    wait_for(
        lambda: (
            requests.get(
                f"{base_url}/api/v1/sources/sources/{csv_source_id}",
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=10,
            ).json()["status"]
            == "parsed"
        ),
        timeout=30,
        interval=0.5,
    )

    # Step 3: Initiate Bulk Generation
    #   curl -X POST .../api/v1/posts/bulk-generate -H "Authorization: Bearer ${ACCESS_TOKEN}"
    #     -H "Content-Type: application/json"
    #     -d '{"project_id": "'${PROJECT_ID}'", "csv_source_id": "'${CSV_SOURCE_ID}'"}'
    started = requests.post(
        f"{base_url}/api/v1/posts/bulk-generate",
        headers={"Authorization": f"Bearer {access_token}", "Content-Type": "application/json"},
        data=f"""{{
    "project_id": "{project_id}",
    "csv_source_id": "{csv_source_id}"
  }}""",
        timeout=10,
    )
    assert started.status_code == 202, started.text
    assert started.json()["status"] == "queued" and started.json()["total_items"] == 3
    bulk_job_id = started.json()["job_id"]

    # Step 4: Monitor Progress
    #   curl -X GET .../api/v1/jobs/${BULK_JOB_ID} -H "Authorization: Bearer ${ACCESS_TOKEN}"
    deadline = time.monotonic() + 60
    while True:
        job = requests.get(
            f"{base_url}/api/v1/jobs/{bulk_job_id}",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=10,
        ).json()
        if job["status"] in ("completed", "failed") or time.monotonic() > deadline:
            break
        time.sleep(2)  # "Poll every 2-5 seconds"
    assert job["status"] == "completed", (job, open(worker.log_path).read()[-3000:])
    assert job["job_type"] == "bulk_generation" and job["progress"] == 100
    assert [row["status"] for row in job["result"]["rows"]] == ["completed"] * 3

    posts = requests.get(
        f"{base_url}/api/v1/posts/projects/{project_id}/posts",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=10,
    ).json()
    assert posts["total"] == 3
    assert sorted(post["topic"] for post in posts["posts"]) == [
        "Content Marketing Strategy Guide",
        "SEO Best Practices for 2025",
        "Social Media Optimization Tips",
    ]
    assert {post["status"] for post in posts["posts"]} == {"completed"}
    for post_id in job["result"]["post_ids"]:
        post = requests.get(
            f"{base_url}/api/v1/posts/{post_id}",
            headers={"Authorization": f"Bearer {access_token}"},
            timeout=10,
        ).json()
        assert post["content"]["markdown"].startswith("# ")
    # The download of the next step of a marketer's day: the job's posts as a ZIP.
    download = requests.get(
        f"{base_url}/api/v1/jobs/{bulk_job_id}/download",
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=30,
    )
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/zip"
