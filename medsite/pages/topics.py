"""Topic index pages and article lists, generated from the articles' `topics` at build time.

A navigation that lists every article is rendered into every page, so its cost grows with the square of
the number of articles. Readers reach articles through these pages, the home page and search instead; the
pages are generated from front matter alone (never from rendered articles), once per build. Their article
lists are data for the theme (`partials/article-list.html`), not Markdown: converting thousands of list
items cost more than the rest of the pages, and the search index would repeat every article's answer.
"""

from __future__ import annotations

import html
import operator
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache

from markdown.extensions.toc import slugify

from medsite.core.frozen import Frozen
from medsite.core.problems import Problem
from medsite.markdown.abbreviations import Part, expand
from medsite.model.article import Article
from medsite.review.catalog import Catalog
from medsite.review.rules import STEPS

TOPICS_DIR = "topics"
INDEX = f"{TOPICS_DIR}/index.md"
HOME_LIST = "index.md"  # the home page lists the most recently updated articles
HOME_LIST_LENGTH = 20


@dataclass
class Topic:
    """A topic, with its articles in file order."""

    name: str  # as first written (articles in file order)
    slug: str
    articles: list[Article] = field(default_factory=list)

    @property
    def src_uri(self) -> str:
        """The generated topic page's source path."""
        return f"{TOPICS_DIR}/{self.slug}.md"

    @property
    def heading(self) -> str:
        """`prostate cancer` as a heading is `Prostate cancer`; `mCRPC` stays as written."""
        return self.name[0].upper() + self.name[1:] if self.name.split()[0].islower() else self.name


@dataclass
class TopicsMemo:
    """What one process keeps from one build's topics to the next (`mkdocs serve` collects them after every
    edit): the articles they were collected from, each topic's articles (by src_uri), each topic with its
    place in the order of topics and its spelling warnings, and each article's topics without letters. Only
    the topics of the articles that changed (not the same objects) are collected again."""

    articles: dict[str, Article] = field(default_factory=dict)
    members: dict[str, set[str]] = field(default_factory=dict)
    topics: dict[str, tuple[Topic, tuple, list[tuple[tuple, Problem]]]] = field(default_factory=dict)
    unnamed: dict[str, list[tuple[tuple, Problem]]] = field(default_factory=dict)


def collect_topics(articles: Iterable[Article], memo: TopicsMemo | None = None
                   ) -> tuple[list[Topic], list[Problem]]:
    """Topics by name, each with its articles by title. Two spellings of one topic (`Prostate cancer`,
    `prostate cancer`) are one page; the later spelling (in file order) gets a warning so the site stays
    consistent. With a memo (kept by the caller across builds), only the topics of changed articles are
    collected again."""
    memo = memo if memo is not None else TopicsMemo()
    new = {article.src_uri: article for article in articles}
    old = memo.articles
    changed = [*(uri for uri, article in new.items() if old.get(uri) is not article),
               *(old.keys() - new.keys())]
    affected: set[str] = set()
    for uri in changed:
        for version, add in ((old.get(uri), False), (new.get(uri), True)):
            for slug in {_slug(name) for name in version.topics} - {""} if version is not None else ():
                affected.add(slug)
                members = memo.members.setdefault(slug, set())
                (members.add if add else members.discard)(uri)
        article = new.get(uri)
        unnamed = [((uri, index), Problem(article.path, article.line("topics"), f"topic `{name}` has no "
                                          "letters or digits; expected a name such as `prostate cancer`"))
                   for index, name in enumerate(article.topics) if not _slug(name)] if article else []
        if unnamed:
            memo.unnamed[uri] = unnamed
        else:
            memo.unnamed.pop(uri, None)
    for slug in affected:
        if members := memo.members.get(slug):
            memo.topics[slug] = _topic(slug, [new[uri] for uri in sorted(members)])
        else:
            memo.members.pop(slug, None)
            memo.topics.pop(slug, None)
    memo.articles = new
    ordered = sorted(memo.topics.values(), key=lambda found: found[1])
    problems = sorted([*(problem for found in ordered for problem in found[2]),
                       *(problem for found in memo.unnamed.values() for problem in found)],
                      key=lambda placed: placed[0])
    return [found[0] for found in ordered], [problem for _, problem in problems]


