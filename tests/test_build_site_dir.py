"""`medsite build`: the site folder may not be a source folder, the site is world-readable, Ctrl-C prints
one line, and a killed build leaves no staging folder behind once the next one ran."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_atomic_build import site_with_pages, snapshot


def medsite_build(root: Path, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "medsite", "build", "--config", str(root / "mkdocs.yml"),
                           *extra], check=False, capture_output=True, text=True, cwd=root)


@pytest.mark.parametrize(("site_dir", "relation"), [
    ("docs", "is the docs folder"), ("docs/sub", "is inside the docs folder"),
    ("references", "is the bibliography folder"), ("data", "is the data folder"),
    (".", "is the project folder"), ("..", "holds the project folder"),
])
def test_a_site_folder_over_the_sources_is_refused_and_nothing_changes(tiny_site, site_dir, relation):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.save_config()
    before = snapshot(tiny_site.root)
    result = medsite_build(tiny_site.root, "--site-dir", str(tiny_site.root / site_dir))
    assert result.returncode == 1
    assert f"error: the site folder {relation}" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(tiny_site.root) == before


@pytest.mark.parametrize("site_dir", ["overrides", ".git", "notes"])
def test_a_folder_of_other_files_is_refused_and_an_earlier_site_or_empty_folder_is_not(tiny_site, site_dir):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.save_config()
    tiny_site.write(f"{site_dir}/main.html", "{% extends 'base.html' %}\n")
    before = snapshot(tiny_site.root)
    result = medsite_build(tiny_site.root, "--site-dir", str(tiny_site.root / site_dir))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "error: the site folder holds files but no sitemap.xml" in result.stderr
    assert snapshot(tiny_site.root) == before
    (tiny_site.root / "empty").mkdir()
    assert medsite_build(tiny_site.root, "--site-dir", str(tiny_site.root / "empty")).returncode == 0
    assert medsite_build(tiny_site.root, "--site-dir", str(tiny_site.root / "empty")).returncode == 0  # again


def test_the_site_is_world_readable(tiny_site):
    root = site_with_pages(tiny_site, "text")
    assert medsite_build(root).returncode == 0
    site = root / "site"
    assert stat.S_IMODE(site.stat().st_mode) == 0o755
    assert all(path.stat().st_mode & 0o004 for path in site.rglob("*"))  # every file readable by all


def test_ctrl_c_prints_one_line_and_leaves_the_site_and_no_staging_folder(tiny_site):
    root = site_with_pages(tiny_site, "first version")
    assert medsite_build(root).returncode == 0
    before = snapshot(root / "site")
    tiny_site.write("docs/index.md", "# Home\n\nsecond version\n")
    command = [sys.executable, "-m", "medsite", "build", "--config", str(root / "mkdocs.yml")]
    process = subprocess.Popen(command,
                               cwd=root, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(root.glob(".site-build-*")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before Ctrl-C"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends both processes on Ctrl-C
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert err.strip().splitlines() == [f"medsite build: interrupted; {root / 'site'} was left as it was"]
    assert snapshot(root / "site") == before
    assert list(root.glob(".site-*")) == []


def test_a_killed_build_leaves_no_staging_folder_after_the_next_run(tiny_site):
    root = site_with_pages(tiny_site, "first version")
    command = [sys.executable, "-m", "medsite", "build", "--config", str(root / "mkdocs.yml")]
    process = subprocess.Popen(command,
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(staging.is_dir() and any(staging.iterdir()) for staging in root.glob(".site-build-*")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert list(root.glob(".site-build-*")), "the kill left its staging folder (what the next run removes)"
    assert medsite_build(root).returncode == 0
    assert list(root.glob(".site-*")) == []
