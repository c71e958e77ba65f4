"""The worker's side of a generation job: plan the outline when the job needs one first,
pause there when the outline is to be reviewed (the task returns; confirming queues a new
one), then write every post of the job and save them together.

A job with several posts (a campaign pack, a repurpose into several channels) writes the
main one (position 0) in the task's own thread, streaming to the job page, and the others
at the same time in threads of their own. All of them follow the same outline: a
campaign's blog outline, so that its thread, LinkedIn post and newsletter are written
from the blog post's sections.

A campaign is one piece of work: when one of its posts fails, the others stop, the job
fails with that post's reason, every post of the job is failed with it and nothing is
charged (see settling.record_failure_for_job).
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor

from flask import current_app

from ...extensions import db
from ...models import Job, Post
from ...vocabulary import JobStatus
from .. import jobs, queue
from ..generation import GeneratedPost, JobCancelled, PlannedOutline, Usage, generate, writer_for
from ..workflows import outlines
from ..workflows.slots import check_outline
from .inputs import (
    CannotStart,
    brief_of,
    given_outline,
    links_inserter,
    plans_outline_first,
    sources_of,
    wants_review,
)
from .settling import (
    POST_DELETED_MESSAGE,
    finish_cancelled,
    posts_of,
    record_failure_for_job,
    save_results,
)
from .sinks import JobSink, SideSink

log = logging.getLogger(__name__)
WAITING_STEP = "Waiting for the outline to be confirmed"


def run_generation(job_id: str) -> None:
    """Write the posts of `job_id` (or stop at its outline checkpoint). Failures are
    recorded on the posts and the job, then re-raised for RQ."""
    job = db.session.get(Job, job_id)
    if job is None or job.is_finished or job.status == JobStatus.SLOT_NEEDED:
        log.info("job %s: nothing to do (deleted, finished or paused)", job_id)
        return
    posts = posts_of(job_id)
    if not posts:
        record_failure_for_job(job_id, POST_DELETED_MESSAGE)
        return
    jobs.start_job(job, "Reading the sources")
    stop = threading.Event()
    sink = JobSink(job, stop)
    writer = writer_for(current_app.config, posts[0].test_mode)
    try:
        outline, usage = outline_first(job, posts[0], writer, sink)
        if wants_review(job):
            pause_at_outline(job, outline, usage)
            return
        results = write_posts(job, posts, outline, writer, sink)
    except CannotStart as exc:
        record_failure_for_job(job_id, str(exc))
        return
    except JobCancelled:
        finish_cancelled(job)
        return
    finally:
        sink.draft.flush_all()
    save_results(job, posts, results, usage or outline_usage(job))


def outline_first(job: Job, main: Post, writer, sink) -> tuple[PlannedOutline | None, Usage | None]:
    """The outline every post of the job follows, and what planning it cost (None when
    it was given: agreed at the checkpoint, or the workflow's own)."""
    given = given_outline(job, main)
    if given is not None or not plans_outline_first(job):
        return given, None
    return writer.outline(brief_of(main), sources_of(main), sink)


def pause_at_outline(job: Job, outline: PlannedOutline, usage: Usage | None) -> None:
    """Stop at the outline checkpoint: the job waits (slot_needed) holding no worker,
    with the outline to review as its checkpoint."""
    value = check_outline(outline.as_value())
    jobs.pause_job(job, outlines.outline_checkpoint(value, usage=usage_value(usage)), WAITING_STEP)
    queue.keep_no_record_of_this_run()


def usage_value(usage: Usage | None) -> dict | None:
    if usage is None:
        return None
    return {
        "prompt_tokens": usage.prompt_tokens,
        "completion_tokens": usage.completion_tokens,
        "cost_usd": usage.cost_usd,
    }


def outline_usage(job: Job) -> Usage | None:
    """What planning the outline cost before the job paused (added to the main post)."""
    kept = (job.checkpoint or {}).get("usage")
    if not kept:
        return None
    usage = Usage(model="")
    usage.add(kept["prompt_tokens"], kept["completion_tokens"], kept["cost_usd"])
    return usage


def write_posts(
    job: Job, posts: list[Post], outline: PlannedOutline | None, writer, sink: JobSink
) -> list[GeneratedPost]:
    """Every post of the job written, in the order of `posts`: the first here, the
    others in threads beside it; the first failure stops the others and is raised."""
    insert = links_inserter(posts[0].project_id)
    inputs = [(brief_of(post, outline), sources_of(post)) for post in posts]
    if len(posts) == 1:
        return [generate(*inputs[0], writer, sink, insert)]
    app = current_app._get_current_object()
    failures: list[BaseException] = []

    def write_beside(brief, sources):
        with app.app_context():
            try:
                return generate(brief, sources, writer, SideSink(job.id, sink.stop), insert)
            except JobCancelled:
                raise
            except BaseException as exc:
                failures.append(exc)
                sink.stop.set()  # the main post and the others stop at their next step
                raise

    pool = ThreadPoolExecutor(len(posts) - 1, thread_name_prefix="post")
    try:
        beside = [pool.submit(write_beside, *pair) for pair in inputs[1:]]
        main = generate(*inputs[0], writer, sink, insert)
        written = [main, *(future.result() for future in beside)]
    except BaseException as exc:
        # Failed, timed out or cancelled: the others stop at their next step, unawaited.
        sink.stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        if isinstance(exc, JobCancelled) and failures:
            raise failures[0] from None
        raise
    pool.shutdown()
    return written
