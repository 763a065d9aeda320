"""Pandoc's citation syntax, every form: read as pandoc's own parser reads it (`pandoc -t json` gives the Cite
elements), or reported as a problem with file:line:col; never silently different. Then how each prints."""

from __future__ import annotations

import json
import random
import re
import subprocess

import pypandoc
import pytest

from medsite.citations.syntax import check_citations, scan
from tests.citation_samples import SYNTHETIC, load, render_numbered
from tests.test_citations_markdown import numbers

FORMS = [
    "[@alpha]", "[@alpha; @beta]", "[@alpha, p 12]", "[@alpha, p. 33]",
    "[see @alpha, pp. 33-35; also @beta, chap. 1]", "[@alpha, fig. 2]", "[@alpha, 33]", "[@alpha p. 33]",
    "[@alpha, p. 33, emphasis added]", "[-@alpha]", "[see -@alpha]", "@alpha says", "@alpha [p. 33] says",
    "[ @alpha ]", "[@alpha] [@beta]", "[@alpha][@beta]",
    "[@alpha](https://example.org)", "[@alpha][ref]", "@{alpha} and [@{beta}, p. 3]", "[@alpha;@beta]",
    "[@alpha ; @beta]", "[see @alpha; also]", "[@ alpha]", "[@alpha.]", "[@alpha b]", "(see @alpha)",
    "[@smith:2020.x-y]", "@smith:2020.x-y.", "editors@example.org", "[mail editors@example.org]",
    "`[@alpha]`", "\\[@alpha]", "[@alpha @beta]", "text [@alpha, chap. 1; @beta, sec. 2.3]",
    "[e.g., @alpha; @beta]", "@alpha's trial", "[@alpha, pp. 1-3, 7]", "[@alpha, p. 3; -@beta]",
    "[@alpha, para. 4]", "[@alpha, vol. 2, p. 3]", "@alpha, @beta and @gamma", "x@alpha", "[cf. @delta]",
]
_PIECES = ["", "see ", "e.g., ", "-", "also "]
_SUFFIXES = ["", ", p 12", ", pp. 3-5", " p. 33", ", fig. 2", ", chap. 1", ", 33"]
_KEYS = ["alpha", "beta", "gamma", "delta", "smith:2020.x-y"]


def generated(count: int, seed: int = 15) -> list[str]:
    """Random groups and in-text citations built from the forms' pieces (the property half of the test)."""
    rng = random.Random(seed)
    snippets = []
    for _ in range(count):
        items = [f"{rng.choice(_PIECES)}@{rng.choice(_KEYS)}{rng.choice(_SUFFIXES)}"
                 for _ in range(rng.randint(1, 3))]
        sep = rng.choice(["; ", ";", " ; "])
        body = sep.join(items)
        snippets.append(rng.choice([f"[{body}]", f"Text [{body}].", f"@{rng.choice(_KEYS)} says",
                                    f"[{body}] [{rng.choice(items)}]"]))
    return snippets


def _text(inlines: list) -> str:
    parts = []
    for inline in inlines:
        kind = inline["t"]
        parts.append(inline["c"] if kind == "Str" else " " if kind in ("Space", "SoftBreak") else
                     _text(inline["c"]) if kind in ("Emph", "Strong") else "")
    return "".join(parts).replace("\u00a0", " ")


def pandoc_citations(snippets: list[str]) -> list[list[tuple[str, str, str | None, str | None]]]:
    """For each snippet (a paragraph of its own): (key, mode, prefix, locator) of each citation pandoc
    reads."""
    document = "\n\n".join(f"<!-- {index} -->\n\n{snippet}" for index, snippet in enumerate(snippets))
    result = subprocess.run([pypandoc.get_pandoc_path(), "-f", "markdown", "-t", "json"], input=document,
                            capture_output=True, text=True, check=True, timeout=120)
    found: list[list] = [[] for _ in snippets]
    current = -1

    def walk(node: object) -> None:
        nonlocal current
        if isinstance(node, dict):
            if node.get("t") == "RawBlock" and (match := re.fullmatch(r"<!-- (\d+) -->\s*", node["c"][1])):
                current = int(match.group(1))
            if node.get("t") == "Cite":
                for citation in node["c"][0]:
                    mode = {"NormalCitation": "normal", "SuppressAuthor": "suppress-author",
                            "AuthorInText": "in-text"}[citation["citationMode"]["t"]]
                    suffix = _text(citation["citationSuffix"]).lstrip(" ,").strip()
                    found[current].append((citation["citationId"], mode,
                                           _text(citation["citationPrefix"]).strip() or None, suffix or None))
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(result.stdout)["blocks"])
    return found


