"""The plan's caps on sources, through the API, on the free plan's numbers: 5 parse jobs
queued at once (no worker takes them here), 50 sources per project, 100 MB stored. Each is
checked under the plan holder's lock: parallel uploads at two gunicorn processes pass the
queue cap no more than one by one."""

from __future__ import annotations

import io

import pytest
import requests

from webapp.models import Source
from webapp.services.plans import MB

from ..conftest import TEST_KEY_PREFIX
from ..factories import make_project, make_sources, make_user
from .test_plan_limits import count, idle_server, in_parallel, signed_in


@pytest.fixture
def api(app, client, auth, monkeypatch, web_pages):
    """A free-plan caller with a project; jobs go to a queue no worker listens to, and
    URL imports may name the loopback page server."""
    monkeypatch.setitem(app.config, "REDIS_KEY_PREFIX", f"{TEST_KEY_PREFIX}-idle")
    monkeypatch.setitem(app.config, "ALLOWED_PRIVATE_HOSTS", [web_pages.host_port])

    class Api:
        headers = auth.headers()
        user = make_user(app, email="user@example.com")
        project = make_project(app, user, name="Research")
        page_url = f"{web_pages.url}/article"

        def upload(self, data=b"Some notes.", name="notes.txt", project_id=None):
            return client.post(
                f"/api/v1/sources/projects/{project_id or self.project.id}/sources",
                headers=self.headers,
                data={"file": (io.BytesIO(data), name)},
            )

        def import_url(self, project_id=None):
            return client.post(
                f"/api/v1/sources/projects/{project_id or self.project.id}/sources/url",
                headers=self.headers,
                json={"url": self.page_url},
            )

    return Api()


def refused(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.get_json()
    detail = response.get_json()["detail"]
    assert detail["code"] == code
    return detail


def test_a_sixth_parse_job_waits_for_the_free_plans_queue(api, app):
    for index in range(5):
        assert api.upload(name=f"notes-{index}.txt").status_code == 201
    response = api.upload(name="one-too-many.txt")
    detail = refused(response, 429, "PARSE_QUEUE_FULL")
    assert detail["retry_after"] > 0
    assert response.headers["Retry-After"] == str(detail["retry_after"])
    assert "5 documents are already waiting" in detail["message"]
    refused(api.import_url(), 429, "PARSE_QUEUE_FULL")
    assert count(app, Source) == 5


def test_a_project_with_50_sources_takes_no_more(api, app):
    make_sources(app, api.user, api.project, count=50)
    detail = refused(api.upload(), 403, "SOURCE_LIMIT_REACHED")
    assert "the most the free plan allows" in detail["message"]
    refused(api.import_url(), 403, "SOURCE_LIMIT_REACHED")
    other = make_project(app, api.user, name="Other")
    assert api.upload(project_id=other.id).status_code == 201
    assert count(app, Source, project_id=api.project.id) == 50


def test_storage_across_all_projects_stops_at_100_mb(api, app):
    other = make_project(app, api.user, name="Archive")
    make_sources(app, api.user, other, count=2, file_size=50 * MB - 5)  # 10 bytes left
    detail = refused(api.upload(b"eleven byte"), 413, "STORAGE_LIMIT_REACHED")
    assert "of the 100 MB the free plan allows" in detail["message"]
    assert api.upload(b"ten bytes!").status_code == 201  # exactly full
    refused(api.import_url(), 413, "STORAGE_LIMIT_REACHED")
    assert count(app, Source, project_id=api.project.id) == 1


def test_parallel_uploads_at_two_processes_fill_the_queue_and_no_more(start_server, app):
    server = idle_server(start_server)
    _, project, headers = signed_in(server, app, "burst@example.com")
    responses = in_parallel(
        lambda index: requests.post(
            f"{server}/api/v1/sources/projects/{project.id}/sources",
            headers=headers,
            timeout=60,
            files={"file": (f"notes-{index}.txt", b"Parallel notes.")},
        )
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] * 5 + [429] * 7, [r.json() for r in responses]
    assert {r.json()["detail"]["code"] for r in responses if r.status_code == 429} == {
        "PARSE_QUEUE_FULL"
    }
    assert count(app, Source, project_id=project.id) == 5
