"""RQ task functions: thin wrappers that set up the work horse and call services.

Each task module binds its functions into the job registry (`@job_registry.task`), so
importing this package is what lets services enqueue them: the web app (create_app) and
the worker both import it at startup."""

from . import bulk, generation, mail, sources, suggestions
