"""Files the project writes over: replaced whole or not at all, and never through a link.

A command that edits a contributor's file (`medsite approve`) writes a complete temporary file beside it
and renames it over the original, so an interruption never leaves a truncated file; it refuses a symbolic
link (its target could be any file) and a read-only file before any work.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from medsite.core.problems import Problem, ProblemsError


def check_replaceable(path: Path, display: str, what: str = "file") -> None:
    """Refuse a symbolic link (its target could be any file) and a read-only file, before any work."""
    if path.is_symlink():
        raise ProblemsError([Problem(display, None, f"a symbolic link; expected the {what} itself "
                                                    "(nothing was written)")])
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise ProblemsError([Problem(display, None, f"cannot read the {what}: {error.strerror}")]) from None
    if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise ProblemsError([Problem(display, None, "the file is read-only; expected a writable file "
                                                    "(nothing was written)")])


def replace_file(path: Path, data: bytes) -> None:
    """Write a complete temporary file beside `path`, then rename it over `path` (atomic on POSIX)."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
