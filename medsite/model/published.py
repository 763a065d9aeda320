"""What may be published: an allow-list, not a deny-list.

MkDocs copies every file of the docs folder it does not render to the site byte for byte, on our origin,
and follows symbolic links while doing so: an `.html` or `.svg` file runs its script as the site, a link to
`/etc/passwd` or `/proc/self/environ` publishes that file, and a linked folder of Markdown is published
without any check. So the docs folder may hold only
- Markdown pages named `*.md` (lower case: `.MD` is copied as it is, not rendered), and
- static files of known, inert types inside the project's own asset folders (`extra.medsite.asset_folders`,
  default `assets/`, which .github/CODEOWNERS gives to the maintainers), an image only if its bytes are one;
and no symbolic link at all, in the docs folder or in the folders the build reads (references, data).
Each other file is an error naming it.

`docs_files` walks the docs folder as MkDocs does (same exclusions), so `medsite check` and the catalog see
the files the build publishes; the build itself uses MkDocs' own list.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from medsite.core.problems import Problem, display_path

if TYPE_CHECKING:
    from medsite.model.settings import Settings

PAGE_SUFFIX = ".md"
# Inert static types, by the bytes an image must start with (None: no signature to check).
STATIC_TYPES: dict[str, tuple[bytes, ...] | None] = {
    ".css": None,
    ".js": None,  # the project's own scripts: only loaded if mkdocs.yml names them (extra_javascript)
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
    ".ico": (b"\x00\x00\x01\x00",),
    ".woff": (b"wOFF",),
    ".woff2": (b"wOF2",),
}


def file_problem(src_uri: str, path: str, read_head, settings: Settings) -> Problem | None:
    """Why a file of the docs folder may not be published, or None. `read_head()` returns its first bytes
    (only asked of images)."""
    if src_uri.endswith(PAGE_SUFFIX):
        return None
    name = src_uri.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix.lower() == PAGE_SUFFIX or suffix.lower() in (".markdown", ".mdown", ".mkdn", ".mkd"):
        return Problem(path, None, f"a Markdown file named `*{suffix}`; expected a page named `*.md` "
                                   "(other endings are copied to the site as they are, or not checked)")
    folders = settings.asset_folders
    if not any(src_uri.startswith(folder + "/") for folder in folders) or suffix not in STATIC_TYPES:
        kinds = ", ".join(STATIC_TYPES)
        return Problem(path, None, f"a `{suffix or name}` file would be published as it is; expected only "
                                   f"Markdown pages (`*.md`), and static files ({kinds}) in the project's "
                                   f"asset folders ({', '.join(folder + '/' for folder in folders)})")
    signatures = STATIC_TYPES[suffix]
    if signatures is not None and not read_head().startswith(signatures):
        return Problem(path, None, f"not a `{suffix}` image (its bytes are something else); expected a real "
                                   f"image file")
    return None


def read_paths(root: Path, docs_dir: Path, bibliography_dir: Path, settings: Settings) -> list[Path]:
    """What the build reads: the docs and bibliography folders, and the data files with their folders (the
    project folder itself aside)."""
    paths = {docs_dir, bibliography_dir}
    for data_file in (root / settings.registry, root / settings.synonyms):
        paths |= {data_file} | ({data_file.parent} if data_file.parent != root else set())
    return sorted(path for path in paths if path.exists() or path.is_symlink())


def symlink_problems(paths: Iterable[Path], root: Path) -> list[Problem]:
    """Every symbolic link (to a file or a folder) among or inside `paths`, without following any."""
    problems = []
    for folder in paths:
        if folder.is_symlink():
            problems.append(_symlink(folder, root))
            continue
        if not folder.is_dir():
            continue
        for parent, dirnames, filenames in os.walk(folder):  # never follows links
            for name in sorted(dirnames + filenames):
                path = Path(parent, name)
                if path.is_symlink():
                    problems.append(_symlink(path, root))
    return problems


def _symlink(path: Path, root: Path) -> Problem:
    return _link_problem(display_path(path.parent.resolve() / path.name, root.resolve()))


def _link_problem(shown: str) -> Problem:
    return Problem(shown, None, "a symbolic link; expected a regular file or folder (a link would publish "
                                "or read whatever it points to)")


def link_problems(path: Path, display: str) -> list[Problem]:
    """A data file the build reads is refused, unread, when it is a symbolic link: its target could be any
    file of the machine, and parse errors would print parts of it into a public CI log."""
    return [_link_problem(display)] if path.is_symlink() else []


def docs_files(docs_dir: Path) -> list[str]:
    """The docs folder's files as MkDocs lists them (`mkdocs.structure.files.get_files` with its default
    exclusions: any name starting with `.`, and `templates/` at the top), as sorted docs-relative paths."""
    found = []
    for parent, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        relative = Path(parent).relative_to(docs_dir)
        dirnames[:] = [name for name in dirnames if not name.startswith(".")
                       and not (relative == Path(".") and name == "templates")]
        names = [name for name in filenames if not name.startswith(".")]
        if "index.md" in names and "README.md" in names:  # MkDocs publishes the index, not both
            names.remove("README.md")
        found += [(relative / name).as_posix() for name in names]
    return sorted(found)
