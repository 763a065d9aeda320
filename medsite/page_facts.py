"""What the last build learned about each page (its title and the keys it cites), for a rebuild that
skips unchanged pages (hooks/serve.py): the References page lists every page citing an entry, also the
pages such a rebuild did not convert. An entry is used only while the page's file is unchanged (same
modification time and size), so a stale fact is never shown; a page with no fact is simply converted."""

from __future__ import annotations

import os
from dataclasses import dataclass

Stat = tuple[int, int]


@dataclass(frozen=True)
class PageFacts:
    title: str
    cited_keys: tuple[str, ...]


_facts: dict[str, tuple[Stat, PageFacts]] = {}


def _stat(path: str) -> Stat | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size)


def remember(path: str, facts: PageFacts) -> None:
    stat = _stat(path)
    if stat is not None:
        _facts[path] = (stat, facts)


def recall(path: str) -> PageFacts | None:
    """The facts of the page in `path` if they were learned from the file as it is now."""
    found = _facts.get(path)
    return found[1] if found is not None and found[0] == _stat(path) else None