def ours(snippet: str) -> tuple[list[tuple[str, str, str | None, str | None]], int]:
    found = scan(snippet + "\n")
    items = [item for group in found.groups for item in group.items]
    return [(item.key, item.mode, item.prefix, item.locator) for item in items], len(found.malformed)


def test_every_form_is_read_as_pandoc_reads_it_or_reported():
    snippets = FORMS + generated(300)
    agreed, reported, disagreed = 0, [], []
    for snippet, theirs in zip(snippets, pandoc_citations(snippets), strict=True):
        mine, problems = ours(snippet)
        if problems:
            reported.append(snippet)
        elif snippet == "[@alpha][@beta]":
            assert (mine, theirs) == ([("alpha", "normal", None, None), ("beta", "normal", None, None)],
                                      [("alpha", "in-text", None, None), ("beta", "normal", None, None)])
        elif mine == theirs:
            agreed += 1
        else:
            disagreed.append(f"{snippet!r}: ours {mine}, pandoc {theirs}")
    assert disagreed == []
    # What is reported, and only that: a citation as a link's text (pandoc makes a link of it, whose number
    # would link twice), and an `@` that opens no citation or a suffix that holds another key.
    assert reported == ["[@alpha](https://example.org)", "[@alpha][ref]", "[@ alpha]", "[@alpha.]",
                        "[@alpha @beta]"]
    # Read differently on purpose: pandoc takes `[@alpha][@beta]` for brackets around an in-text `@alpha`
    # followed by a group; the project prints two adjacent groups.
    print(f"\n{len(snippets)} snippets: {agreed} read as pandoc reads them, {len(reported)} reported")


@pytest.fixture(scope="module")
def bibliography(tmp_path_factory):
    return load(tmp_path_factory.mktemp("bib"), s=SYNTHETIC)


@pytest.mark.parametrize(("source", "printed"), [
    ("Text [see @alpha, pp. 33-35; also @beta, chap. 1].", ["see 1(pp. 33-35), also 2(chap. 1)"]),
    ("Text [-@alpha].", ["1"]),
    ("Text [ @alpha ].", ["1"]),
    ("Text [@alpha, p. 33, emphasis added].", ["1(p. 33, emphasis added)"]),
    ("Text [@alpha p. 33].", ["1(p. 33)"]),
    ("Text @{alpha} and [@{beta}, p. 3].", ["1", "2(p. 3)"]),
])
def test_each_form_prints_a_superscript_group(bibliography, source, printed):
    html, _ = render_numbered(bibliography, source)
    assert numbers(html) == printed


def test_in_text_citations_print_the_authors_then_the_number(bibliography):
    html, listed = render_numbered(bibliography, "@alpha says so, as @smith:2020.x-y [p. 3] and @gamma did.")
    names = re.findall(r'<span class="medsite-cite-in-text">([^<]*)<sup', html)
    assert names == ["Alpha", "Smith and van der Berg", "Gamma Working Group"]
    assert numbers(html) == ["1", "2(p. 3)", "3"] and listed == ["alpha", "smith:2020.x-y", "gamma"]
    assert "editors@example.org" in render_numbered(bibliography, "Mail editors@example.org.")[0]


def test_adjacent_groups_never_read_as_one_number(bibliography):
    html, _ = render_numbered(bibliography, "Two groups [@alpha] [@beta] and [@gamma][@delta].")
    assert re.sub(r"<[^>]+>", "", html) == "Two groups1,2 and3,4."
    assert numbers(html) == ["1", ",2", "3", ",4"]


def test_a_footnote_beside_a_citation_is_bracketed(bibliography):
    html, _ = render_numbered(bibliography, "Claim [@alpha][^1].\n\n[^1]: A note.\n")
    assert numbers(html) == ["1"]
    assert re.search(r'<sup id="fnref:1"><a class="footnote-ref" href="#fn:1">\[1\]</a></sup>', html)


@pytest.mark.parametrize(("source", "col", "message"), [
    ("See [@alpha](https://example.org).", 5, "'[@alpha]' is not a citation; expected a citation outside a "
                                              "link's text"),
    ("See [@ alpha].", 5, "'[@ alpha]' is not a citation; expected [@key]"),
    ("See @omega here.", 5, "unknown citation key 'omega' in @omega; expected a key from the .bib files "
                            "(or \\@ for an @ that cites nothing)"),
])
def test_forms_that_cannot_work_are_problems_at_their_line_and_column(bibliography, source, col, message):
    problems = check_citations("a.md", f"Intro.\n\n{source}\n", bibliography)
    assert [(problem.line, problem.col) for problem in problems] == [(3, col)]
    assert message in problems[0].message
