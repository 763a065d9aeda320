"""A search result links only to a page of the site, whatever its index says (docs/assets/search.js): the
index of a copy of the real site is altered as a tampered cache or host could alter it, and a reader's
search must show no link to a script, another site or a protocol-relative address. The build refuses such
an index from its cache (tests/test_search_index_cache.py); this is the reader's side of the same rule."""

from __future__ import annotations

import dataclasses
import gzip
import json
import shutil

import pytest

from medsite.search.index_cache import PREFIX
from medsite.search.pagefind import BUNDLE
from tests.browser.harness import Visits
from tests.browser.test_search import RESULTS, search

pytestmark = pytest.mark.browser

HOSTILE = {"cabazitaxel-bone-metastases": "javascript:alert(document.domain)",
           "pelvic-imrt-after-enzalutamide": "/\t/example.org/articles/x/"}  # the URL parser drops the tab


@pytest.fixture(scope="module")
def tampered_site(main_site, tmp_path_factory):
    site_dir = tmp_path_factory.mktemp("tampered") / "site"
    shutil.copytree(main_site.site_dir, site_dir)
    altered = 0
    for path in (site_dir / BUNDLE / "fragment").glob("*.pf_fragment"):
        fragment = json.loads(gzip.decompress(path.read_bytes()).removeprefix(PREFIX))
        slug = fragment["url"].strip("/").removeprefix("articles/")
        if slug in HOSTILE:
            fragment["url"] = HOSTILE[slug]
            path.write_bytes(gzip.compress(PREFIX + json.dumps(fragment).encode()))
            altered += 1
    assert altered == len(HOSTILE)
    return dataclasses.replace(main_site, site_dir=site_dir)


def test_a_result_whose_address_is_not_the_sites_is_left_out(browser, served, main_site, tampered_site):
    for site, expected in ((main_site, sorted(HOSTILE)), (tampered_site, [])):
        visits = Visits(browser, served(site), site)
        try:
            page = visits.open()
            assert sorted(search(page, "mCRPC")) == expected
            hrefs = page.locator(RESULTS).evaluate_all("links => links.map(link => link.href)")
            origin = served(site).rstrip("/")
            assert all(href.startswith(origin + "/") for href in hrefs), hrefs
            assert visits.outside_requests() == [] and visits.errors == []
        finally:
            visits.close()
