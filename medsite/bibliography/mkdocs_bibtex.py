"""mkdocs-bibtex's `bibtex` plugin left in mkdocs.yml, found where it stands and explained.

A site moved from mkdocs-bibtex (CONTRIBUTING: "Moving a site from mkdocs-bibtex") keeps working only if
its `plugins: - bibtex:` entry goes; left there, MkDocs would say no more than that the plugin is not
installed. The project's own `bibtex` plugin entry point (medsite_plugins) and `medsite check` report it
with this module's messages instead, at the entry's line, with one message per mkdocs-bibtex setting
saying what to write in its place.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from medsite.bibliography.reference_format import MKDOCS_BIBTEX_SETTINGS
from medsite.core.problems import Problem, display_path
from medsite.model.project import CITATIONS_EXTENSION

PLUGIN = "bibtex"  # mkdocs-bibtex's entry-point name


def bibtex_plugin_problems(config_file: Path, root: Path | None = None) -> list[Problem]:
    """An error at each `bibtex` entry under `plugins` in `config_file` and at each of its settings."""
    config_file = Path(config_file).resolve()
    path = display_path(config_file, (root or config_file.parent).resolve())
    try:
        document = yaml.compose(config_file.read_text(encoding="utf-8"), Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
        return []  # MkDocs and `medsite check` report an unreadable config themselves
    problems = []
    for key, value in _plugin_entries(_value_of(document, "plugins")):
        if key.value != PLUGIN:
            continue
        problems.append(Problem(path, key.start_mark.line + 1, (
            f"found mkdocs-bibtex's `{PLUGIN}` plugin; expected no `{PLUGIN}` under plugins and "
            f"`{CITATIONS_EXTENSION}` under markdown_extensions, which reads the same [@key] citations "
            "(CONTRIBUTING: Moving a site from mkdocs-bibtex)"), key.start_mark.column + 1))
        for name, _setting in _mapping_items(value):
            if name.value in MKDOCS_BIBTEX_SETTINGS:
                problems.append(Problem(path, name.start_mark.line + 1, (
                    f"found mkdocs-bibtex's `{name.value}`; expected {MKDOCS_BIBTEX_SETTINGS[name.value]}"),
                    name.start_mark.column + 1))
    return problems


def _value_of(node: yaml.Node | None, key: str) -> yaml.Node | None:
    return next((value for name, value in _mapping_items(node) if name.value == key), None)


def _mapping_items(node: yaml.Node | None) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        return []
    return [(name, value) for name, value in node.value if isinstance(name, yaml.ScalarNode)]


def _plugin_entries(plugins: yaml.Node | None) -> list[tuple[yaml.ScalarNode, yaml.Node | None]]:
    """Each plugin's name node and its settings node: `- name`, `- name: {...}` or a `name: {...}` map."""
    if isinstance(plugins, yaml.MappingNode):
        return list(_mapping_items(plugins))
    entries: list[tuple[yaml.ScalarNode, yaml.Node | None]] = []
    for item in plugins.value if isinstance(plugins, yaml.SequenceNode) else []:
        if isinstance(item, yaml.ScalarNode):
            entries.append((item, None))
        else:
            entries.extend(_mapping_items(item))
    return entries


def plugin_refusal(config_file_path: str | None) -> str:
    """What the `bibtex` plugin entry point ends a build with: every problem of the entry, one per line."""
    problems = bibtex_plugin_problems(Path(config_file_path or "mkdocs.yml"))
    return "\n".join(map(str, problems)) or (f"mkdocs.yml: error: found mkdocs-bibtex's `{PLUGIN}` plugin; "
                                             f"expected `{CITATIONS_EXTENSION}` under markdown_extensions")
