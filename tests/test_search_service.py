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
import sys
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
from tests.sitebuild import BuildFailed, SiteFactory

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
    shutil.copytree(site_dir, copy, symlinks=True)  # links stay links (to the built site's files)
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
    """Built from scratch twice (no stored index): the same files, every one (Pagefind orders filter values
    as a hash map does; the re-cut puts them in order, medsite.search.recut.sorted_filters)."""
    site = _site(tiny_site)
    site.config["extra"]["medsite"]["page_cache"] = False
    first = _index_files(site.build().site_dir)
    second = _index_files(site.build().site_dir)
    assert any(name.startswith("filter/") for name in first)
    assert first == second


# Attacks: what happens to a page after it was given, the service failing, warm after cold ---------------

REWRITER = '''
from pathlib import Path

from mkdocs.plugins import event_priority


@event_priority(-200)  # after the feed's on_post_page: MkDocs writes what this returns
def on_post_page(output, /, *, page, config):
    return output.replace("Welcome to", "Welcome (rewritten after every hook) to")


def on_post_build(*, config):  # before the search index's: pages rewritten, added{removed}
    site = Path(config.site_dir)
    page = site / "articles" / "a1" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("Article 1 on", "Article 1 zanzibarword on"),
                    encoding="utf-8")
    extra = site / "extra" / "index.html"
    extra.parent.mkdir()
    extra.write_text('<!doctype html><html lang="en"><head><title>Extra</title></head><body>'
                     '<article data-pagefind-body><h1>Extra page</h1><p>quokkaword</p></article>'
                     '</body></html>', encoding="utf-8")
    # A link to a page is a page (as the command line reads it); a link to a folder is not followed.
    (site / "alias").mkdir()
    (site / "alias" / "index.html").symlink_to(site / "articles" / "a3" / "index.html")
    (site / "folder-alias").symlink_to(site / "articles" / "a4", target_is_directory=True)
'''


@pytest.mark.parametrize("removed", [False, True])
def test_the_index_is_of_the_sites_final_files_whatever_rewrote_or_removed_a_page(tiny_site, tmp_path,
                                                                                   removed):
    """A page changed by a hook after the feed took it, one rewritten after it was given, one added after
    the pages were written, links to a page and to a folder, and (removed) one deleted after it was given:
    the index is the command line's over the final site, and searching finds the new words where they
    are."""
    site = _site(tiny_site)
    hook = tmp_path / "rewriter.py"
    removal = ('\n    (site / "articles" / "a2" / "index.html").unlink()  # given, then removed'
               if removed else "")
    hook.write_text(REWRITER.replace("{removed}", " and removed" if removed else "") + removal,
                    encoding="utf-8")
    site.config["hooks"].append(str(hook))
    built = site.build()
    own = searchable(built.site_dir / BUNDLE)
    assert own == searchable(_command_line_index(built.site_dir, tmp_path / "cli"))
    assert set(own["words"]["zanzibarword"][0]) == {"/articles/a1/"}
    assert set(own["words"]["quokkaword"][0]) == {"/extra/"}
    assert "rewritten" in own["pages"]["/"]["content"]
    assert ("/articles/a2/" in own["pages"]) is not removed
    assert "/alias/" in own["pages"] and "/folder-alias/" not in own["pages"]


def test_a_warm_build_after_an_edit_gives_the_index_a_cold_build_gives(tiny_site):
    """Cold, then unchanged (the stored index reused, no service), then one article edited (the service
    started at that page, given every page written before it): the index a cold build of the edited site
    writes, file for file (apart from the files Pagefind varies on every run)."""
    site = _site(tiny_site)
    assert REUSED not in site.build().log
    assert REUSED in site.build().log
    site.write("docs/articles/a5.md", article("**Bottom line.** Edited: wallabyword.\n", title="Edited?",
                                              topics=["topic 2"]))
    warm = site.build()
    assert REUSED not in warm.log
    warm_files = _index_files(warm.site_dir)
    _cache(site).unlink()
    cold = site.build()
    cold_files = _index_files(cold.site_dir)
    stable = {name for name in cold_files if name.startswith(("index/", "fragment/"))}
    assert {name: warm_files.get(name) for name in stable} == {name: cold_files[name] for name in stable}
    assert searchable(warm.site_dir / BUNDLE) == searchable(cold.site_dir / BUNDLE)
    assert set(searchable(cold.site_dir / BUNDLE)["words"]["wallabyword"][0]) == {"/articles/a5/"}
    assert REUSED in site.build().log


