"""The editorial dashboard (dashboard.md, generated, never committed): every article's review standing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root, report, settings
from mkdocs.structure.files import File

from medsite.catalog import cached_catalog
from medsite.dashboard import DASHBOARD, dashboard_page

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    catalog = cached_catalog(Path(config.docs_dir), project_root(config), settings(config))
    markdown, problems = dashboard_page(catalog, {file.src_uri for file in files})
    report(problems, what="the editorial dashboard")
    files.append(File.generated(config, DASHBOARD, content=markdown))
    return files
