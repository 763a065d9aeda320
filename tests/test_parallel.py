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

from medsite.core.parallel import from_the_end, in_processes
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
from medsite.core.parallel import from_the_end, in_processes
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


# A forked copy working from the end of a list while this process works from its start (a cold build's
# page conversion): every item is done, the copy's items are a run at the end, and at most one item (where
# the two meet) is done by both.
FROM_THE_END = """
import json, os, sys, threading, time
from medsite.core.parallel import from_the_end
folder, count = sys.argv[1], int(sys.argv[2])
assert threading.active_count() == 1

def work(index):
    time.sleep(0.002)
    with open(os.path.join(folder, f"copy-{index}"), "w") as stream:
        stream.write(str(os.getpid()))

ahead = from_the_end(count, work, 1)
mine = []
for index in range(count):
    ahead.reached(index)
    if not os.path.exists(os.path.join(folder, f"copy-{index}")):
        time.sleep(0.005)  # longer than the copy: a loaded machine still gives the copy its share
        mine.append(index)
ahead.wait()
after = sorted(os.listdir(folder))
time.sleep(0.05)
print(json.dumps({"mine": mine, "here": os.getpid(), "after": after, "later": sorted(os.listdir(folder)),
                  "children": ahead.children}))
"""


def test_a_copy_from_the_end_and_this_process_share_a_list_and_meet_once(tmp_path):
    count = 200
    found = subprocess.run([sys.executable, "-c", FROM_THE_END, str(tmp_path), str(count)],
                           capture_output=True, text=True, cwd=PROJECT, check=True)
    result = json.loads(found.stdout)
    copied = sorted(int(name.removeprefix("copy-")) for name in result["after"])
    assert copied, "the copy did nothing"
    assert copied == list(range(copied[0], count))  # from the end, without a gap
    assert set(result["mine"]) | set(copied) == set(range(count))  # every item done
    assert len(set(result["mine"]) & set(copied)) <= 1  # done twice only where they met
    assert result["mine"] == list(range(len(result["mine"])))  # this process: from the start, without a gap
    pids = {(tmp_path / name).read_text() for name in result["after"]}
    assert pids and str(result["here"]) not in pids
    assert result["later"] == result["after"] and result["children"] == []  # waited for: nothing after


def test_no_copy_from_the_end_while_a_thread_runs():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert from_the_end(10, lambda index: None, 1) is None
    finally:
        stop.set()
        thread.join()


STOPPED = """
import os, sys, threading, time
from medsite.core import parallel
folder = sys.argv[1]

def work(index):
    time.sleep(0.01)
    open(os.path.join(folder, str(index)), "w").close()

parallel.from_the_end(10_000, work, 1)  # never reached: a build that failed half-way
time.sleep(0.1)
parallel.stop_copies()
done = len(os.listdir(folder))
time.sleep(0.1)
print(done, len(os.listdir(folder)))
"""


def test_copies_a_failed_build_left_are_stopped_and_waited_for(tmp_path):
    found = subprocess.run([sys.executable, "-c", STOPPED, str(tmp_path)], capture_output=True, text=True,
                           cwd=PROJECT, check=True)
    done, later = map(int, found.stdout.split())
    assert 0 < done < 10_000 and later == done  # stopped at its next item, and nothing runs on
