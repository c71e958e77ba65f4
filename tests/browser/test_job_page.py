"""The job page's live region: the progress block is replaced at every poll, so what
screen readers hear comes from one element outside it, told only when the step changes."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from webapp.extensions import db
from webapp.models import Job
from webapp.services import jobs

from ..factories import make_project, make_user
from .conftest import sign_in

# Reports every change of #job-announcer (and whether it is still the element the page
# loaded with) and every htmx swap of the progress block.
REPORT_ANNOUNCEMENTS = """() => {
  const announcer = document.querySelector('#job-announcer');
  document.addEventListener('htmx:afterSwap', () => window.reportSwap());
  new MutationObserver(() => {
    window.reportAnnouncement(announcer.textContent, announcer.isConnected);
  }).observe(announcer, {childList: true, characterData: true, subtree: true});
}"""


def wait_for(page: Page, condition, seconds: float = 15) -> None:
    """Let the page run (its polls, our reports) until `condition()` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        page.wait_for_timeout(100)


def test_screen_readers_hear_each_step_once(page: Page, app):
    user = make_user(app, email="ida@example.com")
    project = make_project(app, user)
    with app.app_context():
        job = Job(
            user_id=user.id,
            project_id=project.id,
            job_type="content_generation",
            status="processing",
            progress=20,
            current_step="Outlining",
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
    told, swaps = [], []
    page.expose_function(
        "reportAnnouncement", lambda text, connected: told.append((text, connected))
    )
    page.expose_function("reportSwap", lambda: swaps.append(1))
    sign_in(page, user)
    page.goto(f"/jobs/{job_id}")
    expect(page.locator("#job-step")).to_have_text("Outlining")
    expect(page.get_by_role("status")).to_have_text("Outlining")
    page.evaluate(REPORT_ANNOUNCEMENTS)

    wait_for(page, lambda: len(swaps) >= 2)
    assert told == []  # the same step, polled again: nothing to hear
    with app.app_context():
        jobs.set_progress(db.session.get(Job, job_id), 40, "Writing the sections")
    wait_for(page, lambda: told)
    polled = len(swaps)
    wait_for(page, lambda: len(swaps) >= polled + 2)
    assert told == [("Writing the sections", True)]
    expect(page.locator("#job-progress-bar")).to_have_attribute("value", "40")
