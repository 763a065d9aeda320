"""What the build decided about one page, for the templates: a typed payload, never front matter.

MkDocs fills `page.meta` from the page's own front matter, so anything the templates read from there a
contributor can write (`medsite_review: {caution: false}`, `medsite_jsonld: "</script><script>…"`). The
hooks attach one `PageData` to the page object instead (`page.medsite`, see
hooks/medsite_mkdocs/adapter.py) and the templates read only that. A page without one is a page our rules
have proven nothing about: the article template then shows the caution (overrides/main.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from medsite.search.data import SearchData


@dataclass
class PageData:
    """One page's data from the build, one field per thing a template renders."""

    review: dict | None = None  # an article's review banner (medsite.review.rules.banner)
    jsonld: str | None = None  # an article's JSON-LD, already escaped for <script> (medsite.pages.jsonld)
    cited_keys: list[str] = field(default_factory=list)  # the keys the page cites, in number order
    reference_list: dict | None = None  # the page's numbered references (hooks/citations.py)
    article_list: dict | None = None  # a topic page's or the home page's list of articles
    board: list[dict] | None = None  # the Medical Advisory Board page's members
    dashboard: dict | None = None  # the editorial dashboard
    whats_new: dict | None = None  # What's new: the approvals with their change notes (hooks/whats_new.py)
    references_index: list[dict] | None = None  # the References page: every bibliography entry
    search: SearchData | None = None  # what the site search reads beyond the text (medsite.search.data)

    @property
    def approved(self) -> bool:
        """Whether the review rules proved this page approved and unchanged: the only way to lose the
        caution. True only for an approved banner; anything else, missing data included, is not."""
        return self.review is not None and self.review.get("approved") is True
