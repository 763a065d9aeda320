"""Work split across the machine's processors: reading and formatting a large bibliography on a first build.

The processes are started by a fork server, not forked from the build: MkDocs may be running threads
(`mkdocs serve`), and a forked copy of a threaded process can deadlock.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

Result = TypeVar("Result")


def processors() -> int:
    """The processors this process may run on (a container may be limited to fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def workers_for(items: int, chunk: int, workers: int | None = None) -> int:
    """How many processes `items` are worth, at least `chunk` items each (fewer than 2: do it here)."""
    return min(workers or processors(), items // chunk)


def in_processes(function: Callable[..., Result], batches: Sequence[tuple], workers: int) -> list[Result]:
    """`function(*batch)` for every batch, in `workers` processes, results in order."""
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(function, *zip(*batches, strict=True)))
