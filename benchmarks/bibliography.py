"""Time loading and formatting a Zotero-sized BibLaTeX bibliography, against `pandoc --citeproc`, in one run.

The file is synthetic (`synthetic.zotero_bibliography`: abstracts, keywords, file paths, urldate, PubMed
eprints; nine in ten journal articles). Each measurement is its own process, so imports count:
- pandoc: `pandoc --citeproc` with the same AMA CSL formats every entry (`nocite: '@*'`);
- cold: the project reads the file and formats every entry with nothing cached (a fresh checkout);
- warm: the same with `.cache/medsite/` from the cold run (every later build, `mkdocs serve`, CI with
  its cache).
Medians of --repeat runs. Targets: cold no slower than pandoc, warm under 0.5 s.

Run: .venv/bin/python benchmarks/bibliography.py --entries 3000
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypandoc
from synthetic import zotero_bibliography

from medsite.bibliography.reference_format import AMA_STYLE

WARM_TARGET = 0.5
# Runs in a fresh interpreter and prints the seconds from before the first import of the citation code to
# the last formatted entry, and how many entries it formatted.
PROJECT_RUN = """
import sys, time
start = time.perf_counter()
from pathlib import Path
from medsite.bibliography.load import load_bibliography
from medsite.bibliography.reference_format import format_bibliography
root = Path(sys.argv[1])
bibliography = load_bibliography(root / "references", root=root)
references = format_bibliography(bibliography, cache_root=root)
print(time.perf_counter() - start, len(references))
"""


def pandoc_seconds(root: Path) -> float:
    document = root / "all.md"
    document.write_text("---\nnocite: '@*'\n---\n", encoding="utf-8")
    start = time.perf_counter()
    subprocess.run([pypandoc.get_pandoc_path(), str(document), "--citeproc", f"--csl={AMA_STYLE}",
                    f"--bibliography={root / 'references' / 'zotero.bib'}", "-t", "html", "-o",
                    str(root / "pandoc.html")], check=True)
    return time.perf_counter() - start


def project_seconds(root: Path, entries: int) -> float:
    result = subprocess.run([sys.executable, "-c", PROJECT_RUN, str(root)], check=True, capture_output=True,
                            text=True)
    seconds, formatted = result.stdout.split()
    if int(formatted) != entries:
        raise SystemExit(f"the project formatted {formatted} of {entries} entries: {result.stderr}")
    return float(seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {"pandoc": [], "cold": [], "warm": []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "references").mkdir()
        (root / "references" / "zotero.bib").write_text(zotero_bibliography(args.entries), encoding="utf-8")
        size = (root / "references" / "zotero.bib").stat().st_size
        for _ in range(args.repeat):  # pandoc, cold and warm back to back: each sees the same machine load
            times["pandoc"].append(pandoc_seconds(root))
            shutil.rmtree(root / ".cache", ignore_errors=True)
            times["cold"].append(project_seconds(root, args.entries))
            times["warm"].append(project_seconds(root, args.entries))
    median = {name: statistics.median(runs) for name, runs in times.items()}
    print(f"{args.entries} BibLaTeX entries ({size / 1e6:.1f} MB), median of {args.repeat}:")
    print(f"  pandoc --citeproc         {median['pandoc']:7.2f} s")
    ratio = median["cold"] / median["pandoc"]
    print(f"  project, cold (no cache)  {median['cold']:7.2f} s   ratio {ratio:.2f} x pandoc")
    print(f"  project, warm (cached)    {median['warm']:7.2f} s   target < {WARM_TARGET} s")
    return 0 if median["cold"] <= median["pandoc"] and median["warm"] < WARM_TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
