"""Start the build: the project and its settings (`extra.medsite`, medsite.settings), read once as the build
starts; a wrong value fails the build here, naming mkdocs.yml, before any file is read."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite_mkdocs import report, settings

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Read the settings, and stop on any wrong value."""
    report(list(settings(config).problems), what="mkdocs.yml")
    return None
