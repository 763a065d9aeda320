"""`medsite check` and `medsite new` on the command line: one clear line per bad input, never a traceback.

Every test runs in a complete small project (tests/project_samples.py): the real people registry, two real
BibTeX entries and an article that passes every check, so each bad input is the only thing wrong.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medsite.checks.runner import CHECKS, run_checks
from medsite.cli.main import main
from medsite.core.problems import Problem
from medsite.model.project import load_project
from medsite.model.sources import load_sources
from tests.project_samples import BODY, GOOD, line_after, make_project
from tests.review_samples import approved_hash, article, line_of

MEDSITE = Path(sys.executable).with_name("medsite")
END = line_after(GOOD)  # the line a text appended to GOOD starts on

# What each bad input named by issue 4 prints, after "docs/articles/bad.md:".
BAD_SOURCES = {
    "crlf": (GOOD.replace("\n", "\r\n").encode(), "1: error: Windows line endings (CRLF)"),
    "bom": (b"\xef\xbb\xbf" + GOOD.encode(), "1:1: error: the file starts with a UTF-8 byte-order mark"),
    "tabs": (GOOD.replace("status: ", "status:\t").encode(),
             f"{line_of(GOOD, 'status')}:8: error: tab character"),
    "non-utf8": (GOOD.encode() + b"caf\xe9\n", f"{END}:4: error: byte 0xE9 is not valid UTF-8"),
    "empty": (b"", "1:1: error: the file is empty"),
    "missing page": (GOOD.encode() + b"[x](nowhere.md)\n", f"{END}:5: error: link 'nowhere.md' not found"),
    "missing anchor": (GOOD.encode() + b"[x](good.md#nowhere)\n",
                       f"{END}:5: error: link 'good.md#nowhere': docs/articles/good.md has no heading or id"),
    "missing image": (GOOD.encode() + b"![x](img/none.png)\n",
                      f"{END}:6: error: image 'img/none.png' not found"),
}

# Article mistakes the check reports through the schema, review, citation and raw-HTML checks.
EDITED = article(BODY + "\nEdited after approval.\n", status="approved", reviewed_hash=approved_hash(BODY))
BAD_ARTICLES = {
    "unknown key": (GOOD + "Also shown [@debono2010trop].\n",
                    f"{END}:13: error: unknown citation key 'debono2010trop' in [@debono2010trop]; "
                    "expected a key from the .bib files (nearest: debono2010tropic)"),
    "changed since review": (EDITED, f"{line_of(EDITED, 'reviewed_hash')}: error: changed since review"),
    "unknown status": (GOOD.replace("status: under_review", "status: aproved"),
                       f"{line_of(GOOD, 'status')}: error: `status` is `aproved`; expected one of submitted, "
                       "under_review, approved (did you mean `approved`?)"),
    "script": (GOOD + "<script>alert(1)</script>\n", f"{END}:1: error: found a <script> element in raw HTML"),
}
BAD_INPUTS = {**BAD_SOURCES, **{case: (text.encode(), line) for case, (text, line) in BAD_ARTICLES.items()}}


@pytest.fixture
def project_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    make_project(tmp_path)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n[An article](articles/good.md#evidence)\n",
                                                encoding="utf-8")
    return tmp_path


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(MEDSITE), *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_clean_project_passes(project_dir, capsys):
    assert main(["check", "--config", str(project_dir / "mkdocs.yml")]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "2 file(s), 0 error(s), 0 warning(s)" in captured.err


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_each_bad_input_gives_one_clear_line(project_dir, case, capsys, monkeypatch):
    raw, expected = BAD_INPUTS[case]
    (project_dir / "docs" / "articles" / "bad.md").write_bytes(raw)
    monkeypatch.chdir(project_dir)
    assert main(["check", "docs/articles/bad.md"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"docs/articles/bad.md:{expected}"), lines


def test_bad_inputs_never_print_a_traceback(project_dir):
    """The installed command, on every bad input at once: one line each, at its place, no traceback."""
    for case, (raw, _) in BAD_INPUTS.items():
        (project_dir / "docs" / "articles" / f"bad-{case.replace(' ', '-')}.md").write_bytes(raw)
    result = run_cli("check", cwd=project_dir)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(BAD_INPUTS)
    for case, (_, expected) in BAD_INPUTS.items():
        assert any(line.startswith(f"docs/articles/bad-{case.replace(' ', '-')}.md:{expected}")
                   for line in lines), (case, lines)


def test_citation_in_code_is_not_reported(project_dir, capsys, monkeypatch):
    text = GOOD + "Write `[@no-such-key]` to cite, or `[@a; @b]` for two.\n"
    (project_dir / "docs" / "articles" / "code.md").write_text(text, encoding="utf-8")
    monkeypatch.chdir(project_dir)
    assert main(["check", "docs/articles/code.md"]) == 0
    assert capsys.readouterr().out == ""


def test_ci_annotates_an_unknown_citation_key(project_dir, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    monkeypatch.chdir(project_dir)
    raw, expected = BAD_INPUTS["unknown key"]
    (project_dir / "docs" / "articles" / "bad.md").write_bytes(raw)
    assert main(["check", "docs/articles/bad.md"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"docs/articles/bad.md:{expected}")
    assert out[1].startswith(f"::error file=docs/articles/bad.md,line={END},col=13::unknown citation key "
                             "'debono2010trop'")


def test_default_checks_every_markdown_file_under_docs(project_dir, capsys):
    (project_dir / "docs" / "articles" / "bad.md").write_bytes(BAD_SOURCES["crlf"][0])
    (project_dir / "docs" / "other.md").write_text("[x](gone.md)\n", encoding="utf-8")
    assert main(["check", "--config", str(project_dir / "mkdocs.yml")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == ["docs/articles/bad.md", "docs/other.md"]


def test_ci_adds_github_annotations(project_dir, capsys, monkeypatch):
    monkeypatch.setenv("CI", "true")
    (project_dir / "docs" / "articles" / "bad.md").write_bytes(BAD_SOURCES["missing page"][0])
    assert main(["check", "--config", str(project_dir / "mkdocs.yml"), str(project_dir / "docs")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == f"::error file=docs/articles/bad.md,line={END},col=5::link 'nowhere.md' not found: " \
                     "docs/articles/nowhere.md does not exist"


@pytest.mark.parametrize(("argv", "expected"), [
    (["check", "missing.md"], "missing.md: error: no such file or folder"),
    (["check", "mkdocs.yml"], "mkdocs.yml: error: not a Markdown file"),
    (["check", "--config", "nowhere.yml"], "nowhere.yml: error: cannot read the MkDocs config"),
])
def test_bad_arguments_give_one_line(project_dir, argv, expected):
    result = run_cli(*argv, cwd=project_dir)
    assert result.returncode == 1
    assert result.stderr.startswith(expected)
    assert "Traceback" not in result.stdout + result.stderr


def test_plugged_in_checks_run_and_warnings_do_not_fail(project_dir):
    project = load_project(project_dir / "mkdocs.yml")
    sources = load_sources(project)

    def overdue(project, sources):
        return [Problem(sources[0].display, 2, "review overdue", severity="warning")]

    problems = run_checks(project, sources, [*CHECKS, overdue])
    assert [(p.message, p.severity) for p in problems] == [("review overdue", "warning")]


NEW = "docs/articles/can-x-clear-y-in-z.md"


def test_new_with_author_then_check_passes(project_dir):
    created = run_cli("new", "Can X clear Y in Z?", "--author", "editorial-team",
                      "--topic", "prostate cancer", "--topic", "chemotherapy", cwd=project_dir)
    assert created.returncode == 0, created.stderr
    assert created.stdout.splitlines() == [f"created {NEW}",
                                           f"next: write the answer, then run `medsite check {NEW}`"]
    text = (project_dir / NEW).read_text(encoding="utf-8")
    assert "authors: [editorial-team]\n" in text and "topics: [prostate cancer, chemotherapy]\n" in text
    assert "[@debono2010tropic]" in text, "the sample citation uses the first key of the bibliography"
    checked = run_cli("check", NEW, cwd=project_dir)
    assert checked.returncode == 0, checked.stdout
    assert checked.stdout == ""


def test_new_without_author_then_check_names_the_missing_author(project_dir):
    created = run_cli("new", "Can X clear Y in Z?", cwd=project_dir)
    assert created.returncode == 0
    assert created.stdout.splitlines()[1].startswith("next: add your id to `authors:`")
    text = (project_dir / NEW).read_text(encoding="utf-8")
    checked = run_cli("check", NEW, cwd=project_dir)
    assert checked.returncode == 1
    assert checked.stdout.splitlines() == [
        f"{NEW}:{line_of(text, 'authors')}: error: `authors` is []; expected at least one author id from the "
        "people registry, e.g. [editorial-team]"]


@pytest.mark.parametrize(("option", "expected"), [
    (["--author", "editorial-tem"], "medsite new: error: --author `editorial-tem` is not in data/people.yml "
                                    "(did you mean `editorial-team`?)"),
    (["--topic", "?!"], "medsite new: error: --topic '?!' has no letters or digits"),
])
def test_new_refuses_a_bad_option_and_creates_nothing(project_dir, option, expected):
    result = run_cli("new", "Can X clear Y in Z?", *option, cwd=project_dir)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith(expected), result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert not (project_dir / NEW).exists()
    assert sorted(p.name for p in (project_dir / "docs" / "articles").iterdir()) == ["good.md"]


@pytest.mark.parametrize(("question", "expected"), [
    ("", "medsite new: error: the question is empty"),
    ("Can X clear Y?", "docs/articles/Can-X-Clear-Y.md: error: already exists; medsite new never overwrites"),
    ("?!", "medsite new: error: the question '?!' has no letters or digits"),
])
def test_new_refuses_bad_questions_with_one_line(project_dir, question, expected):
    existing = project_dir / "docs" / "articles" / "Can-X-Clear-Y.md"
    existing.write_text(GOOD, encoding="utf-8")
    result = run_cli("new", question, cwd=project_dir)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(expected)
    assert "Traceback" not in result.stdout + result.stderr
    assert existing.read_text(encoding="utf-8") == GOOD