def test_a_huge_page_is_indexed_whole(tiny_site, tmp_path):
    """A page of about a megabyte (one message to the service): indexed as the command line indexes it."""
    site = _site(tiny_site, articles=2)
    words = " ".join(f"{WORDS[k % len(WORDS)]}{k % 997}" for k in range(120_000))
    site.write("docs/articles/huge.md", article(f"**Bottom line.** Huge.\n\n{words} quokkafinal.\n",
                                                 title="A huge page?"))
    built = site.build()
    assert (built.site_dir / "articles" / "huge" / "index.html").stat().st_size > 1_000_000
    own = searchable(built.site_dir / BUNDLE)
    assert own == searchable(_command_line_index(built.site_dir, tmp_path / "cli"))
    last, = (word for word in own["words"] if word.startswith("quokkafin"))
    assert set(own["words"][last][0]) == {"/articles/huge/"}


def _dying_pagefind(folder: Path, after: int) -> Path:
    """Pagefind's service, cut off after `after` bytes of its input (it then exits as if at the end), with a
    last word on its standard error and the exit status of a Rust panic, as a crash leaves."""
    binary = folder / "dying-pagefind"
    binary.write_text(f"""#!{sys.executable}
import os, subprocess, sys
service = subprocess.Popen(["{PAGEFIND}", *sys.argv[1:]], stdin=subprocess.PIPE)
left = {after}
while left > 0 and (chunk := os.read(0, min(left, 1 << 16))):
    service.stdin.write(chunk)
    service.stdin.flush()
    left -= len(chunk)
service.stdin.close()
service.wait()
sys.stderr.write("pagefind: the service died\\n")
sys.exit(101)
""", encoding="utf-8")
    binary.chmod(0o755)
    return binary


def test_the_service_dying_while_pages_are_given_fails_the_build_with_its_message(tiny_site, tmp_path,
                                                                                  monkeypatch):
    site = _site(tiny_site)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(_dying_pagefind(tmp_path, 60_000)))
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert ("mkdocs.yml: error: Pagefind could not index the site (it exited with 101): pagefind: the "
            "service died; expected a search index in the site") in failure.value.log
    assert not any((site.root / "site" / name).exists() for name in (BUNDLE, f"{BUNDLE}.new"))
    assert not _cache(site).exists()
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")
    assert REUSED not in site.build().log  # the next build indexes


def test_a_stored_index_of_another_setup_is_not_compared_with(tmp_path):
    """The page digests of a stored index count only for the same Pagefind, options and code (`setup`):
    an index of another code version makes the build start the service at its first page."""
    cache, index = tmp_path / "search-index", tmp_path / "index"
    index.mkdir()
    (index / index_cache.ENTRY).write_text("{}", encoding="utf-8")
    index_cache.store(cache, "key", index, setup="this code", pages={"/a/": "1", "/": "2"})
    assert index_cache.known_pages(cache, "this code") == {"/a/": "1", "/": "2"}
    assert index_cache.known_pages(cache, "another code") is None
    assert index_cache.known_pages(tmp_path / "absent", "this code") is None
    cache.write_bytes(b"\xff\xfe not an entry")
    assert index_cache.known_pages(cache, "this code") is None
    setups = {index_cache.setup_key(options=["--force-language", "en"], code=code) for code in ("a", "b")}
    assert len(setups) == 2
