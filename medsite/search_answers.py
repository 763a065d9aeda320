"""Each article's one-line answer at the top of its entry in the site search.

The answer (front matter `description`) is what a reader wants under the question in a list of search
results, and what they may type; but it lives in the front matter, so Material's search, which indexes
the rendered text, never sees it. The build puts it first in the text of the article's own entry (the
entry of the page, not of a section), escaped: the search shows entry text as HTML.
"""

from __future__ import annotations

import html
from collections.abc import Mapping


def add_answers(index: dict, answers: Mapping[str, str]) -> dict:
    """Material's search index with `answers` (page location, e.g. `articles/a/` → answer) prepended to
    the text of each page's own entry."""
    for doc in index["docs"]:
        answer = answers.get(doc.get("location", ""))
        if answer:
            doc["text"] = f"<p>{html.escape(answer, quote=False)}</p> {doc.get('text') or ''}".rstrip()
    return index
