"""The migrations build exactly the schema the models describe (on SQLite and Postgres)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from webapp.extensions import db


def test_migrations_match_models(app, db):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []


def test_accounts_that_exist_before_verification_are_treated_as_verified(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from webapp import create_app

    from .conftest import build_test_config

    app = create_app(build_test_config(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        upgrade(revision="7722bb44b7f6")  # the schema before users.email_verified_at
        db.session.execute(
            text(
                "INSERT INTO users (id, email, name, password_hash, subscription_tier, "
                "token_version, created_at, updated_at) VALUES ('u1', 'old@example.com', 'Old', "
                "'x', 'free', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        upgrade()
        verified_at = db.session.execute(
            text("SELECT email_verified_at FROM users WHERE id = 'u1'")
        ).scalar_one()
        assert verified_at is not None
        downgrade(revision="7722bb44b7f6")  # and the way back works
        db.session.remove()
        db.engine.dispose()
