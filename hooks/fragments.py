"""`medsite_fragments(name, item, items)` for the templates: a partial rendered once for each content
(medsite.pipeline.fragments), so that the long generated pages (References, dashboard, topic lists) cost
a rebuild only the pieces an edit changed. The partial sees `page`, `base_url` (for the `url` filter) and
the values it is given, nothing else, and includes no other template. A list whose every piece is inert
(medsite.safety.csp.inert: no inline code, complete tags) is noted for hooks/csp.py, which then checks the
page without reading it again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jinja2 import pass_context

from medsite_mkdocs.adapter import context

if TYPE_CHECKING:
    from collections.abc import Iterable

    from jinja2 import Environment
    from jinja2.runtime import Context
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_env(env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
    """Give the templates the cached partials."""
    build = context(config)
    cache = build.caches.fragments
    sources: dict[str, str] = {}  # each partial's source, read once per build

    @pass_context
    def medsite_fragments(caller: Context, name: str, item: str, items: Iterable[object], /) -> str:
        """One piece per item, each given as `item` (`{{ medsite_fragments("partials/x.html", "row", rows)
        }}`): a loop in the template costs more than the pieces at thousands of rows."""
        page, base_url = caller.get("page"), caller.get("base_url")
        page_url = page.url if page is not None else None
        source = sources.get(name)
        if source is None:
            source = sources[name] = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]

        def render(value: object) -> str:
            return env.get_template(name).render(page=page, base_url=base_url, **{item: value})

        pieces = cache.pieces(name, source, page_url, base_url, item, items, render)
        printed = "\n".join(pieces)
        if page_url is not None and cache.inert(pieces):  # hooks/csp.py need not read it again
            build.inert_html.setdefault(page_url, []).append(printed)
        return printed

    env.globals["medsite_fragments"] = medsite_fragments
    return None
