"""Python's cycle collector runs less often while the build runs (medsite.core.collector): first, so the
bibliography, citeproc and the catalog load under it too; the process's own setting again after the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

from medsite.core.collector import after_a_build, for_a_build

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(100)
def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Fewer collections from here on."""
    for_a_build()
    return None


@event_priority(-200)  # after every other hook: the search index is written
def on_post_build(*, config: MkDocsConfig) -> None:
    """The process's own thresholds again."""
    after_a_build()


def on_build_error(*, error: Exception) -> None:
    """The same after a failed build."""
    after_a_build()
