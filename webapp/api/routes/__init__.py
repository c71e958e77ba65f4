"""API route modules, one per resource."""

from . import invitations
from . import workspaces
