"""Suggestions through the API with the real `python worker.py`: offline (no model) with
the session's worker, and with the loopback model in a stack of its own. A suggestion is
asked for, its job runs, it is accepted as a new revision with the citations intact, or
refused as stale; it takes a concurrency slot but no post of the quota."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ..conftest import wait_for
from ..factories import make_completed_post
from ..services.test_suggestions import MARKDOWN, blog_content
from .test_generation_llm import Remote, llm_env
from .test_model_drafts import upload
from .test_posts import worker_paused

PARAGRAPH = MARKDOWN.split("\n\n")[1]
SHORTENED = (
    "Async standups replace the daily call with a written update. Teams in the survey "
    "saved about 20 minutes a day. [2] Managers read every update in one sitting."
)


class Editor:
    def __init__(self, app, client, auth, worker):
        self.client, self.worker = client, worker
        self.headers = auth.headers()
        self.project = self.call("post", "/api/v1/projects", json={"name": "Team blog"}).get_json()
        owner = SimpleNamespace(id=self.project["user_id"])
        project = SimpleNamespace(id=self.project["id"])
        self.post_id = make_completed_post(app, owner, project, blog_content())

    def call(self, method, path, **kwargs):
        return getattr(self.client, method)(path, headers=self.headers, **kwargs)

    def suggest(self, action="shorten", quote=PARAGRAPH, **fields):
        return self.call(
            "post",
            f"/api/v1/posts/{self.post_id}/suggestions",
            json={"action": action, "quote": quote, **fields},
        )

    def finished_job(self, job_id):
        def done():
            body = self.call("get", f"/api/v1/jobs/{job_id}").get_json()
            return body if body["status"] in ("completed", "failed") else None

        try:
            return wait_for(done, timeout=30, interval=0.1)
        except AssertionError:
            raise AssertionError(open(self.worker.log_path).read()[-4000:]) from None

    def ready(self, action="shorten", quote=PARAGRAPH) -> dict:
        response = self.suggest(action, quote)
        assert response.status_code == 202, response.get_json()
        job = self.finished_job(response.get_json()["job_id"])
        assert job["status"] == "completed", job
        return self.suggestion(response.get_json()["suggestion_id"])

    def suggestion(self, suggestion_id) -> dict:
        listed = self.call("get", f"/api/v1/posts/{self.post_id}/suggestions").get_json()
        return next(s for s in listed["suggestions"] if s["id"] == suggestion_id)

    def post(self) -> dict:
        return self.call("get", f"/api/v1/posts/{self.post_id}").get_json()

    def posts_used(self) -> int:
        return self.call("get", "/api/v1/users/me").get_json()["quota"]["posts_used"]


@pytest.fixture
def editor(app, client, auth, worker):
    return Editor(app, client, auth, worker)


def test_a_suggestion_is_written_by_the_worker_and_accepted_as_a_revision(editor):
    response = editor.suggest()
    assert response.status_code == 202
    accepted = response.get_json()
    job = editor.finished_job(accepted["job_id"])
    assert (job["job_type"], job["status"]) == ("ai_edit", "completed")
    assert job["result"] == {"suggestion_id": accepted["suggestion_id"], "post_id": editor.post_id}

    listed = editor.call("get", f"/api/v1/posts/{editor.post_id}/suggestions").get_json()
    assert listed["total"] == 1
    suggestion = listed["suggestions"][0]
    assert set(suggestion) == {
        "id",
        "post_id",
        "job_id",
        "action",
        "quote",
        "instructions",
        "tone",
        "replacement",
        "status",
        "error_message",
        "created_at",
    }
    assert (suggestion["status"], suggestion["replacement"]) == ("ready", SHORTENED)
    assert suggestion["quote"] == " ".join(PARAGRAPH.split())

    response = editor.call(
        "post", f"/api/v1/suggestions/{suggestion['id']}/accept", json={"item_version": 1}
    )
    assert response.status_code == 200, response.get_json()
    post = response.get_json()
    assert post["item_version"] == 2
    assert SHORTENED in post["content"]["markdown"]
    assert "two weeks" not in post["content"]["markdown"]
    assert [c["n"] for c in post["content"]["citations"]] == [1, 2]  # both markers still there
    revisions = editor.call("get", f"/api/v1/posts/{editor.post_id}/revisions").get_json()
    assert revisions["revisions"][0]["summary"] == (
        "Accepted suggestion: shorten “Async standups replace the daily call…”"
    )
    assert revisions["revisions"][0]["item_version"] == 2
    assert editor.suggestion(suggestion["id"])["status"] == "accepted"
    assert editor.posts_used() == 0


def test_an_edit_makes_a_suggestion_stale_and_an_old_version_conflicts(editor):
    stale = editor.ready()
    response = editor.suggest("shorten", "Teams that write things down meet less often. [1]")
    job = editor.finished_job(response.get_json()["job_id"])
    failed = editor.suggestion(response.get_json()["suggestion_id"])
    assert failed["status"] == job["status"] == "failed"
    assert failed["error_message"] == job["error_message"]
    assert "connect a model" in failed["error_message"]

    edited = PARAGRAPH.replace("Managers read", "Leads read")
    response = editor.call(
        "patch",
        f"/api/v1/posts/{editor.post_id}",
        json={"item_version": 1, "content": {"markdown": MARKDOWN.replace(PARAGRAPH, edited)}},
    )
    assert response.status_code == 200
    response = editor.call(
        "post", f"/api/v1/suggestions/{stale['id']}/accept", json={"item_version": 2}
    )
    assert response.status_code == 409
    assert response.get_json()["detail"]["code"] == "STALE_SUGGESTION"

    current = editor.ready("shorten", edited)
    response = editor.call(
        "post", f"/api/v1/suggestions/{current['id']}/accept", json={"item_version": 1}
    )
    assert response.status_code == 409
    detail = response.get_json()["detail"]
    assert (detail["code"], detail["current_version"]) == ("VERSION_CONFLICT", 2)
    assert editor.post()["item_version"] == 2


def test_reject_and_the_refusals(editor):
    suggestion = editor.ready()
    rejected = editor.call("post", f"/api/v1/suggestions/{suggestion['id']}/reject")
    assert rejected.status_code == 200 and rejected.get_json()["status"] == "rejected"
    again = editor.call(
        "post", f"/api/v1/suggestions/{suggestion['id']}/accept", json={"item_version": 1}
    )
    assert again.status_code == 400 and again.get_json()["detail"]["code"] == "INVALID_STATE"

    refused = editor.suggest("rewrite")
    assert refused.status_code == 400
    assert refused.get_json()["detail"]["code"] == "MODEL_REQUIRED"
    assert "LLM_MODEL" in refused.get_json()["detail"]["message"]
    for quote, code in (("Nowhere in the post", "QUOTE_NOT_FOUND"), ("Teams", "QUOTE_AMBIGUOUS")):
        response = editor.suggest(quote=quote)
        assert (response.status_code, response.get_json()["detail"]["code"]) == (400, code)
    missing = editor.call("post", "/api/v1/suggestions/" + "x" * 24 + "/reject")
    assert missing.get_json()["detail"]["code"] == "SUGGESTION_NOT_FOUND"


def test_a_queued_suggestion_holds_the_plans_one_slot(editor):
    with worker_paused(editor.worker):
        first = editor.suggest()
        assert first.status_code == 202
        second = editor.suggest("fix")
        assert second.status_code == 429
        assert second.get_json()["detail"]["code"] == "CONCURRENT_LIMIT_EXCEEDED"
    assert editor.finished_job(first.get_json()["job_id"])["status"] == "completed"
    assert editor.posts_used() == 0


def drop_a_marker(body: dict) -> str:
    """A rewrite that loses the passage's marker, as a careless model would."""
    return "Shops that email every week sell a fifth more than the others."


