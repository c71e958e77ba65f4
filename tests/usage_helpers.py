"""Posts with their usage (model, tokens, cost, day) saved directly, for the usage tests."""

from __future__ import annotations

from datetime import datetime

from webapp.extensions import db
from webapp.models import Post


def add_post(app, project, author, created_at: datetime, model="openai/gpt-4o-mini", **fields):
    """A completed post in `project` by `author`, created at `created_at` (naive UTC);
    `fields` override tokens (prompt_tokens, completion_tokens), cost_usd, status..."""
    values = {
        "topic": "Spring launch",
        "voice": "casual",
        "status": "completed",
        "prompt_tokens": 100,
        "completion_tokens": 50,
        "cost_usd": "0.0100",
        **fields,
    }
    with app.app_context():
        db.session.add(
            Post(
                project_id=project.id,
                user_id=author.id,
                model=model,
                created_at=created_at,
                **values,
            )
        )
        db.session.commit()
