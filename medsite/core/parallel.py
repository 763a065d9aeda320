"""Work split across the machine's processors: reading and formatting a large bibliography, scoring reading
grades and converting the pages, on a first build.

A single-threaded process forks copies of itself, which start with everything it has loaded (modules, a
parsed style, a pronouncing dictionary) instead of loading it again each. A process running threads
(`mkdocs serve`) must not fork (a copy of a threaded process can deadlock): its workers are started by a
fork server. Converting pages needs the whole build (configuration, hooks, pages), so only a
single-threaded build converts pages in parallel.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import tempfile
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


def in_processes(function: Callable[..., Result], batches: Sequence[tuple], workers: int, *,
                 prepare: Callable[[], object] | None = None) -> list[Result]:
    """`function(*batch)` for every batch, in `workers` processes, results in order. In forked copies when
    this process runs no other thread: `prepare()` runs here first, so what it loads is loaded once and
    shared by every copy (workers started by the fork server load it each)."""
    if threading.active_count() == 1:
        if prepare is not None:
            prepare()
        return _in_forked(function, batches, workers)
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("forkserver")) as pool:
        return list(pool.map(function, *zip(*batches, strict=True)))


def _in_forked(function: Callable[..., Result], batches: Sequence[tuple], workers: int) -> list[Result]:
    """Copy `index` computes the batches index, index + workers, ... and leaves their results in a file of
    a private folder; a batch whose copy left nothing (it failed) is computed here, so its error is
    raised here, as a worker's would be."""
    done: dict[int, Result] = {}
    with tempfile.TemporaryDirectory(prefix="medsite-work-") as folder:
        def work(index: int) -> None:
            results = {number: function(*batches[number]) for number in range(index, len(batches), workers)}
            path = os.path.join(folder, str(index))
            with open(f"{path}.tmp", "wb") as stream:
                pickle.dump(results, stream)
            os.replace(f"{path}.tmp", path)

        if in_forked_copies(workers, work):
            for index in range(workers):
                try:
                    with open(os.path.join(folder, str(index)), "rb") as stream:
                        done.update(pickle.load(stream))  # noqa: S301  # written by this process's own copy
                except OSError:
                    continue
    return [done[number] if number in done else function(*batch) for number, batch in enumerate(batches)]


def in_forked_copies(count: int, work: Callable[[int], None]) -> bool:
    """Run `work(0)` … `work(count - 1)`, each in a forked copy of this process, and wait for them all;
    False (and nothing run) if this process runs more than one thread, which a copy could deadlock on.

    A copy starts with everything this process holds and says nothing (its output goes nowhere): what it
    produces must reach this process through files. A copy that fails only leaves its share undone.
    """
    if threading.active_count() > 1:
        return False
    # What this process holds is moved out of the garbage collector's sight first: else every collection in
    # a copy walks the whole inherited heap (hundreds of MB in a large build), and touching each object's
    # header copies its page (Python's gc.freeze documentation recommends this before a fork).
    gc.freeze()
    try:
        children = _forked(count, work)
    finally:
        gc.unfreeze()
    for pid in children:
        os.waitpid(pid, 0)
    return True


def _forked(count: int, work: Callable[[int], None]) -> list[int]:
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
    return children
