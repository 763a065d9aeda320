"""Name the file and line of a byte that is not UTF-8 before MkDocs decodes the page and dies on it.

Registered first, so it runs before any hook that reads page sources. A BOM, CRLF line endings or broken
front matter do not stop MkDocs, so they stay `medsite check` findings and never fail the build here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from medsite.checks.source_checks import encoding_problems
from medsite_mkdocs.adapter import context, report, source_bytes, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Read every page's bytes (the build's single read of each source) and stop on any not UTF-8."""
    unchanged = context(config).unchanged  # read and found UTF-8 by the build before (`mkdocs serve`)
    problems = [replace(problem, path=source_path(file, config))  # resolved only for a file with a problem
                for file in files.documentation_pages() if file.abs_src_path and file.src_uri not in unchanged
                for problem in encoding_problems(file.src_uri, source_bytes(file, config))]
    report(problems, what="page sources")
    return None
