"""Level 1: work split across processes (medsite.core.parallel) gives the results of doing it here, in
order, whether this process forks copies of itself (no other thread) or has a fork server start workers
(a thread runs: `mkdocs serve`); a batch that fails raises its error here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from medsite.core.parallel import in_processes
from tests.sitebuild import PROJECT

LOADED: list[str] = []  # what `prepare` loaded in this process: forked copies start with it


def _square_all(numbers: list[int]) -> tuple[list[int], int, list[str]]:
    if -1 in numbers:
        raise ValueError("a bad batch")
    return [number * number for number in numbers], os.getpid(), list(LOADED)


def _prepare() -> None:
    LOADED.append("dictionary")


BATCHES = [([1, 2],), ([3],), ([],), ([4, 5, 6],), ([7],)]


FORKED = """
import json, os, threading
from medsite.core.parallel import in_processes
from tests.sitebuild import PROJECT
from tests import test_parallel
assert threading.active_count() == 1
results = in_processes(test_parallel._square_all, test_parallel.BATCHES, 2, prepare=test_parallel._prepare)
print(json.dumps([results, os.getpid(), test_parallel.LOADED]))
"""


def test_forked_copies_share_what_was_prepared_and_give_every_result_in_order():
    # In a fresh process: this one may run threads left by other tests (a browser driver's).
    found = subprocess.run([sys.executable, "-c", FORKED], capture_output=True, text=True, cwd=PROJECT,
                           check=True)
    results, here, loaded = json.loads(found.stdout)
    assert [squares for squares, _, _ in results] == [[1, 4], [9], [], [16, 25, 36], [49]]
    assert {pid for _, pid, _ in results} - {here}  # computed elsewhere than here
    assert all(copied == ["dictionary"] for _, _, copied in results)  # loaded once, here, before the fork
    assert loaded == ["dictionary"]


def test_with_a_thread_running_workers_come_from_a_fork_server_and_give_the_same_results():
    LOADED.clear()
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = in_processes(_square_all, BATCHES, 2, prepare=_prepare)
    finally:
        stop.set()
        thread.join()
    assert [squares for squares, _, _ in results] == [[1, 4], [9], [], [16, 25, 36], [49]]
    assert LOADED == []  # nothing to share with a fork server's workers: not loaded here for nothing


@pytest.mark.parametrize("thread", [False, True])
def test_a_failing_batch_raises_its_error_here(thread):
    stop = threading.Event()
    runner = threading.Thread(target=stop.wait)
    if thread:
        runner.start()
    try:
        with pytest.raises(ValueError, match="a bad batch"):
            in_processes(_square_all, [([1],), ([-1],)], 2)
    finally:
        stop.set()
        if thread:
            runner.join()
