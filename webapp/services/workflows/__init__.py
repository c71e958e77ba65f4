"""Workflows: the catalog of content jobs (`catalog`), their slots and the outline a
person edits at the checkpoint (`slots`)."""
