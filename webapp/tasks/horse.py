"""What every job does first in its forked work horse."""

from __future__ import annotations

import logging
import os
import resource

from flask import current_app

from ..extensions import db

log = logging.getLogger(__name__)


def prepare_work_horse() -> None:
    """Drop database connections inherited from the parent, and cap this process's memory
    so that one hostile document cannot take the machine down (MemoryError instead)."""
    drop_inherited_connections()
    limit_memory(current_app.config["PARSE_MEMORY_LIMIT_MB"])


def drop_inherited_connections() -> None:
    """A forked horse must not use the parent's pooled database connections."""
    db.session.remove()
    db.engine.dispose(close=False)


def limit_memory(limit_mb: int) -> None:
    """Cap this process's address space at `limit_mb` (never below what it already has
    plus a little room). Allocations past it raise MemoryError instead of swapping the
    machine to death; the task turns that into a readable reason."""
    if limit_mb <= 0:
        return
    with open("/proc/self/statm") as statm:
        current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    limit = max(limit_mb * 1024 * 1024, current + 32 * 1024 * 1024)
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    log.info("work horse %d: address space capped at %d MB", os.getpid(), limit >> 20)


def hit_memory_cap() -> bool:
    """Whether this process ran into its address-space cap. C extensions do not always
    raise MemoryError when an allocation fails (SystemError, odd library errors): the
    peak tells the truth."""
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY:
        return False
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) * 1024 > soft * 0.9
    return False
