"""The hooks' shared adapter: the build's context (medsite.pipeline.context) on MkDocs' config object, each
page's source read once, each page's payload for the templates, and medsite problems turned into MkDocs log
lines and build failures."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.exceptions import PluginError

from medsite.core.problems import Problem, display_path, errors
from medsite.markdown.frontmatter import FrontMatter, constructed_whole
from medsite.model.project import CITATIONS_EXTENSION, project_from_config
from medsite.pages.page_data import PageData
from medsite.pipeline.context import BuildCaches, BuildContext

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import File, Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.plugins.medsite")
# What the builds of this process share on purpose (`mkdocs serve` rebuilds): MkDocs loads hook modules, and
# this one, once per process. Each build's own state is its context, on its config object.
_CACHES = BuildCaches()
_CONTEXT = "medsite_context"  # the attribute of MkDocs' config object holding its build's context


def context(config: MkDocsConfig) -> BuildContext:
    """The build's context, made at the first question of the build (hooks/context.py asks first, in
    on_config); a new config object, so a new context, for every build."""
    found = getattr(config, _CONTEXT, None)
    if found is None:
        project = project_from_config(Path(config.config_file_path), docs_dir=config.docs_dir,
                                      extra=config.extra,
                                      citation_options=config.mdx_configs.get(CITATIONS_EXTENSION),
                                      use_directory_urls=config.use_directory_urls)
        found = BuildContext(project=project, caches=_CACHES)
        setattr(config, _CONTEXT, found)
    return found


def source(file: File, config: MkDocsConfig) -> str:
    """A page's text, read once per build for every hook and for MkDocs itself (hooks/context.py hands it
    to MkDocs): UnicodeDecodeError when it is not UTF-8 (hooks/source_hygiene.py stops the build first)."""
    return context(config).source(file.src_uri, lambda: file.content_bytes)


def source_bytes(file: File, config: MkDocsConfig) -> bytes:
    """A page's bytes, from the same single read as its text."""
    return context(config).source_bytes(file.src_uri, lambda: file.content_bytes)


def project_root(config: MkDocsConfig) -> Path:
    """The folder holding mkdocs.yml: every project path is relative to it, never to the cwd."""
    return _folder_of(config.config_file_path)


@cache  # several hooks ask on every page; resolving a path costs a system call per folder in it
def _folder_of(config_file: str) -> Path:
    return Path(config_file).resolve().parent


def source_path(file: File, config: MkDocsConfig) -> str:
    """A page's source file as problems name it: relative to the project root, e.g. `docs/articles/a.md`;
    a page the hooks generate, by the path it would have there."""
    if not file.abs_src_path:
        return _relative_to_root(str(Path(config.docs_dir) / file.src_uri), config.config_file_path)
    return _relative_to_root(file.abs_src_path, config.config_file_path)


@cache  # asked for every article on every build; resolving costs a system call per folder in the path
def _relative_to_root(source: str, config_file: str) -> str:
    return display_path(Path(source).resolve(), _folder_of(config_file))


def page_data(page: Page) -> PageData:
    """The page's payload for the templates (`page.medsite`), created on first use. Templates read hook
    data only from here, never from `page.meta`, which the page's front matter writes."""
    data = getattr(page, "medsite", None)
    if not isinstance(data, PageData):
        data = PageData()
        page.medsite = data  # type: ignore[attr-defined]
    return data


def mkdocs_text(front: FrontMatter) -> str | None:
    """What to hand MkDocs as a page's source once `front` has been read from it, so that MkDocs does not
    parse the YAML again: the body after one empty line, which `mkdocs.utils.meta.get_data` reads as having
    no metadata and gives back as the body itself (the page's metadata is then set from `front.data`).
    None when MkDocs would read other metadata than `front.data`: it then reads the source as always."""
    return "\n" + front.body if constructed_whole(front) else None


def fresh_page_data(page: Page) -> PageData:
    """A new, empty payload for a page about to be read and converted: `mkdocs serve` rebuilds an edit on
    the page objects of the build before (hooks/serve.py), and nothing a hook left there (an earlier
    reference list, say) may survive into a conversion of a changed text."""
    data = PageData()
    page.medsite = data  # type: ignore[attr-defined]
    return data


def listed_extension(config: MkDocsConfig, name: str, *, why: str) -> tuple[int, dict]:
    """Where mkdocs.yml lists one of the project's Markdown extensions, with its options; the build fails if
    it is not listed. Listing them there (not adding them in a hook) is what lets every Python-Markdown
    engine load them, hooks or not."""
    for index, extension in enumerate(config.markdown_extensions):
        if extension == name:
            return index, dict(config.mdx_configs.get(name) or {})
    problem = Problem(display_path(Path(config.config_file_path).resolve(), project_root(config)), None,
                      f"found no `{name}` under markdown_extensions; expected it listed ({why})")
    log.error(str(problem))
    raise PluginError("1 problem in mkdocs.yml; see the line above.")


def file_at(files: Files, src_uri: str) -> File | None:
    """The file of a docs path as MkDocs writes it (`articles/a.md`, a File's own `src_uri`): a plain look-up,
    where `Files.get_file_from_path` normalises the path first, which costs more than the rest of a
    topic page's list at thousands of articles."""
    return files.src_uris.get(src_uri)


def url_lookup(files: Files) -> Callable[[str], str | None]:
    """A page's URL (from the site root) by its docs path, None when the site has no such page."""

    def url_of(src_uri: str) -> str | None:
        target = file_at(files, src_uri)
        return target.url if target else None

    return url_of


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
