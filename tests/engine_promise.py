"""Build the project with any engine (MkDocs, ProperDocs, Zensical) and check the promise on what it wrote:
every article shows the caution unless our review rules proved it approved, no citation is left as raw
`[@key]` text, every numbered citation leads to an entry on its page, and no page is missing.

Shared by tests/test_engines.py and the Zensical canary (.ci/zensical-canary), so both check the same.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import yaml

from medsite.core.problems import ProblemsError
from medsite.markdown.frontmatter import parse
from medsite.model.project import load_project
from medsite.review.catalog import load_catalog, project_pins

CAUTION = "Educational purpose only · content pending human review"
RAW_CITATION = re.compile(r"\[-?@[^\]\s;,]+")  # what Pandoc's syntax leaves in text when nothing read it
COPIED = ("mkdocs.yml", "docs", "hooks", "overrides", "data", "references")


def engine_command(name: str) -> list[str] | None:
    """How to run an engine's `build`, or None when it is not installed. MkDocs and ProperDocs are the
    project's own dependencies (this Python's environment); Zensical is looked for there too, or where
    `MEDSITE_ZENSICAL` points (the canary installs it in a separate environment)."""
    if name == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "build"]
    if name == "zensical" and os.environ.get("MEDSITE_ZENSICAL"):
        return [os.environ["MEDSITE_ZENSICAL"], "build"]
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    return [found, "build"] if found else None


def engine_version(command: list[str]) -> str:
    result = subprocess.run([*command[:-1], "--version"], capture_output=True, text=True, check=False)
    found = re.search(r"\d+\.\d+[\w.]*", result.stdout)  # "mkdocs, version 1.6.1 from …" or "0.0.73"
    return found.group(0) if found else "unknown version"


def copy_project(source: Path, target: Path) -> Path:
    """The project's sources in a folder of their own: engines write caches and sites beside mkdocs.yml."""
    target.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(source / name, target / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source / name, target / name)
    return target


def edit_config(root: Path, change) -> None:
    """Rewrite the copy's mkdocs.yml through `change(config: dict)`."""
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True), encoding="utf-8")


@dataclass
class Run:
    """One engine's build of a project folder."""

    engine: str
    version: str
    returncode: int
    output: str
    seconds: float
    site_dir: Path


