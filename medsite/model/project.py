"""The project: the folder holding mkdocs.yml, its docs folder, its bibliography folder and its settings.

One `Project` is made by `project_from_config` from the values of mkdocs.yml, in a build from those MkDocs
read (hooks/medsite_mkdocs/adapter.py), for the `medsite` command from the file itself (`load_project`: the
command runs without MkDocs). Either way the same values get the same defaults, paths and errors.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from medsite.core.problems import Problem, ProblemsError, display_path
from medsite.model.settings import Settings, read_settings


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without MkDocs: tags such as `!ENV` or `!!python/name:` become plain values."""


CITATIONS_EXTENSION = "medsite.extensions.citations"  # listed in mkdocs.yml's markdown_extensions
DEFAULT_BIBLIOGRAPHY = "references"  # its `bibliography` folder when the option is left out

_ConfigLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_ConfigLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


@dataclass(frozen=True)
class Project:
    """Where everything of one site is; every path absolute and resolved."""

    config_file: Path
    root: Path
    docs_dir: Path
    settings: Settings  # `extra.medsite`
    bibliography: str = DEFAULT_BIBLIOGRAPHY  # `bibliography` of medsite.extensions.citations in mkdocs.yml
    use_directory_urls: bool = True  # MkDocs' own setting: `a.md` is served at `a/` (raw HTML paths)
    citation_options: dict = field(default_factory=dict)  # all its options (citation_style, ...)

    @property
    def articles_dir(self) -> Path:
        """The folder of articles: every page in it is an article."""
        return self.docs_dir / "articles"

    @property
    def bibliography_dir(self) -> Path:
        """The folder of .bib files, as the citation extension's options in mkdocs.yml name it."""
        return (self.root / self.bibliography).resolve()

    @property
    def registry_path(self) -> Path:
        """The people registry (`extra.medsite.registry`)."""
        return (self.root / self.settings.registry).resolve()

    @property
    def synonyms_path(self) -> Path:
        """The synonyms file (`extra.medsite.synonyms`)."""
        return (self.root / self.settings.synonyms).resolve()

    def display(self, path: Path) -> str:
        """A path as problems show it: relative to the project root when inside it."""
        return display_path(Path(path).resolve(), self.root)


def project_from_config(config_file: Path, *, docs_dir: str | Path | None, extra: object,
                        citation_options: object, use_directory_urls: bool = True) -> Project:
    """The project of the mkdocs.yml at `config_file`, from its values: `docs_dir`, `extra` and the options
    of medsite.extensions.citations under markdown_extensions."""
    config_file = Path(config_file).resolve()
    root = config_file.parent
    medsite = extra.get("medsite") if isinstance(extra, Mapping) else None
    options = citation_options if isinstance(citation_options, Mapping) else {}
    return Project(
        config_file=config_file,
        root=root,
        docs_dir=(root / str(docs_dir or "docs")).resolve(),
        settings=read_settings(medsite, config=display_path(config_file, root)),
        bibliography=str(options.get("bibliography") or DEFAULT_BIBLIOGRAPHY),
        use_directory_urls=use_directory_urls,
        citation_options=dict(options),
    )


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
    return project_from_config(config_file, docs_dir=data.get("docs_dir"), extra=data.get("extra"),
                               citation_options=_extension_options(data.get("markdown_extensions"),
                                                                   CITATIONS_EXTENSION),
                               use_directory_urls=data.get("use_directory_urls") is not False)


def _extension_options(extensions: object, name: str) -> dict:
    """A Markdown extension's options in mkdocs.yml: a list of names and one-key mappings, or a mapping."""
    if isinstance(extensions, dict):
        extensions = [{key: value} for key, value in extensions.items()]
    for item in extensions if isinstance(extensions, list) else []:
        if isinstance(item, dict) and name in item:
            return dict(item[name]) if isinstance(item[name], dict) else {}
    return {}
