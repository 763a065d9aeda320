"""What changed: each approval's one-line note (`medsite approve --note`), as a "What's new" page (newest
first), an Atom feed, and each article's review history.

Only text the board approved reaches them: an article is listed only while its review state is approved
(not pending, not changed since review, not citing a retracted source it has not acknowledged), because
its title and its notes are approved text only as long as the hash still matches. The feed's links are
absolute, made from `site_url`, as feed readers need them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Container
from dataclasses import dataclass
from urllib.parse import urljoin

from medsite.core.problems import Problem
from medsite.model.article import Article
from medsite.review.catalog import Catalog
from medsite.review.rules import history_anchor

WHATS_NEW = "whats-new.md"
FEED = "feed.xml"
PAGE_LIMIT = 200  # approvals listed on the page (the newest)
FEED_LIMIT = 50  # entries in the feed
RECENT = 10  # approvals on the editorial dashboard


@dataclass(frozen=True)
class Change:
    """One recorded approval of an article."""

    date: dt.date
    title: str
    src_uri: str
    note: str
    reviewers: tuple[str, ...]  # names from the registry (the id when a name is missing)
    number: int  # its place in the article's history, 1 = the first approval

    @property
    def anchor(self) -> str:
        """The HTML id of this approval in the article's review history."""
        return history_anchor(self.number)


def _names(catalog: Catalog, ids: tuple[str, ...]) -> tuple[str, ...]:
    people = catalog.registry.people
    return tuple(people[i].name if i in people else i for i in ids)


def article_changes(catalog: Catalog, article: Article) -> list[Change]:
    """The article's recorded approvals, newest first."""
    changes = [Change(entry.date, article.title, article.src_uri, entry.note,
                      _names(catalog, entry.reviewers), number)
               for number, entry in enumerate(article.history, 1)]
    return sorted(changes, key=lambda change: (change.date, change.number), reverse=True)


def approved_changes(catalog: Catalog) -> list[Change]:
    """Every recorded approval of every article that is approved now, newest first (worked out once per
    catalog: the feed, the page and the dashboard ask; a list the caller does not change)."""
    def changes() -> list[Change]:
        found = [change for article in catalog.articles.values() if catalog.state(article).approved
                 for change in article_changes(catalog, article)]
        return sorted(found, key=lambda c: (-c.date.toordinal(), c.title.casefold(), c.src_uri, -c.number))

    return catalog.derived("approved_changes", changes)


def whats_new_page(catalog: Catalog, existing: Container[str]) -> tuple[str, list[Problem]]:
    """The page's Markdown (its heading and one sentence: the theme renders the list), and a problem for a
    docs file in the way of the generated page or feed."""
    problems = [Problem(catalog.display(name), None, f"this file is in the way of the generated `{name}`; "
                        "expected no such file in the docs folder") for name in (WHATS_NEW, FEED)
                if name in existing]
    return ("# What's new\n\nArticles the Medical Advisory Board approved, newest first, each with the "
            "reviewers' note on what changed.\n"), problems


def page_rows(changes: list[Change], url_of: Callable[[str], str | None]) -> list[dict]:
    """The rows the theme prints, each with its article's URL (relative to the site root)."""
    return [{"date": change.date, "title": change.title, "note": change.note, "reviewers": change.reviewers,
             "url": url, "anchor": change.anchor}
            for change in changes if (url := url_of(change.src_uri)) is not None]


def atom_feed(changes: list[Change], *, site_url: str, site_name: str, url_of: Callable[[str], str | None],
              updated: dt.date) -> bytes:
    """An Atom feed of the newest approvals, with absolute URLs; `updated` is the feed's date when it has
    no entry (the newest entry's date otherwise)."""
    from feedgen.feed import FeedGenerator  # imported here: lxml is slow to import, and only this needs it

    root = site_url if site_url.endswith("/") else site_url + "/"
    page = urljoin(root, WHATS_NEW.removesuffix(".md") + "/")
    feed = FeedGenerator()
    feed.id(page)
    feed.title(f"{site_name}: what's new")
    feed.subtitle("Articles the Medical Advisory Board approved, with the reviewers' note on what changed.")
    feed.author({"name": f"{site_name} Medical Advisory Board"})
    feed.link(href=page, rel="alternate", type="text/html")
    feed.link(href=urljoin(root, FEED), rel="self", type="application/atom+xml")
    feed.language("en")
    newest = max((change.date for change in changes), default=updated)
    feed.updated(_moment(newest))
    for change in changes[:FEED_LIMIT]:
        url = url_of(change.src_uri)
        if url is None:
            continue
        link = f"{urljoin(root, url)}#{change.anchor}"
        entry = feed.add_entry(order="append")
        entry.id(link)
        entry.title(change.title)
        entry.link(href=link, rel="alternate", type="text/html")
        entry.published(_moment(change.date))
        entry.updated(_moment(change.date))
        reviewers = ", ".join(change.reviewers)
        entry.summary(f"{change.note} (Reviewed by {reviewers}.)" if reviewers else change.note)
    return feed.atom_str(pretty=True)


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
