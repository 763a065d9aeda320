"""The project (the folder holding mkdocs.yml) and its settings, for commands run outside MkDocs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from medsite.problems import Problem, ProblemsError, display_path


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: tags such as `!ENV` or `!!python/name:` become plain values."""


CITATIONS_EXTENSION = "medsite.markdown_citations"  # listed in mkdocs.yml's markdown_extensions
DEFAULT_BIBLIOGRAPHY = "references"  # its `bibliography` folder when the option is left out

_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    config_file: Path
    root: Path
    docs_dir: Path
    settings: dict  # `extra.medsite`
    bibliography: str = DEFAULT_BIBLIOGRAPHY  # `bibliography` of medsite.markdown_citations in mkdocs.yml

    @property
    def articles_dir(self) -> Path:
        return self.docs_dir / "articles"

    @property
    def bibliography_dir(self) -> Path:
        """The folder of .bib files, as the citation extension's options in mkdocs.yml name it."""
        return (self.root / self.bibliography).resolve()

    def setting_path(self, key: str, default: str) -> Path:
        """A path setting from `extra.medsite`, relative to the project root."""
        return (self.root / str(self.settings.get(key) or default)).resolve()

    def display(self, path: Path) -> str:
        """A path as problems show it: relative to the project root when inside it."""
        return display_path(Path(path).resolve(), self.root)


def load_project(config: str | Path = "mkdocs.yml") -> Project:
    """Read mkdocs.yml; paths in it are relative to its folder, never to the current directory."""
    config_file = Path(config).resolve()
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), _ConfigLoader) or {}
    except OSError as error:
        raise ProblemsError(
            [
                Problem(
                    str(config),
                    None,
                    f"cannot read the MkDocs config: {error.strerror}; "
                    "expected mkdocs.yml (run inside the project or pass --config)",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise ProblemsError(
            [Problem(str(config), None, f"the MkDocs config is not valid YAML: {error}")]
        ) from None
    if not isinstance(data, dict):
        raise ProblemsError([Problem(str(config), None, "the MkDocs config is not a mapping")])
    root = config_file.parent
    extra = data.get("extra") if isinstance(data.get("extra"), dict) else {}
    settings = extra.get("medsite") if isinstance(extra.get("medsite"), dict) else {}
    return Project(
        config_file=config_file,
        root=root,
        docs_dir=(root / str(data.get("docs_dir") or "docs")).resolve(),
        settings=dict(settings),
        bibliography=str(_extension_options(data.get("markdown_extensions"), CITATIONS_EXTENSION).get(
            "bibliography") or DEFAULT_BIBLIOGRAPHY),
    )


def _extension_options(extensions: object, name: str) -> dict:
    """A Markdown extension's options in mkdocs.yml: a list of names and one-key mappings, or a mapping."""
    if isinstance(extensions, dict):
        extensions = [{key: value} for key, value in extensions.items()]
    for item in extensions if isinstance(extensions, list) else []:
        if isinstance(item, dict) and name in item:
            return dict(item[name]) if isinstance(item[name], dict) else {}
    return {}
