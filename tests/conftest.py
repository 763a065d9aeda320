"""Fixtures shared by the test levels: tiny sites built in tmp_path through MkDocs, and the real site."""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

from tests.contribution import Contribution, contribute
from tests.sitebuild import PROJECT, SiteFactory
from tests.sites import BuiltSite, build_site
from tests.unavailable import unavailable

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

# No per-example deadline anywhere: time is not a property these tests check (speed lives in benchmarks/),
# and on a shared two-core machine a deadline only turns load into failures.
settings.register_profile("medsite", deadline=None)
settings.load_profile("medsite")


@pytest.fixture
def tiny_site(tmp_path) -> SiteFactory:
    """A throwaway site with the project's hooks, theme overrides, registry and references."""
    return SiteFactory(tmp_path / "tiny")


@pytest.fixture(scope="session")
def main_site(tmp_path_factory) -> BuiltSite:
    """The real site, built once per run with `mkdocs build --strict` into a temporary directory."""
    return build_site(PROJECT, tmp_path_factory.mktemp("real") / "site")


@pytest.fixture(scope="session")
def contribution(tmp_path_factory) -> Contribution:
    """A first-time contribution made on a copy of the project as CONTRIBUTING.md says, built once by CI's
    steps (tests/contribution.py)."""
    return contribute(tmp_path_factory.mktemp("contribution") / "clinical-answers")


@pytest.fixture(scope="session", params=["main", "contribution"])
def real_site(request) -> BuiltSite:
    """The real site, and the same project after a contributor added people, sources and articles: every
    test of the real site runs on both, so it checks what holds of any content, not today's."""
    if request.param == "main":
        return request.getfixturevalue("main_site")
    built = request.getfixturevalue("contribution").site
    assert built is not None
    return built


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; missing is a failure under CI=true and a skip elsewhere."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        unavailable("Debian's chromium is not installed (run `make browser`)")
    return path
