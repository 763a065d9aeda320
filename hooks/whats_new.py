"""What's new (whats-new.md) and its Atom feed (feed.xml), both generated from the approvals' change notes
(medsite.pages.whats_new); the list is `page.medsite.whats_new` for partials/whats-new.html. Without
`site_url` there are no absolute URLs to give feed readers, so there is no feed (and a warning says why)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mkdocs.structure.files import File

from medsite.pages.whats_new import (
    FEED,
    PAGE_LIMIT,
    WHATS_NEW,
    approved_changes,
    atom_feed,
    page_rows,
    whats_new_page,
)
from medsite_mkdocs.adapter import context, log, page_data, report, url_lookup

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    """Add the generated What's new page and its Atom feed."""
    catalog = context(config).catalog
    markdown, problems = whats_new_page(catalog, {file.src_uri for file in files})
    report(problems, what="What's new")
    files.append(File.generated(config, WHATS_NEW, content=markdown))
    if not config.site_url:
        log.warning("site_url is not set in mkdocs.yml; expected the site's address, which the Atom feed of "
                    f"What's new needs for its links (no {FEED} was written)")
        return files
    feed = atom_feed(approved_changes(catalog), site_url=config.site_url, site_name=config.site_name,
                     url_of=url_lookup(files), updated=catalog.today)
    files.append(File.generated(config, FEED, content=feed))
    return files


def on_page_markdown(markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    """The approvals listed on What's new, into its page's payload."""
    if page.file.src_uri != WHATS_NEW:
        return None
    feed = files.get_file_from_path(FEED)
    page_data(page).whats_new = {
        "entries": page_rows(approved_changes(context(config).catalog)[:PAGE_LIMIT], url_lookup(files)),
        "feed_url": feed.url if feed else None,
    }
    return None
