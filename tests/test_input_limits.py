"""Front matter, data files and .bib input past a limit are errors naming file and line, found before any
value is constructed: no alias is expanded, memory stays linear in the text, no traceback
(medsite.core.input_limits)."""

from __future__ import annotations

import tracemalloc

import pytest

from medsite.core.input_limits import MAX_BIB_BYTES, MAX_YAML_DEPTH, bib_limit_problems
from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import parse
from tests.review_samples import article
from tests.sitebuild import BuildFailed


def alias_bomb(levels: int = 12) -> str:
    """`a0` is ten values; each next key is ten of the previous: 10**levels values once expanded."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


HOSTILE_FRONT_MATTER = {
    "alias bomb": (alias_bomb(), "values or 65,536 characters once its aliases"),
    "nested lists": ("deep: " + "[" * 1000 + "]" * 1000 + "\n", f"more than {MAX_YAML_DEPTH} deep"),
    "200,000 topics": ("topics: [" + ", ".join(f"t{n}" for n in range(200_000)) + "]\n", "characters long"),
}


@pytest.mark.parametrize("case", HOSTILE_FRONT_MATTER)
def test_hostile_front_matter_is_one_error_with_its_line_and_little_memory(case):
    extra, expected = HOSTILE_FRONT_MATTER[case]
    source = article().replace("---\n\n", extra + "---\n\n", 1)
    tracemalloc.start()
    try:
        with pytest.raises(ProblemsError) as error:
            parse(source, "docs/articles/a.md")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    [problem] = error.value.problems
    assert problem.path == "docs/articles/a.md" and problem.line >= 2 and expected in problem.message
    assert peak < 20 * len(source) + 2_000_000  # linear in the text: nothing was expanded


@pytest.mark.parametrize("page", ["articles/a.md", "index.md"])
@pytest.mark.parametrize("case", HOSTILE_FRONT_MATTER)
def test_hostile_front_matter_fails_the_build_with_file_and_line(tiny_site, case, page):
    extra, expected = HOSTILE_FRONT_MATTER[case]
    source = article() if page.startswith("articles/") else "---\ntitle: Home\n---\n\nText.\n"
    tiny_site.write(f"docs/{page}", source.replace("---\n\n", extra + "---\n\n", 1))
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    log = failure.value.log
    assert "Traceback" not in log and "RecursionError" not in log
    assert f"docs/{page}:" in log and expected in log


def test_an_alias_bomb_in_the_registry_names_the_registry(tiny_site):
    tiny_site.write("data/people.yml", alias_bomb())
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "data/people.yml:" in failure.value.log and "aliases" in failure.value.log


def test_bib_limits():
    assert bib_limit_problems(b"@article{k, title={A {B} C}}\n", "r.bib") == []
    [deep] = bib_limit_problems(b"@article{k,\n title={" + b"{" * 100 + b"}" * 100 + b"}}\n", "r.bib")
    assert (deep.path, deep.line) == ("r.bib", 2) and "nested more than" in deep.message
    assert bib_limit_problems(rb"@misc{k, note={\{\{\{}}", "r.bib") == []  # escaped braces do not nest
    [large] = bib_limit_problems(b" " * (MAX_BIB_BYTES + 1), "r.bib")
    assert large.line == 1 and "expected at most" in large.message


def test_a_deeply_nested_bib_fails_the_build_with_file_and_line(tiny_site):
    tiny_site.write("references/deep.bib", "@misc{deep,\n  title = {" + "{" * 5000 + "}" * 5000 + "},\n}\n")
    tiny_site.write("docs/index.md", "# Home\n")
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "references/deep.bib:2: error: braces nested more than" in failure.value.log
    assert "Traceback" not in failure.value.log
