"""Operator commands (`flask <group> <command>`), one module per group."""

from __future__ import annotations

from flask import Flask

from .jobs import jobs_cli
from .maintenance import maintenance_cli
from .users import users_cli

COMMAND_GROUPS = (users_cli, jobs_cli, maintenance_cli)


def register_commands(app: Flask) -> None:
    for group in COMMAND_GROUPS:
        app.cli.add_command(group)
