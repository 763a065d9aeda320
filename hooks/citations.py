"""Citations: load and format the bibliography once, check every page's citations before any is rendered,
let the Markdown extension number them, and hand each page's reference list to its template
(overrides/partials/article-references.html), with its anchors and its entry in the table of contents."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority
from mkdocs.structure.toc import AnchorLink

from medsite.bibliography.load import load_bibliography
from medsite.bibliography.reference_format import citation_style, format_bibliography
from medsite.citations.syntax import citation_problems, only_known_citations, scan, unrendered_citations
from medsite.core.json_cache import digest
from medsite.core.problems import Problem, errors
from medsite.extensions.citations import LIST_ID, CitationsExtension, reference_list
from medsite.model.project import CITATIONS_EXTENSION
from medsite_mkdocs.adapter import context, listed_extension, log, page_data, report, source, source_path

_KNOWN_LIMIT = 200_000  # digests kept across `mkdocs serve` rebuilds before starting afresh

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Load and format the bibliography into the build's context, and register the citation extension
    listed in mkdocs.yml as an instance holding them."""
    build = context(config)
    root = build.project.root
    index, options = listed_extension(config, CITATIONS_EXTENSION, why="every engine then numbers citations")
    bibliography = load_bibliography(build.project.bibliography_dir, root=root, memory=build.caches.bib_files)
    for problem in bibliography.problems:
        if problem.severity == "warning":  # a gap in a reference, not a broken page: `medsite check` lists it
            log.info(str(problem))
    report(errors(bibliography.problems), what="the bibliography")
    style, problems = citation_style(options, "mkdocs.yml")
    report(problems, what="the citation settings")
    references = format_bibliography(bibliography, cache_root=root, style=style,
                                     memory=build.caches.references)
    build.bibliography, build.references = bibliography, references
    build.citations = CitationsExtension(bibliography, references)
    config.markdown_extensions[index] = build.citations  # the listed one, loaded
    return config


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Check the citations of every page before any page is rendered; under `mkdocs serve`, a page that
    passed with the same text and bibliography in an earlier build is not checked again."""
    build = context(config)
    bibliography, known = build.bibliography, build.caches.citations_known
    if len(known) > _KNOWN_LIMIT:
        known.clear()
    problems = []
    for file in files.documentation_pages():
        if file.src_uri in build.unchanged:  # checked with this bibliography by the build before
            continue
        text = source(file, config)
        key = digest(bibliography.digest, text)
        if key in known or only_known_citations(text, bibliography.entries):
            known.add(key)
            continue
        if mistakes := citation_problems(file.src_uri, scan(text), bibliography):
            path = source_path(file, config)
            problems += [replace(problem, path=path) for problem in mistakes]
    report(problems, what="the citations")
    return None


@event_priority(10)  # before hooks/jsonld.py, which names the cited works
def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The page's numbered keys from the extension, as its reference list, anchors and table of contents
    entry; a citation the scan found that Markdown left as text fails the build."""
    extension = context(config).citations
    report(unrendered_citations(source(page.file, config), extension.take_rendered(),
                                source_path(page.file, config)), what=page.file.src_uri)
    if not (keys := extension.take_numbered()):
        return None
    data = page_data(page)
    data.cited_keys = keys  # for the JSON-LD and the References page
    rows = reference_list(keys, extension.references)
    ids = [LIST_ID, *(row["id"] for row in rows)]
    if taken := [anchor for anchor in ids if anchor in (page.present_anchor_ids or set())]:
        report([Problem(source_path(page.file, config), None, f"the page already has an element with id "
                        f"{', '.join(repr(anchor) for anchor in taken)}, which the generated reference "
                        "list uses; expected no heading 'References' and no such id (the list is added "
                        "after the text automatically)")], what=page.file.src_uri)
    data.reference_list = {"id": LIST_ID, "title": "References", "entries": rows}
    # The template prints these ids; MkDocs checks the page's `#ref-…` links against them (strict).
    page.present_anchor_ids = (page.present_anchor_ids or set()) | set(ids)
    toc = page.toc.items
    parent = toc[0].children if len(toc) == 1 and toc[0].level == 1 else toc  # under the H1, as an H2
    parent.append(AnchorLink("References", LIST_ID, 2))
    return None
