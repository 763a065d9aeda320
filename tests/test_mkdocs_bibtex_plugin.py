"""A site moved from mkdocs-bibtex with its `plugins: - bibtex` entry left in mkdocs.yml: MkDocs and
ProperDocs stop at that entry's line saying what to write instead (medsite_plugins,
medsite.bibliography.mkdocs_bibtex), and `medsite check` says the same, rather than MkDocs' bare 'The "bibtex"
plugin is not installed'."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from medsite.bibliography.mkdocs_bibtex import bibtex_plugin_problems
from medsite.cli.main import main
from tests.engine_promise import engine_command

LEFTOVER = """\
site_name: Moved
plugins:
  - search
  - bibtex:
      bib_file: refs.bib
      csl_file: https://example.org/ama.csl
      footnote_format: "{number}"
      enabled: true
theme:
  name: material  # ProperDocs ships no default theme
"""

EXPECTED = [
    "mkdocs.yml:4:5: error: found mkdocs-bibtex's `bibtex` plugin; expected no `bibtex` under plugins and "
    "`medsite.extensions.citations` under markdown_extensions, which reads the same [@key] citations "
    "(CONTRIBUTING: Moving a site from mkdocs-bibtex)",
    "mkdocs.yml:5:7: error: found mkdocs-bibtex's `bib_file`; expected `bibliography: <folder holding your "
    ".bib files>` under medsite.extensions.citations in mkdocs.yml's markdown_extensions (each .bib file in "
    "it is read)",
    "mkdocs.yml:6:7: error: found mkdocs-bibtex's `csl_file`; expected `citation_style: ama` or "
    "`citation_style: vancouver` under medsite.extensions.citations in mkdocs.yml's markdown_extensions",
    "mkdocs.yml:7:7: error: found mkdocs-bibtex's `footnote_format`; expected nothing: citations are "
    "numbered superscripts linked to the page's References",
]


def config(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_leftover_entry_and_each_of_its_settings_are_found_at_their_lines(tmp_path):
    assert [str(problem) for problem in bibtex_plugin_problems(config(tmp_path, LEFTOVER))] == EXPECTED


@pytest.mark.parametrize(("plugins", "line"), [
    ("plugins: [bibtex]\n", 2),  # a bare name in a flow list
    ("plugins:\n  - bibtex\n", 3),
    ("plugins:\n  bibtex:\n    bib_dir: refs\n", 3),  # plugins as a mapping, as MkDocs also accepts
])
def test_every_way_mkdocs_accepts_a_plugin_entry_is_found(tmp_path, plugins, line):
    problems = bibtex_plugin_problems(config(tmp_path, "site_name: Moved\n" + plugins))
    assert problems[0].line == line and "found mkdocs-bibtex's `bibtex` plugin" in problems[0].message
    assert len(problems) == (2 if "bib_dir" in plugins else 1)


@pytest.mark.parametrize("text", [
    "site_name: Fine\nplugins:\n  - search\n  - bibtex-like\n",
    "site_name: Fine\n",
    "site_name: Fine\nplugins: []\nextra:\n  bibtex: {bib_file: x}\n",  # `bibtex` elsewhere is no plugin
    "site_name: [unclosed\n",  # MkDocs and `medsite check` report a broken config themselves
    "!!python/name:os.system\n",
])
def test_a_config_without_the_entry_has_no_problem(tmp_path, text):
    assert bibtex_plugin_problems(config(tmp_path, text)) == []


@pytest.mark.parametrize("engine", ["mkdocs", "properdocs"])
def test_the_build_stops_at_the_entry_saying_what_to_write_on_each_engine(tmp_path, engine):
    command = engine_command(engine)
    assert command is not None, f"{engine} is a dependency of the project's tests"
    path = config(tmp_path, LEFTOVER)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    result = subprocess.run([*command, "-f", str(path)], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}, timeout=120,
                            check=False)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert [line for line in output.splitlines() if ": error: " in line] == EXPECTED
    assert "Traceback" not in output and "not installed" not in output
    assert not (tmp_path / "site").exists()


def test_medsite_check_reports_the_entry_too(tiny_site, capsys):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.config["plugins"] = [{"bibtex": {"bib_file": "refs.bib"}}]
    path = tiny_site.save_config()
    assert main(["check", "--config", str(path)]) == 1
    lines = path.read_text(encoding="utf-8").splitlines()
    entry = next(number for number, line in enumerate(lines, 1) if line.lstrip("- ").startswith("bibtex:"))
    out = capsys.readouterr().out
    assert f"mkdocs.yml:{entry}:" in out and "found mkdocs-bibtex's `bibtex` plugin" in out
    assert f"mkdocs.yml:{entry + 1}:" in out and "found mkdocs-bibtex's `bib_file`" in out
