"""Search in Chromium on the index a build writes through Pagefind's service (medsite.search.feed) and on
the index Pagefind's command line writes over the same built site, both cut again as a build cuts them
(medsite.search.recut): the search tests' queries (tests/browser/test_search_recut.py) find the same
articles, as many, with and without a filter. Not in the same order: the pages are numbered in another
order in the two indexes (the build's page order, the command line's walk of the folders), and Pagefind
lists results of equal score by page number, so pages that tie come in another order (on this site,
whose articles share one vocabulary, most results tie); docs/performance.md, "Builds"."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from medsite.search import recut
from medsite.search.pagefind import BUNDLE, command
from tests.browser.test_search_recut import TINY_QUERIES, _compare, _tiny_site
from tests.sites import BuiltSite

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def service_and_command_line(tmp_path_factory) -> dict[str, BuiltSite]:
    site = _tiny_site(tmp_path_factory.mktemp("tiny") / "tiny")  # its index: the service's, re-cut
    copy = tmp_path_factory.mktemp("command-line") / "site"
    shutil.copytree(site.site_dir, copy)
    shutil.rmtree(copy / BUNDLE)
    subprocess.run(command(copy, "en"), check=True, capture_output=True)
    assert recut.recut_index(copy / BUNDLE).done
    return {"command line": BuiltSite(site.root, copy, 0, "", ""), "service": site}


def test_the_builds_index_finds_what_the_command_lines_finds(browser, served, service_and_command_line):
    found = _compare(browser, served, service_and_command_line, TINY_QUERIES, in_any_order=True)
    assert sum(bool(links) for _, links in found.values()) >= len(TINY_QUERIES) - 2, found
    assert any(len(links) > 5 for _, links in found.values())


def test_the_builds_index_filters_as_the_command_lines(browser, served, service_and_command_line):
    found = _compare(browser, served, service_and_command_line, ["cabazitaxel", "dos", "bone metastases"],
                     topic="topic 1", in_any_order=True)
    assert any(links for _, links in found.values())
