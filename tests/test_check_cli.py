"""`medsite check` and `medsite new` on the command line: one clear line per bad input, never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medsite.checks import CHECKS, run_checks
from medsite.cli import main
from medsite.problems import Problem
from medsite.project import load_project
from medsite.sources import load_sources

MEDSITE = Path(sys.executable).with_name("medsite")
GOOD = "---\ntitle: Can X clear Y?\nstatus: submitted\n---\nThe bottom line.\n\n## Evidence\n"

# What each bad input named by the issue prints, after "docs/articles/bad.md:".
BAD_SOURCES = {
    "crlf": (GOOD.replace("\n", "\r\n").encode(), "1: error: Windows line endings (CRLF)"),
    "bom": (b"\xef\xbb\xbf" + GOOD.encode(), "1:1: error: the file starts with a UTF-8 byte-order mark"),
    "tabs": (GOOD.replace("status: ", "status:\t").encode(), "3:8: error: tab character"),
    "non-utf8": (GOOD.encode() + b"caf\xe9\n", "8:4: error: byte 0xE9 is not valid UTF-8"),
    "empty": (b"", "1:1: error: the file is empty"),
    "missing page": (GOOD.encode() + b"[x](nowhere.md)\n", "8:5: error: link 'nowhere.md' not found"),
    "missing anchor": (GOOD.encode() + b"[x](good.md#nowhere)\n",
                       "8:5: error: link 'good.md#nowhere': docs/articles/good.md has no heading or id"),
    "missing image": (GOOD.encode() + b"![x](img/none.png)\n", "8:6: error: image 'img/none.png' not found"),
}


@pytest.fixture
def project_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    (tmp_path / "mkdocs.yml").write_text("site_name: T\n", encoding="utf-8")
    (tmp_path / "docs" / "articles").mkdir(parents=True)
    (tmp_path / "docs" / "articles" / "good.md").write_text(GOOD, encoding="utf-8")
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


@pytest.mark.parametrize("case", BAD_SOURCES)
def test_each_bad_input_gives_one_clear_line(project_dir, case, capsys, monkeypatch):
    raw, expected = BAD_SOURCES[case]
    (project_dir / "docs" / "articles" / "bad.md").write_bytes(raw)
    monkeypatch.chdir(project_dir)
    assert main(["check", "docs/articles/bad.md"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"docs/articles/bad.md:{expected}"), lines


def test_bad_inputs_never_print_a_traceback(project_dir):
    """The installed command, on every bad input at once: one line each, no traceback."""
    for case, (raw, _) in BAD_SOURCES.items():
        (project_dir / "docs" / "articles" / f"bad-{case.replace(' ', '-')}.md").write_bytes(raw)
    result = run_cli("check", cwd=project_dir)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == len(BAD_SOURCES)
    assert "Traceback" not in result.stdout + result.stderr


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
    assert out[1] == "::error file=docs/articles/bad.md,line=8,col=5::link 'nowhere.md' not found: " \
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


def test_new_then_check(project_dir):
    (project_dir / "references").mkdir()
    bibtex = "@article{smith2020,\n  title = {T},\n  year = {2020}\n}\n"
    (project_dir / "references" / "a.bib").write_text(bibtex, encoding="utf-8")
    created = run_cli("new", "Can X clear Y in Z?", cwd=project_dir)
    assert created.returncode == 0
    assert created.stdout.startswith("created docs/articles/can-x-clear-y-in-z.md")
    assert "[@smith2020]" in (project_dir / "docs/articles/can-x-clear-y-in-z.md").read_text(encoding="utf-8")
    checked = run_cli("check", "docs/articles/can-x-clear-y-in-z.md", cwd=project_dir)
    assert checked.returncode == 0, checked.stdout


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
