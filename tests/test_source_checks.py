"""Input hygiene on raw bytes: each mistake is one problem with the line (and column) where it starts."""

from __future__ import annotations

import pytest

from medsite.checks.source_checks import check_source_bytes

GOOD = b"---\ntitle: Can X do Y?\nstatus: submitted\n---\nThe bottom line.\n"


def only(problems):
    assert len(problems) == 1, problems
    return problems[0]


def test_clean_article_has_no_problems():
    assert check_source_bytes("a.md", GOOD) == []


@pytest.mark.parametrize("raw", [b"", b"\n\n  \n"])
def test_empty_file(raw):
    problem = only(check_source_bytes("a.md", raw))
    assert (problem.line, problem.col) == (1, 1)
    assert "empty" in problem.message


def test_bom_is_reported_once_at_the_start():
    problem = only(check_source_bytes("a.md", b"\xef\xbb\xbf" + GOOD))
    assert (problem.line, problem.col) == (1, 1)
    assert "byte-order mark" in problem.message


def test_crlf_names_the_first_line_that_has_it():
    raw = GOOD.replace(b"status: submitted\n", b"status: submitted\r\n").replace(b"line.\n", b"line.\r\n")
    problem = only(check_source_bytes("a.md", raw))
    assert problem.line == 3
    assert "CRLF" in problem.message and "LF" in problem.message


def test_tabs_in_yaml_give_line_and_column():
    raw = b"---\ntitle: X\ntopics:\n\t- one\nstatus:\tsubmitted\n---\nBody\twith a tab is fine.\n"
    problems = check_source_bytes("a.md", raw)
    assert [(p.line, p.col) for p in problems] == [(4, 1), (5, 8)]
    assert all("tab" in p.message for p in problems)


def test_non_utf8_gives_line_and_character_column_of_the_first_bad_byte():
    raw = GOOD + "caf\u00e9 ".encode() + b"\xff rest\n"
    problem = only(check_source_bytes("a.md", raw))
    assert (problem.line, problem.col) == (6, 6)
    assert "0xFF" in problem.message and "UTF-8" in problem.message


def test_latin1_file_is_not_utf8():
    problem = only(check_source_bytes("a.md", "---\ntitle: Caf\u00e9\n---\nText\n".encode("latin-1")))
    assert (problem.line, problem.col) == (2, 11)


def test_article_without_front_matter():
    problem = only(check_source_bytes("a.md", b"The bottom line.\n"))
    assert problem.line == 1
    assert "no front matter" in problem.message


def test_site_page_may_go_without_front_matter():
    assert check_source_bytes("index.md", b"# Home\n", needs_front_matter=False) == []


def test_front_matter_never_closed():
    problem = only(check_source_bytes("a.md", b"---\ntitle: X\nstatus: submitted\nThe body.\n"))
    assert problem.line == 1
    assert "not closed" in problem.message


def test_several_mistakes_are_all_reported():
    raw = b"\xef\xbb\xbf---\r\ntitle:\tX\r\n---\r\nBody\r\n"
    messages = " | ".join(p.message for p in check_source_bytes("a.md", raw))
    assert "byte-order mark" in messages and "CRLF" in messages and "tab" in messages
