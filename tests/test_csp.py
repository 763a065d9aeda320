"""Levels 1 and 2: each page's Content-Security-Policy allows exactly the site's own files and the inline
scripts and styles the templates wrote: an allow-list from the template sources, never from the pages."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medsite.safety.csp import (
    InlineCode,
    _find,
    _parse,
    _parse_around,
    allowed_inline_code,
    allowing_added_scripts,
    content_security_policy,
    inert,
    template_snippets,
    with_policy,
)
from tests.sitebuild import BuildFailed

ALLOWED = InlineCode(frozenset({'var a = "</p>";', "upper()", "theme()"}), frozenset({":root{--x:1}", "p{}"}))
PAGE = ('<!doctype html><html><head><meta charset="utf-8"><title>t</title>'
        '<script>var a = "</p>";</script><script src="assets/x.js"></script>'
        '<style>:root{--x:1}</style></head><body><p style="color:red">x</p>'
        '<script type="application/json">{"a": 1}</script></body></html>')


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split("; "))}


def policy_of(page: str) -> str:
    [policy] = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    return policy


def test_policy_hashes_each_allowed_inline_script_and_style_and_nothing_else():
    found = directives(content_security_policy(PAGE, ALLOWED))
    assert found["script-src"] == ["'self'", sha256('var a = "</p>";')]  # a JSON data block never runs
    assert found["style-src"] == ["'self'", sha256(":root{--x:1}")]
    assert found["default-src"] == ["'self'"] and found["object-src"] == ["'none'"]
    assert found["img-src"] == ["'self'", "data:"] and found["base-uri"] == ["'self'"]
    assert found["form-action"] == ["'self'"] and found["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in content_security_policy(PAGE, ALLOWED)
    assert "frame-ancestors" not in found  # ignored in a <meta> policy


def test_policy_goes_right_after_meta_charset():
    page, unexpected = with_policy(PAGE, ALLOWED)
    assert unexpected == []
    assert page.startswith('<!doctype html><html><head><meta charset="utf-8">'
                           '<meta http-equiv="Content-Security-Policy" content="default-src')
    assert page.replace(re.search(r"<meta http-equiv[^>]*>", page).group(0), "") == PAGE


def test_a_fragment_without_a_head_is_left_alone():
    assert with_policy("<p>x</p>", ALLOWED) == ("<p>x</p>", [])


def test_a_script_no_template_wrote_is_never_hashed_and_is_reported():
    page = PAGE.replace("</head>", "<script>injected()</script><style>body{x:y}</style></head>")
    new, unexpected = with_policy(page, ALLOWED)
    policy = directives(policy_of(new))
    assert sha256("injected()") not in policy["script-src"] and sha256("body{x:y}") not in policy["style-src"]
    assert unexpected == ["injected()", "body{x:y}"]
    for kind in ("", ' type="module"', ' type="text/javascript "', ' type="text/x-unknown"'):
        assert with_policy(f'<meta charset="utf-8"><script{kind}>x()</script>', ALLOWED)[1] == ["x()"], kind


def test_the_allow_list_is_rendered_from_template_sources():
    sources = ['<script>var root = "{{ base_url }}";</script><script src="{{ x }}"></script>',
               '<script type="application/json">{{ config }}</script><style>a{}</style>',
               "<script>{% if %}</script>"]
    snippets = template_snippets(sources)
    assert snippets == InlineCode(frozenset({'var root = "{{ base_url }}";', "{% if %}"}), frozenset({"a{}"}))

    def render(snippet: str) -> str | None:
        return None if "{%" in snippet else snippet.replace("{{ base_url }}", "../..")

    assert allowed_inline_code(snippets, render) == InlineCode(frozenset({'var root = "../..";'}),
                                                               frozenset({"a{}"}))


def test_every_built_page_has_a_policy_covering_its_inline_scripts(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\n[Deep page](a/b/deep.md)\n")
    tiny_site.write("docs/a/b/deep.md", "# Deep\n\nText.\n")
    built = tiny_site.build()
    pages = [built.html("index.md"), built.html("a/b/deep.md"), (built.site_dir / "404.html").read_text()]
    for page in pages:
        head = page.split("<head>", 1)[1]
        assert re.match(r'\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy"', head)
        allowed = set(directives(policy_of(page))["script-src"])
        executable = r"<script(?![^>]*\b(?:src=|type=\"application/(?:ld\+)?json))[^>]*>(.*?)</script>"
        inline = re.findall(executable, page, re.DOTALL)
        assert inline and {sha256(body) for body in inline} == allowed - {"'self'"}
    # Material's `__md_scope` script names the path to the site root, so the hashes differ by depth.
    assert policy_of(pages[0]) != policy_of(pages[1])


def test_only_real_elements_count_not_lookalikes_in_comments_or_attributes():
    page = ('<meta charset="utf-8"><!-- <script>commented()</script> -->'
            '<a title="<script>quoted()</script>">x</a><SCRIPT type="module">upper()</SCRIPT >'
            '<script src="a.js">ignored()</script><style media="print">p{}</style>')
    found = directives(content_security_policy(page, ALLOWED))
    assert found["script-src"] == ["'self'", sha256("upper()")]
    assert found["style-src"] == ["'self'", sha256("p{}")]


def test_the_sanitised_content_is_not_scanned_and_can_never_allow_a_script():
    head = '<meta charset="utf-8"><script>theme()</script>'
    content = "<p>text</p><script>injected()</script>"  # not what the sanitiser gives; shows the skip
    page, _ = with_policy(f"{head}<article>{content}</article>", ALLOWED, sanitized=content)
    assert directives(policy_of(page))["script-src"] == ["'self'", sha256("theme()")]
    # Content not found in the page: the whole page is scanned.
    page, _ = with_policy(f"{head}<p>x</p>", ALLOWED, sanitized="<p>elsewhere</p>")
    assert directives(policy_of(page))["script-src"] == ["'self'", sha256("theme()")]
    # Content found where the head is (the text would hold the charset, or come before it, as the "\n" of an
    # article whose body was only a comment does after `<!doctype html>`): the whole page is scanned, and
    # the page keeps its policy.
    for sanitized, page in (('<meta charset="utf-8">', head), ("\n", f"<!doctype html>\n{head}\n<p>x</p>")):
        found, unexpected = with_policy(page, ALLOWED, sanitized=sanitized)
        assert directives(policy_of(found))["script-src"] == ["'self'", sha256("theme()")], sanitized
        assert unexpected == []
    found, unexpected = with_policy(f"<!doctype html>\n{head}\n<script>injected()</script>", ALLOWED,
                                    sanitized="\n")
    assert unexpected == ["injected()"]


INJECTING_HOOK = """def on_post_page(output, page, config):
    return output.replace("</head>", "<script>stolen()</script></head>")
