"""Fail safe on any engine (issue 18): the engine guard stops a build that runs none of our hooks, naming the
engine and what it does not run; the citation extension, listed in mkdocs.yml, loads its bibliography from
its own options or says what is missing, and without our hooks prints each page's list and stops on an
unknown key. (tests/test_engines.py drives the real engines; these are the pieces, through Python-Markdown
and tiny MkDocs sites.)"""

from __future__ import annotations

import markdown
import pytest
import yaml

from medsite.core.problems import ProblemsError
from medsite.extensions.citations import CitationsExtension
from medsite.extensions.engine import NAME as ENGINE_GUARD
from medsite.extensions.engine import EngineGuardExtension
from medsite.model.project import CITATIONS_EXTENSION, load_project
from tests.review_samples import article
from tests.sitebuild import PROJECT, BuildFailed

CITED = "Survival was longer [@debono2010tropic], also later [@dewit2019card; @debono2010tropic].\n"


def guard(mode: str | None = None, adapter: str | None = None) -> markdown.Markdown:
    options = {"without_hooks": mode} if mode else {}
    if adapter:
        return markdown.Markdown(extensions=[EngineGuardExtension.run_by(adapter, **options)])
    return markdown.Markdown(extensions=[EngineGuardExtension(**options)])


def test_the_guard_stops_an_engine_that_runs_no_hooks_and_names_it():
    with pytest.raises(ProblemsError) as stopped:
        guard().convert("# Page\n")
    message = str(stopped.value)
    assert message.startswith("mkdocs.yml: error: found MkDocs ")  # the engine these tests run in
    assert "which runs none of the project's MkDocs hooks" in message
    assert "the review rules" in message and "the HTML sanitiser" in message and "generated pages" in message
    assert "expected an engine that runs them (MkDocs or ProperDocs; see docs/engines.md)" in message


def test_the_guard_lets_the_hooks_build_and_a_trial_go_on(caplog):
    assert guard(adapter="tests").convert("# Page\n") == '<h1>Page</h1>'
    assert guard("caution").convert("# Page\n") == '<h1>Page</h1>'
    assert guard("fail", adapter="tests").convert("Text\n") == "<p>Text</p>"


def test_the_guard_rejects_a_mode_it_does_not_know():
    with pytest.raises(ProblemsError, match=r"found `without_hooks: publish` for medsite.extensions.engine; "
                                            r"expected one of fail, caution"):
        guard("publish").convert("Text\n")


def test_the_hooks_cannot_be_told_to_run_from_mkdocs_yml():
    with pytest.raises(KeyError):
        EngineGuardExtension(adapter="mkdocs.yml says so")


def test_the_listed_citation_extension_says_what_is_missing_without_a_project_root():
    md = markdown.Markdown(extensions=[CITATIONS_EXTENSION], extension_configs={
        CITATIONS_EXTENSION: {"bibliography": "references"}})
    with pytest.raises(ProblemsError) as stopped:
        md.convert(CITED)
    assert str(stopped.value) == (
        "mkdocs.yml: error: found `bibliography: references` under medsite.extensions.citations, a folder "
        "relative to mkdocs.yml, but this engine does not tell Markdown extensions where mkdocs.yml is; "
        "expected the project's hooks (MkDocs, ProperDocs), an engine that says it (Zensical), or an "
        "absolute folder")


def test_without_our_hooks_the_listed_extension_numbers_citations_and_prints_the_list():
    md = markdown.Markdown(extensions=[CITATIONS_EXTENSION], extension_configs={
        CITATIONS_EXTENSION: {"bibliography": str(PROJECT / "references")}})
    html = md.convert(CITED)
    assert html.count('class="footnote-ref"') == 3 and "[@" not in html
    assert html.index('<h2 id="references">References</h2>') < html.index('<li id="ref-debono2010tropic">')
    assert html.index('<li id="ref-debono2010tropic">') < html.index('<li id="ref-dewit2019card">')
    assert "de Bono" in html  # the formatted entry, not a placeholder


def test_without_our_hooks_an_unknown_key_stops_the_conversion():
    md = markdown.Markdown(extensions=[CITATIONS_EXTENSION], extension_configs={
        CITATIONS_EXTENSION: {"bibliography": str(PROJECT / "references")}})
    with pytest.raises(ProblemsError, match=r"unknown citation key 'debono2010'"):
        md.convert("Text [@debono2010].\n")


def test_the_hooks_register_the_loaded_extension_which_leaves_the_list_to_the_template():
    extension = CitationsExtension(None, None, bibliography="references")
    assert extension.list_in_page and extension.getConfig("bibliography") == "references"
    assert not CitationsExtension({}, {}).list_in_page  # what hooks/citations.py builds


def test_medsite_commands_read_the_folder_from_the_extension_options(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - toc\n  - medsite.extensions.citations:\n"
        "      bibliography: sources/bib\n", encoding="utf-8")
    assert load_project(tmp_path / "mkdocs.yml").bibliography_dir == (tmp_path / "sources" / "bib").resolve()
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    assert load_project(tmp_path / "mkdocs.yml").bibliography_dir == (tmp_path / "references").resolve()


def without(tiny_site, name: str):
    listed = tiny_site.config["markdown_extensions"]
    tiny_site.config["markdown_extensions"] = [item for item in listed
                                               if not (isinstance(item, dict) and name in item)]
    return tiny_site


@pytest.mark.parametrize("name", [ENGINE_GUARD, CITATIONS_EXTENSION])
def test_the_hooks_stop_a_build_whose_mkdocs_yml_does_not_list_the_extension(tiny_site, name):
    without(tiny_site, name).write("docs/index.md", "# Home\n")
    with pytest.raises(BuildFailed) as stopped:
        tiny_site.build()
    expected = f"mkdocs.yml: error: found no `{name}` under markdown_extensions; expected it listed"
    assert expected in stopped.value.log


def test_mkdocs_without_our_hooks_stops_at_the_first_page(tiny_site):
    tiny_site.config["hooks"] = []
    tiny_site.write("docs/articles/a.md", article())
    with pytest.raises(ProblemsError, match=r"found MkDocs [\d.]+, which runs none of the project's MkDocs "
                                            r"hooks \(the hooks listed in mkdocs.yml\)"):
        tiny_site.build(strict=False)


def test_the_projects_own_mkdocs_yml_stops_other_engines_and_lists_the_citation_extension():
    """A real-site invariant: a trial setting must never reach the repository's mkdocs.yml."""
    config = yaml.load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    listed = {next(iter(item)): item[next(iter(item))] for item in config["markdown_extensions"]
              if isinstance(item, dict)}
    assert (listed[ENGINE_GUARD] or {}).get("without_hooks", "fail") == "fail"
    assert CITATIONS_EXTENSION in listed
    assert config["hooks"][0] == "hooks/engine.py"
