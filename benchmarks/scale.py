"""Scale: what readers and editors wait for at 1,000 and 10,000 articles, beside plain Material in one run.

For each size, a fresh copy of the project (mkdocs.yml, hooks, overrides, data, site pages, references)
gets N synthetic articles (benchmarks/synthetic.py: review front matter, ~15 citations from an M-entry
bibliography, grade badges, an audience block, safety and pitfall callouts, 1,000-1,500 words). Then:

- Builds, each a fresh `mkdocs build` process, in rounds of three back to back so that the three see the
  same machine load: plain Material (no hooks, no custom_dir, no citation processing, Material's own search
  plugin, the same other Markdown extensions and nav policy); the project cold (`.cache/medsite/` deleted:
  a fresh checkout); the project warm (the cache the cold build left). Medians over the rounds of wall time
  and of CPU time (user + system of the build and every process it waited for: Pagefind, the workers that
  format references or convert pages); peak memory is the largest resident set of any of them.
- Search, in Chromium over the built site served as a static host serves it (medsite.checks.local_server,
gzip):
  for each query, a fresh browser context opens the home page, focuses the search box and types the query
  at 20 characters a second; the bytes transferred from the focus to the first result shown, and the time
  from the last keystroke to the first result in the page. Then the title words of sampled articles are
  searched through the same box: the article must be among the first three results.
- Edit to reload (benchmarks/preview.py): `mkdocs serve --no-strict` of the project, an article's title
  changed, the time until the open page in Chromium shows it, and whether the topic pages, the home list,
  the References page, the dashboard and the search index followed.

Targets (issue 21): warm build <= 1.0 x plain, cold <= 1.5 x plain (wall time, medians); at most 300 KB
transferred for a query; first result within 300 ms of the last keystroke; the wanted article in the top 3
for its title words; edit to reload within 1 s at 1,000 articles and 3 s at 10,000. Kept from issue 7:
10,000 articles <= 11 x the time of 1,000; average article HTML <= 80 KB; peak memory <= 4 GB at 10,000.

The machine these figures come from is shared (2 cores, other developers' test suites): read the CPU-time
columns beside the wall-clock ones, and compare ratios made in the same run.

Run: .venv/bin/python benchmarks/scale.py --sizes 1000 10000 --rounds 3
(`--without-search` also times each round's cold build with the search index's step turned off: what
Pagefind and the re-cut add to a first build.)

Search alone, on sites built once: `--rounds 0 --no-preview --keep DIR` keeps each site it builds in DIR
and, run again, measures search on the site already there (with the current docs/assets/search.js);
`--index pagefind` or `--index recut` first indexes that site again with the installed Pagefind, its
chunks as Pagefind writes them or cut again (medsite.search.recut), so both are measured on one site.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import yaml
from playwright.sync_api import sync_playwright
from synthetic import PROJECT, TODAY, Build, bibliography, build, project_article, topic_pool

from medsite.bibliography.load import load_bibliography
from medsite.bibliography.reference_format import format_bibliography
from medsite.checks.local_server import CHROMIUM_FLAGS, serving
from medsite.core.json_cache import CACHE_FOLDER
from medsite.review.rules import reference_pins
from medsite.search import recut
from medsite.search.pagefind import BUNDLE, command, indexed_pages

TARGET_WARM = 1.0
TARGET_COLD = 1.5
TARGET_QUERY_KB = 300
TARGET_FIRST_RESULT_MS = 300
TARGET_RELOAD_S = {1000: 1.0, 10000: 3.0}
TARGET_GROWTH = 11.0
TARGET_HTML_KB = 80
TARGET_MEMORY_MB = 4096
QUERIES = ("cabazitaxel", "jevtana", "bone metastases", "neutropenia dose reduction")
TOPIC_FIRST = "bone metastases"  # typed again after choosing the first topic in "Narrow the results"
TYPING_DELAY_MS = 50
CHROMIUM = "/usr/bin/chromium"


def project_site(root: Path, articles: int, entries: int, vocabulary: str = "shared") -> Path:
    """A copy of the project whose articles are N synthetic ones (the real ones are left out), written from
    the `vocabulary` synthetic.project_article knows ("shared" or "varied")."""
    for folder in ("hooks", "overrides", "data", "references"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copytree(PROJECT / "docs", root / "docs", ignore=shutil.ignore_patterns("articles"))
    text, keys = bibliography(entries)
    (root / "references" / "synthetic.bib").write_text(text, encoding="utf-8")
    # The project's seats are placeholders, which may not approve: the copy gets two fictional reviewers.
    people = root / "data" / "people.yml"
    people.write_text(people.read_text(encoding="utf-8") + "".join(
        f"\nbenchmark-reviewer-{n}:\n  role: board\n  name: Benchmark reviewer {n}\n"
        f"  credentials: synthetic\n  specialty: synthetic\n  conflicts: None (synthetic benchmark entry)\n"
        for n in (1, 2)),
        encoding="utf-8")
    registry = yaml.safe_load(people.read_text(encoding="utf-8"))
    board = sorted(key for key, person in registry.items() if person.get("role") == "board"
                   and not person.get("sample"))
    authors = sorted(key for key, person in registry.items() if person.get("role") == "author")[:1]
    # What approvals pin: the references as the build formats them (formatted here in memory, so the
    # build's own cache stays cold).
    parsed = load_bibliography(root / "references", root=root, use_disk_cache=False)
    pins = reference_pins(format_bibliography(parsed, cache_root=None))
    topics, rng = topic_pool(), random.Random(7)
    folder = root / "docs" / "articles"
    folder.mkdir()
    for n in range(articles):
        text = project_article(n, keys, rng, topics=topics, board=board, authors=authors, pins=pins,
                               vocabulary=vocabulary)
        (folder / f"article-{n}.md").write_text(text, encoding="utf-8")
    config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config["extra"]["medsite"]["today"] = TODAY  # the synthetic review dates are relative to it
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def plain_site(root: Path, project: Path) -> Path:
    """Plain Material over the project copy's docs folder: what MkDocs + Material cost on their own."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    for key in ("hooks", "extra"):
        config.pop(key)
    config["plugins"] = ["search"]  # plain Material searches with its own plugin
    config["theme"].pop("custom_dir")
    # No citation processing and no engine guard (which stops a build without the project's hooks).
    config["markdown_extensions"] = [item for item in config["markdown_extensions"] if not (
        isinstance(item, dict) and {"medsite.extensions.citations", "medsite.extensions.engine"} & set(item))]
    config["docs_dir"] = str(project / "docs")
    config["strict"] = False  # the generated pages (topics, references) the home page links to are absent
    docs = project / "docs"
    config["nav"] = [item for item in config["nav"] if (docs / next(iter(item.values()))).exists()]
    root.mkdir()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


