"""Time the citation processing: N synthetic articles x 15 citations from an M-entry bibliography.

The same pages are built in one run, each build a fresh `mkdocs build` process:
- plain: Material for MkDocs, no project hooks; citation markers stay text;
- citations, cold: the project's citation hooks with no cache (what CI sees on a fresh checkout);
- citations, warm: the same with `.cache/medsite/` from the previous build (a second build, or `serve`).
Each figure is the best of --repeat runs. Target: warm <= 1.25 x plain, and not growing with N.

Run: .venv/bin/python benchmarks/citations.py --articles 200 --entries 2000
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

import yaml
from synthetic import CITATIONS_PER_ARTICLE, PROJECT, Build, bibliography, build, simple_article

TARGET_RATIO = 1.25

def site(root: Path, articles: int, entries: int, *, citations: bool) -> Path:
    """A site folder with the same pages for both builds; only hooks and extensions differ."""
    rng = random.Random(7)
    text, keys = bibliography(entries)
    (root / "references").mkdir(parents=True)
    (root / "references" / "synthetic.bib").write_text(text, encoding="utf-8")
    docs = root / "docs" / "articles"
    docs.mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Synthetic answers\n", encoding="utf-8")
    for n in range(articles):
        (docs / f"article-{n}.md").write_text(simple_article(n, keys, rng), encoding="utf-8")
    # The project's templates: they print each article's reference list and the References page.
    shutil.copytree(PROJECT / "overrides", root / "overrides")
    project = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
    config = {
        "site_name": "Citation benchmark",
        "strict": True,
        "not_in_nav": "/articles/\n",
        "theme": {"name": "material", "custom_dir": "overrides", "font": False,
                  "features": project["theme"]["features"]},
        "plugins": ["search"],
        "markdown_extensions": [ext for ext in project["markdown_extensions"]  # not the project's own
                                if not str(next(iter(ext), "") if isinstance(ext, dict) else ext).startswith(
                                    "medsite")]
        + ([{"medsite.extensions.citations": {"bibliography": "references"}}] if citations else []),
        "hooks": [str(PROJECT / "hooks" / "citations.py"), str(PROJECT / "hooks" / "references_page.py")]
        if citations else [],
        "nav": ["index.md", *(["references.md"] if citations else [])],
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return root


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--entries", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        plain = site(Path(folder) / "plain", args.articles, args.entries, citations=False)
        cited = site(Path(folder) / "citations", args.articles, args.entries, citations=True)
        cache = cited / ".cache"
        times: dict[str, list[Build]] = {"plain": [], "cold": [], "warm": []}
        for _ in range(args.repeat):  # plain and warm back to back, so both see the same machine load
            shutil.rmtree(cache, ignore_errors=True)
            times["cold"].append(build(cited))
            times["plain"].append(build(plain))
            times["warm"].append(build(cited))
    wall = {name: min(run.wall for run in runs) for name, runs in times.items()}
    cpu = {name: min(run.cpu for run in runs) for name, runs in times.items()}
    print(f"{args.articles} articles x {CITATIONS_PER_ARTICLE} citations, {args.entries} entries "
          f"(best of {args.repeat}; wall clock, CPU):")
    for name, label in (("plain", "plain Material"), ("cold", "citations, cold cache"),
                        ("warm", "citations, warm cache")):
        ratio = "" if name == "plain" else (f"   ratio {wall[name] / wall['plain']:.2f} wall, "
                                            f"{cpu[name] / cpu['plain']:.2f} CPU")
        print(f"  {label:<24} {wall[name]:6.2f} s  {cpu[name]:6.2f} s{ratio}")
    print(f"  target: warm <= {TARGET_RATIO} x plain")
    return 0 if cpu["warm"] / cpu["plain"] <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
