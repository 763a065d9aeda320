"""Add to the search index Material just wrote what readers search for but page text does not hold:
each article's one-line answer (medsite.search_answers) and drug and abbreviation synonyms
(data/synonyms.yml, medsite.synonyms)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

from medsite_mkdocs import project_root, report, settings, site_catalog
from mkdocs.plugins import event_priority

from medsite.search_answers import add_answers
from medsite.synonyms import add_to_search_index, load_synonyms

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

_answers: dict[str, str] = {}  # this build's articles: page URL → one-line answer


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files | None:
    _answers.clear()
    articles = site_catalog(config).articles
    _answers.update({file.url: article.description for src_uri, article in articles.items()
                     if (file := files.get_file_from_path(src_uri))})
    return None


@event_priority(-50)  # after Material's search plugin has written search/search_index.json
def on_post_build(*, config: MkDocsConfig) -> None:
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not index_file.is_file():
        return
    display = settings(config).get("synonyms", "data/synonyms.yml")
    synonyms, problems = load_synonyms(project_root(config) / display, display)
    report(problems, what=display)
    index = add_answers(json.loads(index_file.read_text(encoding="utf-8")), _answers)
    index_file.write_text(json.dumps(add_to_search_index(index, synonyms), separators=(",", ":")),
                          encoding="utf-8")