def _topic(slug: str, articles: list[Article]) -> tuple[Topic, tuple, list[tuple[tuple, Problem]]]:
    """The topic `slug` of `articles` (in file order: the first spelling names it), its place in the order
    of topics (its name ignoring case, then where it was first written), and its spelling warnings, each
    with its place (file, position in the file's topics)."""
    topic: Topic | None = None
    place: tuple = ()
    problems: list[tuple[tuple, Problem]] = []
    for article in articles:
        for index, name in enumerate(article.topics):
            if _slug(name) != slug:
                continue
            if topic is None:
                topic, place = Topic(name, slug), (name.casefold(), article.src_uri, index)
            elif name != topic.name:
                problems.append(((article.src_uri, index), Problem(
                    article.path, article.line("topics"), f"topic `{name}` is written `{topic.name}` in "
                    "other articles; expected one spelling", severity="warning")))
        if topic is not None and (not topic.articles or topic.articles[-1] is not article):
            topic.articles.append(article)  # one entry for two spellings
    assert topic is not None
    topic.articles.sort(key=lambda a: (a.title.casefold(), a.src_uri))
    return topic, place, problems


@cache  # every topic of every article, on every build of `mkdocs serve`
def _slug(name: str) -> str:
    return slugify(name, "-")


def topic_pages(
    catalog: Catalog, existing: Container[str], memo: TopicsMemo | None = None
) -> tuple[dict[str, str], list[Topic], list[Problem]]:
    """Markdown of every page under topics/, by src_uri (one per topic and the index of topics), and the
    topics. A topic page holds its heading and a sentence; `article_lists` gives the list the theme adds.
    `existing` holds the src_uris of the docs folder's files: a generated page may not replace one."""
    topics, problems = collect_topics(catalog.articles.values(), memo)
    pages = {topic.src_uri: _topic_page(topic) for topic in topics}
    pages[INDEX] = _topics_index(topics)
    problems += [Problem(catalog.display(src_uri), None, f"this file is in the way of the generated topic "
                         f"page `{src_uri}`; expected {TOPICS_DIR}/ to hold generated pages only")
                 for src_uri in pages if src_uri in existing]
    return pages, topics, problems


@dataclass(frozen=True)
class ListedArticle:
    """One line of an article list: the question, the one-line answer and the review status as the
    review tracker names it (changed content is under review again). The theme renders it. The question
    and answer are held in parts, with the abbreviations the article defines expanded
    (medsite.markdown.abbreviations)."""

    src_uri: str
    status: str
    title_parts: list[Part]
    description_parts: list[Part]

    @property
    def title(self) -> str:
        """The title as plain text."""
        return "".join(part for part, _ in self.title_parts)

    @property
    def description(self) -> str:
        """The one-line answer as plain text."""
        return "".join(part for part, _ in self.description_parts)


@dataclass(frozen=True)
class ArticleList:
    """Articles for a page's list (`partials/article-list.html`); `total` counts those left out too."""

    articles: list[ListedArticle]
    total: int


@dataclass(frozen=True)
class ListEntry(Frozen):
    """A line of an article list as partials/article-list-item.html prints it, with the article's URL."""

    url: str
    title: tuple[Part, ...]
    description: tuple[Part, ...]
    status: str


@dataclass
class ListsMemo:
    """What one process keeps from one build's article lists to the next (`mkdocs serve` rebuilds them
    after every edit): each page's lines by the article objects listed and their review steps (the lines
    depend on nothing else), and each line's entry by the line and its URL. A list whose articles did not
    change keeps its line objects, whose printed pieces are then found by identity
    (medsite.pipeline.fragments)."""

    lines: dict[str, tuple[tuple[Article, ...], tuple[str, ...], list[ListedArticle]]] = field(
        default_factory=dict)
    entries: dict[str, dict[int, tuple[ListedArticle, str, ListEntry]]] = field(default_factory=dict)
    basis: tuple[object, frozenset[str]] | None = None  # Catalog.state_basis of the lines kept
    # each page's entries as last printed, with the lines they were made from
    printed: dict[str, tuple[list[ListedArticle], list[ListEntry]]] = field(default_factory=dict)
    topics: TopicsMemo = field(default_factory=TopicsMemo)  # the topics themselves (collect_topics)


