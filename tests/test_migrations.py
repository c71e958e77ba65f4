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


def test_existing_accounts_get_a_personal_workspace_holding_their_projects(tmp_path):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import text

    from webapp import create_app

    from .conftest import build_test_config

    app = create_app(build_test_config(f"sqlite:///{tmp_path / 'old.db'}"))
    with app.app_context():
        upgrade(revision="a9c1d2e3f409")  # the schema before workspaces
        for user_id, email in (("u1", "one@example.com"), ("u2", "two@example.com")):
            db.session.execute(
                text(
                    "INSERT INTO users (id, email, name, password_hash, subscription_tier, "
                    "token_version, created_at, updated_at) VALUES (:id, :email, 'Old', 'x', "
                    "'free', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
                ),
                {"id": user_id, "email": email},
            )
        db.session.execute(
            text(
                "INSERT INTO projects (id, user_id, name, metadata, created_at, updated_at) "
                "VALUES ('p1', 'u1', 'Old project', '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        db.session.commit()
        upgrade()
        workspaces = db.session.execute(
            text("SELECT owner_id, id, name, personal FROM workspaces ORDER BY owner_id")
        ).all()
        assert [(w.owner_id, w.name, bool(w.personal)) for w in workspaces] == [
            ("u1", "Personal", True),
            ("u2", "Personal", True),
        ]
        roles = db.session.execute(
            text("SELECT user_id, workspace_id, role FROM memberships ORDER BY user_id")
        ).all()
        assert [(r.user_id, r.workspace_id, r.role) for r in roles] == [
            ("u1", workspaces[0].id, "owner"),
            ("u2", workspaces[1].id, "owner"),
        ]
        project_workspace = db.session.execute(
            text("SELECT workspace_id FROM projects WHERE id = 'p1'")
        ).scalar_one()
        assert project_workspace == workspaces[0].id
        downgrade(revision="a9c1d2e3f409")  # and the way back keeps the project
        assert db.session.execute(text("SELECT count(*) FROM projects")).scalar_one() == 1
        db.session.remove()
        db.engine.dispose()
