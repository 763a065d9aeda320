"""Last-updated dates from git: one streamed `git log` for the articles folder, and under CI the proof
that the dates really came from it.

Outside a repository (a tarball, a test's temporary site) the catalog dates a page by its file time, and a
local preview of an uncommitted article does too. In CI that fallback would be silent and wrong: every page
would show the checkout's time. So when `CI=true` and the folder is in a repository, git failing (e.g.
"dubious ownership" in a container), a shallow clone (one commit dates everything) or an article git does
not know are errors.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from medsite.core.problems import Problem


@dataclass
class History:
    """What `git log` said: each wanted file's last commit date, and why git failed, if it did."""

    dates: dict[str, dt.date] = field(default_factory=dict)
    failure: str | None = None


def in_repository(folder: Path) -> bool:
    """Whether `folder` is inside a git work tree (a `.git` folder, or file for worktrees, above it)."""
    return any((parent / ".git").exists() for parent in (folder, *folder.parents))


def head_commit(folder: Path) -> str | None:
    """The commit HEAD names in the repository holding `folder`: every date `git_dates` gives depends on it
    alone (a commit, an amend, a checkout or a reset moves it). None outside a repository, before its first
    commit, or when git refuses it."""
    if not in_repository(folder):
        return None
    result = subprocess.run(["git", "-C", str(_existing(folder)), "rev-parse", "-q", "--verify",
                             "HEAD^{commit}"], capture_output=True, text=True, check=False)
    return (result.stdout.strip() or None) if result.returncode == 0 else None


def head_files(folder: Path) -> list[Path]:
    """The files git rewrites when HEAD moves in the repository holding `folder`: HEAD itself (a checkout, a
    commit on a detached HEAD), the branch it names as a loose ref (a commit, an amend, a reset), and
    packed-refs (where that branch may be kept instead). Watching them tells when `head_commit` may have
    changed. Empty outside a repository or when git refuses it."""
    if not in_repository(folder):
        return []
    result = subprocess.run(["git", "-C", str(_existing(folder)), "rev-parse", "--path-format=absolute",
                             "--git-dir", "--git-common-dir"], capture_output=True, text=True, check=False)
    if result.returncode != 0 or len(lines := result.stdout.splitlines()) != 2:
        return []
    git_dir, common = Path(lines[0]), Path(lines[1])
    head = git_dir / "HEAD"
    try:
        named = head.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        named = ""
    ref = named.removeprefix("ref: ")
    branch = [common / ref] if ref != named and ref.startswith("refs/") else []  # none: a detached HEAD
    return [head, *branch, common / "packed-refs"]


def _existing(folder: Path) -> Path:
    """`folder`, or its nearest existing parent (git cannot start in a folder that does not exist)."""
    return next((path for path in (folder, *folder.parents) if path.is_dir()), folder)


def git_dates(folder: Path, wanted: set[str]) -> History:
    """Last commit date of each wanted file (paths as `<folder name>/<relative path>`), from one streamed
    `git log`. Reading stops as soon as every wanted file has a date, so a long history costs little."""
    prefix = folder.name + "/"
    remaining = {uri for uri in wanted if uri.startswith(prefix)}
    history = History()
    if not remaining:
        return history
    try:
        process = subprocess.Popen(
            ["git", "-C", str(folder), "log", "--relative", "--name-only", "-z", "--format=%x01%cs", "--",
             "."],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "GIT_PAGER": "cat"},
        )
    except OSError as error:
        history.failure = f"git could not be run: {error.strerror}"
        return history
    assert process.stdout is not None and process.stderr is not None
    with process:
        buffer, date = b"", None
        while remaining and (chunk := process.stdout.read(65536)):
            *tokens, buffer = (buffer + chunk).split(b"\0")
            for token in tokens:
                name = token.lstrip(b"\n").decode("utf-8", "surrogateescape")
                if name.startswith("\x01"):
                    date = dt.date.fromisoformat(name[1:])
                elif date and (uri := prefix + name) in remaining:
                    history.dates[uri] = date
                    remaining.discard(uri)
        if remaining:  # the whole log was read: did git answer, or fail?
            errors = process.stderr.read().decode("utf-8", "replace").strip()
            if process.wait() != 0:
                history.failure = errors.splitlines()[0] if errors else f"git log exited {process.returncode}"
        else:
            process.kill()
    return history


def is_shallow(folder: Path) -> bool:
    """Whether the repository holding `folder` is a shallow clone (then one commit dates everything)."""
    result = subprocess.run(["git", "-C", str(folder), "rev-parse", "--is-shallow-repository"],
                            capture_output=True, text=True, check=False)
    return result.stdout.strip() == "true"


def ci_date_problems(folder: Path, folder_display: str, history: History,
                     undated: dict[str, str]) -> list[Problem]:
    """Under CI=true, everything that keeps the dates from coming from git. `undated` maps each article
    without an `updated:` date (as `history` names it) to its path as problems name it."""
    if history.failure:
        return [Problem(folder_display, None, f"found git failing under CI=true ({history.failure}); "
                        "expected last-updated dates from git: in a container, run `git config --global "
                        "--add safe.directory \"$GITHUB_WORKSPACE\"` after the checkout")]
    if is_shallow(folder):
        return [Problem(folder_display, None, "found a shallow git clone under CI=true, which would date "
                        "every article by the one commit fetched; expected the full history "
                        "(actions/checkout with `fetch-depth: 0`)")]
    return [Problem(path, None, "found no commit of this article under CI=true; expected it committed "
                    "(its last-updated date comes from git), or an `updated:` date in its front matter")
            for uri, path in sorted(undated.items()) if uri not in history.dates]
