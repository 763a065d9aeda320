"""Work split across the machine's processors: reading and formatting a large bibliography, and converting
the pages, on a first build.

The processes are started by a fork server, not forked from the build: MkDocs may be running threads
(`mkdocs serve`), and a forked copy of a threaded process can deadlock. Converting pages needs the whole
build (configuration, hooks, pages), so `in_forked_copies` forks, and only a single-threaded build.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
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


def in_forked_copies(count: int, work: Callable[[int], None]) -> bool:
    """Run `work(0)` … `work(count - 1)`, each in a forked copy of this process, and wait for them all;
    False (and nothing run) if this process runs more than one thread, which a copy could deadlock on.

    A copy starts with everything this process holds and says nothing (its output goes nowhere): what it
    produces must reach this process through files. A copy that fails only leaves its share undone.
    """
    if threading.active_count() > 1:
        return False
    children = []
    for index in range(count):
        pid = os.fork()
        if pid == 0:  # the copy: never returns into the caller's code
            status = 1
            try:
                silent = os.open(os.devnull, os.O_WRONLY)
                os.dup2(silent, 1)
                os.dup2(silent, 2)
                work(index)
                status = 0
            finally:
                os._exit(status)
        children.append(pid)
    for pid in children:
        os.waitpid(pid, 0)
    return True
