"""Property: whatever a contributor writes in the front matter of a page, inside articles/ or outside it,
no value reaches the HTML as markup. Tiny sites built through MkDocs with generated front matter; a build
that refuses the input must name the file, never crash."""

from __future__ import annotations

import tempfile
from html.parser import HTMLParser
from pathlib import Path

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.sitebuild import BuildFailed, SiteFactory

MARK = "x-inj"  # the element and attribute name every hostile piece tries to create
PIECES = st.sampled_from([
    f"<{MARK}>", f'"><{MARK} {MARK}=1>', f"'><{MARK}>", f"</title><{MARK}>", f"</script><{MARK}>",
    f'" {MARK}="1', f"' {MARK}='1", f"&lt;{MARK}&gt;", f"</textarea><{MARK}>", f"<svg onload={MARK}>",
    "<!--", "-->", "{{ 7*7 }}", "{% if x %}", "*", "_", "[a](javascript:x)", "`", "\\", "#", ": ", "- ",
    "|", "&", "&amp;", "\u2028", "é", "]]>", "<![CDATA[", "\t",
])
VALUE = st.lists(st.one_of(PIECES, st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=4)),
                 min_size=1, max_size=6).map("".join)


class _Markup(HTMLParser):
    """Every element and attribute name a browser would see."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.names |= {tag, *(name for name, _ in attrs)}


def front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n\nThe bottom line.\n"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=VALUE, description=VALUE, topics=st.lists(VALUE, min_size=1, max_size=2), page_title=VALUE,
       page_description=VALUE, status=st.sampled_from(["submitted", "under_review"]))
def test_no_front_matter_value_reaches_html_as_markup(title, description, topics, page_title,
                                                      page_description, status):
    with tempfile.TemporaryDirectory() as folder:
        site = SiteFactory(Path(folder) / "site")
        site.write("docs/index.md", front_matter({"title": page_title, "description": page_description}))
        site.write("docs/articles/a.md", front_matter({
            "title": title, "description": description, "status": status, "audience": "clinician",
            "topics": topics, "authors": ["editorial-team"], "submitted": "2025-01-10"}))
        try:
            built = site.build(strict=False)
        except BuildFailed as failure:  # e.g. a value empty once stripped, or too long: refused by name
            assert "Traceback" not in failure.log
            assert "docs/articles/a.md:" in failure.log or "docs/index.md:" in failure.log, failure.log
            event("refused with the file named")
            return
        event("built")
        pages = [path for path in built.site_dir.rglob("*.html")]
        assert any("articles" in path.parts for path in pages)
        for path in pages:
            page = path.read_text(encoding="utf-8")
            assert f"<{MARK}" not in page, path  # not as a tag, nor inside a script (JSON-LD escapes <)
            parser = _Markup()
            parser.feed(page)
            assert MARK not in parser.names and "onload" not in parser.names, path
