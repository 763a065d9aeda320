"""Attack on the caches `make serve` keeps across rebuilds (rebuild's 3780dc8 and what it rests on): after a
sequence of actions an editor can take while `mkdocs serve` runs, the served site must equal, byte for byte,
a fresh whole build of the same files (tests/test_rebuild_equals_build.py's comparison). Each test is one
such sequence, driven through the server's own builder (hooks/serve.py Rebuilder), deterministic."""

from __future__ import annotations

import filecmp
import gc
import os
import re
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort

from tests.review_samples import TEST_REVIEWER, TODAY, article
from tests.test_rebuild_equals_build import _config, _files, _fresh_build, _logged, _server_builder, _site
from tests.test_refs_verify import EXAMPLES
from tests.test_retracted_sources import BODY as RETRACTED_BODY
from tests.test_retracted_sources import retraction_cache, site_pins
from tests.workflows import git


class Served:
    """A tiny site as `make serve` builds it first, and the server's builder for each later change."""

    def __init__(self, tiny_site, tmp_path: Path, prepare: Callable[[], object] = lambda: None) -> None:
        self.site, self.tmp = tiny_site, tmp_path
        self.articles = _site(tiny_site)
        prepare()  # what the editor did before starting the server
        self.served = tmp_path / "served"
        self.stack = ExitStack()
        self.rebuilder = self.stack.enter_context(_server_builder(_config(tiny_site.root, self.served)))
        self.steps = 0

    def rebuild(self) -> list[str]:
        """The server's rebuild after a change; what it logged."""
        return [record.getMessage() for record in _logged(self.rebuilder).records]

    def differing(self) -> list[str]:
        """The files of the served site that differ from a fresh whole build's."""
        self.steps += 1
        fresh = self.tmp / f"fresh-{self.steps}"
        _fresh_build(self.site.root, fresh)
        with self.rebuilder.index.whole_build():
            files = _files(self.served) | _files(fresh)
            return sorted(file for file in files if not (self.served / file).is_file()
                          or not (fresh / file).is_file()
                          or not filecmp.cmp(self.served / file, fresh / file, shallow=False))

    def html(self, root: Path, src_uri: str) -> str:
        folder = root if src_uri == "index.md" else root / Path(src_uri).with_suffix("")
        return (folder / "index.html").read_text(encoding="utf-8")

    def close(self) -> None:
        with self.rebuilder.index.whole_build():
            gc.unfreeze()
        self.stack.close()


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _served(tiny_site, tmp_path, monkeypatch, prepare: Callable[[], object] = lambda: None) -> Served:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the date in sitemap.xml.gz's header
    return Served(tiny_site, tmp_path, prepare)


def test_a_value_holding_at_0x_is_written_out(tiny_site):
    """A title, answer, reviewer name or reference holding " at 0x" (a dose, a hex code): the fragment
    cache writes the piece's value out as JSON, which refuses the Frozen values of 3780dc8 (ListEntry,
    Entry, IndexEntry), and every build, not only `make serve`, stops with a traceback."""
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/a.md", article(title="Is drug X safe at 0x10 doses?"))
    built = tiny_site.build(strict=False)
    assert "Is drug X safe at 0x10 doses?" in built.html("index.md")
    assert "Is drug X safe at 0x10 doses?" in built.html("dashboard.md")


def test_a_registry_replaced_with_the_same_size_and_time_is_read_again(tiny_site, tmp_path, monkeypatch):
    """The registry saved again within one tick of the file system's clock, or restored with `cp -p`: the
    same size and modification time. The catalog (medsite.review.catalog.load_catalog: `latest`, `states`,
    and 3780dc8's `checked`) is kept by the registry's (mtime, size), so the server's whole build reuses
    the catalog made with the old registry: the article approved by someone who is no longer a board member
    is served as approved, no caution, no error, where a whole build of the same files fails."""
    served = _served(tiny_site, tmp_path, monkeypatch)
    try:
        registry = tiny_site.root / "data" / "people.yml"
        before = os.stat(registry)
        text = registry.read_text(encoding="utf-8")
        start = text.index(f"{TEST_REVIEWER}:")
        edited = text[:start] + text[start:].replace("role: board", "role: author", 1).replace(
            "name: Test Reviewer", "name: Test Reviewe", 1)  # one letter fewer: the same size
        assert len(edited.encode()) == len(text.encode()) and edited != text
        registry.write_text(edited, encoding="utf-8")
        os.utime(registry, ns=(before.st_atime_ns, before.st_mtime_ns))
        with pytest.raises(Abort):
            _fresh_build(tiny_site.root, tmp_path / "whole")  # a whole build refuses
        with pytest.raises(Abort):
            served.rebuild()
    finally:
        served.close()


