"""Index a built site with Pagefind (the `pagefind[bin]` package from PyPI), after the build, over the
whole site: a static, chunked index that a reader's browser loads a few kilobytes of per query, where
Material's search loads the whole site's text before it can answer.

What is indexed is decided by the markup: the <article> of each page is marked `data-pagefind-body`
(overrides/main.html) and what the templates add to it is excluded (EXCLUDED), so the review banner, the
reference lists, the topic lists and the dashboard stay out; each article's answer, synonyms and filter
values are metadata (overrides/partials/search-data.html).
The indexer's own UI bundles are removed: docs/assets/search.js is the site's search interface.
"""

from __future__ import annotations

import gzip
import html
import json
import shutil
import subprocess
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from medsite.core.problems import Problem, ProblemsError
from medsite.search import index_cache, recut
from medsite.search.feed import Feed
from medsite.search.service import executable

BUNDLE = "pagefind"  # the folder of the site the index is written to
# The site's folders the indexer writes, swaps and deletes: the index, and beside it the new one being written
# and the one it replaces.
FRESH, STALE = f"{BUNDLE}.new", f"{BUNDLE}.old"
SITE_FOLDERS = (BUNDLE, FRESH, STALE)
ENTRY = index_cache.ENTRY  # a file Pagefind writes in every index
# Not words of the text: heading permalinks (¶) and citation numbers, which would end up in titles and
# excerpts ("metastases1–3"); what an author excluded with Material's `data-search-exclude`; and what the
# templates add inside the page's <article> (overrides/main.html, partials/): the review status and the
# caution, the audience switch, the printed page's line, the search data itself (its metadata and filters
# are still read), reference lists, the board, article lists, the References page's entries, disclaimer
# and follow-up box.
EXCLUDED = (".headerlink", ".medsite-cite", "[data-search-exclude]",
            ".medsite-review", ".audience-switch", ".medsite-print-info", ".medsite-search-data",
            "#references", ".medsite-references", ".medsite-board", ".medsite-article-list",
            ".medsite-bibliography", ".medsite-disclaimer", ".medsite-follow-up")
_UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
           "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def command(site_dir: Path, language: str, output: str = BUNDLE) -> list[str]:
    """The indexing command: the Pagefind binary the `pagefind` package finds (pagefind_bin), run directly
    (`python -m pagefind` would start an interpreter first: about 0.1 s), one index in the site's language,
    written to the site's folder `output`."""
    return [str(executable()), "--site", str(site_dir), "--output-subdir", output, *options(language)]


def options(language: str) -> list[str]:
    """The indexing options, the same given to the command line and to the service (service_config)."""
    return ["--force-language", language, "--exclude-selectors", ", ".join(EXCLUDED), "--quiet"]


def service_config(language: str) -> dict:
    """The service's index options: the command line's (`options`)."""
    return {"force_language": language, "exclude_selectors": [", ".join(EXCLUDED)]}


def reserved_folder(dest: str, folders: Iterable[str]) -> str | None:
    """Which of the site's `folders` the search index uses a file at address `dest` would be written into
    (a page `pagefind.old.md` goes to `pagefind.old/`), or None: the indexer empties those folders, so the
    file would vanish from the site. Case is ignored, as some file systems do."""
    top = dest.split("/", 1)[0] if "/" in dest else None
    return top if top is not None and top.casefold() in {name.casefold() for name in folders} else None


def reserved_problem(source: str, folder: str, folders: Iterable[str]) -> Problem:
    """The problem of a file (its source as problems name it) written into the index's `folder`."""
    return Problem(source, None, f"found a page or file published to {folder}/, a folder of the site the "
                                 f"search index uses; expected another name (the search index uses "
                                 f"{', '.join(name + '/' for name in sorted(folders))})")


class Indexed(NamedTuple):
    """What indexing a site gave: Pagefind's output (its warnings), whether the data was reused, and what
    re-cutting its word chunks did (None when reused: the cache holds data already re-cut)."""

    output: str
    reused: bool
    recut: recut.Recut | None = None


def feed_pages(site_dir: Path, *, language: str, display: str, cache: Path | None, code: str) -> Feed:
    """A feed for the pages a build is about to write into `site_dir` (medsite.search.feed), to be given to
    `index_site`: it starts Pagefind's service at the first page that differs from those the index stored
    in `cache` was built from (at the first page without one)."""
    setup = index_cache.setup_key(options=options(language), code=code)
    known = None if cache is None else index_cache.known_pages(cache, setup)
    return Feed(site_dir, config=service_config(language), display=display, known=known)