@dataclass
class Builds:
    """One kind of build over the rounds: medians of wall and CPU time, the largest peak memory."""

    runs: list[Build]

    @property
    def wall(self) -> float:
        return statistics.median(run.wall for run in self.runs)

    @property
    def cpu(self) -> float:
        return statistics.median(run.cpu for run in self.runs)

    @property
    def memory(self) -> float:
        return max(run.memory for run in self.runs)


# The project's configuration with the search index's step turned off (`extra.medsite.search_index: false`,
# as `make serve` builds): what a cold build costs without Pagefind (--without-search).
UNSEARCHED = "mkdocs-without-search.yml"


def build_rounds(project: Path, plain: Path, rounds: int, *,
                 without_search: bool = False) -> dict[str, Builds]:
    runs: dict[str, list[Build]] = {"plain": [], "cold": [], "warm": []}
    if without_search:
        config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
        config["extra"]["medsite"]["search_index"] = False
        (project / UNSEARCHED).write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
        runs["cold without search"] = []
    for _ in range(rounds):
        runs["plain"].append(build(plain))
        shutil.rmtree(project / CACHE_FOLDER, ignore_errors=True)  # a fresh checkout: no cache at all
        runs["cold"].append(build(project))
        runs["warm"].append(build(project))
        if without_search:
            shutil.rmtree(project / CACHE_FOLDER, ignore_errors=True)
            runs["cold without search"].append(build(project, UNSEARCHED))
        print("  round (wall / CPU s, peak MB): " + ", ".join(
            f"{name} {found[-1].wall:.1f} / {found[-1].cpu:.1f}, {found[-1].memory:.0f}"
            for name, found in runs.items()), file=sys.stderr, flush=True)
    if without_search and rounds:
        build(project)  # the site the other figures are taken from is the project's own, with its index
    return {name: Builds(found) for name, found in runs.items()}


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def index_check(site: Path, articles: int) -> str:
    """The index holds the articles' titles, answers and text, and none of their reference lists."""
    pages = indexed_pages(site)
    text = " ".join(f"{page['meta'].get('title', '')} {page['meta'].get('answer', '')} {page['content']}"
                    for page in pages)
    step = max(1, articles // 50)
    found = {
        "titles": all(f"Synthetic question {n}:" in text for n in range(0, articles, step)),
        "answers": all(f"Synthetic answer {n}:" in text for n in range(0, articles, step)),
        "body text": "Critical safety considerations" in text,
        "no reference lists": "J Synth Med" not in text,
    }
    return ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in found.items())


