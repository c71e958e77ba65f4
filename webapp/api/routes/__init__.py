"""API route modules, one per resource."""

from . import activity, invitations, workspaces
