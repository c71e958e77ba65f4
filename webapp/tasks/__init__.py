"""RQ task functions: thin wrappers that set up the work horse and call services."""
