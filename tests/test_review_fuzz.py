"""Hypothesis: whatever an author writes as front matter, the validator answers with problems, not a crash."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medsite.core.problems import Problem, ProblemsError
from medsite.markdown.frontmatter import parse
from medsite.model.article import SCHEMA, read_article
from medsite.model.registry import load_registry
from medsite.review.rules import people_problems, review_problems
from tests.sitebuild import PROJECT

REGISTRY, _ = load_registry(PROJECT / "data" / "people.yml", "data/people.yml")
KEYS = st.sampled_from([*SCHEMA, "hide", "<<", "? x", "1", "null", "", "title "])
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=30),
    st.dates().map(dt.date.isoformat),
    st.sampled_from(
        [
            "2025-13-45",
            "2025-02-30",
            "approved",
            "aproved",
            "~",
            "*a",
            "&a x",
            "!!int x",
            "!!binary @",
            "[",
            "{",
            "'",
            '"',
            "|",
            ">",
            "%",
            "@",
            "`",
            "- x",
            "sha256:00",
        ]
    ),
)


def validate(source: str) -> list[Problem]:
    """The whole front-matter check, as the catalog runs it."""
    try:
        reading = read_article(parse(source, "a.md"), "a.md", "articles/a.md")
    except ProblemsError as error:
        assert error.problems
        return list(error.problems)
    found = [*reading.problems, *people_problems(reading, REGISTRY)]
    if reading.article is not None:
        found += review_problems(reading.article, dt.date(2025, 6, 1))
    else:
        assert reading.problems
    return found


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_arbitrary_text_as_front_matter(text):
    for problem in validate(f"---\n{text}\n---\nBody\n"):
        assert isinstance(problem, Problem) and problem.message


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEYS, st.one_of(SCALARS, st.lists(SCALARS, max_size=3))), max_size=12))
def test_arbitrary_yaml_mappings(pairs):
    lines = []
    for key, value in pairs:
        shown = "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else str(value)
        lines.append(f"{key}: {shown}")
    for problem in validate("---\n" + "\n".join(lines) + "\n---\nBody\n"):
        assert isinstance(problem, Problem) and (problem.line is None or problem.line >= 1)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        SCALARS,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=10,
    )
)
def test_arbitrary_yaml_values_for_every_key(value):
    for key in SCHEMA:
        text = yaml.safe_dump({key: value, "title": "T"}, allow_unicode=True)
        validate(f"---\n{text}---\nBody\n")
