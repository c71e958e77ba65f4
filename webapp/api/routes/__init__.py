"""API route modules, one per resource."""

# Imported for the views it attaches to the API blueprint (webapp/api/__init__.py imports the rest).
from . import activity
