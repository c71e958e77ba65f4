"""Suggestions: what the offline edits make of real passages, markers kept through a model
reply that drops one (the loopback model over real HTTP), and the refusals of a request
(a model-only action without a model, a quote not found or found twice, the plan's
concurrency). Requests go to a queue no worker listens to."""

from __future__ import annotations

import pytest

from webapp import create_app
from webapp.errors import AppError, ServiceUnavailable
from webapp.extensions import db
from webapp.models import Job, Post, PostSuggestion
from webapp.services import accounts, plans, posts, quota
from webapp.services.review import (
    channel_content,
    editing,
    offline_edits,
    suggestion_writer,
    suggestions,
)

from ..conftest import build_test_config
from ..factories import make_completed_post

MARKDOWN = (
    "# Async standups\n\n"
    "Async standups replace the daily call with a written update. Each person posts "
    "what they did, what they plan and what blocks them. Teams in the survey saved about "
    "20 minutes a day. [2] Managers read every update in one sitting. The habit takes "
    "about two weeks to form, and most teams keep it.\n\n"
    "## What changes\n\n"
    "Teams that write things down meet less often. [1] Decisions are easier to find later "
    "because they are in writing.\n"
)
SURVEY = "Async standups replace the daily call"
CITATIONS = [
    {
        "n": n,
        "source_id": "s" * 24,
        "source_name": "survey.md",
        "quote": quote,
        "location": {"page": None, "paragraph": n},
    }
    for n, quote in ((1, "Teams that write things down meet less often."), (2, "20 minutes"))
]


def blog_content(markdown: str = MARKDOWN) -> dict:
    content = channel_content.edited_content(
        "blog", {"citations": CITATIONS}, {"markdown": markdown}, None
    )
    return {**content, "citations": CITATIONS}


# --------------------------------------------------------------------- offline edits


def test_offline_shorten_drops_whole_sentences_and_keeps_the_cited_ones():
    passage = MARKDOWN.split("\n\n")[1]
    shorter = offline_edits.shorten(passage)
    assert shorter == (
        "Async standups replace the daily call with a written update. Teams in the survey "
        "saved about 20 minutes a day. [2] Managers read every update in one sitting."
    )
    assert set(shorter.split()) <= set(passage.split())  # not a word invented
    assert len(shorter.split()) <= 0.6 * len(passage.split())


def test_offline_shorten_keeps_headings_and_drops_emptied_list_items():
    passage = (
        "## Why async\n\nAsync standups replace the daily call. Each person posts an "
        "update by 10am.\n\n- Teams save 40 minutes a day. [2] Managers read updates at "
        "once.\n- The habit takes two weeks.\n\nSome teams add a weekly call [1]. Others "
        "do not."
    )
    assert offline_edits.shorten(passage) == (
        "## Why async\n\nAsync standups replace the daily call.\n\n- Teams save 40 minutes "
        "a day. [2]\n\nSome teams add a weekly call [1]. Others do not."
    )


def test_offline_shorten_refuses_a_passage_it_cannot_honestly_shorten():
    with pytest.raises(AppError) as refused:
        offline_edits.shorten("Teams in the survey saved about 20 minutes a day. [2]")
    assert "connect a model" in refused.value.message


def test_offline_fix_touches_only_spacing_and_punctuation():
    passage = (
        "async standups  replace the call , mostly.Teams save time [2] .what blocks "
        "them?? ask “why”,then read https://example.com/a,b and e.g. notes.."
    )
    assert offline_edits.fix(passage) == (
        "Async standups replace the call, mostly. Teams save time [2]. What blocks them? "
        "Ask “why”, then read https://example.com/a,b and e.g. notes."
    )


def test_offline_fix_leaves_a_sentence_start_mid_sentence_alone_and_says_when_clean():
    assert offline_edits.fix("daily call ,  mostly", starts_sentence=False) == "daily call, mostly"
    with pytest.raises(AppError):
        offline_edits.fix("Teams save time. [2] They meet less.")


# ---------------------------------------------------------------------- markers


def test_a_marker_the_model_dropped_goes_back_after_its_sentence_and_invented_ones_go():
    quote = "Teams in the survey saved about 20 minutes a day. [2] Managers read every update."
    reply = "Managers read each update at once. [7] Surveyed teams saved 20 minutes daily."
    assert suggestion_writer.with_markers_of(quote, reply) == (
        "Managers read each update at once. Surveyed teams saved 20 minutes daily. [2]"
    )
    assert suggestion_writer.with_markers_of(quote, "Totally new text") == "Totally new text [2]"


