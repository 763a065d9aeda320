"""Does a change leave the built site byte for byte as it was? Builds a git revision and the working tree
of this project the same way and compares the two site folders file by file.

Run: .venv/bin/python benchmarks/same_output.py [--against REV] [--instructions]   (default REV: main)

Both trees are copied (the files git tracks, plus new files not ignored) into fresh folders outside any git
repository, so no cache, no old site and no history leaks into either build. Three things in a build
legitimately vary from one run to the next, and are pinned here rather than ignored:
- last-updated dates: from `git log` (none outside a repository) or else the file's modification time, so
  every copied file gets the same modification time;
- the build date MkDocs writes into sitemap.xml and its .gz header: SOURCE_DATE_EPOCH, the same for both;
- "today" (review deadlines, overdue notices): the real date, the same for both builds of one run.
Nothing else may differ: an exit status of 1 lists every file that does. One tool's output is not byte-stable
even for one input: Pagefind writes each filter's values in an order that changes from run to run (a hash
map; build one revision twice and its filter files, their hashes in the file names and the metadata naming
those differ). The re-cut puts them in order since 8 December (medsite.search.recut.sorted_filters), but a
revision before that, or an index the re-cut leaves as Pagefind wrote it, still varies. Those files are
listed apart, as Pagefind's, and do not count: what Pagefind reads, every HTML file with its
`data-pagefind-*` attributes, is compared like any other file.

`--instructions` then builds each tree once more, warm (caches filled by the first build, as a rebuild
finds them), under `valgrind --tool=callgrind`, and prints the instructions each executed and their ratio:
a figure that the load of a shared machine does not move, unlike seconds.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
EPOCH = 1767225600  # 2026-01-01T00:00:00Z: every copied file's modification time and the build date


def export_revision(revision: str, into: Path) -> None:
    """The files of `revision` as git has them."""
    archive = subprocess.run(["git", "-C", str(PROJECT), "archive", "--format=tar", revision],
                             check=True, capture_output=True).stdout
    into.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)


def export_working_tree(into: Path) -> None:
    """The files of the working tree that git tracks or would track (new files not ignored)."""
    listed = subprocess.run(["git", "-C", str(PROJECT), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], check=True, capture_output=True).stdout
    for name in filter(None, listed.decode("utf-8", "surrogateescape").split("\0")):
        source = PROJECT / name
        if source.is_file():  # a tracked file deleted in the working tree is gone from this copy too
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, into / name, follow_symlinks=False)


def pin_times(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        os.utime(path, (EPOCH, EPOCH), follow_symlinks=False)


def build(project: Path, site: Path, *, under: tuple[str, ...] = ()) -> str:
    """`mkdocs build --strict` with this project's Python, importing the project's own medsite package;
    `under` is a command to run it under (valgrind). Returns what the build printed on stderr."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONPATH": str(project), "PYTHONHASHSEED": "0",
           "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([*under, sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                             str(project / "mkdocs.yml"), "-d", str(site)],
                            cwd=project, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"the build of {project} failed:\n{result.stdout}{result.stderr}")
    return result.stderr


def instructions(project: Path, site: Path) -> int:
    """Instructions a warm build of `project` executes (callgrind; child processes not followed)."""
    output = build(project, site, under=("valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"))
    return int(re.findall(r"Collected : (\d+)", output)[-1])


PAGEFIND_UNSTABLE = re.compile(
    r"pagefind/(filter/[^/]+\.pf_filter|pagefind\.[^/]+\.pf_meta|pagefind-entry\.json)")


def pagefind_unstable(name: str) -> bool:
    """Whether `name` (a path in the site) is one of the files Pagefind writes in a run-dependent order."""
    return PAGEFIND_UNSTABLE.fullmatch(name) is not None


def differences(first: Path, second: Path) -> list[str]:
    """Every file (relative path) present in only one tree or with other bytes in each."""
    found: list[str] = []

    def walk(comparison: filecmp.dircmp, prefix: str) -> None:
        found.extend(prefix + name for name in comparison.left_only + comparison.right_only)
        _, mismatch, errors = filecmp.cmpfiles(comparison.left, comparison.right, comparison.common_files,
                                               shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in comparison.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(first, second, ignore=[]), "")
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", default="main", metavar="REV", help="the revision to compare with")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions of a warm build of each (valgrind)")
    parser.add_argument("--keep", action="store_true", help="keep the two copies and sites, and print where")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="medsite-same-output-"))
    try:
        before, after = work / "before", work / "after"
        export_revision(args.against, before)
        after.mkdir()
        export_working_tree(after)
        for project in (before, after):
            pin_times(project)
            build(project, project.parent / f"{project.name}-site")
        every = differences(work / "before-site", work / "after-site")
        found = [name for name in every if not pagefind_unstable(name)]
        files = sum(1 for path in (work / "after-site").rglob("*") if path.is_file())
        for name in found:
            print(f"differs: {name}")
        for name in sorted(set(every) - set(found)):
            print(f"differs, as Pagefind's order does from run to run: {name}")
        print(f"{files} files built; {len(found)} differ between {args.against} and the working tree")
        if args.instructions:
            counts = [instructions(project, work / f"{project.name}-warm") for project in (before, after)]
            print(f"warm build: {counts[0]:,} instructions at {args.against}, {counts[1]:,} in the working "
                  f"tree ({counts[1] / counts[0]:.3f}x)")
        if args.keep:
            print(f"kept in {work}")
        return 1 if found else 0
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
