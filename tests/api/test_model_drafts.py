"""Model-written posts through the API and a worker of their own, against the loopback
model server: the post's citations resolve to the selected sources' passages as the
prompts carried them, and an outline the model cannot get right fails the job with its
reason."""

from __future__ import annotations

import re

from ..conftest import wait_for
from .test_generation_llm import Remote, llm_env

NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.M)
MARKER = re.compile(r"\[(\d+)\]")


def upload(user: Remote, name: str, text: str) -> str:
    source = user.call(
        "post",
        f"/api/v1/sources/projects/{user.project['id']}/sources",
        files={"file": (name, text.encode())},
    ).json()
    wait_for(
        lambda: (
            user.call("get", f"/api/v1/sources/sources/{source['id']}").json()["status"] == "parsed"
        ),
        timeout=30,
    )
    return source["id"]


def cite_and_invent(body: dict) -> str:
    """One sentence per numbered passage of the prompt, citing it, and one invented."""
    task = body["messages"][-1]["content"]
    lines = NUMBERED.findall(task)
    return "\n\n".join(
        [f"Point {i} for shops worth knowing. [{n}]" for i, (n, _) in enumerate(lines)]
        + ["A claim with an invented source. [999] And one more. [0]"]
    )


def test_a_model_posts_citations_name_the_selected_source_as_prompted(start_stack, llm_server):
    server, worker = start_stack(**llm_env(llm_server))
    user = Remote(server)
    chosen = upload(
        user,
        "shops.md",
        "# Shops\n\nShops that send a weekly email sell 20% more.\n\n"
        "Email lists of shops grow fastest after a discount.",
    )
    upload(user, "other.md", "Email marketing for shops is covered here too, in another file.")
    llm_server.responder = cite_and_invent
    job = user.finished_job(user.generate(channel="social", source_ids=[chosen]), worker)
    assert job["status"] == "completed", job

    post = user.call("get", f"/api/v1/posts/{job['result']['post_id']}").json()
    citations = post["content"]["citations"]
    assert [(c["n"], c["source_id"], c["source_name"]) for c in citations] == [
        (1, chosen, "shops.md"),
        (2, chosen, "shops.md"),
    ]
    assert [c["location"] for c in citations] == [
        {"page": None, "paragraph": 2},
        {"page": None, "paragraph": 3},
    ]
    prompt = llm_server.requests[0]["messages"][-1]["content"]
    assert {quote for _, quote in NUMBERED.findall(prompt)} == {c["quote"] for c in citations}
    assert "another file" not in prompt
    assert [int(n) for n in MARKER.findall(post["content"]["markdown"])] == [1, 2]


def test_an_outline_the_model_cannot_repair_fails_the_job_with_the_reason(start_stack, llm_server):
    server, worker = start_stack(**llm_env(llm_server))
    user = Remote(server)
    llm_server.reply_next("Sure! 1. Why email 2. Lists", '{"title": "Email", "sections": []}')
    job = user.finished_job(user.generate(target_length="short"), worker)
    assert job["status"] == "failed"
    assert job["error_message"] == (
        "The model did not return a usable outline (4 sections were asked for, the answer has 0)."
    )
    posts = user.call("get", f"/api/v1/posts/projects/{user.project['id']}/posts").json()
    assert posts["posts"][0]["status"] == "failed"
    assert len(llm_server.requests) == 2  # the outline and its one repair, nothing more
    assert user.quota() == 0
