"""Build tiny sites in a temporary folder through MkDocs' own API, with the project's real config."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from tests.review_samples import with_test_board

PROJECT = Path(__file__).resolve().parents[1]


class BuildFailed(Exception):
    """The tiny build stopped; `log` holds everything MkDocs logged."""

    def __init__(self, log: str) -> None:
        self.log = log
        super().__init__(log)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(f"{record.levelname}: {record.getMessage()}")


@dataclass
class Built:
    site_dir: Path
    log: str
    warnings: list[str] = field(default_factory=list)

    def html(self, page: str) -> str:
        """HTML of a page given by its source path, e.g. `articles/a.md` or `index.md`."""
        rel = Path(page)
        target = rel.with_suffix("") / "index.html" if rel.stem != "index" else rel.parent / "index.html"
        return (self.site_dir / target).read_text(encoding="utf-8")


class SiteFactory:
    """A copy of the project's mkdocs.yml pointing at a docs folder the test writes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir(parents=True)
        for folder in ("data", "references"):
            if (PROJECT / folder).is_dir():
                shutil.copytree(PROJECT / folder, root / folder)
        with_test_board(root / "data" / "people.yml")
        shutil.copytree(PROJECT / "docs" / "assets", self.docs / "assets")
        self.config = self._project_config()

    def _project_config(self) -> dict:
        config = yaml.safe_load((PROJECT / "mkdocs.yml").read_text(encoding="utf-8"))
        config["hooks"] = [str(PROJECT / hook) for hook in config.get("hooks", [])]
        config["theme"]["custom_dir"] = str(PROJECT / config["theme"]["custom_dir"])
        config.pop("nav", None)
        return config

    def write(self, rel: str, text: str | bytes, *, listed: bool = True) -> Path:
        """Write a file relative to the site root (e.g. `docs/articles/a.md`, `references/x.bib`). A Markdown
        page outside docs/articles/ is added to the maintainers' site pages unless `listed` is false."""
        page = rel.removeprefix("docs/") if rel.startswith("docs/") and rel.endswith(".md") else None
        if listed and page and not page.startswith("articles/"):
            pages = self.config["extra"]["medsite"].setdefault("site_pages", [])
            if rel.removeprefix("docs/") not in pages:
                pages.append(rel.removeprefix("docs/"))
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return path

    def save_config(self) -> Path:
        """Write mkdocs.yml from `config` (build does it too)."""
        config_file = self.root / "mkdocs.yml"
        config_file.write_text(yaml.safe_dump(self.config, sort_keys=False), encoding="utf-8")
        return config_file

    def build(self, *, strict: bool = True) -> Built:
        """Build through MkDocs; raise BuildFailed with the log if MkDocs aborts."""
        self.config["strict"] = strict
        config_file = self.save_config()
        site_dir = self.root / "site"
        handler = _Collect()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(handler)
        try:
            config = load_config(config_file=str(config_file), site_dir=str(site_dir))
            build(config)
        except Abort as error:
            raise BuildFailed("\n".join([*handler.lines, f"ABORT: {error}"])) from None
        finally:
            logger.removeHandler(handler)
        warnings = [line for line in handler.lines if line.startswith(("WARNING", "ERROR"))]
        return Built(site_dir=site_dir, log="\n".join(handler.lines), warnings=warnings)