# In the page: when the query was last typed into, and when the result list first got an entry after that.
_WATCH = """() => {
  const input = document.querySelector('[data-medsite-search] input[name=query]');
  const list = document.getElementById('medsite-search-results');
  window.__typed = 0; window.__shown = 0;
  input.addEventListener('input', () => { window.__typed = performance.now(); window.__shown = 0; });
  new MutationObserver(() => {
    if (!window.__shown && list.querySelector('.md-search-result__link')) window.__shown = performance.now();
  }).observe(list, {childList: true});
}"""


# What a query's bytes are, by the address of each file (Pagefind's bundle, then anything else).
KINDS = (("entry", "pagefind-entry.json"), ("script", ".js"), ("wasm", "/wasm."), ("metadata", ".pf_meta"),
         ("extras", recut.EXTRAS), ("filters", ".pf_filter"), ("words", ".pf_index"),
         ("fragments", ".pf_fragment"))


def kind(address: str) -> str:
    """The kind of file a request fetched (KINDS), or "other"."""
    path = address.split("?")[0]
    return next((name for name, mark in KINDS if mark in path), "other")


def typed_query(browser, url: str, query: str, *, topic_first: bool = False) -> dict:
    """A first-time reader's query: bytes from focusing the box to the first result (by kind of file,
    KINDS), milliseconds from the last keystroke to it, and the results' addresses in order. With
    `topic_first`, the reader first opens "Narrow the results" and chooses the first topic (a search
    with filters only), then types."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    page.evaluate(_WATCH)
    requests = []
    page.on("requestfinished", lambda request: requests.append(request))
    box = page.locator("[data-medsite-search] input[name=query]")
    page.keyboard.press("/")  # Material's shortcut opens the search box
    if topic_first:
        page.get_by_role("button", name="Narrow the results").click()
        topics = page.get_by_label("Topic", exact=True)
        topics.select_option(index=1)  # the first topic (0 is "All topics")
        _until(page, "() => window.__shown > 0", "the topic's pages")
        box.focus()
    box.type(query, delay=TYPING_DELAY_MS)
    _until(page, "() => window.__shown > 0 && window.__shown >= window.__typed", repr(query))
    shown = page.evaluate("() => window.__shown - window.__typed")
    page.wait_for_load_state("networkidle")
    links = page.locator("#medsite-search-results .md-search-result__link")
    urls = [link.get_attribute("href") for link in links.all()[:3]]
    by_kind = dict.fromkeys([name for name, _ in KINDS] + ["other"], 0)
    for request in requests:
        by_kind[kind(request.url)] += transferred(request)
    # Where the time goes: the same query again through Pagefind's own API in the page (the module
    # search.js loaded, its chunks in memory), whose timings split loading from ranking.
    timings = page.evaluate("""async ([url, query]) => {
        const timings = (await (await import(url)).search(query)).timings;
        return Array.isArray(timings) ? timings[0] : timings;  // one per index: the site has one
    }""", [f"{url}{BUNDLE}/pagefind.js", query])
    context.close()
    return {"bytes": sum(by_kind.values()), "first_result_ms": shown, "top": urls,
            "ranking_ms": timings["search"], "by_kind": by_kind}


def transferred(request) -> int:
    """Bytes a request transferred. Chromium reports no body for the script a web worker is started
    from (Pagefind's pagefind-worker.js, 12 KB gzip), which a fresh context always downloads: its size is
    the response's Content-Length. (Figures before 7 December evening left it out.)"""
    size = request.sizes()
    body = size["responseBodySize"]
    if not body and request.url.split("?")[0].endswith("-worker.js"):
        body = int(request.response().header_value("content-length") or 0)
    return body + size["responseHeadersSize"]


def _until(page, condition: str, what: str) -> None:
    """Poll a condition in the page (its CSP refuses wait_for_function's eval) for up to two minutes."""
    deadline = time.monotonic() + 120
    while not page.evaluate(condition):
        if time.monotonic() > deadline:
            raise TimeoutError(f"no result for {what}")
        time.sleep(0.02)


def reindex(site: Path, chunks: str) -> str:
    """Index the built `site` again with the installed Pagefind (as the build does, without its cache),
    its word chunks as Pagefind writes them ("pagefind") or cut again ("recut"); what was done."""
    shutil.rmtree(site / BUNDLE)
    subprocess.run(command(site, "en"), check=True, capture_output=True)
    if chunks == "recut":
        return str(recut.recut_index(site / BUNDLE))
    return "Search index: word chunks as Pagefind wrote them"


def index_figures(index: Path) -> dict:
    """The index's word chunks: how many, and the transferred size of its metadata."""
    entry = json.loads((index / recut.ENTRY).read_text(encoding="utf-8"))
    meta = index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    return {"chunks": len(list((index / "index").iterdir())), "meta_kb": meta.stat().st_size / 1024}


def search_figures(site: Path, articles: int, samples: int) -> dict:
    """Bytes and latency of typed queries, and the rank of sampled articles for their title words."""
    titles = {page["url"]: page["meta"].get("title", "") for page in indexed_pages(site)}
    wanted = [f"/articles/article-{n}/" for n in range(0, articles, max(1, articles // samples))][:samples]
    with serving(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_FLAGS))
        queries = [typed_query(browser, url, query) for query in QUERIES]
        topic_first = typed_query(browser, url, TOPIC_FIRST, topic_first=True)
        ranks = []
        for address in wanted:
            words = titles[address].replace(":", " ").replace("?", " ")
            found = typed_query(browser, url, " ".join(words.split()))
            ranks.append(any(link.rstrip("/").endswith(address.rstrip("/")) for link in found["top"]))
        browser.close()
    return {
        "load": os.getloadavg()[0],  # the one-minute load average as the queries end
        **index_figures(site / BUNDLE),
        "query_kb": [query["bytes"] / 1024 for query in queries],
        "kinds_kb": [{name: size / 1024 for name, size in query["by_kind"].items()}
                     for query in [*queries, topic_first]],
        "topic_first_kb": topic_first["bytes"] / 1024,
        "topic_first_ms": topic_first["first_result_ms"],
        "ranking_ms": [query["ranking_ms"] for query in queries],
        "first_result_ms": [query["first_result_ms"] for query in queries],
        "top3": (sum(ranks), len(ranks)),
    }


def built(root: Path) -> bool:
    """A site kept by an earlier run (--keep): its search is measured again, with today's search box."""
    if not (root / "site" / BUNDLE / recut.ENTRY).is_file():
        return False
    shutil.copyfile(PROJECT / "docs" / "assets" / "search.js", root / "site" / "assets" / "search.js")
    return True


def measure(articles: int, entries: int, rounds: int, *, search: tuple[str, ...], preview: bool,
            keep: Path | None = None, index: str | None = None, without_search: bool = False) -> dict:
    """The figures of one size: builds over `rounds` (none: one build of the project, for the other
    figures), then search in each corpus of `search` ("shared": the builds' site; "varied": a site of its
    own, built once), then edit to reload. With `keep`, the sites are built in that folder and kept, and
    a site already there is not built again (only with no build rounds); with `index`, each searched site
    is indexed again first (`reindex`)."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
    with (contextlib.nullcontext(str(keep / f"scale-{articles}")) if keep
          else tempfile.TemporaryDirectory(prefix=f"scale-{articles}-")) as folder:
        project = Path(folder) / "project"
        kept = not rounds and built(project)
        if not kept:
            shutil.rmtree(project, ignore_errors=True)
            project_site(project, articles, entries)
        result: dict = {"articles": articles}
        if rounds:
            plain = plain_site(Path(folder) / "plain", project)
            result |= build_rounds(project, plain, rounds, without_search=without_search)
            result |= {"plain_site_mb": size_mb(plain / "site"),
                       "plain_index_mb": size_mb(plain / "site" / "search")}
        elif not kept:
            build(project)
        site = project / "site"
        pages = list((site / "articles").glob("*/index.html"))
        result |= {
            "html_kb": sum(page.stat().st_size for page in pages) / len(pages) / 1024,
            "site_mb": size_mb(site), "index_mb": size_mb(site / BUNDLE),
            "index": index_check(site, articles),
        }
        if search:
            result["search"] = {}
            for corpus in search:
                if corpus == "shared":
                    searched = site
                else:
                    other = Path(folder) / corpus
                    if not (keep and built(other)):
                        shutil.rmtree(other, ignore_errors=True)
                        build(project_site(other, articles, entries, vocabulary=corpus))
                    searched = other / "site"
                if index:
                    print(f"  {reindex(searched, index)}", file=sys.stderr, flush=True)
                print(f"  search, {corpus} corpus", file=sys.stderr, flush=True)
                result["search"][corpus] = search_figures(searched, articles, samples=20)
        if preview:
            from preview import measure as edit_to_reload  # Chromium and `mkdocs serve`

            result["preview"] = edit_to_reload(project, "articles/article-5.md", edits=5)
        return result


def table(results: list[dict], entries: int) -> str:
    """Markdown tables (printed, and pasted into docs/performance.md)."""
    built = [r for r in results if "plain" in r]  # --rounds 0: no build figures
    lines = ["| articles | wall s: plain / cold / warm | ratio cold / warm (wall) "
             "| CPU s: plain / cold / warm | ratio cold / warm (CPU) | peak MB: project / plain "
             "| article HTML KB | site MB: project / plain | search index MB: project / plain |",
             "|" + " ---: |" * 9] if built else []
    for r in built:
        plain, cold, warm = r["plain"], r["cold"], r["warm"]
        lines.append(
            f"| {r['articles']:,} | {plain.wall:.1f} / {cold.wall:.1f} / {warm.wall:.1f} "
            f"| {cold.wall / plain.wall:.2f} / {warm.wall / plain.wall:.2f} "
            f"| {plain.cpu:.1f} / {cold.cpu:.1f} / {warm.cpu:.1f} "
            f"| {cold.cpu / plain.cpu:.2f} / {warm.cpu / plain.cpu:.2f} "
            f"| {max(cold.memory, warm.memory):.0f} / {plain.memory:.0f} | {r['html_kb']:.1f} "
            f"| {r['site_mb']:.0f} / {r['plain_site_mb']:.0f} "
            f"| {r['index_mb']:.1f} / {r['plain_index_mb']:.1f} |")
    lines.append(f"\nBibliography: {entries:,} entries; 15 citations per article; medians of "
                 f"{len(built[0]['plain'].runs)} rounds." if built else "\nNo build rounds (--rounds 0).")
    if any("search" in r for r in results):
        lines += ["", "| articles | corpus | query | KB transferred | first result ms "
                  "| Pagefind's ranking ms | load average | word chunks | metadata KB |",
                  "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in results:
            for corpus, found in r.get("search", {}).items():
                for query, kb, ms, ranking in zip(QUERIES, found["query_kb"], found["first_result_ms"],
                                                  found["ranking_ms"], strict=True):
                    lines.append(f"| {r['articles']:,} | {corpus} | {query} | {kb:.0f} | {ms:.0f} "
                                 f"| {ranking:.0f} | {found['load']:.1f} | {found['chunks']:,} "
                                 f"| {found['meta_kb']:.0f} |")
    if any("search" in r for r in results):
        names = [name for name, _ in KINDS] + ["other"]
        lines += ["", "| articles | corpus | query | " + " | ".join(f"{name} KB" for name in names) + " |",
                  "| ---: | --- | --- |" + " ---: |" * len(names)]
        for r in results:
            for corpus, found in r.get("search", {}).items():
                for query, kinds in zip([*QUERIES, f"{TOPIC_FIRST}, a topic chosen first"], found["kinds_kb"],
                                        strict=True):
                    lines.append(f"| {r['articles']:,} | {corpus} | {query} | "
                                 + " | ".join(f"{kinds[name]:.1f}" for name in names) + " |")
    if any("preview" in r for r in results):
        lines += ["", "| articles | edit to reload s (median) | each edit s | server CPU s (median) "
                  "| each edit CPU s | search followed s |", "| ---: | ---: | --- | ---: | --- | ---: |"]
        for r in results:
            if "preview" in r:
                p = r["preview"]
                lines.append(f"| {r['articles']:,} | {p['reload_s']:.2f} | "
                             f"{', '.join(f'{s:.2f}' for s in p['reload_all'])} | {p['reload_cpu_s']:.2f} | "
                             f"{', '.join(f'{s:.2f}' for s in p['reload_cpu_all'])} | {p['search_s']:.1f} |")
    return "\n".join(lines)


def verdict(ok: bool, text: str) -> str:
    return f"{'ok  ' if ok else 'FAIL'} {text}"


def verdicts(results: list[dict]) -> list[str]:
    """One line per target, with the measured value; failing lines start with FAIL."""
    out = []
    for r in results:
        n = f"{r['articles']:,}"
        if plain := r.get("plain"):
            for kind, target in (("warm", TARGET_WARM), ("cold", TARGET_COLD)):
                wall, cpu = r[kind].wall / plain.wall, r[kind].cpu / plain.cpu
                out.append(verdict(wall <= target, f"{n}: {kind} build {wall:.2f} x plain in wall time "
                                                   f"(<= {target}); {cpu:.2f} x in CPU time"))
            if unsearched := r.get("cold without search"):
                out.append(f"     {n}: cold build without the search index's step "
                           f"{unsearched.wall / plain.wall:.2f} x plain in wall time, "
                           f"{unsearched.cpu / plain.cpu:.2f} x in CPU time (for comparison)")
        out.append(verdict(r["html_kb"] <= TARGET_HTML_KB, f"{n}: article HTML {r['html_kb']:.1f} KB "
                                                           f"(<= {TARGET_HTML_KB})"))
        if plain:
            memory = max(r["cold"].memory, r["warm"].memory)
            out.append(verdict(memory <= TARGET_MEMORY_MB, f"{n}: peak memory {memory:.0f} MB "
                                                           f"(<= {TARGET_MEMORY_MB})"))
        out.append(verdict("NO" not in r["index"], f"{n}: search index: {r['index']}"))
        for corpus, search in r.get("search", {}).items():
            where = f"{n}, {corpus} corpus"
            kb = max(*search["query_kb"], search["topic_first_kb"])
            ms = statistics.median(search["first_result_ms"])
            out.append(verdict(kb <= TARGET_QUERY_KB, f"{where}: a query transfers at most {kb:.0f} KB "
                                                      f"(<= {TARGET_QUERY_KB})"))
            slowest = max(search["first_result_ms"])
            out.append(verdict(ms <= TARGET_FIRST_RESULT_MS,
                               f"{where}: first result {ms:.0f} ms after the last keystroke, median "
                               f"(<= {TARGET_FIRST_RESULT_MS}); slowest {slowest:.0f} ms; load average "
                               f"{search['load']:.1f}"))
            found, asked = search["top3"]
            out.append(verdict(found == asked, f"{where}: wanted article in the top 3 for its title words: "
                                               f"{found} of {asked}"))
        if preview := r.get("preview"):
            target = TARGET_RELOAD_S.get(r["articles"])
            out.append(verdict(target is None or preview["reload_s"] <= target,
                               f"{n}: edit to reload {preview['reload_s']:.2f} s, median (<= {target} s); "
                               f"{preview['reload_cpu_s']:.2f} s of the server's CPU time"))
            missed = [name for name, ok in preview["followed"].items() if not ok]
            out.append(verdict(not missed, f"{n}: the edit reached every page that shows it"
                                           + (f" except {', '.join(missed)}" if missed else "")))
    by_size = {r["articles"]: r for r in results}
    if 1000 in by_size and 10000 in by_size and "cold" in by_size[1000] and "cold" in by_size[10000]:
        growth = by_size[10000]["cold"].wall / by_size[1000]["cold"].wall
        cpu_growth = by_size[10000]["cold"].cpu / by_size[1000]["cold"].cpu
        out.append(verdict(growth <= TARGET_GROWTH,
                           f"10,000 / 1,000 articles: {growth:.1f} x the time, {cpu_growth:.1f} x the CPU "
                           f"time (<= {TARGET_GROWTH:.0f})"))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--entries", type=int, default=2000, help="bibliography entries (default: 2000)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of plain, cold and warm builds (0: one build, no build figures)")
    parser.add_argument("--no-search", action="store_true", help="skip the search figures (Chromium)")
    parser.add_argument("--corpus", nargs="+", choices=("shared", "varied"), default=["shared", "varied"],
                        help="the synthetic articles search is measured on (benchmarks/synthetic.py): "
                             "shared, every article written from one vocabulary (the builds' site, the "
                             "index's worst case); varied, each about its own topic and drug (a site "
                             "built once more). Default: both")
    parser.add_argument("--no-preview", action="store_true", help="skip edit to reload (mkdocs serve)")
    parser.add_argument("--without-search", action="store_true",
                        help="also time each round's cold build with the search index's step turned off "
                             "(`extra.medsite.search_index: false`): what Pagefind adds to a first build")
    parser.add_argument("--keep", type=Path, help="build the sites in this folder and keep them; with "
                        "--rounds 0, a site already built there is searched again without a build")
    parser.add_argument("--index", choices=("pagefind", "recut"),
                        help="index each searched site again first: its word chunks as Pagefind writes them, "
                             "or cut again (medsite.search.recut)")
    args = parser.parse_args()
    results = []
    for articles in args.sizes:
        print(f"{articles:,} articles", file=sys.stderr, flush=True)
        corpora = () if args.no_search else tuple(args.corpus)
        results.append(measure(articles, args.entries, args.rounds, search=corpora,
                               preview=not args.no_preview, keep=args.keep, index=args.index,
                               without_search=args.without_search))
    print(table(results, args.entries))
    checks = verdicts(results)
    print("\n".join(checks))
    return 1 if any(line.startswith("FAIL") for line in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
