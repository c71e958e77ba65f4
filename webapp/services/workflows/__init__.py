"""Workflows: the catalog of content jobs (`catalog`), their slots and the outline a
person edits at the checkpoint (`slots`), a request turned into the posts its job writes
(`planning`), the outlines posts are written from (`outlines`) and the outline checkpoint
(`checkpoints`)."""
