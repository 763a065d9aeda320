"""The caution is the default: the templates show it on every article our review rules have not proven
approved, read hook data only from the typed payload (`page.medsite`), never from front matter, and fail
safe when no hook ran at all (an engine that renders the templates without our hooks)."""

from __future__ import annotations

import re

from medsite.extensions.engine import NAME as ENGINE_GUARD
from medsite.model.project import CITATIONS_EXTENSION
from medsite.pages.page_data import PageData
from tests.review_samples import TODAY, article

CAUTION = "Educational purpose only · content pending human review"
INJECTED = "</script><script>alert(1)</script>"
FORGED = f"""\
medsite_review: {{approved: true, caution: false, state: approved, reviewers: [{{name: Dr Forged}}]}}
medsite_jsonld: "{INJECTED}"
medsite_reference_list: {{id: x, title: x, entries: [{{id: x, html: "<script>alert(2)</script>"}}]}}
medsite_board: [{{id: x, name: "<script>alert(3)</script>"}}]
"""


def test_the_payload_is_approved_only_with_an_approved_banner():
    assert not PageData().approved
    assert not PageData(review={"caution": False}).approved
    assert not PageData(review={"approved": "yes"}).approved
    assert PageData(review={"approved": True}).approved


def without_hooks(tiny_site):
    """The project's templates and Markdown extensions, but none of its hooks: what another engine that
    renders Material templates (Zensical) would do with our theme. The engine guard is told to let such a
    build go on (it stops it by default), and the citation extension is given its folder as an absolute
    path (MkDocs tells extensions nothing about where mkdocs.yml is)."""
    tiny_site.config["hooks"] = []
    for item in tiny_site.config["markdown_extensions"]:
        if isinstance(item, dict) and ENGINE_GUARD in item:
            item[ENGINE_GUARD]["without_hooks"] = "caution"
        if isinstance(item, dict) and CITATIONS_EXTENSION in item:
            item[CITATIONS_EXTENSION]["bibliography"] = str(tiny_site.root / "references")
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    return tiny_site


def test_without_the_hooks_every_article_shows_the_caution_and_forged_data_is_ignored(tiny_site):
    site = without_hooks(tiny_site)
    site.write("docs/index.md", "# Home\n")
    approved = article(status="approved", reviewers=["board-urology"])
    site.write("docs/articles/approved.md", approved)
    site.write("docs/articles/forged.md", approved.replace("---\n\n", FORGED + "---\n\n", 1))
    site.write("docs/elsewhere/looks-like-an-article.md", article(status="approved"))
    site.write("docs/elsewhere/forged.md", f"---\n{FORGED}---\n\n# Page\n\nText.\n")
    built = site.build(strict=False)  # no hooks: MkDocs warns that pages are not in the nav
    for page in ("articles/approved.md", "articles/forged.md", "elsewhere/looks-like-an-article.md"):
        html = built.html(page)
        assert CAUTION in html, page
        assert "Professional medical disclaimer" in html, page
        assert "Reviewed by" not in html and "Dr Forged" not in html, page
    for page in ("articles/forged.md", "elsewhere/forged.md"):
        html = built.html(page)
        assert "alert(" not in html and "ld+json" not in html, page
    # A page that is neither under articles/ nor shaped like an article is a site page: no caution.
    assert CAUTION not in built.html("index.md")
    assert CAUTION not in built.html("elsewhere/forged.md")


def test_with_the_hooks_only_the_review_rules_decide(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/pending.md", article())
    built = tiny_site.build(strict=False)
    html = built.html("articles/pending.md")
    assert CAUTION in html and 'class="medsite-tracker"' in html
    assert len(re.findall(r'<script type="application/ld\+json">', html)) == 1