def build(name: str, command: list[str], root: Path) -> Run:
    """`<engine> build` in the project folder, strict as mkdocs.yml says, into `root/site`."""
    site_dir = root / "site"
    args = [*command, "-f", str(root / "mkdocs.yml")]
    if name != "zensical":  # Zensical writes to the config's site_dir and has no -d
        args += ["-d", str(site_dir)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true", "NO_COLOR": "1"}
    start = time.perf_counter()
    result = subprocess.run(args, cwd=root, capture_output=True, text=True, env=env, check=False, timeout=600)
    seconds = time.perf_counter() - start
    return Run(name, engine_version(command), result.returncode, result.stdout + result.stderr, seconds,
               site_dir)


def page_output(src_uri: str) -> str:
    """The HTML file a page's source becomes with directory URLs: `a/b.md` → `a/b/index.html`."""
    path = Path(src_uri)
    folder = path.parent if path.stem in ("index", "README") else path.with_suffix("")
    return (folder / "index.html").as_posix()


def source_pages(root: Path) -> set[str]:
    """Every page the docs folder holds (no hidden files or folders), as the HTML each becomes."""
    docs = load_project(root / "mkdocs.yml").docs_dir
    return {page_output(path.relative_to(docs).as_posix()) for path in docs.rglob("*.md")
            if not any(part.startswith(".") for part in path.relative_to(docs).parts)}


def built_pages(site_dir: Path) -> set[str]:
    if not site_dir.is_dir():
        return set()
    return {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("index.html")}


def articles(root: Path) -> dict[str, bool]:
    """Each article's HTML file and whether our review rules prove it approved (and unchanged). An article
    is what the templates take for one: a page under articles/, or with article front matter (status,
    reviewers or reviewed_hash), valid or not; only a valid, approved one may lose the caution."""
    project = load_project(root / "mkdocs.yml")
    catalog = load_catalog(project.docs_dir, project.root, project.settings, pins=project_pins(project))
    found = {}
    for path in project.docs_dir.rglob("*.md"):
        uri = path.relative_to(project.docs_dir).as_posix()
        try:
            data = parse(path.read_text(encoding="utf-8-sig"), uri).data or {}
        except ProblemsError:
            data = {}
        if uri.lower().startswith("articles/") or {"status", "reviewers", "reviewed_hash"} & set(data):
            article = catalog.article(uri)
            found[page_output(uri)] = article is not None and catalog.state(article).approved
    return found


class _Page(HTMLParser):
    """A page's text outside code, and the ids and in-page reference links it has."""

    SKIPPED = frozenset({"code", "pre", "script", "style", "kbd", "samp"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.text: list[str] = []
        self.ids: set[str] = set()
        self.reference_links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        href = found.get("href") or ""
        if tag == "a" and href.startswith("#ref-"):
            self.reference_links.add(href[1:])
        if tag in self.SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED and self.depth:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.text.append(data)


@dataclass
class Promise:
    """What a built site shows; `broken` lists every way it breaks the promise."""

    pages: set[str]
    articles: dict[str, bool] = field(default_factory=dict)  # each article built → whether it is cautioned
    missing: list[str] = field(default_factory=list)  # expected pages the engine did not write
    uncautioned: list[str] = field(default_factory=list)  # articles not proven approved, without caution
    cautioned_approved: list[str] = field(default_factory=list)  # approved articles still cautioned
    raw_citations: dict[str, list[str]] = field(default_factory=dict)  # page → raw `[@key` text
    lost_references: dict[str, list[str]] = field(default_factory=dict)  # page → `#ref-` without entry

    def broken(self, *, pages_too: bool = True) -> list[str]:
        found = [f"article without the caution: {page}" for page in self.uncautioned]
        found += [f"raw citation text on {page}: {', '.join(keys)}"
                  for page, keys in self.raw_citations.items()]
        found += [f"citation numbers without a reference entry on {page}: {', '.join(ids)}"
                  for page, ids in self.lost_references.items()]
        if pages_too:
            found += [f"page missing: {page}" for page in self.missing]
        return found


def check(site_dir: Path, root: Path, *, expected: set[str], rules_ran: bool) -> Promise:
    """The promise on `site_dir`. `expected`: the pages that must exist. `rules_ran`: whether the engine
    runs our review rules (then an approved article must lose the caution; otherwise every article keeps
    it, approved or not)."""
    pages = built_pages(site_dir)
    promise = Promise(pages=pages, missing=sorted(expected - pages))
    reviewed = articles(root)
    for page in sorted(pages):
        html = (site_dir / page).read_text(encoding="utf-8")
        parsed = _Page()
        parsed.feed(html)
        if raw := RAW_CITATION.findall(" ".join(parsed.text)):
            promise.raw_citations[page] = sorted(set(raw))
        if lost := sorted(parsed.reference_links - parsed.ids):
            promise.lost_references[page] = lost
        if page in reviewed:
            promise.articles[page] = CAUTION in html
            approved = reviewed[page] and rules_ran
            if not approved and CAUTION not in html:
                promise.uncautioned.append(page)
            if approved and CAUTION in html:
                promise.cautioned_approved.append(page)
    return promise


def summary(run: Run, promise: Promise) -> str:
    """One line of figures for a report."""
    missing = f" ({', '.join(promise.missing)})" if promise.missing else ""
    return (f"{run.engine} {run.version}: exit {run.returncode} in {run.seconds:.2f} s; "
            f"{len(promise.pages)} pages written, {len(promise.missing)} missing{missing}; "
            f"{sum(promise.articles.values())} of {len(promise.articles)} articles built show the caution; "
            f"raw citation text on {len(promise.raw_citations)} page(s); citation numbers without an entry "
            f"on {len(promise.lost_references)} page(s)")
