"""Levels 1 and 2: each page's Content-Security-Policy allows exactly the site's own files and the inline
scripts and styles the theme wrote."""

from __future__ import annotations

import base64
import hashlib
import re

from medsite.csp import content_security_policy, with_policy

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


def test_policy_hashes_each_inline_script_and_style_and_nothing_else():
    found = directives(content_security_policy(PAGE))
    assert sorted(found["script-src"]) == sorted(["'self'", sha256('var a = "</p>";'), sha256('{"a": 1}')])
    assert found["style-src"] == ["'self'", sha256(":root{--x:1}")]
    assert found["default-src"] == ["'self'"] and found["object-src"] == ["'none'"]
    assert found["img-src"] == ["'self'", "data:"] and found["base-uri"] == ["'self'"]
    assert found["form-action"] == ["'self'"] and found["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in content_security_policy(PAGE)
    assert "frame-ancestors" not in found  # ignored in a <meta> policy


def test_policy_goes_right_after_meta_charset():
    page = with_policy(PAGE)
    assert page.startswith('<!doctype html><html><head><meta charset="utf-8">'
                           '<meta http-equiv="Content-Security-Policy" content="default-src')
    assert page.replace(re.search(r"<meta http-equiv[^>]*>", page).group(0), "") == PAGE


def test_a_fragment_without_a_head_is_left_alone():
    assert with_policy("<p>x</p>") == "<p>x</p>"


def test_every_built_page_has_a_policy_covering_its_inline_scripts(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\n[Deep page](a/b/deep.md)\n")
    tiny_site.write("docs/a/b/deep.md", "# Deep\n\nText.\n")
    built = tiny_site.build()
    pages = [built.html("index.md"), built.html("a/b/deep.md"), (built.site_dir / "404.html").read_text()]
    for page in pages:
        head = page.split("<head>", 1)[1]
        assert re.match(r'\s*<meta charset="utf-8"><meta http-equiv="Content-Security-Policy"', head)
        allowed = set(directives(policy_of(page))["script-src"])
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.DOTALL)
        assert inline and {sha256(body) for body in inline} <= allowed
    # Material's `__md_scope` script names the path to the site root, so the hashes differ by depth.
    assert policy_of(pages[0]) != policy_of(pages[1])


def test_only_real_elements_count_not_lookalikes_in_comments_or_attributes():
    page = ('<meta charset="utf-8"><!-- <script>commented()</script> -->'
            '<a title="<script>quoted()</script>">x</a><SCRIPT type="module">upper()</SCRIPT >'
            '<script src="a.js">ignored()</script><style media="print">p{}</style>')
    found = directives(content_security_policy(page))
    assert found["script-src"] == ["'self'", sha256("upper()")]
    assert found["style-src"] == ["'self'", sha256("p{}")]


def test_the_sanitised_content_is_not_scanned_and_can_only_leave_hashes_out():
    head = '<meta charset="utf-8"><script>theme()</script>'
    content = "<p>text</p><script>injected()</script>"  # not what the sanitiser gives; shows the skip
    policy = directives(policy_of(with_policy(f"{head}<article>{content}</article>", sanitized=content)))
    assert policy["script-src"] == ["'self'", sha256("theme()")]
    # Content not found in the page: the whole page is scanned.
    policy = directives(policy_of(with_policy(f"{head}<p>x</p>", sanitized="<p>elsewhere</p>")))
    assert policy["script-src"] == ["'self'", sha256("theme()")]
    # Content that would hold the charset: scanning around it would misplace the policy, so no policy.
    assert with_policy(head, sanitized='<meta charset="utf-8">') == head
