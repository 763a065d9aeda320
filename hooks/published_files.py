"""Only allow-listed files are published (medsite.model.published): Markdown pages, inert static files in the
project's asset folders, no symbolic link in the folders the build reads. Registered first, so nothing of a
refused file is read or copied."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from medsite.model.published import file_problem, read_paths, symlink_problems
from medsite_mkdocs.adapter import context, report, source_path

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Stop on any file off the publishing allow-list, before anything is read or copied."""
    build = context(config)
    project, unchanged = build.project, build.unchanged
    root, docs_dir, wanted = project.root, Path(config.docs_dir), project.settings
    checked = [file for file in files if file.src_uri not in unchanged and file.generated_by is None
               and file.abs_src_path and Path(file.src_dir) == docs_dir]
    # `mkdocs serve` rebuilding an edit (hooks/serve.py): only the edited pages are new to the build;
    # any other change to these folders (a file added, removed or replaced) makes a whole build
    problems = symlink_problems([Path(file.abs_src_path) for file in checked] if unchanged else
                                read_paths(root, docs_dir, project.bibliography_dir, wanted), root)
    for file in checked:
        if not file.inclusion.is_excluded():
            problem = file_problem(file.src_uri, source_path(file, config), lambda file=file: _head(file),
                                   wanted)
            problems += [problem] if problem else []
    report(problems, what="the files to publish")
    return None


def _head(file) -> bytes:
    with open(file.abs_src_path, "rb") as stream:
        return stream.read(16)
