"""Each article's one-line answer is searchable, and shown first in its search result, as text."""

from __future__ import annotations

import html
import json

from medsite.search_answers import add_answers
from tests.review_samples import TODAY, article
from tests.sites import article_slug


def test_answer_goes_first_in_the_page_entry_only_and_escaped():
    index = {"docs": [{"location": "articles/a/", "title": "Q?", "text": "<p>Body.</p>"},
                      {"location": "articles/a/#safety", "title": "Safety", "text": "<p>Care.</p>"},
                      {"location": "about/", "title": "About", "text": ""}]}
    docs = add_answers(index, {"articles/a/": "No: <b>not</b> & never."})["docs"]
    assert docs[0]["text"] == "<p>No: &lt;b&gt;not&lt;/b&gt; &amp; never.</p> <p>Body.</p>"
    assert docs[1]["text"] == "<p>Care.</p>" and docs[2]["text"] == ""


def test_tiny_site_search_finds_an_article_by_its_answer(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/articles/a.md", article(description="Only <i>sometimes</i>, says the answer."))
    built = tiny_site.build()
    docs = json.loads((built.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    holding = [doc["location"] for doc in docs if "says the answer" in doc["text"]]
    assert holding == ["articles/a/"]
    page = next(doc for doc in docs if doc["location"] == "articles/a/")
    assert page["text"].startswith("<p>Only &lt;i&gt;sometimes&lt;/i&gt;, says the answer.</p>")


def test_real_site_search_holds_each_articles_answer(real_site):
    assert real_site.returncode == 0, real_site.stderr
    index = real_site.site_dir / "search" / "search_index.json"
    docs = {doc["location"]: doc for doc in json.loads(index.read_text(encoding="utf-8"))["docs"]}
    for uri, written in real_site.catalog.articles.items():
        page = docs[f"articles/{article_slug(uri)}/"]
        assert page["text"].startswith(f"<p>{html.escape(written.description, quote=False)}</p>")
