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
import mmap
import multiprocessing
import os
import pickle
import struct
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import partial
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
    return [_fork(partial(work, index)) for index in range(count)]


def _fork(work: Callable[[], None]) -> int:
    """A forked copy of this process that runs `work()`, silent, and exits; its process id."""
    pid = os.fork()
    if pid == 0:  # the copy: never returns into the caller's code
        status = 1
        try:
            silent = os.open(os.devnull, os.O_WRONLY)
            os.dup2(silent, 1)
            os.dup2(silent, 2)
            work()
            status = 0
        finally:
            os._exit(status)
    return pid


class FromTheEnd:
    """Forked copies of this process working through a list from its end while this process works through
    it from its start, each copy stopping at the first item this process has reached (`reached`): the list
    is shared without either side waiting for the other, and an item is done twice only where they meet.

    What a copy produces must reach this process through files (as with `in_forked_copies`); this process
    takes what it finds and does the rest itself.
    """

    def __init__(self, count: int, work: Callable[[int], None], copies: int) -> None:
        self._count = count
        self._owner = os.getpid()  # a copy running the caller's code (its events) must not move the progress
        # Shared with the copies (an anonymous shared mapping survives the fork): the first index this
        # process has not passed yet is `reached` + 1; -1 before it starts.
        self._progress = mmap.mmap(-1, 8)
        self._set(-1)
        self.children: list[int] = []
        gc.freeze()  # as in_forked_copies: a copy's collections must not walk (and copy) the inherited heap
        try:
            self.children = [_fork(partial(self._backwards, work, start=count - 1 - copy, step=copies))
                             for copy in range(copies)]
        finally:
            gc.unfreeze()
        _RUNNING.add(self)

    def _backwards(self, work: Callable[[int], None], *, start: int, step: int) -> None:
        """A copy's share: `start`, `start - step`, ... down to the first index this process has reached."""
        for index in range(start, -1, -step):
            if index <= self._get():
                return
            work(index)

    def _get(self) -> int:
        return struct.unpack_from("q", self._progress)[0]

    def _set(self, index: int) -> None:
        struct.pack_into("q", self._progress, 0, index)

    def reached(self, index: int) -> None:
        """This process is at `index`: no copy starts an item at or before it."""
        if os.getpid() == self._owner:
            self._set(max(index, self._get()))

    def wait(self) -> None:
        """Stop the copies at their next item and wait for them."""
        self._set(self._count)
        for pid in self.children:
            os.waitpid(pid, 0)
        self.children = []
        _RUNNING.discard(self)


# The copies this process started and has not waited for: the processes of this process, not a build's
# state (a build that fails half-way has no later event that knows its copies: `stop_copies` waits for them).
_RUNNING: set[FromTheEnd] = set()


def stop_copies() -> None:
    """Stop and wait for every copy `from_the_end` started that was not waited for."""
    for running in list(_RUNNING):
        running.wait()


def from_the_end(count: int, work: Callable[[int], None], copies: int) -> FromTheEnd | None:
    """Start `copies` forked copies calling `work(index)` from index `count - 1` down (copy c takes every
    `copies`-th index from `count - 1 - c`), or None when this process runs another thread (a copy could
    deadlock on a lock that thread holds) or there is no copy to start."""
    if copies < 1 or threading.active_count() > 1:
        return None
    return FromTheEnd(count, work, copies)