def index_site(site_dir: Path, *, language: str, display: str, cache: Path | None = None,
               code: str = "", feed: Feed | None = None) -> Indexed:
    """Write the search index of the site in `site_dir`.

    With a `cache` file (medsite.search.index_cache), an unchanged site reuses the data of the index its
    previous build wrote there, once checked against the site; the code readers run comes from a small
    run of the installed Pagefind all the same. `code` is the version of the code that built the site.
    With a `feed` (medsite.search.feed: the build gave Pagefind's service its pages as it wrote them), a
    fresh index is the service's, completed with the site as it is now; without one, Pagefind's command
    line indexes the site (`make serve`'s background index).

    Raises ProblemsError with Pagefind's own message when it fails, so the build fails with it: a site
    whose search silently lost its index would look fine and find nothing.
    """
    # Written beside the live index and swapped in, so a site being served (hooks/serve.py indexes in
    # the background) never has a half-written index; a stale index never stays beside a new site.
    fresh, stale, live = site_dir / FRESH, site_dir / STALE, site_dir / BUNDLE
    # Only an earlier index (`make serve` keeps the site between builds) may be replaced: anything else there
    # is a page or file of the site, which the index must not silently delete.
    if live.exists() and not (live.is_dir() and (live / ENTRY).is_file()):
        raise ProblemsError([Problem(display, None, f"the site has {BUNDLE}{'/' if live.is_dir() else ''} "
                                     f"from the docs folder where the search index goes; expected no page or "
                                     f"file named {BUNDLE} (the search index's folder)")])
    for folder in (fresh, stale):
        shutil.rmtree(folder, ignore_errors=True)
    try:
        output, reused, key, setup, digests = _index(site_dir, fresh, language, display, cache, code, feed)
    except ProblemsError:
        if feed is not None:
            feed.abandon()
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    cut = None if reused else recut.recut_index(fresh)
    if not reused and cache is not None:
        index_cache.store(cache, key, fresh, setup=setup, pages=digests)
    for name in _UNUSED:
        (fresh / name).unlink(missing_ok=True)
    if live.is_dir():
        live.rename(stale)
    fresh.rename(live)
    shutil.rmtree(stale, ignore_errors=True)
    return Indexed(output, reused, cut)


def _index(site_dir: Path, fresh: Path, language: str, display: str, cache: Path | None, code: str,
           feed: Feed | None) -> tuple[str, bool, str, str, dict[str, str]]:
    """Fill `fresh` with the site's index: Pagefind's output, whether the stored index was reused, the
    key, setup and page digests to store it under."""
    if feed is not None:
        feed.finish()
    key = setup = ""
    digests: dict[str, str] = {}
    pages: dict[str, Path] = {}
    if cache is not None or feed is not None:
        pages = index_cache.site_pages(site_dir, (BUNDLE, FRESH, STALE))
        digests = index_cache.page_digests(pages)
    if cache is not None:
        setup = index_cache.setup_key(options=options(language), code=code)
        key = index_cache.index_key(digests, setup=setup)
        # A started service means a page differed from the stored index's: no need to look.
        if (feed is None or feed.service is None) and _reuse(cache, key, pages, fresh, language, display):
            return "", True, key, setup, digests
    if feed is None:
        return _run(site_dir, language, fresh.name, display), False, key, setup, digests
    fresh.mkdir()
    for name, data in feed.complete(pages, digests).files().items():
        if name not in _UNUSED:
            (fresh / name).parent.mkdir(parents=True, exist_ok=True)
            (fresh / name).write_bytes(data)
    if not (fresh / "pagefind.js").is_file():
        raise ProblemsError([Problem(display, None, f"Pagefind's service wrote no index; expected a search "
                                     f"index in {BUNDLE}/")])
    return "", False, key, setup, digests


def _run(site_dir: Path, language: str, output: str, display: str) -> str:
    """Run Pagefind over `site_dir` into its folder `output`; its output, or ProblemsError."""
    target = site_dir / output
    try:
        result = subprocess.run(command(site_dir, language, output), capture_output=True, text=True,
                                check=False)
    except OSError as error:
        raise ProblemsError([Problem(display, None, f"cannot run Pagefind ({error}); expected the "
                                     "`pagefind[bin]` package installed (make install)")]) from None
    printed = "\n".join(part.strip() for part in (result.stdout, result.stderr) if part.strip())
    if result.returncode != 0 or not (target / "pagefind.js").is_file():
        shutil.rmtree(target, ignore_errors=True)
        raise ProblemsError([Problem(display, None, f"Pagefind could not index the site (exit "
                                     f"{result.returncode}): {printed or 'no output'}; expected a search "
                                     f"index in {BUNDLE}/")])
    return printed


_CODE_PAGE = ('<!doctype html><html lang="{language}"><head><title>Search</title></head>'
              "<body><main data-pagefind-body><h1>Search</h1><p>Search.</p></main></body></html>")


def _reuse(cache: Path, key: str, pages: dict[str, Path], fresh: Path, language: str, display: str) -> bool:
    """Fill `fresh` with the cached index data, if sound, and the code of the installed Pagefind (from an
    index of a one-page site: about 0.1 s); False, and `fresh` left empty, when the cache cannot be used."""
    files = index_cache.load(cache, key)
    if files is None:
        return False
    with tempfile.TemporaryDirectory(prefix="medsite-pagefind-") as folder:
        code_site = Path(folder)
        (code_site / "index.html").write_text(_CODE_PAGE.format(language=html.escape(language)), "utf-8")
        _run(code_site, language, BUNDLE, display)
        code = code_site / BUNDLE
        entry = json.loads((code / ENTRY).read_text(encoding="utf-8"))
        if not index_cache.agrees(files, pages, entry):
            return False
        fresh.mkdir()
        index_cache.write(files, fresh)
        data = set(index_cache.data_files(code))
        for path in sorted(code.iterdir()):
            if path.is_file() and path.name not in data and path.name not in _UNUSED:
                shutil.copyfile(path, fresh / path.name)
    return True


def indexed_pages(site_dir: Path) -> list[dict]:
    """What Pagefind stored for each page of a built site (its fragment files: `url`, `content`, `meta`,
    `filters`), so tests and benchmarks check the index itself rather than the markup meant for it."""
    pages = []
    for path in sorted((site_dir / BUNDLE / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        pages.append(json.loads(data.removeprefix(b"pagefind_dcd")))
    return pages
