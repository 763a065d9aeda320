"""Time `medsite check` on 1,000 synthetic articles (target: at most 2 s).

Run: .venv/bin/python benchmarks/check.py
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ARTICLES = 1000
TARGET_SECONDS = 2.0
PROJECT = Path(__file__).resolve().parents[1]

ARTICLE = """\
---
title: Synthetic question number {n}?
description: A synthetic one-line answer for benchmarking.
status: under_review
audience: clinician
topics: [benchmark]
authors: [editorial-team]
reviewers: []
submitted: 2025-01-01
---
The bottom line for question {n}, citing a source [@key{n}] with a grade [grade: 1A].

## What it does

See [the next question](article-{next}.md#evidence) and [the previous one](article-{previous}.md), and
the figure ![A chart](../assets/chart.png "Chart").

## Evidence

Text with `inline code [not a link](nowhere.md)` and an [external link](https://example.org/{n}).

```python
print("[also not a link](nowhere.md)")
```

!!! safety "Critical safety considerations"

    Safety text linking to [the evidence](#evidence) and [alternatives](#alternatives).

!!! pitfall "Common pitfall to avoid"

    Pitfall text.

## Alternatives

| Option | Where |
| --- | --- |
| One | [index](../index.md) |
"""


def write_site(root: Path) -> None:
    """A project like the real one: its registry, a bibliography with every cited key, 1,000 articles."""
    shutil.copytree(PROJECT / "data", root / "data")
    (root / "references").mkdir()
    (root / "references" / "bench.bib").write_text(
        "".join(f"@misc{{key{n},\n  title = {{Synthetic reference {n}}},\n  year = {{2020}}\n}}\n\n"
                for n in range(ARTICLES)), encoding="utf-8")
    docs = root / "docs"
    (docs / "articles").mkdir(parents=True)
    (docs / "assets").mkdir()
    (docs / "assets" / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: Benchmark\nextra:\n  medsite:\n"
                                     "    registry: data/people.yml\n",
                                     encoding="utf-8")
    for n in range(ARTICLES):
        text = ARTICLE.format(n=n, next=(n + 1) % ARTICLES, previous=(n - 1) % ARTICLES)
        (docs / "articles" / f"article-{n}.md").write_text(text, encoding="utf-8")


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_site(root)
        start = time.perf_counter()
        command = [sys.executable, "-m", "medsite", "check", "--config", str(root / "mkdocs.yml")]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
    print(result.stdout + result.stderr, end="")
    verdict = "within" if elapsed <= TARGET_SECONDS else "OVER"
    print(f"medsite check on {ARTICLES} articles: {elapsed:.2f} s "
          f"({verdict} the {TARGET_SECONDS:.0f} s target)")
    return 0 if elapsed <= TARGET_SECONDS and result.returncode == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
