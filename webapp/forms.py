"""Forms shared by several blueprints."""
from flask_wtf import FlaskForm


class ConfirmForm(FlaskForm):
    """An empty form: the CSRF token of a confirmed destructive action."""
