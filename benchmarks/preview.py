"""Edit to preview: how long after an article is saved under `mkdocs serve --no-strict` (what `make serve`
runs) a reader's open browser shows the change, and whether everything that depends on it followed
(the topic page, the home list, the References page, the dashboard, search).

Each edit changes the article's title (front matter), the hardest case: the topic pages, the home list,
the References page, the dashboard and the search index all show titles. Timed from the write to the
moment the reloaded page in Chromium shows the new title (MkDocs' live reload); medians of several edits.
Search is timed from the server's log, read every 20 ms, not by searching in the browser meanwhile (which
at 10,000 articles loaded the machine and made the figure three times Pagefind's own): until the line
saying the preview's bundle of edited pages includes the edit (medsite/search/edits.py), and until the
line saying a full index run covering it ended. The last edit is then looked up once with the site's own
search box, by its title, before and after the full run: the article's place in the first five results.

Each edit also records the server process's CPU time over the same span (this machine is shared) and the
load average when it was saved.

Run alone on synthetic projects (benchmarks/scale.py's, page cache filled by one `mkdocs build` first):
  .venv/bin/python benchmarks/preview.py --articles 1000 10000 --edits 5
or on a project of your own: .venv/bin/python benchmarks/preview.py --project PATH --page articles/a.md
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import yaml
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import sync_playwright

from medsite.checks.local_server import CHROMIUM_FLAGS
from medsite.pages.topics import slugify

START_TIMEOUT = 1800  # seconds: the first build of 10,000 articles


@contextmanager
def serving(project: Path):
    """`mkdocs serve --no-strict` of the project on a free port; its log is kept for the report."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = project / "serve.log"
    command = [sys.executable, "-m", "mkdocs", "serve", "--no-strict", "-a", f"127.0.0.1:{port}",
               "-f", str(project / "mkdocs.yml")]
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=project,
                                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "Serving on" not in log.read_text() and process.poll() is None:
            if time.monotonic() > deadline:
                raise TimeoutError("mkdocs serve did not start")
            time.sleep(0.5)
        if process.poll() is not None:
            sys.exit(f"mkdocs serve stopped:\n{log.read_text()}")
        yield f"http://127.0.0.1:{port}/", log, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def retitle(source: Path, title: str) -> None:
    text = source.read_text(encoding="utf-8")
    source.write_text(re.sub(r"^title: .*$", f"title: '{title}'", text, count=1, flags=re.MULTILINE),
                      encoding="utf-8")


def cpu_seconds(pid: int) -> float:
    """User + system time of a process so far, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_memory_mb(pid: int) -> float:
    """The process's largest resident set so far (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


EDIT = re.compile(r"in the background \(edit (\d+)\)")  # hooks/serve.py: a rebuild's number
EDITS_INDEXED = re.compile(r"Search edits updated in [0-9.]+ s \(edit (\d+):")
FULL_INDEXED = re.compile(r"Search index updated in [0-9.]+ s \(edits up to (\d+)\)")


def logged(log: Path, after: int, pattern: re.Pattern, at_least: int = 0, timeout: float = 900) -> int:
    """Wait for a line of the server's log past offset `after` whose number is at least `at_least`; the
    number."""
    deadline = time.monotonic() + timeout
    while True:
        for found in pattern.finditer(log.read_text()[after:]):
            if int(found.group(1)) >= at_least:
                return int(found.group(1))
        if time.monotonic() > deadline:
            raise TimeoutError(f"{pattern.pattern} not logged:\n{log.read_text()[after:][-3000:]}")
        time.sleep(0.02)


def search_rank(browser, url: str, title: str, page_path: str) -> int | None:
    """Where the site's own search box (docs/assets/search.js, merging the preview's bundle of edits), on a
    page loaded fresh, lists the article among its first five results for its `title` (1: first), if it
    does."""
    page = browser.new_page()
    try:
        page.goto(url)
        page.keyboard.press("/")
        page.keyboard.type(title)
        page.locator(".md-search-result__meta", has_text=re.compile("matching")).wait_for(timeout=60_000)
        links = page.locator(".md-search-result__link").evaluate_all("links => links.map(link => link.href)")
        return next((n for n, link in enumerate(links, 1) if link.endswith(page_path)), None)
    except PlaywrightError:
        return None
    finally:
        page.close()


