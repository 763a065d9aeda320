"""One build's shared state, typed, in one object every hook reaches the same way
(medsite_mkdocs.adapter.context): what the hooks learn about the whole site and hand to each other, instead
of module globals and an extension used as a mailbox. CONTRIBUTING.md ("How a build flows") says which hook
fills each field and which read it.

A `BuildContext` is made as a build starts and dropped with it: MkDocs makes a new config object for every
build, `mkdocs serve` rebuilds included, and the context lives on that object. What must outlive a build on
purpose lives in `BuildCaches`, owned by whoever makes the contexts (one per process): each cache is keyed
by what its entries were computed from (a text, a content digest, a file's time and size), so a rebuild
reuses what did not change and never a stale entry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from medsite.bibliography.load import ParsedFiles
from medsite.bibliography.reference_format import ReferenceCache
from medsite.bibliography.reference_index import ReferenceIndex
from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import FrontMatter, parse
from medsite.model.sources import page_text
from medsite.pages.dashboard import DashboardMemo
from medsite.pages.page_facts import PageFactsCache
from medsite.pages.readability import KeyMemo, PageMemo, ScoreMemo
from medsite.pages.topics import ListsMemo
from medsite.pipeline.fragments import FragmentCache
from medsite.refs.verify import NoticeMemo
from medsite.review.catalog import CatalogCache

if TYPE_CHECKING:
    from medsite.citations.bib_model import Bibliography, FormattedReference
    from medsite.extensions.citations import CitationsExtension
    from medsite.model.project import Project
    from medsite.pages.topics import ArticleList
    from medsite.pipeline.page_cache import PageCacheRun
    from medsite.review.catalog import Catalog
    from medsite.safety.csp import TemplateAllowList
    from medsite.search.feed import Feed
    from medsite.search.synonyms import Synonyms


@dataclass
class BuildCaches:
    """What a `mkdocs serve` rebuild reuses from the builds before it, each entry keyed by its inputs."""

    articles: CatalogCache = field(default_factory=CatalogCache)  # parsed articles, the latest catalog
    bib_files: ParsedFiles = field(default_factory=dict)  # parsed .bib files, by content digest
    references: ReferenceCache = field(default_factory=ReferenceCache)  # formatted entries, by digest
    readability: dict[str, list[list]] = field(default_factory=dict)  # reading grades, by text digest
    readability_keys: KeyMemo = field(default_factory=dict)  # each page's digest for those, by path
    readability_scores: ScoreMemo = field(default_factory=dict)  # each page's scores, by path and digest
    readability_pages: PageMemo = field(default_factory=dict)  # each page as scored, by its text object
    dashboard: DashboardMemo = field(default_factory=DashboardMemo)  # rows kept per article object
    lists: ListsMemo = field(default_factory=ListsMemo)  # article lists' lines, kept per article object
    reference_index: ReferenceIndex = field(default_factory=ReferenceIndex)  # the References page's rows
    page_facts: PageFactsCache = field(default_factory=PageFactsCache)  # titles and cited keys of pages
    notices: NoticeMemo = field(default_factory=NoticeMemo)  # `medsite refs verify`'s notices, by cache state
    citations_known: set[str] = field(default_factory=set)  # pages citing only known keys, by text digest
    fragments: FragmentCache = field(default_factory=FragmentCache)  # generated pages' rendered pieces


@dataclass
class BuildContext:
    """What one build knows beyond a single page. Each field is filled once, by the hook named beside it,
    before any hook reads it."""

    project: Project  # folders and settings (hooks/context.py, on_config)
    caches: BuildCaches  # kept across builds by the context's maker
    bibliography: Bibliography | None = None  # hooks/citations.py, on_config
    references: Mapping[str, FormattedReference] = field(default_factory=dict)  # formatted entries, same
    citations: CitationsExtension | None = None  # the registered Markdown extension, same
    catalog: Catalog | None = None  # every article, checked (hooks/articles.py, on_files)
    topic_lists: dict[str, ArticleList] = field(default_factory=dict)  # by page src_uri (hooks/topics.py)
    synonyms: Synonyms | None = None  # drug and abbreviation synonyms (hooks/search_index.py, on_files)
    page_cache: PageCacheRun | None = None  # this build's use of the page cache (hooks/page_cache.py)
    inline_code: TemplateAllowList | None = None  # the CSP's allow-list (hooks/csp.py, on_env)
    search_feed: Feed | None = None  # pages given to Pagefind as written (hooks/search_index.py)
    # by page URL, printed lists the CSP check need not read (hooks/fragments.py, as a page is rendered;
    # taken by hooks/csp.py, on_post_page)
    inert_html: dict[str, list[str]] = field(default_factory=dict)
    page_meta: dict[str, dict] = field(default_factory=dict)  # front matter MkDocs did not parse, by src_uri,
    # until the page's metadata is set from it (hooks/context.py, on_page_read_source to on_page_markdown)
    # pages a previous build of this process read and checked, unchanged since (`mkdocs serve`'s rebuild of
    # an edit, hooks/serve.py): checks of one file at a time skip them; checks across files still run
    unchanged: frozenset[str] = frozenset()
    _bytes: dict[str, bytes] = field(default_factory=dict, repr=False)  # pages not yet decoded
    _texts: dict[str, str] = field(default_factory=dict, repr=False)
    _fronts: dict[str, tuple[str, FrontMatter | ProblemsError]] = field(default_factory=dict, repr=False)

    def source_bytes(self, src_uri: str, read: Callable[[], bytes]) -> bytes:
        """A page's bytes, read once per build (`read` is asked the first time only)."""
        found = self._bytes.get(src_uri)
        if found is None:
            found = self._bytes[src_uri] = read()
        return found

    def source(self, src_uri: str, read: Callable[[], bytes]) -> str:
        """A page's text as MkDocs reads it, decoded once from the bytes read once (UnicodeDecodeError if
        they are not UTF-8)."""
        found = self._texts.get(src_uri)
        if found is None:
            found = self._texts[src_uri] = page_text(self.source_bytes(src_uri, read))
            del self._bytes[src_uri]  # the text is what every later reader asks for
        return found

    def front_matter(self, source: str, path: str) -> FrontMatter:
        """A page's front matter as `medsite.markdown.frontmatter.parse` reads it (ProblemsError likewise),
        parsed once per build for the checks, the catalog and MkDocs (hooks/context.py)."""
        found = self._fronts.get(path)
        if found is None or (found[0] is not source and found[0] != source):
            try:
                found = (source, parse(source, path))
            except ProblemsError as error:
                found = (source, error)
            self._fronts[path] = found
        if isinstance(found[1], ProblemsError):
            raise ProblemsError(found[1].problems)
        return found[1]

    def forget_front_matter(self, path: str) -> None:
        """Drop a page's parsed front matter once MkDocs has its body and metadata (the body is a copy of
        most of the page's text: thousands of them would double the memory the texts take)."""
        self._fronts.pop(path, None)
    def adopt_sources(self, previous: BuildContext, unchanged: frozenset[str]) -> None:
        """Take the texts of the `unchanged` pages from the build before (whose checks they passed), so that
        this build neither reads nor checks them again one by one."""
        self._texts.update((uri, text) for uri, text in previous._texts.items() if uri in unchanged)
        self.unchanged = frozenset(unchanged & self._texts.keys())
