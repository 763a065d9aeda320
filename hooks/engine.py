"""Tell the engine guard (medsite.extensions.engine, listed in mkdocs.yml) that the project's hooks run, so it
lets the build go on: on an engine that runs no hooks (Zensical) the guard stops it, or marks it as a trial
that must never be published."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medsite.extensions.engine import NAME, EngineGuardExtension
from medsite_mkdocs.adapter import listed_extension

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Register the engine guard as run by the hooks, so it lets the build go on."""
    index, options = listed_extension(config, NAME, why="it stops engines that run no hooks")
    config.markdown_extensions[index] = EngineGuardExtension.run_by("the medsite MkDocs hooks", **options)
    return config
