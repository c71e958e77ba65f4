"""The workflow catalog: the content jobs POST /posts/generate can run."""

from __future__ import annotations

from ...services.workflows.catalog import catalog
from .. import bp
from ..endpoint import endpoint
from ..schemas.workflows import WorkflowCatalog


@bp.get("/workflows/catalog")
@endpoint(
    "List the workflows a generation can run, with their slots",
    tag="Workflows",
    response=WorkflowCatalog,
    description="Each workflow's spec_id is the `workflow` of POST /posts/generate, its "
    "required_slots the `slots` it takes.",
)
def workflow_catalog():
    workflows = catalog()
    return {"workflows": workflows, "total": len(workflows)}
