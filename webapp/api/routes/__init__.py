"""API route modules, one per resource."""

from . import invitations, workspaces
