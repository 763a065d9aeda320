"""Level 2: `medsite build` swaps a new site in only when the whole build succeeded."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from medsite.pipeline.atomic_build import error_lines

PAGES = 60


def snapshot(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def medsite_build(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "medsite", "build", "--config", str(root / "mkdocs.yml")],
                          check=False, capture_output=True, text=True, cwd=root)


def site_with_pages(tiny_site, marker: str) -> Path:
    """A tiny site with enough pages that a build takes a while; `marker` is on every page."""
    tiny_site.write("docs/index.md", f"# Home\n\n{marker}\n")
    for number in range(PAGES):
        tiny_site.write(f"docs/page-{number:03}.md", f"# Page {number}\n\n{marker}\n")
    tiny_site.build()  # writes mkdocs.yml (and a first site through MkDocs' API)
    return tiny_site.root


def test_successful_build_replaces_the_site(tiny_site):
    root = site_with_pages(tiny_site, "first version")
    (root / "site" / "stale.html").write_text("left over from an older build", encoding="utf-8")
    tiny_site.write("docs/index.md", "# Home\n\nsecond version\n")
    result = medsite_build(root)
    assert result.returncode == 0, result.stderr
    assert "second version" in (root / "site" / "index.html").read_text(encoding="utf-8")
    assert not (root / "site" / "stale.html").exists()
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_a_late_failure_leaves_the_old_site_byte_identical(tiny_site):
    root = site_with_pages(tiny_site, "first version")
    assert medsite_build(root).returncode == 0
    before = snapshot(root / "site")
    tiny_site.write("docs/index.md", "# Home\n\nsecond version\n")
    # MkDocs writes every page before a strict build aborts on the last page's broken link.
    tiny_site.write("docs/zz-last.md", "# Last\n\n[broken](missing-page.md)\n")
    tiny_site.save_config()  # zz-last.md is a maintainers' page
    result = medsite_build(root)
    assert result.returncode == 1
    assert "missing-page.md" in result.stderr and "Traceback" not in result.stderr
    assert "left as it was" in result.stderr
    assert snapshot(root / "site") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".site")] == []


def test_a_killed_build_leaves_the_old_site_intact(tiny_site):
    root = site_with_pages(tiny_site, "first version")
    assert medsite_build(root).returncode == 0
    before = snapshot(root / "site")
    tiny_site.write("docs/index.md", "# Home\n\nsecond version\n")
    process = subprocess.Popen([sys.executable, "-m", "medsite", "build",
                                "--config", str(root / "mkdocs.yml")],
                               cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while not any(staging.is_dir() and any(staging.iterdir()) for staging in root.glob(".site-build-*")):
        assert process.poll() is None and time.monotonic() < deadline, "the build ended before it was killed"
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGKILL)  # medsite and the MkDocs process it started, mid-write
    assert process.wait() == -signal.SIGKILL
    assert snapshot(root / "site") == before
    result = medsite_build(root)  # the next build still works and replaces the site
    assert result.returncode == 0, result.stderr
    assert "second version" in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_error_lines_keep_the_message_and_drop_the_traceback():
    output = ("INFO    -  Building documentation\nWARNING -  a.md:3: broken link\nTraceback (most recent "
              "call last):\n  File \"x.py\", line 1, in <module>\nValueError: bad value\n")
    assert error_lines(output) == ["WARNING -  a.md:3: broken link", "ValueError: bad value"]
