"""Copydesk: the application factory."""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import INSTANCE_DIR, PROJECT_ROOT, Config
from .errors import register_error_handlers
from .extensions import CachedSerializerSessionInterface, csrf, db, htmx, limiter, login, migrate
from .json_input import BoundedJSONProvider
from .security_headers import register_security_headers


def create_app(config: Config | None = None) -> Flask:
    """Build the app from `config` (default: the environment)."""
    config = config or Config.from_env()
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
        instance_path=str(INSTANCE_DIR),
    )
    app.json = BoundedJSONProvider(app)  # request JSON nested too deep is a 400, not a 500
    app.config.update(config.flask_settings())
    logging.basicConfig(
        level=app.config["LOG_LEVEL"], format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    init_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    trust_proxies(app)
    bind_tasks()
    return app


def bind_tasks() -> None:
    """Import the task modules, which bind their functions into the job registry: the
    services enqueue through it. (They import no litellm: only the worker loads it.)"""
    from . import tasks


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES reverse proxies, take the client's address (and so every
    per-address limit and log line) from X-Forwarded-For, as many entries from the right
    as there are proxies (entries further left are the client's to forge), and the scheme
    from X-Forwarded-Proto likewise (HTTPS ended at the proxy is still HTTPS). With no
    proxies both headers are ignored. X-Forwarded-Host is never believed: links come from
    BASE_URL."""
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)


def init_extensions(app: Flask) -> None:
    from . import models

    app.session_interface = CachedSerializerSessionInterface()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    login.init_app(app)
    login.login_view = "auth.login_page"
    login.login_message = "Please sign in to continue."
    login.login_message_category = "info"
    csrf.init_app(app)
    # Registered before the limiter's hook so that it runs after it (Flask runs them reversed).
    app.after_request(keep_retry_after_for_429)
    limiter.init_app(app)
    htmx.init_app(app)


def keep_retry_after_for_429(response):
    """Flask-Limiter sends Retry-After on every limited response; it belongs on 429 only,
    and there it must say what the body's `retry_after` says."""
    if response.status_code != 429:
        response.headers.pop("Retry-After", None)
    elif response.is_json:
        retry_after = (response.get_json().get("detail") or {}).get("retry_after")
        if retry_after:
            response.headers["Retry-After"] = str(retry_after)
    return response


def register_blueprints(app: Flask) -> None:
    from .api.routes.invitations import InvitationIdConverter
    from .api.routes.posts import PostIdConverter

    app.url_map.converters["post_id"] = PostIdConverter
    app.url_map.converters["invitation_id"] = InvitationIdConverter
    from .activity import bp as activity_bp
    from .api import bp as api_bp
    from .api import docs_bp as api_docs_bp
    from .auth import bp as auth_bp
    from .invitations import bp as invitations_bp
    from .jobs import bp as jobs_bp
    from .links import bp as links_bp
    from .main import bp as main_bp
    from .posts import bp as posts_bp
    from .projects import bp as projects_bp
    from .settings import bp as settings_bp
    from .share import bp as share_bp
    from .sources import bp as sources_bp
    from .usage import bp as usage_bp
    from .workspaces import bp as workspaces_bp

    for blueprint in (
        main_bp,
        auth_bp,
        projects_bp,
        sources_bp,
        links_bp,
        posts_bp,
        jobs_bp,
        settings_bp,
        invitations_bp,
        workspaces_bp,
        activity_bp,
        usage_bp,
        share_bp,
        api_bp,
        api_docs_bp,
    ):
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # the API authenticates with tokens, never with the session cookie


def register_commands(app: Flask) -> None:
    from .cli import register_commands as register

    register(app)


def register_template_helpers(app: Flask) -> None:
    from markupsafe import Markup

    from .access_ui import register_access_helpers
    from .forms import takes_focus
    from .rendering import demote_headings
    from .services import channel_text
    from .services.footnotes import draft_html
    from .services.passwords import PASSWORD_RULES
    from .services.render import markdown_to_safe_html
    from .status_words import status_word
    from .timeutil import time_element
    from .vocabulary import ENUMS

    # Templates compare with the enums (`post.status == PostStatus.COMPLETED`), not literals.
    for enum in ENUMS:
        app.jinja_env.globals[enum.__name__] = enum

    app.jinja_env.filters["time"] = time_element  # every timestamp a person reads
    app.jinja_env.filters["status_word"] = status_word
    app.jinja_env.filters["x_length"] = channel_text.x_length  # what X counts of a post
    app.jinja_env.globals["takes_focus"] = takes_focus
    app.jinja_env.filters["demote_headings"] = demote_headings  # a preview inside a page
    app.jinja_env.globals["PASSWORD_RULES"] = PASSWORD_RULES
    register_access_helpers(app)  # `can(project, "edit")`: offer only what the role allows
    # nh3 has sanitised the HTML: marking it safe is the point of the filter.
    app.jinja_env.filters["markdown"] = lambda text: Markup(markdown_to_safe_html(text))  # noqa: S704
    app.jinja_env.filters["draft_markdown"] = draft_html  # markers as superscripts

    @app.template_filter("filesize")
    def format_filesize(size):
        if not size:
            return "—"
        for unit in ("bytes", "KB", "MB"):
            if size < 1024 or unit == "MB":
                return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
            size /= 1024
