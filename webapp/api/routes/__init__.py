"""API route modules, one per resource."""

from . import workspaces
