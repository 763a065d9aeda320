"""Shared adapter glue: turn medsite problems into MkDocs log lines and build failures."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from medsite.problems import Problem, errors

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File

log = logging.getLogger("mkdocs.plugins.medsite")


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding mkdocs.yml: every project path is relative to it, never to the cwd."""
    return _folder_of(config.config_file_path)


@cache  # several hooks ask on every page; resolving a path costs a system call per folder in it
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def source_path(file: File, config: MkDocsConfig) -> str:
    """A page's source file as problems name it: relative to the project root, e.g. `docs/articles/a.md`."""
    path = Path(file.abs_src_path or "").resolve()
    root = project_root(config)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def settings(config: MkDocsConfig) -> dict:
    """The project's own settings, kept under `extra.medsite` in mkdocs.yml."""
    return dict(config.extra.get("medsite") or {})


def report(problems: list[Problem], *, what: str) -> None:
    """Log warnings (strict builds count them) and fail the build, strict or not, on any error."""
    for problem in problems:
        if problem.severity == "warning":
            log.warning(str(problem))
    found = errors(problems)
    if found:
        for problem in found:
            log.error(str(problem))
        raise PluginError(f"{len(found)} problem(s) in {what}; see the lines above.")
