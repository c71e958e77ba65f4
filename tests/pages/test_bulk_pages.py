"""Bulk generation in the browser's pages (Flask test client, the real worker): "Generate
all" on a CSV source's page, the job page's table of rows that polls itself while the job
runs and stops when it ends, refusals shown on the source's page, and the ZIP download."""

from __future__ import annotations

import io
import json
import re
import zipfile

from webapp.extensions import db
from webapp.models import Job

from ..api.test_bulk import REFERENCE_CSV, REFERENCE_TOPICS, bulk_jobs, topics_csv
from ..api.test_posts import worker_paused
from ..conftest import AuthActions, wait_for
from ..factories import make_project
from ..files import make_csv
from .test_sources_pages import source_by_name, sources_url, upload, wait_until_done

FRAGMENT = {"HX-Request": "true", "HX-Target": "job-progress"}


def parsed_csv(client, app, csrf, worker, project, data: bytes, name="topics.csv"):
    upload(client, csrf, project.id, [(data, name)])
    wait_until_done(client, project.id, worker)
    source = source_by_name(app, project.id, name)
    assert source.status == "parsed"
    return source


def generate_all(client, csrf, project, source):
    page = client.get(f"{sources_url(project.id)}/{source.id}")
    return client.post(
        f"{sources_url(project.id)}/{source.id}/generate-all", data={"csrf_token": csrf(page)}
    )


def job_id_of(response) -> str:
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return re.fullmatch(r"/jobs/([0-9a-f]{24})", response.headers["Location"]).group(1)


def finished_fragment(client, job_id, worker) -> str:
    """Poll the job's fragment as htmx does until it stops polling."""

    def done():
        fragment = client.get(f"/jobs/{job_id}", headers=FRAGMENT).get_data(as_text=True)
        return fragment if "hx-trigger" not in fragment else None

    try:
        return wait_for(done, timeout=60, interval=0.25)
    except AssertionError:
        raise AssertionError(open(worker.log_path).read()[-4000:]) from None


def row_cells(fragment: str) -> dict[int, str]:
    """{spreadsheet row: the text of its table row}."""
    return {
        int(number): re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()
        for number, body in re.findall(r'<tr id="row-(\d+)">(.*?)</tr>', fragment, re.S)
    }


def test_generate_all_from_the_csv_page_fills_the_job_table(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user, name="Spring")
    source = parsed_csv(client, app, csrf, worker, project, REFERENCE_CSV)
    page = client.get(f"{sources_url(project.id)}/{source.id}").get_data(as_text=True)
    assert "Generate all (3 rows)" in page
    assert f'action="{sources_url(project.id)}/{source.id}/generate-all"' in page

    job_id = job_id_of(generate_all(client, csrf, project, source))
    fragment = finished_fragment(client, job_id, worker)
    assert "<html" not in fragment and 'id="job-progress"' in fragment
    cells = row_cells(fragment)
    assert list(cells) == [2, 3, 4]
    for number, topic in zip(cells, REFERENCE_TOPICS, strict=True):
        assert cells[number].startswith(f"{number} {topic} Done Open")
    with app.app_context():
        job = db.session.get(Job, job_id)
        post_ids = job.result["post_ids"]
    for post_id in post_ids:
        assert f'href="/posts/{post_id}"' in fragment
    assert "Done: 3 posts written." in fragment

    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "Bulk generation" in page and "from topics.csv" in page
    assert f'href="/projects/{project.id}"' in page  # the breadcrumbs
    assert "hx-trigger" not in page and 'http-equiv="refresh"' not in page
    link = f'href="/jobs/{job_id}/posts.zip"'
    assert link in page and "Download ZIP" in page
    download = client.get(f"/jobs/{job_id}/posts.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(download.get_data())).read("manifest.json"))
    assert [p["id"] for p in manifest["posts"]] == post_ids


def test_the_table_polls_every_second_while_the_job_runs(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    source = parsed_csv(client, app, csrf, worker, project, REFERENCE_CSV)
    with worker_paused(worker):
        job_id = job_id_of(generate_all(client, csrf, project, source))
        page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
        assert 'hx-trigger="every 1s"' in page
        assert '<noscript><meta http-equiv="refresh"' in page  # without JavaScript
        fragment = client.get(f"/jobs/{job_id}", headers=FRAGMENT).get_data(as_text=True)
        assert "<html" not in fragment and 'hx-trigger="every 1s"' in fragment
        assert [cells.split()[-1] for cells in row_cells(fragment).values()] == ["Waiting"] * 3
        assert "Cancel" in fragment and "Download ZIP" not in fragment
    assert "Done" in finished_fragment(client, job_id, worker)


def test_rows_that_fail_show_their_reason(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    data = make_csv(
        [("Good topic", "casual"), ("", "casual"), ("Hiring posts", "gen_z")],
        header=("topic", "voice"),
    )
    source = parsed_csv(client, app, csrf, worker, project, data)
    fragment = finished_fragment(
        client, job_id_of(generate_all(client, csrf, project, source)), worker
    )
    cells = row_cells(fragment)
    assert "Done" in cells[2]
    assert "Couldn’t finish" in cells[3] and "Row 3: topic is empty." in cells[3]
    assert "Couldn’t finish" in cells[4] and "not available on the free plan" in cells[4]


def test_a_refusal_is_shown_on_the_source_page_and_starts_nothing(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    source = parsed_csv(client, app, csrf, worker, project, topics_csv(11))
    response = generate_all(client, csrf, project, source)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not started:" in page and "at most 10" in page
    assert "Generate all (11 rows)" in page
    assert bulk_jobs(app) == 0


def test_a_job_of_another_user_is_not_found(client, auth, app, csrf, worker):
    user = auth.signed_in()
    project = make_project(app, user)
    source = parsed_csv(client, app, csrf, worker, project, REFERENCE_CSV)
    job_id = job_id_of(generate_all(client, csrf, project, source))
    finished_fragment(client, job_id, worker)
    stranger = app.test_client()
    AuthActions(app, stranger).signed_in("stranger@example.com")
    assert stranger.get(f"/jobs/{job_id}").status_code == 404
    assert stranger.get(f"/jobs/{job_id}/posts.zip").status_code == 404
    refused = stranger.post(
        f"{sources_url(project.id)}/{source.id}/generate-all",
        data={"csrf_token": csrf(stranger.get("/projects"))},
    )
    assert refused.status_code == 404
