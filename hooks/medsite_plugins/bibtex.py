"""`plugins: - bibtex` (mkdocs-bibtex's name) under MkDocs: the build stops saying what to write instead."""

from __future__ import annotations

from mkdocs.exceptions import Abort
from mkdocs.plugins import BasePlugin

from medsite.bibliography.mkdocs_bibtex import plugin_refusal


class MovedFromMkdocsBibtex(BasePlugin):
    """Stands where mkdocs-bibtex's plugin was: loading its settings ends the build with medsite's errors."""

    def load_config(self, options: dict, config_file_path: str | None = None) -> tuple[list, list]:
        """Abort with one `mkdocs.yml:line:col: error:` line per leftover entry and setting."""
        raise Abort(plugin_refusal(config_file_path))
