"""Level 2 (and pure functions): the search index a build writes by giving its pages to Pagefind's service
as it writes them (medsite.search.feed, medsite.search.service), compared with the index Pagefind's command
line writes over the same built site: the same pages, the same words in the same pages at the same
positions, the same fragments, metadata and filters (a differential test; the ranking of the search tests'
queries is compared in Chromium in tests/browser/test_search_service.py). The index is deterministic, agrees
with the site's final files whatever rewrote or removed a page after it was given, and Pagefind's service
failing fails the build with its message."""

from __future__ import annotations

import gzip
import json
import logging
import shutil
import subprocess
from pathlib import Path

import cbor2
import pagefind_bin
import pytest

from medsite.core import json_cache
from medsite.search import index_cache, recut
from medsite.search.index_cache import page_url
from medsite.search.pagefind import BUNDLE, command
from medsite.search.service import page_text
from tests.review_samples import TODAY, article
from tests.sitebuild import SiteFactory

REUSED = "its index reused"
PAGEFIND = Path(pagefind_bin.__file__).parent / "pagefind"
WORDS = ["cabazitaxel", "jevtana", "cancer", "cab", "cabin", "dose", "doses", "dosing", "bone", "metastases",
         "neutropenia", "café", "naïve", "über", "zoledronic", "survival", "reduction", "radiotherapy"]


@pytest.fixture(autouse=True)
def _info_logged(caplog):
    caplog.set_level(logging.INFO, logger="mkdocs")


def _site(tiny_site: SiteFactory, articles: int = 8) -> SiteFactory:
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome to cabazitaxel answers.\n")
    for n in range(articles):
        words = " ".join(WORDS[(n * 5 + k * 3) % len(WORDS)] for k in range(40))
        tiny_site.write(f"docs/articles/a{n}.md", article(
            f"**Bottom line.** Article {n} on {WORDS[n % len(WORDS)]}.\n\n## Dosing {n}\n\n{words}.\n",
            title=f"Does {WORDS[(n * 7) % len(WORDS)]} help with {WORDS[(n * 11) % len(WORDS)]}?",
            topics=[f"topic {n % 3}"], audience="patient" if n % 2 else "clinician",
            status="approved" if n % 3 == 0 else "under_review"))
    return tiny_site


def _cache(site: SiteFactory) -> Path:
    return site.root / json_cache.CACHE_FOLDER / index_cache.NAME


# Decoding an index: what a search can find in it, whatever the pages' numbers and the chunks' ends --------

def _read(index: Path, name: str) -> object:
    return recut.unpack((index / name).read_bytes())


def searchable(index: Path) -> dict:
    """Everything a search reads from an index, by page address instead of page number: each page's fragment
    (text, metadata, filters, anchors, word count), each word's pages with their positions (and its
    variants'), each filter value's pages, the metadata's fields and Pagefind's version."""
    entry = json.loads((index / index_cache.ENTRY).read_text(encoding="utf-8"))
    (language, info), = entry["languages"].items()
    meta = recut.check_meta(_read(index, f"pagefind.{info['hash']}.pf_meta"))
    version, pages, chunks, filters, sorts, fields = meta
    fragments = [json.loads(gzip.decompress((index / "fragment" / f"{name}.pf_fragment").read_bytes())
                            .removeprefix(index_cache.PREFIX)) for name, _ in pages]
    urls = [fragment["url"] for fragment in fragments]
    assert len(set(urls)) == len(urls)
    assert [count for _, count in pages] == [fragment["word_count"] for fragment in fragments]

    def located(postings: list) -> dict[str, tuple]:
        found, number = {}, 0
        for delta, positions, meta_positions in postings:
            number += delta
            found[urls[number]] = (tuple(positions), tuple(meta_positions))
        return found

    words = {}
    for _, _, name in chunks:
        for word in recut.chunk_words((index / "index" / f"{name}.pf_index").read_bytes()):
            text, postings, variants = cbor2.loads(word.data)
            words[text] = (located(postings), {form: located(found) for form, found in variants})
    values = {}
    for filter_name, name in filters:
        value = _read(index, f"filter/{name}.pf_filter")
        values[filter_name] = _filter_pages(value, urls)
    return {"version": version, "language": language, "page_count": info["page_count"], "sorts": sorts,
            "fields": sorted(fields), "pages": {fragment["url"]: fragment for fragment in fragments},
            "words": words, "filters": values}