"""


def test_a_script_injected_outside_the_content_fails_the_build_and_is_never_hashed(tiny_site):
    """A path into the page nobody listed (here a hook standing for it): its script is not allowed."""
    tiny_site.write("docs/index.md", "# Home\n")
    hook = tiny_site.write("inject.py", INJECTING_HOOK)
    tiny_site.config["hooks"].insert(0, str(hook))
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert ("docs/index.md: error: an inline script or style no template wrote ('stolen()')"
            in failure.value.log)


def test_a_hostile_description_outside_articles_is_text_and_no_script_is_hashed(tiny_site):
    injected = "alert(document.domain)"
    tiny_site.write("docs/index.md", f"---\ndescription: '\"><script>{injected}</script>'\n---\n# Home\n")
    page = tiny_site.build().html("index.md")
    assert f"<script>{injected}" not in page and sha256(injected) not in policy_of(page)


def test_a_served_page_allows_the_script_the_server_added_and_nothing_more():
    built, _ = with_policy(PAGE, ALLOWED)
    reload = "livereload(1, 2);"
    served = built.replace("</body>", f"<script>{reload}</script></body>")
    policy = directives(policy_of(allowing_added_scripts(built, served)))
    assert policy["script-src"] == directives(policy_of(built))["script-src"] + [sha256(reload)]
    assert {name: values for name, values in policy.items() if name != "script-src"} == {
        name: values for name, values in directives(policy_of(built)).items() if name != "script-src"}
    # A script the built page already held is not hashed again because the server copied it.
    copied = built.replace("</body>", '<script>var a = "</p>";</script></body>')
    assert policy_of(allowing_added_scripts(built, copied)) == policy_of(built)
    fragment = "<p>x</p><script>y()</script>"  # no policy to extend
    assert allowing_added_scripts("<p>x</p>", fragment) == fragment


# Pieces of pages for the differential test below: what the tokenizer must tell apart.
CHUNKS = st.sampled_from([
    "text ", "<p>", "</p>", "<a href=\"x\">", "<a title=\"", "\">", "'", "\"",
    "<a title='<script>q()</script>'>",
    "<script>", "<script>theme()</script>", "</script>", "<style>p{}</style>", "<SCRIPT type=module>",
    "<script src=\"a.js\"></script>", "<!--", "-->", "<!-- <script>c()</script> -->", "<", "<!", "-", ">",
    "<meta charset=\"utf-8\">", "<meta name=\"x\">", "< 5", "<b", "=", " ", "\n", "</a>", "<br/>",
    "<!doctype html>", "<!x <script>b()</script>", "<![CDATA[", "]]>",
])
snippets = st.lists(CHUNKS, max_size=8).map("".join)


@given(st.lists(snippets, min_size=1, max_size=4), st.lists(snippets, max_size=3))
def test_leaving_out_inert_parts_gives_the_whole_pages_scan(texts, parts):
    """The long generated pages are checked without their pieces, each found inert once
    (medsite.pipeline.fragments): whatever surrounds such a part, the result is the whole page's scan."""
    inert_parts = [part for part in parts if inert(part)]
    page = "".join(text + part for text, part in zip(texts, [*inert_parts, *[""] * len(texts)][:len(texts)],
                                                     strict=True))
    whole, around = _parse(page), _parse_around(page, inert_parts)
    assert (around.scripts, around.styles, around.charset_end) == (whole.scripts, whole.styles,
                                                                   whole.charset_end)


