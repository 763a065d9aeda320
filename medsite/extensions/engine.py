"""The engine guard: a Markdown extension that fails the build on an engine that renders our Markdown but
does not run the project's MkDocs hooks, naming the engine and what it does not run.

Zensical (Material's successor) reads mkdocs.yml, runs Python-Markdown extensions and our template
overrides, and silently ignores `hooks:`. Without the hooks there are no review rules (so no approval: the
templates then show the caution on every article), no HTML sanitiser and Content-Security-Policy, no
front-matter, citation or link checks, no generated pages, and nobody reads the problems our extensions
flag in the HTML. mkdocs.yml lists this extension, so every Python-Markdown engine loads it; the hooks
(hooks/engine.py) replace it with an instance that knows they run. Any other instance is an engine without
our hooks and, on the first page it converts:
- `without_hooks: fail` (the default) stops the build;
- `without_hooks: caution` lets it go on, for trying an engine (tests/test_engines.py, the Zensical canary),
  never for publishing: it says so once, every article keeps the caution (overrides/main.html), and a page
  whose markup our extensions flagged (an unknown citation key, grade or audience) or whose front matter
  picks another template still stops the build.
"""

from __future__ import annotations

import logging
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from medsite.core.problems import Problem, ProblemsError
from medsite.extensions.flags import MESSAGE, problems

NAME = "medsite.extensions.engine"
MODES = ("fail", "caution")
CONTEXT = "rendering_context"  # the preprocessor through which Zensical gives extensions the page and config
NOT_RUN = ("the review rules (no article can be approved, so every article shows the caution; no review "
           "tracker, reviewers or dates), the HTML sanitiser and the Content-Security-Policy, the "
           "front-matter, citation and link checks, and the generated pages (topics, References, dashboard)")
log = logging.getLogger("medsite")


def engine_context(md: Markdown) -> object | None:
    """What the engine tells extensions about the page and the project, when it tells anything: Zensical
    registers a preprocessor holding its page and configuration; MkDocs registers none."""
    return next((item for item in md.preprocessors if getattr(item, "name", None) == CONTEXT), None)


def engine_config(md: Markdown) -> dict:
    """The engine's parsed mkdocs.yml, where it gives one to extensions (Zensical), else empty."""
    config = getattr(engine_context(md), "config", None)
    return config if isinstance(config, dict) else {}


def engine_page(md: Markdown) -> str:
    """The source path of the page being converted, where the engine says it, else empty."""
    return str(getattr(getattr(engine_context(md), "page", None), "path", "") or "")


def engine_name(md: Markdown) -> str:
    """The engine converting this Markdown, with its version, for messages."""
    if engine_context(md) is not None:
        return f"Zensical {_version('zensical')}"
    # Each engine has imported itself; ProperDocs also answers to `mkdocs`, and MkDocs may be installed
    # (not running) beside Zensical, so the order matters.
    for module, name in (("zensical", "Zensical"), ("properdocs", "ProperDocs"), ("mkdocs", "MkDocs")):
        if module in sys.modules:
            return f"{name} {_version(module)}"
    return "this engine"


