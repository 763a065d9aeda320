"""Outside judges of the built site (issue 8): Lighthouse and the W3C Nu HTML checker.

Builds the site strictly, serves it on 127.0.0.1 like a static host (medsite.checks.local_server), then
- runs Lighthouse (npm `lighthouse`, Debian's Chromium, default mobile simulation) three times on each
  article and prints the median run's accessibility, best-practices, SEO and performance scores, every
  run's performance score, and the total bytes; targets:
  100 / 100 / 100 and performance >= 95. Lighthouse audits only; every request the page made is listed
  from its report, and any that left 127.0.0.1 is printed;
- runs the Nu HTML checker (npm `vnu-jar`, on the machine's Java) on the built home page and each
  article and prints its errors, split into markup the project renders (banners, badges, audience
  switch, JSON-LD, the CSP and title, article content) and Material's own.
A report, not a gate: exit 0 whatever the judges find; 2 if they could not run (build failed, npm
packages or Java missing).

Run: .venv/bin/python benchmarks/judges.py [--articles N]   (needs `npm ci` first)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from medsite.checks.local_server import CHROMIUM_FLAGS, serving, stays_local
from medsite.pipeline.atomic_build import mkdocs_build_command

PROJECT = Path(__file__).resolve().parents[1]

NODE_MODULES = PROJECT / "node_modules"
LIGHTHOUSE = NODE_MODULES / ".bin" / "lighthouse"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CATEGORIES = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}  # name: target
# Markup the project renders (overrides/, hooks/, medsite's Markdown extensions), recognised by its
# class, id or attribute names; anything inside the article's own content counts too.
PROJECT_NAMES = ("medsite-", "audience-", "evidence-badge")


def build(site_dir: Path) -> bool:
    result = subprocess.run(mkdocs_build_command(PROJECT / "mkdocs.yml", site_dir), check=False,
                            capture_output=True, text=True, cwd=PROJECT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        print(result.stdout + result.stderr)
    return result.returncode == 0


# --- Lighthouse ----------------------------------------------------------------------------------------

@dataclass
class LighthouseResult:
    path: str
    scores: dict[str, int | None] = field(default_factory=dict)
    total_bytes: int = 0
    requests: list[str] = field(default_factory=list)
    failed_audits: list[str] = field(default_factory=list)
    error: str = ""
    performance_runs: list[int] = field(default_factory=list)  # every run's score; the median is shown


def lighthouse_median(url: str, path: str, out_dir: Path, runs: int) -> LighthouseResult:
    """The run with the median performance score, as Lighthouse's own guidance on variability advises:
    one run's score moves by several points with whatever else the machine is doing."""
    results = [lighthouse(url, path, out_dir, run) for run in range(runs)]
    scored = sorted((r for r in results if not r.error), key=lambda r: r.scores.get("performance") or 0)
    if not scored:
        return results[0]
    median = scored[(len(scored) - 1) // 2]
    median.performance_runs = [r.scores.get("performance") or 0 for r in results if not r.error]
    return median


def lighthouse(url: str, path: str, out_dir: Path, run: int = 0) -> LighthouseResult:
    report = out_dir / f"{path.strip('/').replace('/', '_') or 'home'}-{run}.json"
    command = [str(LIGHTHOUSE), url, f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
               f"--only-categories={','.join(CATEGORIES)}", "--output=json", f"--output-path={report}",
               "--quiet", "--no-enable-error-reporting", "--disable-full-page-screenshot"]
    try:
        run = subprocess.run(command, check=False, capture_output=True, text=True, timeout=300,
                             env={**os.environ, "CHROME_PATH": CHROME})
    except subprocess.TimeoutExpired:
        return LighthouseResult(path, error="no report within 5 minutes")
    if run.returncode != 0 or not report.is_file():
        said = (run.stderr or run.stdout).strip().splitlines()
        return LighthouseResult(path, error=said[-1] if said else f"exit status {run.returncode}")
    data = json.loads(report.read_text(encoding="utf-8"))
    result = LighthouseResult(path)
    for name, category in data["categories"].items():
        result.scores[name] = None if category["score"] is None else round(category["score"] * 100)
        for ref in category["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < 1:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                result.failed_audits.append(f"{name}: {audit['title']}{shown}")
    result.total_bytes = int(data["audits"]["total-byte-weight"].get("numericValue", 0))
    items = data["audits"]["network-requests"].get("details", {}).get("items", [])
    result.requests = [item["url"] for item in items]
    return result


def print_lighthouse(results: list[LighthouseResult]) -> None:
    targets = ", ".join(f"{name} >= {target}" for name, target in CATEGORIES.items())
    print(f"\n== Lighthouse (default mobile simulation; targets: {targets}; ! = below target)")
    print(f"{'page':<48} {'a11y':>5} {'b.p.':>5} {'SEO':>5} {'perf':>5} {'KiB':>7}")
    for result in results:
        if result.error:
            print(f"{result.path:<48} could not run: {result.error}")
            continue
        cells = []
        for name, target in CATEGORIES.items():
            score = result.scores.get(name)
            mark = "" if score is not None and score >= target else "!"
            cells.append(f"{score if score is not None else '-'}{mark}".rjust(5))
        print(f"{result.path:<48} {' '.join(cells)} {result.total_bytes / 1024:>7.0f}")
        if len(result.performance_runs) > 1:
            print(f"    performance over {len(result.performance_runs)} runs: "
                  f"{', '.join(map(str, result.performance_runs))} (the median run is shown)")
        for line in result.failed_audits:
            print(f"    below 1: {line}")
        left = [url for url in result.requests if not stays_local(url)]
        print(f"    requests: {len(result.requests)}, outside 127.0.0.1: {len(left)}")
        for url in left:
            print(f"    OUTSIDE: {url}")


# --- Nu HTML checker -----------------------------------------------------------------------------------

@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    start: tuple[int, int]
    end: tuple[int, int] = (1 << 30, 0)
    parent: Element | None = None


class _Elements(HTMLParser):
    """Every element with where it starts and ends, so a checker's line and column name an element."""

    VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                      "track", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, offset = self.getpos()  # offset counts from 0; the checker's columns from 1
        element = Element(tag, {k: v or "" for k, v in attrs}, (line, offset + 1),
                          parent=self.open[-1] if self.open else None)
        self.elements.append(element)
        if tag in self.VOID:  # ends with its start tag, at its `>`
            rows = (self.get_starttag_text() or "").split("\n")
            element.end = (line + len(rows) - 1, (offset if len(rows) == 1 else 0) + len(rows[-1]))
        else:
            self.open.append(element)

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].tag == tag:
                line, offset = self.getpos()
                for element in self.open[index:]:
                    element.end = (line, offset + len(tag) + 3)
                del self.open[index:]
                return


def element_at(elements: list[Element], line: int, col: int) -> Element | None:
    """The innermost element whose markup spans (line, col)."""
    inside = [e for e in elements if e.start <= (line, col) <= e.end]
    return max(inside, key=lambda e: e.start, default=None)


def is_project_markup(element: Element | None) -> bool:
    while element is not None:
        names = f"{element.attrs.get('class', '')} {element.attrs.get('id', '')}"
        if (any(name in names for name in PROJECT_NAMES) or "data-audience" in element.attrs
                or "md-content__inner" in names or element.tag == "title"
                or (element.tag == "script" and element.attrs.get("type") == "application/ld+json")
                or element.attrs.get("http-equiv", "").lower() == "content-security-policy"):
            return True
        element = element.parent
    return False


def nu_check(site_dir: Path, paths: list[str]) -> dict[str, list[tuple[bool, str]]]:
    """Errors per page as (ours?, "line:col message"). The checker reads the built files: it refuses to
    fetch from 127.0.0.1, and `--errors-only` leaves out its notes on CSP, which it cannot judge for files."""
    files = {path: site_dir / path / "index.html" for path in paths}
    run = subprocess.run(["java", "-jar", str(VNU), "--format", "json", "--errors-only",
                          *(str(file) for file in files.values())],
                         check=False, capture_output=True, text=True, timeout=600)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    by_file = {str(file.resolve()): path for path, file in files.items()}
    found: dict[str, list[tuple[bool, str]]] = {path: [] for path in paths}
    elements: dict[str, list[Element]] = {}
    for message in messages:
        url = message.get("url", "?")  # file:/tmp/… as Java writes file URLs
        path = by_file.get(str(Path(unquote(urlsplit(url).path)).resolve()), url)
        if path not in elements:
            parser = _Elements()
            parser.feed(files[path].read_text(encoding="utf-8") if path in files else "")
            elements[path] = parser.elements
        line, col = message.get("lastLine", message.get("firstLine", 0)), message.get("lastColumn", 0)
        ours = is_project_markup(element_at(elements[path], line, col))
        found.setdefault(path, []).append((ours, f"{line}:{col} {message['message']}"))
    return found


def print_nu(found: dict[str, list[tuple[bool, str]]]) -> None:
    print("\n== W3C Nu HTML checker (errors; target: none in markup the project renders)")
    for path, errors in found.items():
        ours = [text for mine, text in errors if mine]
        theirs = [text for mine, text in errors if not mine]
        print(f"{path or '/'}: {len(ours)} in project markup, {len(theirs)} in Material's own")
        for text in ours:
            print(f"    PROJECT: {text}")
        for text in theirs:
            print(f"    material: {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=None, help="judge only the first N articles")
    parser.add_argument("--runs", type=int, default=3, help="Lighthouse runs per article (median shown)")
    args = parser.parse_args(argv)
    missing = [str(tool) for tool in (LIGHTHOUSE, VNU) if not tool.exists()]
    missing += [tool for tool in ("java", "node", CHROME) if not shutil.which(tool)]
    if missing:
        print(f"judges: cannot run, missing {', '.join(missing)} (run `npm ci`; `make browser` for chromium)")
        return 2
    slugs = sorted(path.stem for path in (PROJECT / "docs" / "articles").glob("*.md"))[:args.articles]
    with tempfile.TemporaryDirectory(prefix="judges-") as tmp:
        site_dir = Path(tmp) / "site"
        if not build(site_dir):
            print("judges: the strict build failed; nothing to judge")
            return 2
        reports = Path(tmp) / "lighthouse"
        reports.mkdir()
        with serving(site_dir) as root:
            articles = [f"articles/{slug}/" for slug in slugs]
            print(f"judges: site built and served at {root}")
            print_lighthouse([lighthouse_median(root + path, path, reports, args.runs) for path in articles])
        print_nu(nu_check(site_dir, ["", *articles]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
