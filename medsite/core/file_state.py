"""A file's state, as the caches that outlive one build (`mkdocs serve`'s rebuilds) compare it to tell
whether the file may have changed without reading it again.

Modification time and size alone miss a file written with its old time put back (`cp -p`, `rsync -t`,
`touch -d`, an archive unpacked) when the size stays the same: an approved article or the reviewer
registry changed that way was served from the old reading, with no caution. The change time (set by the
system on every write or rename, which no program can set back) and the inode (a file renamed over the old
one) catch those.
"""

from __future__ import annotations

import os

FileState = tuple[int, int, int, int]  # modification time, change time (ns), size, inode


def file_state(path: str | os.PathLike[str], *, follow_symlinks: bool = True) -> FileState | None:
    """The state of the file at `path`, or None when there is none (missing, unreadable)."""
    try:
        info = os.stat(path, follow_symlinks=follow_symlinks)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_ctime_ns, info.st_size, info.st_ino)