def _version(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "(version unknown)"


class EngineGuardExtension(Extension):
    """Listed in mkdocs.yml; `run_by` makes the instance the project's hooks register."""

    def __init__(self, **kwargs: object) -> None:
        self.config = {"without_hooks": ["fail", "what an engine that runs no medsite hooks does: 'fail' the "
                                                  "build, or 'caution' (try the engine; never publish that)"]}
        super().__init__(**kwargs)
        self.adapter: str | None = None  # who runs the hooks; never settable from mkdocs.yml

    @classmethod
    def run_by(cls, adapter: str, **options: object) -> EngineGuardExtension:
        """The instance the hooks register: they run, so the guard has nothing to stop."""
        extension = cls(**options)
        extension.adapter = adapter
        return extension

    def extendMarkdown(self, md: Markdown) -> None:
        """Nothing when the hooks run; else stop the build, or mark it as a trial never to publish."""
        if self.adapter is not None:
            return
        mode = self.getConfig("without_hooks")
        md.preprocessors.register(_Guard(md, str(mode)), "medsite_engine_guard", 2000)  # before all
        md.postprocessors.register(FlagsToErrors(md), FlagsToErrors.name, 0)


class _Guard(Preprocessor):
    def __init__(self, md: Markdown, mode: str) -> None:
        super().__init__(md)
        self.mode = mode

    def run(self, lines: list[str]) -> list[str]:
        config = engine_config(self.md)
        hooks = ", ".join(str(hook) for hook in config.get("hooks") or []) or "the hooks listed in mkdocs.yml"
        engine = engine_name(self.md)
        found = f"found {engine}, which runs none of the project's MkDocs hooks ({hooks})"
        if self.mode not in MODES:
            raise ProblemsError([Problem("mkdocs.yml", None, f"found `without_hooks: {self.mode}` for "
                                                             f"{NAME}; expected one of {', '.join(MODES)}")])
        if self.mode == "fail":
            raise ProblemsError([Problem("mkdocs.yml", None, (
                f"{found}, so it would publish without {NOT_RUN}; expected an engine that runs them (MkDocs "
                f"or ProperDocs; see docs/engines.md), or `without_hooks: caution` under {NAME} to try "
                "this engine on a copy that is never published"))])
        _say_once(f"mkdocs.yml: warning: {found}: building anyway (`without_hooks: caution`) without "
                  f"{NOT_RUN}; every article shows the caution. Never publish this site.")
        if swap := _layout_swap(self.md):
            raise ProblemsError([swap])
        return lines


@cache  # once per process, not once per page
def _say_once(message: str) -> None:
    log.warning(message)


class FlagsToErrors(Postprocessor):
    """Without the hooks, nobody turns flagged markup into file:line errors (hooks/markup_flags.py): stop
    the build here instead of publishing raw `[@key]` text or an unknown grade."""

    name = "medsite_flags_to_errors"

    def run(self, text: str) -> str:
        """Raise the flagged markup of the page as file:line problems."""
        if MESSAGE not in text:
            return text
        path, source = _page_source(self.md)
        raise ProblemsError(problems(path, source, text))


def _layout_swap(md: Markdown) -> Problem | None:
    """A page whose front matter picks another template (`template: base.html`) would be rendered without
    our main.html, so without the caution; the hooks reject that key, and here nothing else would. Checked
    where the engine hands extensions the page's front matter (Zensical)."""
    meta = getattr(getattr(engine_context(md), "page", None), "meta", None)
    if not (isinstance(meta, dict) and "template" in meta):
        return None
    path, source = _page_source(md)
    line = next((n for n, text in enumerate(source.splitlines(), 1) if text.startswith("template:")), None)
    return Problem(path, line, f"found `template: {meta['template']}` in the front matter; expected no "
                               "template key: another template would show the page without the caution")


def _page_source(md: Markdown) -> tuple[str, str]:
    """The page's path as problems name it and its whole source (front matter included, so line numbers
    are the file's), where the engine says which page it converts; else a placeholder and no lines."""
    config, page = engine_config(md), engine_page(md)
    if not (page and config.get("root_dir")):
        return page or "(a page the engine did not name)", ""
    shown = f"{config.get('docs_dir') or 'docs'}/{page}"
    try:
        return shown, (Path(str(config["root_dir"])) / shown).read_text(encoding="utf-8-sig")
    except OSError:
        return shown, ""


def makeExtension(**options: object) -> EngineGuardExtension:  # noqa: N802 (Python-Markdown's entry point)
    """What an engine calls for `medsite.extensions.engine` listed in mkdocs.yml's markdown_extensions."""
    return EngineGuardExtension(**options)
