"""Build synthetic sites of 1,000 / 5,000 / 10,000 articles with the full project and with plain Material.

For each size, a fresh copy of the project (mkdocs.yml, hooks, overrides, data, site pages, references)
gets N synthetic articles (benchmarks/synthetic.py: review front matter, ~15 citations from an M-entry
bibliography, grade badges, an audience block, safety and pitfall callouts, 1,000-1,500 words). Then,
each build a fresh `mkdocs build` process, in one run:
- project, cold: the project's own mkdocs.yml with every hook, `.cache/medsite/` empty;
- plain: the same pages with plain Material: no hooks, no custom_dir, no citation processing (its
  Markdown extension is added by a hook), the same other Markdown extensions, the same nav policy;
- project, warm: the project again, with the disk cache the cold build left (a second build).
Peak memory is each build process's own maximum resident set (os.wait4).

Targets (issue 7): cold and warm <= 1.25 x plain at every size; 10,000 articles <= 11 x the time of
1,000; average article HTML <= 80 KB; peak memory <= 4 GB at 10,000.

Run: .venv/bin/python benchmarks/scale.py --sizes 1000 5000 10000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from synthetic import PROJECT, TODAY, Build, bibliography, build, project_article, topic_pool

from medsite.pagefind import BUNDLE, indexed_pages

TARGET_RATIO = 1.25
TARGET_GROWTH = 11.0
TARGET_HTML_KB = 80
TARGET_MEMORY_MB = 4096


def project_site(root: Path, articles: int, entries: int) -> Path:
    """A copy of the project whose articles are N synthetic ones (the real ones are left out)."""
    for folder in ("hooks", "overrides", "data", "references"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copytree(PROJECT / "docs", root / "docs", ignore=shutil.ignore_patterns("articles"))
    text, keys = bibliography(entries)
    (root / "references" / "synthetic.bib").write_text(text, encoding="utf-8")
    registry = yaml.safe_load((PROJECT / "data" / "people.yml").read_text(encoding="utf-8"))
    board = sorted(key for key, person in registry.items() if person.get("role") == "board")
    authors = sorted(key for key, person in registry.items() if person.get("role") == "author")[:1]
    topics, rng = topic_pool(), random.Random(7)
    folder = root / "docs" / "articles"
    folder.mkdir()
    for n in range(articles):
        text = project_article(n, keys, rng, topics=topics, board=board, authors=authors)
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
        isinstance(item, dict) and {"medsite.markdown_citations", "medsite.markdown_engine"} & set(item))]
    config["docs_dir"] = str(project / "docs")
    config["strict"] = False  # the generated pages (topics, references) the home page links to are absent
    docs = project / "docs"
    config["nav"] = [item for item in config["nav"] if (docs / next(iter(item.values()))).exists()]
    root.mkdir()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file()) / 2**20


def search_check(site: Path, articles: int) -> str:
    """The index holds the articles' titles, answers and text, and none of their reference lists."""
    pages = indexed_pages(site)
    text = " ".join(f"{page['meta'].get('title', '')} {page['meta'].get('answer', '')} {page['content']}"
                    for page in pages)
    found = {
        "titles": all(f"Synthetic question {n}:" in text for n in range(0, articles, max(1, articles // 50))),
        "answers": all(f"Synthetic answer {n}:" in text for n in range(0, articles, max(1, articles // 50))),
        "body text": "Critical safety considerations" in text,
        "no reference lists": "J Synth Med" not in text,
    }
    return ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in found.items())


def measure(articles: int, entries: int, repeat: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"scale-{articles}-") as folder:
        project = project_site(Path(folder) / "project", articles, entries)
        plain = plain_site(Path(folder) / "plain", project)
        cold = build(project)  # fresh copy: .cache/medsite/ is empty
        runs: dict[str, list[Build]] = {"plain": [], "warm": []}
        for _ in range(repeat):  # plain and warm back to back, so both see the same machine load
            runs["plain"].append(build(plain))
            runs["warm"].append(build(project))
        site = project / "site"
        pages = list((site / "articles").glob("*/index.html"))
        return {
            "articles": articles,
            "cold": cold,
            "plain": min(runs["plain"], key=lambda run: run.wall),
            "warm": min(runs["warm"], key=lambda run: run.wall),
            "html_kb": sum(page.stat().st_size for page in pages) / len(pages) / 1024,
            "site_mb": size_mb(site),
            "plain_site_mb": size_mb(plain / "site"),
            "index_mb": size_mb(site / BUNDLE),
            "plain_index_mb": size_mb(plain / "site" / "search"),
            "search": search_check(site, articles),
        }


def table(results: list[dict], entries: int) -> str:
    """A Markdown table (printed, and pasted into docs/performance.md)."""
    header = ("| articles | build s: project cold / warm / plain | ratio cold / warm (wall) "
              "| ratio cold / warm (CPU) | s per article | peak MB: project / plain | article HTML KB "
              "| site MB: project / plain | search index MB: project / plain | index KB per article |")
    lines = [header, "|" + " ---: |" * 10]
    for r in results:
        cold, warm, plain, n = r["cold"], r["warm"], r["plain"], r["articles"]
        lines.append(
            f"| {n:,} | {cold.wall:.1f} / {warm.wall:.1f} / {plain.wall:.1f} "
            f"| {cold.wall / plain.wall:.2f} / {warm.wall / plain.wall:.2f} "
            f"| {cold.cpu / plain.cpu:.2f} / {warm.cpu / plain.cpu:.2f} | {cold.wall / n:.4f} "
            f"| {max(cold.memory, warm.memory):.0f} / {plain.memory:.0f} | {r['html_kb']:.1f} "
            f"| {r['site_mb']:.0f} / {r['plain_site_mb']:.0f} "
            f"| {r['index_mb']:.1f} / {r['plain_index_mb']:.1f} "
            f"| {r['index_mb'] * 1024 / n:.1f} |")
    return "\n".join(lines) + f"\n\nBibliography: {entries:,} entries; 15 citations per article."


def verdicts(results: list[dict]) -> list[str]:
    """One line per target, with the measured value; failing lines start with FAIL."""
    out = []
    for r in results:
        worst = max(r["cold"].wall, r["warm"].wall) / r["plain"].wall
        out.append(f"{'ok  ' if worst <= TARGET_RATIO else 'FAIL'} {r['articles']:,}: ratio to plain "
                   f"{worst:.2f} (<= {TARGET_RATIO})")
        out.append(f"{'ok  ' if r['html_kb'] <= TARGET_HTML_KB else 'FAIL'} {r['articles']:,}: article HTML "
                   f"{r['html_kb']:.1f} KB (<= {TARGET_HTML_KB})")
        memory = max(r["cold"].memory, r["warm"].memory)
        out.append(f"{'ok  ' if memory <= TARGET_MEMORY_MB else 'FAIL'} {r['articles']:,}: peak memory "
                   f"{memory:.0f} MB (<= {TARGET_MEMORY_MB})")
        out.append(f"{'ok  ' if 'NO' not in r['search'] else 'FAIL'} {r['articles']:,}: search index: "
                   f"{r['search']}")
    by_size = {r["articles"]: r for r in results}
    if 1000 in by_size and 10000 in by_size:
        growth = by_size[10000]["cold"].wall / by_size[1000]["cold"].wall
        cpu_growth = by_size[10000]["cold"].cpu / by_size[1000]["cold"].cpu
        out.append(f"{'ok  ' if growth <= TARGET_GROWTH else 'FAIL'} 10,000 / 1,000 articles: "
                   f"{growth:.1f} x the time, {cpu_growth:.1f} x the CPU time (<= {TARGET_GROWTH:.0f})")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000, 10000])
    parser.add_argument("--entries", type=int, default=2000, help="bibliography entries (default: 2000)")
    parser.add_argument("--repeat", type=int, default=1, help="plain and warm builds per size (best counts)")
    args = parser.parse_args()
    results = []
    for articles in args.sizes:
        results.append(measure(articles, args.entries, args.repeat))
        print(f"measured {articles:,} articles", file=sys.stderr, flush=True)
    print(table(results, args.entries))
    checks = verdicts(results)
    print("\n".join(checks))
    return 1 if any(line.startswith("FAIL") for line in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
