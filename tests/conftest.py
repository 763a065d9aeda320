"""Fixtures shared by the test levels: tiny sites built in tmp_path through MkDocs, and the real site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from tests.sitebuild import PROJECT, SiteFactory
from tests.unavailable import unavailable

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


@pytest.fixture
def tiny_site(tmp_path) -> SiteFactory:
    """A throwaway site with the project's hooks, theme overrides, registry and references."""
    return SiteFactory(tmp_path / "tiny")


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> subprocess.CompletedProcess:
    """The real site, built once per run with `mkdocs build --strict` into a temporary directory."""
    site_dir = tmp_path_factory.mktemp("real") / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(PROJECT / "mkdocs.yml"),
         "-d", str(site_dir)],
        capture_output=True, text=True, cwd=tmp_path_factory.getbasetemp(),
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    result.site_dir = site_dir  # type: ignore[attr-defined]
    return result


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium; missing is a failure under CI=true and a skip elsewhere."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        unavailable("Debian's chromium is not installed (run `make browser`)")
    return path