def test_with_a_model_the_replacement_keeps_the_quotes_markers(start_stack, llm_server):
    server, worker = start_stack(**llm_env(llm_server))
    user = Remote(server)
    source = upload(user, "shops.md", "# Shops\n\nShops that send a weekly email sell 20% more.")
    job = user.finished_job(user.generate(channel="social", source_ids=[source]), worker)
    post = user.call("get", f"/api/v1/posts/{job['result']['post_id']}").json()
    markdown = post["content"]["markdown"]
    paragraph = next(p for p in markdown.split("\n\n") if "[1]" in p)
    used = user.quota()

    llm_server.reset()
    llm_server.responder = drop_a_marker
    response = user.call(
        "post",
        f"/api/v1/posts/{post['id']}/suggestions",
        json={"action": "rewrite", "quote": paragraph, "instructions": "Plainer."},
    )
    assert response.status_code == 202, response.text
    assert user.finished_job(response.json()["job_id"], worker)["status"] == "completed"
    suggestion = user.call("get", f"/api/v1/posts/{post['id']}/suggestions").json()["suggestions"][
        0
    ]
    assert suggestion["replacement"] == (
        "Shops that email every week sell a fifth more than the others. [1]"
    )
    prompt = llm_server.requests[0]["messages"][-1]["content"]
    assert "Plainer." in prompt and "[1]" in prompt

    accepted = user.call(
        "post", f"/api/v1/suggestions/{suggestion['id']}/accept", json={"item_version": 1}
    ).json()
    assert accepted["item_version"] == 2
    assert suggestion["replacement"] in accepted["content"]["markdown"]
    assert [c["source_id"] for c in accepted["content"]["citations"]][:1] == [source]
    assert user.quota() == used
