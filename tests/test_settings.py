"""`extra.medsite` read in one place (medsite.model.settings): defaults, types and errors, the same for the
build and the `medsite` command."""

from __future__ import annotations

import datetime as dt

import pytest

from medsite.model.project import load_project
from medsite.model.settings import DEFAULT_READING_GRADE, Settings, read_settings
from tests.sitebuild import PROJECT, BuildFailed


def test_nothing_set_is_every_default():
    assert read_settings(None) == read_settings({}) == Settings()
    settings = Settings()
    assert (settings.registry, settings.synonyms, settings.reading_grade, settings.issue_form) == (
        "data/people.yml", "data/synonyms.yml", 8.0, None)
    assert settings.site_pages == frozenset() and settings.today() == dt.date.today()


def test_values_are_typed():
    settings = read_settings({"registry": "people.yml", "reading_grade": 6, "today": "2025-06-01",
                              "site_pages": ["index.md", "about.md"], "issue_form": "https://x.example/new"})
    assert settings.registry == "people.yml" and settings.reading_grade == 6.0
    assert settings.today() == dt.date(2025, 6, 1) == read_settings({"today": dt.date(2025, 6, 1)}).today()
    assert settings.site_pages == {"index.md", "about.md"} and settings.issue_form == "https://x.example/new"
    assert settings.asset_folders == ("assets",) and settings.search_index
    assert read_settings({"asset_folders": ["img/", "media"], "search_index": False}).asset_folders == (
        "img", "media")
    assert not read_settings({"search_index": False}).search_index
    assert settings.page_cache and not read_settings({"page_cache": False}).page_cache
    assert settings.problems == ()


@pytest.mark.parametrize("key, value, expected", [
    ("reading_grade", "eight", "a school grade from 1 to 18"),
    ("reading_grade", True, "a school grade from 1 to 18"),
    ("reading_grade", 0, "a school grade from 1 to 18"),
    ("reading_grade", 40, "a school grade from 1 to 18"),
    ("today", "next week", "a date written YYYY-MM-DD"),
    ("registry", ["a.yml"], "text"),
    ("site_pages", "index.md", "a list of pages"),
    ("asset_folders", "assets", "a list of folders"),
])
def test_a_wrong_value_is_a_problem_naming_the_key_and_the_default_is_used(key, value, expected):
    settings = read_settings({key: value}, config="site/mkdocs.yml")
    [problem] = settings.problems
    written = f"site/mkdocs.yml: error: extra.medsite.{key} is {value!r}; expected {expected}"
    assert str(problem).startswith(written)
    assert settings == Settings()  # every value its default meanwhile (problems are not compared)
    assert settings.reading_grade == DEFAULT_READING_GRADE


def test_settings_that_are_not_a_mapping():
    [problem] = read_settings(["registry"]).problems
    assert "extra.medsite is ['registry']; expected a mapping" in str(problem)


def test_the_command_reads_the_same_settings_as_the_build_of_the_real_site():
    from mkdocs.config import load_config

    config = load_config(str(PROJECT / "mkdocs.yml"))
    project = load_project(PROJECT / "mkdocs.yml")
    assert project.settings == read_settings(config.extra.get("medsite"))
    assert project.settings.problems == ()
    assert project.docs_dir == PROJECT / "docs" and project.bibliography_dir == PROJECT / "references"


def test_a_build_stops_on_a_wrong_setting_before_reading_any_page(tiny_site):
    tiny_site.config["extra"]["medsite"].update(reading_grade=30, today="soon")
    tiny_site.write("docs/articles/broken.md", "not an article at all")
    with pytest.raises(BuildFailed) as failed:
        tiny_site.build()
    assert "mkdocs.yml: error: extra.medsite.reading_grade is 30; expected a school grade" in failed.value.log
    assert "mkdocs.yml: error: extra.medsite.today is 'soon'; expected a date" in failed.value.log
    assert "broken.md" not in failed.value.log  # stopped before any page was checked
