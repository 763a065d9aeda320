"""A build that fails, fails whole: the site folder holds either the previous site or the new one.

MkDocs writes pages into the site folder as it goes and `--strict` aborts only at the end, so a failed
build would leave a half-new site for a deploy step to publish. Here MkDocs builds into a fresh folder
next to the site (same file system, so renames are cheap), and the new folder replaces the old one only
after MkDocs succeeded. MkDocs runs as a separate process, which also keeps MkDocs out of this package.
The new site is world-readable (0755, whatever the staging folder was created with), and a staging folder
left by a build that was killed is removed by the next one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

_REPORTED = ("ERROR", "WARNING", "Aborted", "Error:")
SITE_MODE = 0o755  # readable by the web server and every user, as `mkdocs build` leaves it


def mkdocs_build_command(config_file: Path, out_dir: Path) -> list[str]:
    """The strict MkDocs build of `config_file` into `out_dir`, run as its own process."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(config_file), "-d", str(out_dir)]


def error_lines(output: str) -> list[str]:
    """What a failed build said about the problem: its log errors and warnings and the abort reason; of
    a crash, the exception's last line rather than the whole traceback."""
    lines = [line.rstrip() for line in output.splitlines() if line.strip()]
    reported = [line for line in lines if line.startswith(_REPORTED)]
    if "Traceback (most recent call last):" in lines and lines[-1] not in reported:
        reported.append(lines[-1])
    return reported or lines[-1:]


def build_atomically(config_file: Path, site_dir: Path) -> list[str]:
    """Build the site of `config_file` into `site_dir`; return the error lines ([] when it succeeded).

    On failure, or if this process is interrupted, `site_dir` is exactly what it was before.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(site_dir)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-build-{os.getpid()}-", dir=site_dir.parent))
    staging.chmod(SITE_MODE)  # mkdtemp makes it private (0700); it becomes the published site
    try:
        result = subprocess.run(
            mkdocs_build_command(config_file.resolve(), staging), check=False, capture_output=True,
            text=True, cwd=config_file.resolve().parent, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        if result.returncode != 0:
            return error_lines(result.stderr + "\n" + result.stdout)
        _swap_in(staging, site_dir)
        return []
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _remove_abandoned(site_dir: Path) -> None:
    """Remove staging and old-site folders of builds whose process is gone (killed, or the machine
    stopped): the process id is in the folder's name, so a build running beside this one keeps its own."""
    for folder in site_dir.parent.glob(f".{site_dir.name}-*-*-*"):
        kind, pid = folder.name.removeprefix(f".{site_dir.name}-").split("-")[:2]
        if kind in ("build", "old") and pid.isdigit() and not _running(int(pid)) and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def _swap_in(new: Path, site_dir: Path) -> None:
    """Put `new` at `site_dir`: rename the old site aside, rename the new one in, then delete the old."""
    if not site_dir.exists():
        new.rename(site_dir)
        return
    backup = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-old-{os.getpid()}-", dir=site_dir.parent))
    backup.rmdir()
    site_dir.rename(backup)
    try:
        new.rename(site_dir)
    except OSError:
        backup.rename(site_dir)
        raise
    shutil.rmtree(backup)
