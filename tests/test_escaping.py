"""Level 2: front matter and registry values are text wherever a page shows them, never markup."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

from medsite.search.pagefind import indexed_pages

HOSTILE = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"
PEOPLE = f"""\
editorial-team:
  role: author
  name: "Author {HOSTILE}"
  credentials: "MD {HOSTILE}"
  specialty: Evidence summaries
  conflicts: None declared
board-hostile:
  role: board
  name: "Dr {HOSTILE}"
  credentials: "PhD {HOSTILE}"
  specialty: "Oncology {HOSTILE}"
  conflicts: "None {HOSTILE}"
"""
ARTICLE = f"""\
---
title: "Is {HOSTILE} safe? </title><script>alert(2)</script>"
description: "It is {HOSTILE} \\" onmouseover=\\"alert(3)"
status: under_review
audience: clinician
topics: ["{HOSTILE}"]
authors: [editorial-team]
reviewers: [board-hostile]
submitted: 2025-11-02
---
The bottom line.
"""


class _Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script, as a browser would parse them."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        if self.tags and self.tags[-1][0] == "script":
            self.scripts.append(data)


def built_site(tiny_site):
    tiny_site.write("data/people.yml", PEOPLE)
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/board.md", "# Medical Advisory Board\n\nThe members.\n")
    tiny_site.write("docs/articles/hostile.md", ARTICLE)
    return tiny_site.build()


def test_hostile_front_matter_and_registry_values_render_as_text(tiny_site):
    built = built_site(tiny_site)
    pages = {path.relative_to(built.site_dir).as_posix(): path.read_text(encoding="utf-8")
             for path in built.site_dir.rglob("*.html")}
    for name, page in pages.items():
        elements = _Elements(page)
        assert [tag for tag, attrs in elements.tags
                if tag == "img" or any(a.startswith("on") for a in attrs)] == [], name
        assert not any("alert(" in script for script in elements.scripts if not script.startswith("{")), name
    article = built.html("articles/hostile.md")
    title = re.search(r"<title>(.*?)</title>", article, re.DOTALL).group(1)
    assert title.startswith(f"Is {ESCAPED} safe? &lt;/title&gt;&lt;script&gt;")
    assert re.search(rf"<h1 [^>]*>Is {re.escape(ESCAPED)} safe\?", article)
    description = re.search(r'<meta name="description" content="([^"]*)">', article).group(1)
    assert description == f"It is {ESCAPED} &quot; onmouseover=&quot;alert(3)"
    [jsonld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', article, re.DOTALL)
    assert HOSTILE in json.dumps(json.loads(jsonld), ensure_ascii=False)  # a JSON string, not markup
    assert "<" not in jsonld
    # Articles are listed on topic pages rather than in the nav; the topic's own name is hostile too.
    listed = [text for page in pages.values()
              for text in re.findall(r'<a href="[^"]*articles/hostile/"[^>]*>(Is .*?)</a>', page, re.DOTALL)]
    assert listed and all(text.startswith(f"Is {ESCAPED} safe?") for text in listed)
    assert any(f"<title>{ESCAPED} - " in page for page in pages.values())  # the topic page's title
    board = built.html("board.md")
    for value in (f"Dr {ESCAPED}", f"PhD {ESCAPED}", f"Oncology {ESCAPED}", f"None {ESCAPED}"):
        assert value in board  # the registry, rendered on the board page


def test_hostile_titles_stay_text_in_the_search_index(tiny_site):
    """Pagefind read the title and answer as text (markup would have lost the tag's text); the search
    box puts them in the page as text (docs/assets/search.js, tests/browser/test_search.py)."""
    built = built_site(tiny_site)
    [entry] = [page for page in indexed_pages(built.site_dir) if page["url"] == "/articles/hostile/"]
    assert entry["meta"]["title"].startswith(f"Is {HOSTILE} safe?")
    assert entry["meta"]["answer"].startswith(f"It is {HOSTILE}")
    assert entry["filters"]["topic"] == [HOSTILE]