def test_the_model_reply_keeps_the_quotes_markers(llm_server):
    config = {
        "LLM_MODEL": "openai/fake-model",
        "LLM_API_BASE": llm_server.url,
        "LLM_API_KEY": "sk-fake",
        "LLM_TIMEOUT_SECONDS": 5,
        "LLM_MAX_RETRIES": 0,
        "LLM_FALLBACK_MODELS": [],
    }
    llm_server.reply_next("Teams saved 20 minutes a day in the survey. Managers read it all.")
    quote = "Teams in the survey saved about 20 minutes a day. [2] Managers read every update."
    replacement = suggestion_writer.model_replacement(
        "rewrite", quote, "Before.", "After.", "Plainer words", "", config
    )
    assert replacement == "Teams saved 20 minutes a day in the survey. [2] Managers read it all."
    prompt = llm_server.requests[0]["messages"][-1]["content"]
    assert quote in prompt and "Plainer words" in prompt and "[2]" in prompt
    assert "replacement text only" in prompt


# --------------------------------------------------------------------- requests


@pytest.fixture
def post(app, holder):
    return make_completed_post(app, holder, holder.project, blog_content())


def ask(app, holder, post_id, action="shorten", quote=SURVEY, **fields):
    """Request a suggestion as the holder; (its id, its job's id)."""
    with app.app_context():
        suggestion = suggestions.request_suggestion(
            db.session.get(Post, post_id), accounts.get_user(holder.id), action, quote, **fields
        )
        return suggestion.id, suggestion.job_id


@pytest.mark.parametrize(
    ("quote", "code"),
    [("Not in this post at all", "QUOTE_NOT_FOUND"), ("Teams", "QUOTE_AMBIGUOUS")],
)
def test_a_quote_must_occur_exactly_once(app, holder, post, quote, code):
    with pytest.raises(AppError) as refused:
        ask(app, holder, post, quote=quote)
    assert (refused.value.code, refused.value.status) == (code, 400)


def test_without_a_model_only_shorten_and_fix_are_possible(app, holder, post):
    with pytest.raises(AppError) as refused:
        ask(app, holder, post, action="rewrite")
    assert refused.value.code == "MODEL_REQUIRED" and refused.value.status == 400
    assert "LLM_MODEL" in refused.value.message
    with app.app_context():
        assert db.session.query(PostSuggestion).count() == 0


def test_a_suggestion_takes_a_concurrency_slot_but_no_post_of_the_quota(app, holder, post):
    suggestion_id, job_id = ask(app, holder, post)
    with app.app_context():
        assert quota.running_post_jobs(holder.id) == 1
        assert quota.posts_reserved(holder.id) == plans.posts_used_by(holder.id) == 0
        row = db.session.get(PostSuggestion, suggestion_id)
        assert (row.status, row.quote, row.job_id) == ("pending", SURVEY, job_id)
    with pytest.raises(AppError) as refused:  # the free plan runs one job at a time
        ask(app, holder, post, action="fix")
    assert refused.value.code == "CONCURRENT_LIMIT_EXCEEDED" and refused.value.status == 429
    with pytest.raises(AppError) as refused, app.app_context():
        posts.request_generation(
            accounts.get_user(holder.id), project_id=holder.project.id, topic="X", voice="casual"
        )
    assert refused.value.code == "CONCURRENT_LIMIT_EXCEEDED"


def test_twitter_posts_take_no_suggestions(app, holder):
    thread = channel_content.edited_content("twitter", {}, {"thread": ["One post."]}, "T")
    post_id = make_completed_post(app, holder, holder.project, thread, channel="twitter")
    with pytest.raises(AppError) as refused:
        ask(app, holder, post_id, quote="One post.")
    assert refused.value.code == "VALIDATION_ERROR" and "Markdown" in refused.value.message


def test_a_passage_edited_away_before_the_job_runs_fails_the_suggestion_with_why(app, holder, post):
    suggestion_id, job_id = ask(app, holder, post)
    with app.app_context():
        editing.edit(
            db.session.get(Post, post),
            accounts.get_user(holder.id),
            item_version=1,
            content={"markdown": MARKDOWN.replace("Async standups replace", "Standups replace")},
        )
        with pytest.raises(AppError):
            suggestions.run_suggestion(job_id)
        row = db.session.get(PostSuggestion, suggestion_id)
        job = db.session.get(Job, job_id)
        assert row.status == job.status == "failed"
        assert row.error_message == job.error_message
        assert row.error_message.startswith("The quoted passage is not in the post")


def test_a_job_whose_post_was_deleted_fails(app, holder, post):
    _, job_id = ask(app, holder, post)
    with app.app_context():
        posts.delete_post(db.session.get(Post, post))
        suggestions.run_suggestion(job_id)
        job = db.session.get(Job, job_id)
        assert (job.status, job.error_message) == ("failed", suggestions.POST_DELETED_MESSAGE)
        assert quota.running_post_jobs(holder.id) == 0


def test_a_failed_enqueue_keeps_no_job_and_no_suggestion(app, database_url, holder, post):
    redis_down = create_app(build_test_config(database_url, REDIS_URL="redis://127.0.0.1:9/0"))
    with pytest.raises(ServiceUnavailable):
        ask(redis_down, holder, post)
    with redis_down.app_context():
        db.engine.dispose()
    with app.app_context():
        assert db.session.query(Job).count() == db.session.query(PostSuggestion).count() == 0
    ask(app, holder, post)  # Redis back: accepted