def _filter_pages(value: object, urls: list[str]) -> dict[str, set[str]]:
    """A filter chunk: `[name, [[value, page numbers], ...]]`."""
    _, entries = value  # type: ignore[misc]
    return {text: {urls[number] for number in numbers} for text, numbers in entries}


def _command_line_index(site_dir: Path, into: Path) -> Path:
    """Pagefind's command line over a copy of the built site (the build's own index removed first)."""
    copy = into / "site"
    shutil.copytree(site_dir, copy)
    shutil.rmtree(copy / BUNDLE)
    subprocess.run(command(copy, "en"), check=True, capture_output=True)
    return copy / BUNDLE


def _index_files(site_dir: Path) -> dict[str, bytes]:
    index = site_dir / BUNDLE
    return {path.relative_to(index).as_posix(): path.read_bytes()
            for path in index.rglob("*") if path.is_file()}


# Pure functions ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("path, url", [
    ("index.html", "/"), ("a/index.html", "/a/"), ("404.html", "/404.html"), ("a/b/index.html", "/a/b/"),
    ("a/xindex.html", "/a/xindex.html"), ("a/index.html.html", "/a/index.html.html")])
def test_a_pages_address_is_the_one_pagefind_gives_it(path, url):
    assert page_url(path) == url


def test_a_page_is_given_as_pagefinds_command_line_reads_its_file():
    html = "<p>café</p>"
    assert page_text(html.encode()) == html
    assert page_text(gzip.compress(html.encode())) == html  # the command line reads such a file as gzip
    assert page_text(b"<p>caf\xe9</p>") == "<p>caf\ufffd</p>"  # not UTF-8: replaced
    assert page_text(b"\x1f\x8b\x08broken") == "\x1f\ufffd\x08broken"  # not gzip after all: as it is


# Through MkDocs ---------------------------------------------------------------------------------------------

def test_the_index_finds_what_the_command_lines_index_finds(tiny_site, tmp_path):
    site = _site(tiny_site)
    built = site.build()
    assert "Search index:" in built.log and "cut into" in built.log
    own = searchable(built.site_dir / BUNDLE)
    theirs = searchable(_command_line_index(built.site_dir, tmp_path / "cli"))
    assert own == theirs
    assert {"/", *(f"/articles/a{n}/" for n in range(8)), "/topics/topic-0/"} <= own["pages"].keys()
    assert own["words"]["cabazitaxel"][0] and own["filters"]["topic"]
    assert len(own["pages"]) == own["page_count"] > 8


def test_the_same_site_built_twice_gives_the_same_index(tiny_site):
    """Built from scratch twice (no stored index): the same files, apart from those Pagefind varies on every
    run (the filter chunks, named by their content, whose values it orders as a hash map does, and the
    metadata and entry naming them)."""
    site = _site(tiny_site)
    site.config["extra"]["medsite"]["page_cache"] = False
    first = _index_files(site.build().site_dir)
    second = _index_files(site.build().site_dir)
    varying = {name for name in first.keys() | second.keys() if first.get(name) != second.get(name)}
    assert all(name.startswith("filter/") or name.endswith(".pf_meta") or name == index_cache.ENTRY
               for name in varying), sorted(varying)
    assert {name for name in first if name.startswith(("index/", "fragment/"))} == {
        name for name in second if name.startswith(("index/", "fragment/"))}
