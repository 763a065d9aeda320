"""What the last build learned about each page (its title and the keys it cites), for a rebuild that
skips unchanged pages (hooks/serve.py): the References page lists every page citing an entry, also the
pages such a rebuild did not convert. An entry is used only while the page's file is unchanged (the same
medsite.core.file_state), so a stale fact is never shown; a page with no fact is simply converted."""

from __future__ import annotations

from dataclasses import dataclass

from medsite.core.file_state import FileState, file_state


@dataclass(frozen=True)
class PageFacts:
    """A page's title and the keys it cites, in number order."""

    title: str
    cited_keys: tuple[str, ...]


class PageFactsCache:
    """Each page's facts by its source file, with the file's state when learned;
    kept across the builds of one process (medsite.pipeline.context.BuildCaches)."""

    def __init__(self) -> None:
        self._facts: dict[str, tuple[FileState, PageFacts]] = {}

    def remember(self, path: str, facts: PageFacts) -> None:
        """Keep what this build learned of the page in `path`."""
        stat = file_state(path)
        if stat is not None:
            self._facts[path] = (stat, facts)

    def latest(self, path: str) -> PageFacts | None:
        """The facts last learned of the page in `path`, for a caller that knows the file did not change
        since (`mkdocs serve` compares every file's state before a rebuild)."""
        found = self._facts.get(path)
        return found[1] if found is not None else None

    def recall(self, path: str) -> PageFacts | None:
        """The facts of the page in `path` if they were learned from the file as it is now."""
        found = self._facts.get(path)
        return found[1] if found is not None and found[0] == file_state(path) else None

