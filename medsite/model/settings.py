"""The project's own settings, `extra.medsite` in mkdocs.yml: read in one place, with their defaults and their
errors, by the build (hooks/medsite_mkdocs/adapter.py, from MkDocs' config) and the `medsite` command
(medsite.model.project, from the file) alike.

A wrong value is a problem naming mkdocs.yml and the default is used meanwhile, so one mistake does not hide
the others: the build fails on it, `medsite check` lists it with everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from medsite.core.problems import Problem

DEFAULT_REGISTRY = "data/people.yml"
DEFAULT_SYNONYMS = "data/synonyms.yml"
DEFAULT_READING_GRADE = 8.0
DEFAULT_ASSET_FOLDERS = ("assets",)
READING_GRADES = (1, 18)  # what a Flesch-Kincaid grade can sensibly be asked for


@dataclass(frozen=True)
class Settings:
    """`extra.medsite`, typed; paths are relative to the folder holding mkdocs.yml."""

    registry: str = DEFAULT_REGISTRY  # the people registry (authors, board)
    synonyms: str = DEFAULT_SYNONYMS  # drug and abbreviation synonyms (search, readability)
    reading_grade: float = DEFAULT_READING_GRADE  # patient text above this grade is a warning
    issue_form: str | None = None  # the follow-up issue form each article links to
    # the maintainers' pages outside articles/ (medsite.model.site_pages)
    site_pages: frozenset[str] = frozenset()
    asset_folders: tuple[str, ...] = DEFAULT_ASSET_FOLDERS  # docs-relative, of static files
    search_index: bool = True  # false: `make serve` indexes in the background (hooks/serve.py)
    page_cache: bool = True  # false: every page converted on every build (hooks/page_cache.py)
    fixed_today: dt.date | None = None  # `today`: lets tests fix the date; None is the real date
    problems: tuple[Problem, ...] = field(default=(), compare=False)  # wrong values, each with its default

    def today(self) -> dt.date:
        """The date review deadlines are measured against."""
        return self.fixed_today or dt.date.today()


def read_settings(value: object, *, config: str = "mkdocs.yml") -> Settings:
    """`extra.medsite` as mkdocs.yml holds it (any YAML value); `config` names the file in problems."""
    if value is None:
        return Settings()
    if not isinstance(value, Mapping):
        return Settings(problems=(_problem(config, "", value, "a mapping of medsite's settings"),))
    problems: list[Problem] = []

    def text(key: str, default: str | None) -> str | None:
        found = value.get(key)
        if found is None or found == "":
            return default
        if isinstance(found, str):
            return found
        problems.append(_problem(config, key, found, "text"))
        return default

    grade = value.get("reading_grade", DEFAULT_READING_GRADE)
    low, high = READING_GRADES
    if not (isinstance(grade, int | float) and not isinstance(grade, bool) and low <= grade <= high):
        problems.append(_problem(config, "reading_grade", grade,
                                 f"a school grade from {low} to {high}, e.g. 8 (the default)"))
        grade = DEFAULT_READING_GRADE
    pages = value.get("site_pages") or ()
    if not isinstance(pages, list | tuple):
        problems.append(_problem(config, "site_pages", pages, "a list of pages, e.g. [index.md, about.md]"))
        pages = ()
    folders = value.get("asset_folders", DEFAULT_ASSET_FOLDERS)
    if not isinstance(folders, list | tuple):
        problems.append(_problem(config, "asset_folders", folders, "a list of folders, e.g. [assets]"))
        folders = DEFAULT_ASSET_FOLDERS
    return Settings(
        registry=text("registry", DEFAULT_REGISTRY),
        synonyms=text("synonyms", DEFAULT_SYNONYMS),
        reading_grade=float(grade),
        issue_form=text("issue_form", None),
        site_pages=frozenset(str(page) for page in pages),
        asset_folders=tuple(str(folder).strip("/") for folder in folders),
        search_index=value.get("search_index") is not False,
        page_cache=value.get("page_cache") is not False,
        fixed_today=_date(value.get("today"), config, problems),
        problems=tuple(problems),
    )


def _date(found: object, config: str, problems: list[Problem]) -> dt.date | None:
    if found is None or (isinstance(found, dt.date) and not isinstance(found, dt.datetime)):
        return found
    try:
        return dt.date.fromisoformat(str(found))
    except ValueError:
        problems.append(_problem(config, "today", found, "a date written YYYY-MM-DD, or nothing for the real "
                                                         "date"))
        return None


def _problem(config: str, key: str, found: object, expected: str) -> Problem:
    name = f"extra.medsite.{key}" if key else "extra.medsite"
    return Problem(config, None, f"{name} is {found!r}; expected {expected}")