def measure(project: Path, src_uri: str, edits: int = 5) -> dict:
    """Median seconds from saving the article to the browser showing it (and to search finding it), and
    whether every page that shows the title followed the last edit."""
    source = project / "docs" / src_uri
    page_path = src_uri.removesuffix(".md") + "/"
    topics = yaml.safe_load(source.read_text(encoding="utf-8").split("---")[1])["topics"]
    times, cpu, edits_times, search_times, load = [], [], [], [], []
    with serving(project) as (url, log, pid), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=list(CHROMIUM_FLAGS))
        page = browser.new_page()
        page.goto(url + page_path)
        for n in range(edits):
            title = f"Edited question {n} number {time.time_ns()}?"
            time.sleep(1.2)  # a distinct modification time for MkDocs' dirty check
            mark = len(log.read_text())
            start, start_cpu = time.perf_counter(), cpu_seconds(pid)
            load.append(os.getloadavg()[0])
            retitle(source, title)
            page.locator("h1", has_text=title).wait_for(timeout=600_000)
            times.append(time.perf_counter() - start)
            cpu.append(cpu_seconds(pid) - start_cpu)  # the server's; this machine is shared
            edit = logged(log, mark, EDIT)
            logged(log, mark, EDITS_INDEXED, edit)
            edits_times.append(time.perf_counter() - start)
            if n == edits - 1:
                rank_by_edits = search_rank(browser, url, title, page_path)
            logged(log, mark, FULL_INDEXED, edit)
            search_times.append(time.perf_counter() - start)
        memory = peak_memory_mb(pid)
        pages = {"References page": "references/", "dashboard": "dashboard/",
                 **{f"topic {name}": f"topics/{slugify(name, '-')}/" for name in topics}}
        followed = {"search rank (bundle of edits)": rank_by_edits,
                    "search rank (full index)": search_rank(browser, url, title, page_path)}
        for name, path in pages.items():
            page.goto(url + path)
            followed[name] = title in page.content()
        page.goto(url)
        home = page.content()
        followed["home list (when listed)"] = title in home or f"{page_path}\"" not in home
        browser.close()
    return {"reload_s": statistics.median(times), "reload_all": times,
            "reload_cpu_s": statistics.median(cpu), "reload_cpu_all": cpu,
            "edits_s": statistics.median(edits_times), "edits_all": edits_times,
            "search_s": statistics.median(search_times), "search_all": search_times, "load": load,
            "memory_mb": memory,
            "followed": followed,
            "log": log.read_text()[-3000:]}


def summary(result: dict) -> str:
    """One line: medians and each edit's figures, the load averages, and what followed the edits."""
    def each(values: list[float], digits: int = 2) -> str:
        return ", ".join(f"{value:.{digits}f}" for value in values)

    return (f"reload s {result['reload_s']:.2f} ({each(result['reload_all'])}); server CPU s "
            f"{result['reload_cpu_s']:.2f} ({each(result['reload_cpu_all'])}); search followed s: bundle of "
            f"edits {result['edits_s']:.2f} ({each(result['edits_all'])}), full index run "
            f"{result['search_s']:.1f} ({each(result['search_all'], 1)}); load average "
            f"{each(result['load'], 1)}; server peak memory {result['memory_mb']:.0f} MB; "
            f"followed: {result['followed']}")


def main() -> None:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="*", default=[], help="synthetic project sizes")
    parser.add_argument("--project", type=Path, help="a project of your own instead")
    parser.add_argument("--page", default="articles/article-5.md", help="the article to edit")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    runs: list[tuple[str, Path]] = [(str(args.project), args.project)] if args.project else []
    with tempfile.TemporaryDirectory(prefix="preview-") as folder:
        for articles in args.articles:
            from scale import project_site  # the synthetic project of benchmarks/scale.py
            from synthetic import build

            project = project_site(Path(folder) / f"project-{articles}", articles, 2000)
            build(project)  # fills the page cache, as a contributor's earlier build would have
            runs.append((f"{articles:,} articles", project))
        for name, project in runs:
            result = measure(project, args.page, edits=args.edits)
            print(f"{name}: {summary(result)}", flush=True)
            print(result["log"][-1500:], flush=True)


if __name__ == "__main__":
    main()
