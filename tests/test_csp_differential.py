"""Differential tests of the CSP check's tokenizer (medsite.safety.csp) against html5lib, a parser that
implements the HTML standard's tokenizer and tree construction: whatever inline script or style html5lib
finds in a page, the check reports, and what `inert` calls inert neither holds code nor changes how the
rest of the page is read. The pages are made of the pieces that confuse tokenizers (comments, bogus
comments, CDATA, raw-text elements, quotes, foreign content). tests/browser/test_csp_tokenizer_attack.py
holds the cases where Chromium itself is the reference (html5lib parses `<noscript>` as a browser with
scripting off does, so those are Chromium's)."""

from __future__ import annotations

import html5lib
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from medsite.safety.csp import DATA_BLOCK_TYPES, InlineCode, inert, with_policy

_HTML = "http://www.w3.org/1999/xhtml"
_PIECES = [
    "<", ">", "/", "=", '"', "'", " ", "\n", "\xa0", "!", "-", "?", "[", "]", "x", "&#x3b;",
    "<!--", "-->", "--!>", "<!-->", "<!", "<?", "</", "<![CDATA[", "]]>",
    "<script>", "</script>", "<style>", "</style>", '<script type="application/json">', '<script src="a.js">',
    "<xmp>", "</xmp>", "<textarea>", "</textarea>", "<title>", "</title>", "<iframe>", "</iframe>",
    "<noembed>", "</noembed>", "<noframes>", "</noframes>", "<plaintext>",
    "<svg>", "</svg>", "<math>", "</math>", "<mtext>", "<desc>", "<foreignObject>", "<template>",
    "<table>", "<select>", "<p>", "<a", "<b>", " title=", ' a="', "</p>", "<meta charset=utf-8>",
]
_SCRIPT_TEXT = "R"
_STYLE_TEXT = "S"
content = st.lists(st.sampled_from([*_PIECES, f"<script>{_SCRIPT_TEXT}", f"<style>{_STYLE_TEXT}"]),
                   max_size=14).map("".join)


def _page(body: str) -> str:
    return ('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>T</title>\n</head>\n'
            f"<body><article>{body}</article></body></html>")


def _code(page: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The inline scripts a browser would run and the style sheets it would apply, as html5lib builds the
    page: (namespace, text) of each script without `src` that is not a data block, and of each style."""
    scripts, styles = [], []
    for element in html5lib.parse(page, namespaceHTMLElements=True).iter():
        if not isinstance(element.tag, str) or "}" not in element.tag:
            continue
        namespace, name = element.tag[1:].split("}")
        text = "".join(element.itertext())
        if name == "script" and element.get("src") is None and (
                (element.get("type") or "").strip().lower() not in DATA_BLOCK_TYPES):
            scripts.append((namespace, text))
        elif name == "style":
            styles.append((namespace, text))
    return scripts, styles


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content)
@example('<svg><textarea><script>R</script>')
@example('<math><mtext><xmp><a title="</xmp><script>R</script>">')
@example('<svg><script><desc><script>R')
def test_every_script_and_style_html5lib_finds_is_reported(body):
    page = _page(body)
    scripts, styles = _code(page)
    _, unexpected = with_policy(page, InlineCode())
    for namespace, text in scripts + styles:
        if namespace == _HTML:  # reported itself, or inside code reported (an SVG script read as tags)
            assert any(text in reported for reported in unexpected), (body, text, unexpected)
        else:  # SVG and MathML decode character references and CDATA in it: the text differs, but it is code
            assert unexpected, (body, namespace, text)


# Mostly what the long generated lists hold (text, tags with double-quoted values), with the pieces that
# would make them code or change what follows.
_LIST_PIECES = ["x", " ", "\n", "< ", "&lt;", '<a href="t.html">', "</a>", "<li>", "</li>",
                '<span class="c">', "</span>", "<br/>", '<p title="">', "</p>",
                "=", '"', "'", "/", "-", "!", ">"]
list_text = st.lists(st.sampled_from(_LIST_PIECES) | st.sampled_from(_PIECES), max_size=14).map("".join)


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.filter_too_much])
@given(list_text.filter(inert))
def test_what_inert_proves_holds_no_code_and_leaves_the_tokenizer_as_it_found_it(piece):
    page = _page(f"<p>x</p>{piece}<script>{_SCRIPT_TEXT}</script><style>{_STYLE_TEXT}</style>")
    scripts, styles = _code(page)
    assert [text for _, text in scripts] == [_SCRIPT_TEXT], piece
    # `<select>` drops a style sheet that follows it (the tree's rule, not the tokenizer's): less code
    assert [text for _, text in styles] in ([_STYLE_TEXT], []), piece


@settings(max_examples=1000, deadline=None)
@given(content, st.booleans())
@example("", True)
@example("\n", True)  # an article whose body was only a comment
def test_the_policy_lands_in_the_head_whatever_the_content(body, body_was_sanitized):
    """A policy outside <head> is ignored by browsers: the comment-only article (00e010f) lost it."""
    page = _page(body)
    written, _ = with_policy(page, InlineCode(), sanitized=body if body_was_sanitized else "")
    head = html5lib.parse(written, namespaceHTMLElements=False).find("head")
    policies = [meta for meta in head.iter("meta") if meta.get("http-equiv") == "Content-Security-Policy"]
    assert len(policies) == 1 and "script-src 'self'" in policies[0].get("content"), body