def listed(articles: Iterable[Article], catalog: Catalog) -> list[ListedArticle]:
    """The lines of one page's list; each abbreviation is expanded where the page first uses it."""
    labels = dict(STEPS)
    expanded: set[Part] = set()
    return [ListedArticle(a.src_uri, labels[catalog.state(a).step],
                          expand(a.title, a.abbreviations, expanded),
                          expand(a.description, a.abbreviations, expanded)) for a in articles]


def article_lists(
    catalog: Catalog, topics: Iterable[Topic], limit: int = HOME_LIST_LENGTH, memo: ListsMemo | None = None
) -> dict[str, ArticleList]:
    """The list of each topic page, by src_uri, and under HOME_LIST the `limit` most recently updated
    articles (the home page list must stay short however large the site grows)."""
    known = memo.lines if memo is not None else {}
    kept: dict[str, tuple[tuple[Article, ...], tuple[str, ...], list[ListedArticle]]] = {}
    basis = catalog.state_basis()
    # the same article objects have the same review steps as when their lines were made
    same_states = memo is not None and memo.basis is not None and memo.basis[0] is basis[0] and (
        memo.basis[1] == basis[1])

    def lines(src_uri: str, articles: Sequence[Article]) -> list[ListedArticle]:
        before = known.get(src_uri)
        same = before is not None and len(before[0]) == len(articles) and all(
            map(operator.is_, before[0], articles))
        if before is None or not (same and same_states):
            steps = tuple(catalog.state(article).step for article in articles)
            if before is None or not same or before[1] != steps:
                before = (tuple(articles), steps, listed(articles, catalog))
        kept[src_uri] = before
        return before[2]

    lists = {topic.src_uri: ArticleList(lines(topic.src_uri, topic.articles), len(topic.articles))
             for topic in topics}
    articles = sorted(catalog.articles.values(), key=lambda a: a.title.casefold())
    articles.sort(key=catalog.last_updated, reverse=True)  # stable: same date stays by title
    lists[HOME_LIST] = ArticleList(lines(HOME_LIST, articles[:limit]), len(articles))
    if memo is not None:
        memo.lines, memo.basis = kept, basis
    return lists


def list_entries(src_uri: str, listing: ArticleList, url_of: Callable[[str], str | None],
                 memo: ListsMemo | None = None, *, same_urls: bool = False) -> list[ListEntry]:
    """The lines of the list on the page `src_uri` as the theme prints them, those of pages the site has
    (`url_of` gives a page's URL). When `same_urls` (a rebuild from the last build: every page keeps its
    URL) and the page lists the same line objects as last time (`article_lists` keeps them while its
    articles do not change), its entries are those of last time."""
    if memo is not None and same_urls and (last := memo.printed.get(src_uri)) is not None and (
            last[0] is listing.articles):
        return last[1]
    known = memo.entries.get(src_uri, {}) if memo is not None else {}
    kept: dict[int, tuple[ListedArticle, str, ListEntry]] = {}
    entries = []
    for line in listing.articles:
        if (url := url_of(line.src_uri)) is None:
            continue
        before = known.get(id(line))
        if before is None or before[0] is not line or before[1] != url:
            before = (line, url, ListEntry(url, tuple(line.title_parts), tuple(line.description_parts),
                                           line.status))
        kept[id(line)] = before
        entries.append(before[2])
    if memo is not None:
        memo.entries[src_uri] = kept
        memo.printed[src_uri] = (listing.articles, entries)
    return entries


def _topic_page(topic: Topic) -> str:
    count = len(topic.articles)
    return (f"# {escape_markdown(topic.heading)}\n\n{count} article{'s' if count != 1 else ''} on this "
            f"topic. See also [all topics](/{INDEX}).\n")


def _topics_index(topics: list[Topic]) -> str:
    items = "\n".join(f"- [{escape_markdown(t.heading)}](/{t.src_uri}) ({len(t.articles)})" for t in topics)
    return f"# Topics\n\nEvery article is listed under each of its topics.\n\n{items or 'No topics yet.'}\n"


def escape_markdown(text: str) -> str:
    """Plain text as Markdown inline text: no emphasis, links, code or HTML from titles and answers."""
    text = html.escape(text, quote=False)
    for char in "\\`*_[]@":  # `@`: a bare @key is a citation (medsite.extensions.citations escapes `\@`)
        text = text.replace(char, "\\" + char)
    return text
