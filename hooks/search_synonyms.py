"""Add drug and abbreviation synonyms (data/synonyms.yml) to the search index Material just wrote."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root, report, settings
from mkdocs.plugins import event_priority

from medsite.synonyms import add_to_search_index, load_synonyms

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig


@event_priority(-50)  # after Material's search plugin has written search/search_index.json
def on_post_build(*, config: MkDocsConfig) -> None:
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not index_file.is_file():
        return
    display = settings(config).get("synonyms", "data/synonyms.yml")
    synonyms, problems = load_synonyms(project_root(config) / display, display)
    report(problems, what=display)
    index = json.loads(index_file.read_text(encoding="utf-8"))
    index_file.write_text(json.dumps(add_to_search_index(index, synonyms), separators=(",", ":")),
                          encoding="utf-8")
