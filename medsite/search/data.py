"""What the site search knows about an article beyond its text: its one-line answer, the synonyms of the
names it uses, and the values readers filter by (topic, review status, evidence grade, audience).

The page carries them in a hidden block (overrides/partials/search-data.html) as Pagefind metadata and
filters, which Pagefind reads wherever they are on the page. Metadata is searchable, so a reader typing
"jevtana" finds the article that says "cabazitaxel", and typing words of an answer finds its article.
The names a title mentions go in their own field, which the search weighs like the title
(docs/assets/search.js, `metaWeights`), so a synonym ranks the pages as the name it stands for would.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from medsite.extensions.audience import AUDIENCES
from medsite.model.article import Article
from medsite.model.grades import GRADES
from medsite.review.rules import STEPS, ReviewState
from medsite.search.synonyms import Synonyms

CHANGED = "Changed since review"
_BADGE = re.compile(r'<a class="evidence-badge" data-grade="([^"]+)"')  # markup of markdown_grades.py
_STATUS_LABELS = dict(STEPS)


@dataclass(frozen=True)
class SearchData:
    """One page's search metadata and filters; empty fields are left out of the page."""

    answer: str = ""
    title_synonyms: str = ""
    synonyms: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)


def status_label(state: ReviewState) -> str:
    """The review status a reader filters by: the tracker's words, or "Changed since review"."""
    return CHANGED if state.changed else _STATUS_LABELS[state.status]


def grade_labels(html: str) -> list[str]:
    """The evidence grades a page's badges show, strongest scale's wording as on the badge, in order."""
    codes = dict.fromkeys(_BADGE.findall(html))
    return [GRADES[code].label for code in codes if code in GRADES]


def article_search_data(article: Article, state: ReviewState, html: str, synonyms: Synonyms) -> SearchData:
    """Search metadata of an article page whose converted content is `html`."""
    filters = {
        "topic": list(article.topics),
        "status": [status_label(state)],
        "grade": grade_labels(html),
        "audience": [AUDIENCES[article.audience]],
    }
    return SearchData(answer=article.description,
                      filters={name: values for name, values in filters.items() if values},
                      **_synonyms(article.title, f"{article.description} {html}", synonyms))


def page_search_data(title: str, html: str, synonyms: Synonyms) -> SearchData:
    """Search metadata of any other page: the synonyms of the names its title and text use."""
    return SearchData(**_synonyms(title, html, synonyms))


def _synonyms(title: str, text: str, synonyms: Synonyms) -> dict[str, str]:
    title_names = synonyms.missing_names(title)
    text_names = [name for name in synonyms.missing_names(text) if name not in title_names]
    return {"title_synonyms": " ".join(title_names), "synonyms": " ".join(text_names)}
