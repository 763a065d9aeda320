"""Front matter, the article schema and the people registry: pure functions on tiny inputs."""

from __future__ import annotations

import datetime as dt
import re

import markdown
import pytest

from medsite.bibliography.load import Bibliography
from medsite.core.problems import ProblemsError
from medsite.extensions.citations import CitationsExtension
from medsite.markdown.frontmatter import YAML_RE, parse, split
from medsite.model.article import content_hash, read_article, title_heading
from medsite.model.registry import ID_RE, load_registry
from medsite.review.rules import pinned_hash
from tests.review_samples import BODY, article, line_of
from tests.sitebuild import PROJECT


def read(source: str):
    return read_article(parse(source, "a.md"), "a.md", "articles/a.md")


def messages(source: str) -> list[str]:
    try:
        return [str(p) for p in read(source).problems]
    except ProblemsError as error:
        return [str(p) for p in error.problems]


def test_front_matter_pattern_is_mkdocs_own():
    from mkdocs.utils.meta import YAML_RE as MKDOCS_YAML_RE

    assert YAML_RE.pattern == MKDOCS_YAML_RE.pattern
    assert YAML_RE.flags == MKDOCS_YAML_RE.flags


@pytest.mark.parametrize(
    "source",
    [
        "---\ntitle: x\n---\n\n\nBody\n",
        "---\ntitle: x\n...\nBody\n",
        "No front matter\n",
        "---\n---\nBody\n",
        "---  \ntitle: x\n---\t\nBody",
        "---\ntitle: x\n---",
    ],
)
def test_split_agrees_with_mkdocs(source):
    from mkdocs.utils.meta import get_data

    yaml_text, body, _ = split(source)
    mkdocs_body, mkdocs_data = get_data(source)
    if mkdocs_data:
        assert body == mkdocs_body
    else:
        assert yaml_text is None or yaml_text.strip() == ""


def test_valid_article_is_typed():
    reading = read(article(status="approved"))
    assert reading.problems == []
    a = reading.article
    assert a.status == "approved" and a.audience == "clinician"
    assert a.reviewed == dt.date(2025, 2, 1) and a.authors == ("editorial-team",)
    assert a.reviewed_hash == pinned_hash(a, {})
    assert a.lines["status"] == 4


def test_every_key_keeps_its_line():
    source = article()
    front = parse(source, "a.md")
    assert front.lines == {key: line_of(source, key) for key in front.data}
    assert front.body == BODY


def test_unknown_status_suggests_the_nearest():
    source = article(status="aproved")
    assert messages(source) == [
        (
            f"a.md:{line_of(source, 'status')}: error: `status` is `aproved`; expected one "
            "of submitted, under_review, approved (did you mean `approved`?)"
        )
    ]


def test_unknown_key_suggests_the_nearest():
    source = article(reviwers=["board-urology"])
    (message,) = messages(source)
    assert message.startswith(
        f"a.md:{line_of(source, 'reviwers')}: error: unknown key `reviwers` (did you mean `reviewers`?)"
    )


def test_missing_title():
    assert messages(article(title=None)) == [
        "a.md:1: error: missing key `title`; expected the question, as text"
    ]


@pytest.mark.parametrize(
    "value, hint",
    [
        ("2025-13-45", "a real calendar date"),
        ("2025-02-30", "a real calendar date"),
        ("December 7, 2025", "a date written YYYY-MM-DD"),
        ("2025-1-5", "a date written YYYY-MM-DD"),
        ("2025-12-07T10:00:00", "without a time"),
    ],
)
def test_malformed_date(value, hint):
    source = article(reviewed=value)
    (message,) = messages(source)
    assert message.startswith(f"a.md:{line_of(source, 'reviewed')}: error: `reviewed` is ")
    assert hint in message


@pytest.mark.parametrize(
    "front, found",
    [
        ("- a\n- b\n", "a list"),
        ("just text\n", "a single value"),
        ("\n", "empty"),
    ],
)
def test_front_matter_that_is_not_a_mapping(front, found):
    with pytest.raises(ProblemsError) as failure:
        parse(f"---\n{front}---\nBody\n", "a.md")
    (problem,) = failure.value.problems
    assert problem.path == "a.md" and problem.line == 2
    assert f"front matter is {found}; expected a mapping" in problem.message


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(ProblemsError) as failure:
        parse("---\ntitle: x\ntopics: [a, b\nstatus: approved\n---\nBody\n", "a.md")
    (problem,) = failure.value.problems
    assert problem.line in (3, 4, 5) and "not valid YAML" in problem.message


