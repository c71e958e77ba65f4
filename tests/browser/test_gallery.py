"""Every page of the app, at 1280x900 and 390x844, in the light and the dark colour scheme:
axe finds nothing serious, nothing scrolls sideways on a phone, there is exactly one h1 and
the console stays quiet. The walk takes the screenshots of the README's gallery.

`PAGES` lists how to reach each page (one line a page); `EXCLUDED` the few GET routes that
are not pages. A GET route in neither fails `test_every_page_is_in_the_gallery`, so a page
added later gets its line here, its screenshots and its checks.

`make gallery` (UPDATE_GALLERY=1) writes the screenshots to docs/gallery and the table
between the README's gallery markers; otherwise they go to test-artifacts/gallery."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page
from werkzeug.exceptions import HTTPException

from .conftest import (
    DEFAULT_TIMEOUT_MS,
    PHONE,
    REPO_ROOT,
    assert_no_axe_violations,
    assert_no_horizontal_overflow,
    sign_in,
    watch,
)
from .gallery_seed import seed_gallery


@dataclass(frozen=True)
class Shot:
    """A page of the gallery: its file name, the route it shows (None for an error page),
    its path (formatted with the seed's ids and tokens), whether the marketer is signed in
    and the status it answers."""

    name: str
    endpoint: str | None
    path: str
    signed_in: bool = True
    status: int = 200

    @property
    def title(self) -> str:
        return self.name.replace("-", " ").capitalize()


OUT = {"signed_in": False}
P = "/projects/{project}"
W = "/workspaces/{team}"
PAGES = [
    Shot("home", "main.index", "/", **OUT),
    Shot("sign-in", "auth.login_page", "/login", **OUT),
    Shot("sign-up", "auth.signup", "/signup", **OUT),
    Shot("forgot-password", "auth.forgot_password", "/forgot-password", **OUT),
    Shot("reset-link-sent", "auth.forgot_password_sent", "/forgot-password/sent", **OUT),
    Shot("reset-password", "auth.reset_password", "/reset-password/{reset_token}", **OUT),
    Shot("email-verified", "auth.verify_email", "/verify-email/{verify_token}", **OUT),
    Shot("invitation", "invitations.open_invitation", "/invitations/{invitation_token}", **OUT),
    Shot("shared-post", "share.show", "/share/{share_token}", **OUT),
    Shot("api-docs", "api_docs.reference", "/api/docs", **OUT),
    Shot("not-found", None, "/no-such-page", status=404, **OUT),
    Shot("projects", "projects.index", "/projects"),
    Shot("new-project", "projects.new", "/projects/new"),
    Shot("project", "projects.show", P),
    Shot("project-edit", "projects.edit", P + "/edit"),
    Shot("project-delete", "projects.delete", P + "/delete"),
    Shot("sources", "sources.index", P + "/sources"),
    Shot("source", "sources.show", P + "/sources/{source}"),
    Shot("source-delete", "sources.delete", P + "/sources/{source}/delete"),
    Shot("links", "links.index", P + "/links"),
    Shot("link-delete", "links.delete", P + "/links/{link}/delete"),
    Shot("posts", "posts.index", P + "/posts"),
    Shot("new-post", "posts.new", P + "/posts/new"),
    Shot("job-running", "jobs.show", "/jobs/{running_job}"),
    Shot("job-finished", "jobs.show", "/jobs/{finished_job}"),
    Shot("post-blog", "posts.show", "/posts/{blog}"),
    Shot("post-linkedin", "posts.show", "/posts/{linkedin}"),
    Shot("post-x-thread", "posts.show", "/posts/{twitter}"),
    Shot("post-edit", "posts.edit", "/posts/{blog}/edit"),
    Shot("post-revisions", "posts.revisions_page", "/posts/{blog}/revisions"),
    Shot("post-delete", "posts.delete", "/posts/{blog}/delete"),
    Shot("settings-profile", "settings.profile", "/settings/profile"),
    Shot("settings-password", "settings.password", "/settings/password"),
    Shot("settings-notifications", "settings.notifications_page", "/settings/notifications"),
    Shot("settings-sessions", "settings.sessions_page", "/settings/sessions"),
    Shot("sign-out-everywhere", "settings.sign_out_everywhere", "/settings/sign-out-everywhere"),
    Shot("api-keys", "settings.api_keys", "/settings/api-keys"),
    Shot("api-key-revoke", "settings.revoke_api_key", "/settings/api-keys/{api_key}/revoke"),
    Shot("delete-account", "settings.delete_account", "/settings/delete-account"),
    Shot("new-workspace", "workspaces.new", "/workspaces/new"),
    Shot("workspace-settings", "workspaces.settings", W + "/settings"),
    Shot("workspace-delete", "workspaces.delete", W + "/delete"),
    Shot("members", "workspaces.members", W + "/members"),
    Shot("member-remove", "workspaces.remove", W + "/members/{sam}/remove"),
    Shot("ownership-transfer", "workspaces.transfer", W + "/transfer/{sam}"),
    Shot("invitations", "invitations.index", W + "/invitations"),
    Shot("voices", "workspaces.voices", W + "/voices"),
    Shot("voice-new", "workspaces.new_voice", W + "/voices/new"),
    Shot("voice-edit", "workspaces.edit_voice", W + "/voices/{voice}/edit"),
    Shot("voice-delete", "workspaces.delete_voice", W + "/voices/{voice}/delete"),
    Shot("activity", "activity.index", W + "/activity"),
    Shot("usage", "usage.index", W + "/usage"),
    Shot("not-found-signed-in", None, "/nothing-here", status=404),
]

# GET routes that are not pages a person reads in the browser.
EXCLUDED_BLUEPRINTS = {"api": "the JSON API: its reference is the api-docs page"}
EXCLUDED = {
    "static": "CSS, JavaScript and images",
    "settings.index": "redirects to the profile page",
    "usage.current": "redirects to the usage page of the current workspace",
    "main.healthz": "the load balancer's JSON probe",
    "jobs.download": "a ZIP download",
    "posts.download": "a Markdown download",
    "posts.export_post": "a file download (HTML, DOCX...)",
    "posts.export_project": "a ZIP download",
    "sources.download_topics": "a CSV download",
    "posts.suggestion": "an htmx card of the editor (without htmx it redirects there)",
}

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": PHONE}
GALLERY_DIR = REPO_ROOT / "docs" / "gallery"
ARTIFACT_DIR = REPO_ROOT / "test-artifacts" / "gallery"
UPDATING = os.environ.get("UPDATE_GALLERY") == "1"
README = REPO_ROOT / "README.md"
README_START = "<!-- gallery:start (make gallery writes this table) -->"
README_END = "<!-- gallery:end -->"


def screenshot_file(shot: Shot, size: str, scheme: str) -> str:
    return f"{shot.name}-{size}{'-dark' if scheme == 'dark' else ''}.png"


def photographed(size: str, scheme: str) -> bool:
    """Screenshots in light at both widths and in dark at desktop width."""
    return scheme == "light" or size == "desktop"


def page_routes(app) -> set[str]:
    """The endpoints of every GET route, but the excluded ones."""
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    return {
        endpoint
        for endpoint in endpoints
        if endpoint not in EXCLUDED and endpoint.split(".")[0] not in EXCLUDED_BLUEPRINTS
    }


def test_every_page_is_in_the_gallery(app):
    """Each page route has a line in PAGES, whose path reaches that route."""
    adapter = app.url_map.bind("localhost")
    placeholders = PlaceholderIds()
    for shot in PAGES:
        path = shot.path.format_map(placeholders)
        endpoint = matched_endpoint(adapter, path)
        assert endpoint == shot.endpoint, f"{shot.name}: {path} is {endpoint}"
    missing = page_routes(app) - {shot.endpoint for shot in PAGES}
    assert not missing, f"pages without a line in PAGES or EXCLUDED: {sorted(missing)}"
    assert not set(EXCLUDED) - {rule.endpoint for rule in app.url_map.iter_rules()}


def test_the_readme_shows_every_page():
    """The README's gallery is the table PAGES makes (`make gallery` rewrites it)."""
    shown = {
        screenshot_file(shot, size, scheme)
        for shot in PAGES
        for size in SIZES
        for scheme in ("light", "dark")
        if photographed(size, scheme)
    }
    stale = {path for path in GALLERY_DIR.glob("*.png") if path.name not in shown}
    if UPDATING:
        write_readme_table()
        for path in stale:
            path.unlink()
    else:
        assert not stale, f"screenshots of no page: {sorted(p.name for p in stale)}"
    text = README.read_text(encoding="utf-8")
    assert README_START in text and README_END in text, "the README has no gallery markers"
    current = text.split(README_START, 1)[1].split(README_END, 1)[0]
    assert current.strip() == gallery_table().strip(), "run `make gallery`"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_every_page_passes_its_checks(db, app, browser: Browser, live_server, size, scheme):
    seed = vars(seed_gallery(app))
    context = browser.new_context(
        base_url=live_server.url, viewport=SIZES[size], color_scheme=scheme
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    console = watch(page)
    failures: list[str] = []
    signed = False
    try:
        # The signed-out pages first; then the marketer signs in once.
        for shot in sorted(PAGES, key=lambda shot: shot.signed_in):
            if shot.signed_in and not signed:
                sign_in(page, seed["user"])
                signed = True
            failures += problems_of(page, shot, seed, size, scheme, console)
    finally:
        context.close()
    assert not failures, f"{len(failures)} problem(s) at {size} {scheme}:\n" + "\n".join(failures)


def problems_of(page: Page, shot: Shot, seed: dict, size: str, scheme: str, console) -> list:
    """What is wrong with the page of `shot` (nothing, most of the time); takes its
    screenshot on the way."""
    path = shot.path.format_map(seed)
    console.clear()
    response = page.goto(path)
    found = []
    if response.status != shot.status or urlsplit(page.url).path != path:
        found.append(f"answered {response.status} at {urlsplit(page.url).path}")
    if "text/html" not in response.headers.get("content-type", ""):
        found.append(f"is {response.headers.get('content-type')}, not HTML")
    headings = page.locator("h1").count()
    if headings != 1:
        found.append(f"has {headings} h1 elements")
    found += failed_check(assert_no_axe_violations, page)
    if size == "phone":
        found += failed_check(assert_no_horizontal_overflow, page)
    if photographed(size, scheme):
        save_screenshot(page, screenshot_file(shot, size, scheme))
    found += [f"console: {message}" for message in console if not expected(message, shot)]
    return [f"{shot.name} ({path[:60]}): {problem}" for problem in found]


def expected(message: str, shot: Shot) -> bool:
    """The browser reports an error page's status in the console."""
    return shot.status != 200 and f"status of {shot.status}" in message


def failed_check(check, page: Page) -> list[str]:
    try:
        check(page)
    except pytest.fail.Exception as failure:
        return [str(failure)]
    return []


def save_screenshot(page: Page, filename: str) -> None:
    """The viewport, in at most 256 colours (the gallery stays small in the repository)."""
    # caret="initial": hiding the caret injects a style, which the CSP refuses.
    image = Image.open(io.BytesIO(page.screenshot(caret="initial", animations="disabled")))
    folder = GALLERY_DIR if UPDATING else ARTIFACT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    image.convert("RGB").quantize(256).save(folder / filename, optimize=True)


def gallery_table() -> str:
    """The README's gallery: a row a page, its desktop, phone and dark screenshots."""
    rows = ["| Page | Desktop | Phone | Dark |", "| --- | --- | --- | --- |"]
    for shot in PAGES:
        cells = [
            thumbnail(shot, size, scheme, width)
            for size, scheme, width in (
                ("desktop", "light", 240),
                ("phone", "light", 90),
                ("desktop", "dark", 240),
            )
        ]
        rows.append(f"| {shot.title} | " + " | ".join(cells) + " |")
    return "\n" + "\n".join(rows) + "\n"


def thumbnail(shot: Shot, size: str, scheme: str, width: int) -> str:
    path = f"docs/gallery/{screenshot_file(shot, size, scheme)}"
    alt = f"{shot.title}, {size}{', dark' if scheme == 'dark' else ''}"
    return f'<a href="{path}"><img src="{path}" width="{width}" alt="{alt}"></a>'


def write_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    head, rest = text.split(README_START, 1)
    tail = rest.split(README_END, 1)[1]
    README.write_text(head + README_START + gallery_table() + README_END + tail, "utf-8")


class PlaceholderIds(dict):
    """Any id or token a path asks for, shaped like one."""

    def __missing__(self, key: str) -> str:
        return "0" * 24


def matched_endpoint(adapter, path: str) -> str | None:
    try:
        return adapter.match(path, method="GET")[0]
    except HTTPException:  # NotFound for an error page's path, or a redirect
        return None
