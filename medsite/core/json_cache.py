"""A JSON file under `.cache/medsite/` that survives between builds, so a fresh build skips slow work.

The cache is an optimisation only: a missing, unreadable or foreign file reads as empty, and a write
that fails leaves the build unaffected. Writes go through a temporary file and an atomic rename, so two
builds running at once never leave a half-written file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

CACHE_FOLDER = Path(".cache") / "medsite"


def digest(*parts: bytes | str) -> str:
    """A short, stable content hash of `parts` (each part is framed, so ("ab", "c") != ("a", "bc"))."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()[:32]


def cache_file(root: Path, name: str) -> Path:
    """Where the cache called `name` lives for the project whose mkdocs.yml is in `root`."""
    return root / CACHE_FOLDER / name


def read_json(path: Path | None, *, version: str) -> dict:
    """The cached mapping written with the same `version`, or an empty one."""
    if path is None:
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != version:
        return {}
    if not isinstance(data.get("items"), dict):
        return {}
    return data["items"]


def write_json(path: Path | None, items: dict, *, version: str) -> None:
    """Replace the cache file atomically; failures (read-only checkout, full disk) are ignored."""
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"version": version, "items": items}, stream, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)