def test_duplicate_key_names_both_lines():
    (message,) = messages(
        article().replace("audience: clinician\n", "audience: clinician\naudience: patient\n")
    )
    assert "key `audience` appears twice (lines 5 and 6)" in message


def test_no_front_matter():
    assert messages("Just a body.\n") == [
        (
            "a.md:1: error: no front matter; expected a `---` block at the top "
            "with title, description, status, audience, authors, submitted"
        )
    ]


def test_every_problem_is_reported_at_once():
    source = article(status="aproved", audience="doctors", submitted="soon", title=None)
    found = messages(source)
    assert len(found) == 4
    assert {m.split(":")[1] for m in found} == {
        "1",
        *(str(line_of(source, k)) for k in ("status", "audience", "submitted")),
    }


def test_bad_hash_format():
    source = article(reviewed_hash="abc123")
    (message,) = messages(source)
    assert f"a.md:{line_of(source, 'reviewed_hash')}: error: `reviewed_hash` is `abc123`" in message


def test_hash_ignores_line_endings_and_outer_blank_lines():
    base = content_hash("T", "D", "Line one\nLine two\n")
    assert content_hash("T", "D", "\n\nLine one\r\nLine two\r\n\n") == base
    assert content_hash("T", "D", "Line one\nLine 2\n") != base
    assert content_hash("T2", "D", "Line one\nLine two\n") != base
    assert content_hash("T", "D2", "Line one\nLine two\n") != base
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", base)


def test_title_heading_is_literal_text():
    title = "Is 5-FU *better* than <img src=x onerror=alert(1)> [@key] @key {: #id} #"
    citations = CitationsExtension(Bibliography({}, [], ""), {})  # as the site converts it: @key cites
    html = markdown.markdown(title_heading(title), extensions=["attr_list", citations])
    assert html == ("<h1>Is 5-FU *better* than &lt;img src=x onerror=alert(1)&gt; [@key] @key {: #id} #</h1>")


def test_real_registry_is_valid_and_has_a_board():
    """Invariants of whatever people the registry holds: contributors add themselves to it."""
    registry, problems = load_registry(PROJECT / "data" / "people.yml", "data/people.yml")
    assert problems == []
    source = (PROJECT / "data" / "people.yml").read_text(encoding="utf-8")
    entries = re.findall(r"^([^\s#][^:]*):", source, re.MULTILINE)
    assert sorted(registry.people) == sorted(entries), "every entry is read"
    assert all(ID_RE.fullmatch(person_id) for person_id in registry.people)
    assert registry.board(), "only board members approve: the site needs at least one"
    for member in registry.board():
        # A placeholder seat says so wherever it is shown; a real member declares their conflicts.
        assert member.conflicts and (not member.sample or "sample" in member.conflicts.lower())


def test_registry_problems_name_the_entry(tmp_path):
    path = tmp_path / "people.yml"
    path.write_text(
        "good-id:\n  role: board\n  name: A\n  credentials: MD\n  specialty: S\n  conflicts: None\n"
        "Bad_Id:\n  role: bord\n  name: B\n  credentials: MD\n  specialty: S\n  conflicts: None\n"
        "  colour: red\n",
        encoding="utf-8",
    )
    registry, problems = load_registry(path, "people.yml")
    assert list(registry.people) == ["good-id"]
    assert [p.line for p in problems] == [7, 7, 7]
    text = " | ".join(p.message for p in problems)
    assert "id `Bad_Id` is not valid" in text and "unknown field `colour`" in text
    assert "role `bord` (did you mean `board`?)" in text


def test_registry_that_is_not_yaml(tmp_path):
    path = tmp_path / "people.yml"
    path.write_text("a: [\n", encoding="utf-8")
    registry, problems = load_registry(path, "people.yml")
    assert registry.people == {} and "not valid YAML" in problems[0].message