def test_an_approved_text_changed_with_the_same_size_and_time_beside_another_edit_shows_the_caution(
        tiny_site, tmp_path, monkeypatch):
    """Two files saved in one rebuild's window: the approved article's text changed with the same size and
    modification time (saved twice within one tick of a coarse file-system clock, or restored with `cp -p`
    / `rsync -t`), and another article edited. The server sees only the other edit (Rebuilder.snapshot is
    (mtime, size)), rebuilds from the last build, and takes the approved article's old text from it
    (BuildContext.adopt_sources, and 3780dc8's `unchanged` facts): the changed approved text is neither
    shown nor flagged; the page stays approved, no caution, where a whole build shows the caution."""
    served = _served(tiny_site, tmp_path, monkeypatch)
    try:
        approved = served.articles["e"]
        before = os.stat(approved)
        replace(approved, "It prolongs survival.", "It prolongs survivak.")  # the same size
        os.utime(approved, ns=(before.st_atime_ns, before.st_mtime_ns))
        replace(served.articles["a"], "Does drug X help?", "Does drug X help in mCRPC?")
        served.rebuild()
        assert 'class="medsite-caution"' in served.html(served.served, "articles/e.md")
        assert served.differing() == []
    finally:
        served.close()


def test_a_retraction_recorded_while_serving_reaches_the_approved_articles_page(tiny_site, tmp_path,
                                                                                monkeypatch):
    """`medsite refs verify` records a retraction while `make serve` runs: the server neither watches its
    cache (.cache/medsite/sources.json) nor writes again the unchanged articles whose state it changes.
    After the next edit of another article, the lists and the dashboard say "under review" but the
    article citing the retracted source is still served as approved, with no caution."""
    served = _served(tiny_site, tmp_path, monkeypatch)
    try:
        tiny_site.write("references/examples.bib", EXAMPLES)
        tiny_site.write("docs/articles/r.md", article(RETRACTED_BODY, status="approved",
                                                      title="Does drug R help?", topics=["fatigue"],
                                                      pins=site_pins(tiny_site)))
        served.rebuild()
        assert 'class="medsite-caution"' not in served.html(served.served, "articles/r.md")
        assert served.differing() == []
        retraction_cache(tiny_site.root)  # what `medsite refs verify` leaves after Crossref's answer
        replace(served.articles["a"], "Does drug X help?", "Does drug X help in mCRPC?")
        served.rebuild()
        assert served.differing() == []
        assert 'class="medsite-caution"' in served.html(served.served, "articles/r.md")
    finally:
        served.close()


def test_a_commit_while_serving_dates_the_committed_article_everywhere(tiny_site, tmp_path, monkeypatch):
    """An undated article is dated by its last commit. Committed while `make serve` runs (git's folder is
    not watched), then another article edited: the catalog is made again (a file changed) and asks git (the
    home page's list is ordered by the new date), but the committed article's own page keeps the date of
    the commit before ("Updated", JSON-LD dateModified), as it is not written again. (A whole build of the
    server with no article changed is worse: `CatalogCache.latest` is kept by the files' times and sizes,
    not by git's history, so it keeps the old dates of every article.)"""
    def repository() -> None:
        git(tiny_site.root, "init", "-q")
        git(tiny_site.root, "add", "docs", "data", "references", "mkdocs.yml")
        git(tiny_site.root, "commit", "-q", "-m", "first", GIT_COMMITTER_DATE="2024-04-04T12:00:00Z",
            GIT_AUTHOR_DATE="2024-04-04T12:00:00Z")

    served = _served(tiny_site, tmp_path, monkeypatch, repository)
    try:
        assert served.differing() == []
        replace(served.articles["a"], "Does drug X help?", "Does drug X help in mCRPC?")
        served.rebuild()
        assert served.differing() == []
        git(tiny_site.root, "commit", "-q", "-am", "a", GIT_COMMITTER_DATE="2024-05-05T12:00:00Z",
            GIT_AUTHOR_DATE="2024-05-05T12:00:00Z")
        replace(served.articles["b"], "In mCRPC, probably.", "Probably not.")
        served.rebuild()
        assert re.findall(r'datetime="(2024-0\d-0\d)"', served.html(served.served, "articles/a.md")) == [
            "2024-05-05", "2024-05-05"]
        assert served.differing() == []
    finally:
        served.close()