@given(st.lists(snippets, min_size=1, max_size=4), st.lists(snippets, max_size=3), snippets,
       st.integers(0, 4))
def test_leaving_out_the_sanitised_and_inert_parts_gives_the_scan_without_the_sanitised_part(
        texts, parts, sanitized, where):
    """with_policy leaves out the sanitised part (the page content) and the inert parts without copying the
    page: the result is the scan of the page with the sanitised part cut out, its positions the page's."""
    inert_parts = [part for part in parts if inert(part)]
    pieces = [text + part for text, part in zip(texts, [*inert_parts, *[""] * len(texts)][:len(texts)],
                                                strict=True)]
    pieces.insert(where % (len(pieces) + 1), sanitized)
    page = "".join(pieces)
    start = page.find(sanitized) if sanitized else -1
    removed = (start, start + len(sanitized)) if start >= 0 else None
    whole = _parse(page if removed is None else page[:start] + page[removed[1]:])
    if removed is not None and whole.charset_end is not None and whole.charset_end > start:
        whole.charset_end += len(sanitized)
    around = _parse_around(page, inert_parts, removed)
    assert (around.scripts, around.styles, around.charset_end) == (whole.scripts, whole.styles,
                                                                   whole.charset_end)


def test_positions_after_the_sanitised_part_are_the_pages_when_the_page_is_scanned_whole():
    content = "<p>sanitised</p>"
    page = f'<a title="{content}"><meta charset="utf-8"><script>x()</script>'  # the quote opened before it
    meta = '<meta charset="utf-8">'
    start = page.index(content)
    found = _parse_around(page, [], (start, start + len(content)))
    assert (found.scripts, found.charset_end) == (["x()"], page.index(meta) + len(meta))


@given(st.text("ab<", max_size=30), st.integers(0, 3), st.integers(0, 40))
def test_a_part_of_megabytes_is_found_where_find_finds_it(seed, copies, position):
    part = ("ab" * 2100 + seed)  # longer than _find's threshold, its first characters repeated
    html = ("ab" * 2000 + "<") * copies + part[:-1] + "a" + part * copies + seed
    assert _find(html, part, position) == html.find(part, position)


def test_inert_text_holds_complete_ordinary_tags_only():
    for text in ('<tr><td><a href="../a/">Is &lt;b&gt; safe?</a></td><td>—</td></tr>', "< 5 and </p>",
                 '<li id="ref-x"><i>J Test</i>. <a title="<script>">x</a></li>', ""):
        assert inert(text), text
    for text in ("<script>x()</script>", "<STYLE>p{}</STYLE>", "<!-- c -->", '<meta charset="utf-8">',
                 '<a title="x', "<b", "<", "<!DOCTYPE html>", 'a <a title="x">'[:-1]):
        assert not inert(text), text


def test_declarations_end_at_their_first_gt_as_in_a_browser_and_leave_the_page_settled():
    """`<!doctype html>` and a bogus comment (`<!x ...>`) end at their first `>` in a browser's tokenizer:
    what follows is read as markup again. Every page starts with a doctype, so a page read in parts
    (_parse_around) must not take it for a token left open, or the inert lists would never be left out."""
    page = ('<!doctype html><html><head><meta charset="utf-8"><!x <script>bogus()</script>'
            '<script>real()</script>')
    assert _parse(page).scripts == ["real()"]  # a browser runs real() only: bogus() is text after a comment
    assert not _parse('<!doctype html><html><head><meta charset="utf-8"><ul>', settle=True).open_end
    assert _parse("<p><!doctype", settle=True).open_end  # not ended: what follows decides
    # In SVG, <![CDATA[ runs to ]]> (a `>` inside does not end it): read as before, character by character.
    assert _parse('<svg><![CDATA[ a > b ]]></svg><script>after()</script>').scripts == ["after()"]
    rows = '<tr><td><a href="a/">A</a></td></tr>' * 3
    page = f'<!doctype html><html><head><meta charset="utf-8"></head><body><table>{rows}</table></body>'
    around = _parse_around(page, [rows])
    assert (around.scripts, around.charset_end) == (_parse(page).scripts, _parse(page).charset_end)


def test_a_page_is_scanned_whole_where_an_inert_part_follows_an_open_token():
    head = '<meta charset="utf-8"><script>theme()</script>'
    rows = '<tr><td>x</td></tr>'
    page = f'{head}<a title="{rows}"><script>upper()</script>'  # the quote opened before the rows
    assert _parse_around(page, [rows]).scripts == _parse(page).scripts == ["theme()", "upper()"]
    page, unexpected = with_policy(f"{head}<table>{rows}</table><script>injected()</script>", ALLOWED,
                                   inert=[rows])
    assert unexpected == ["injected()"] and directives(policy_of(page))["script-src"] == [
        "'self'", sha256("theme()")]
