"""Attack tests: under `make serve`, edit sequences that move rows of the dashboard and lines of the article
lists (renames, removals, approvals, registry changes, a tie of titles) are rebuilt as a whole build shows
them: every served file equals a fresh build's, review state included (caution, Approved badge, rows)."""

from __future__ import annotations

import filecmp
import gc
from collections.abc import Callable
from pathlib import Path

import pytest

from medsite.cli.main import main
from tests.review_samples import TEST_REVIEWER
from tests.test_rebuild_equals_build import (
    HARD,
    _caches,
    _config,
    _files,
    _fresh_build,
    _logged,
    _server_builder,
    _site,
)


def _replace(name: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / name
        text = path.read_text(encoding="utf-8")
        assert old in text, (name, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return edit


def _rename(old: str, new: str) -> Callable[[Path], None]:
    return lambda root: (root / old).rename(root / new)


def _remove(name: str) -> Callable[[Path], None]:
    return lambda root: (root / name).unlink()


def _approve(name: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        assert main(["approve", str(root / name), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                     "--note", "Approved while serving.", "--config", str(root / "mkdocs.yml")]) == 0
    return edit


SEQUENCES = {
    "the cited reference changes, then another article": [
        _replace("references/seed-references.bib", "year    = {2017},\n  volume  = {35},",
                 "year    = {2018},\n  volume  = {35},"),
        _replace("docs/articles/b.md", "In mCRPC, probably.", "Probably not."),
    ],
    "renames, removals and a tie of titles": [
        _rename("docs/articles/d.md", "docs/articles/f.md"),
        _replace("docs/articles/c.md", "Is drug W safe?", "Is drug V safe?"),  # f's title too
        _remove("docs/articles/b.md"),
        _rename("docs/articles/f.md", "docs/articles/d.md"),
    ],
    "approvals and the registry": [
        _approve("docs/articles/d.md"),
        _replace("docs/articles/e.md", "next_review: 2026-02-01", "next_review: 2026-03-01"),
        _replace("data/people.yml", "name: Test Reviewer\n", "name: Test Reviewer-Smith\n"),
        _approve("docs/articles/a.md"),
        _replace("docs/articles/a.md", "Does drug X help?", "Does drug X help at all?"),
    ],
    "links to an anchor, then the anchor and its page go": [
        _replace("docs/articles/c.md", "Ask your nurse about side effects.",
                 "Ask your nurse about side effects. See [the evidence](a.md#evidence)."),
        _replace("docs/articles/d.md", "\n## Evidence\n",
                 "\n## Evidence\n\nSee [the trial](a.md#evidence).\n"),
        _replace("docs/articles/a.md", "## Evidence", "## Evidence base"),
        _replace("docs/articles/a.md", "## Evidence base", "## Evidence"),
        _rename("docs/articles/a.md", "docs/articles/a2.md"),
        _rename("docs/articles/a2.md", "docs/articles/a.md"),
        _replace("docs/articles/c.md", "See [the evidence](a.md#evidence).", ""),
        _replace("docs/articles/a.md", "## Evidence", "## Evidence base"),
    ],
    "drug names the reading grades leave out change while serving": [
        _replace("docs/articles/c.md", "It helps you live longer.", HARD),
        _replace("data/synonyms.yml", "olaparib: [Lynparza]",
                 "olaparib: [Lynparza]\nmyelosuppression: [marrow suppression]\n"
                 "interindividual: [between people]"),
        _replace("docs/articles/a.md", "Does drug X help?", "Does drug X help at all?"),
    ],
    "topic spellings change which article names a topic": [
        _replace("docs/articles/c.md", "topics: [fatigue]", "topics: [Fatigue, PROSTATE CANCER]"),
        _replace("docs/articles/a.md", "topics: [prostate cancer, bone metastases]",
                 "topics: [Prostate Cancer, bone metastases]"),
        _replace("docs/articles/c.md", "topics: [Fatigue, PROSTATE CANCER]", "topics: [fatigue]"),
        _replace("docs/articles/a.md", "topics: [Prostate Cancer, bone metastases]", "topics: [fatigue]"),
    ],
}


@pytest.mark.parametrize("steps", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_each_rebuild_of_an_edit_sequence_equals_a_whole_build(tiny_site, tmp_path, monkeypatch, steps):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _site(tiny_site)
    served = tmp_path / "served"
    config = _config(tiny_site.root, served)
    with _caches(), _server_builder(config) as rebuilder:
        try:
            for step, edit in enumerate(steps):
                edit(tiny_site.root)
                rebuilt = _logged(rebuilder)
                fresh = tmp_path / f"fresh-{step}"
                whole = _fresh_build(tiny_site.root, fresh)
                with rebuilder.index.whole_build():
                    assert _files(served) == _files(fresh), step
                    differing = [file for file in sorted(_files(fresh))
                                 if not filecmp.cmp(served / file, fresh / file, shallow=False)]
                assert (step, differing) == (step, [])
                assert rebuilt.problems == whole.problems, step
        finally:
            with rebuilder.index.whole_build():
                gc.unfreeze()


def test_a_failed_rebuild_then_its_fix_with_an_approved_text_changed_equals_a_whole_build(
        tiny_site, tmp_path, monkeypatch):
    """A save that fails the build (an invalid status), then the fix saved with the approved article's text
    changed and another article retitled: the served site equals a whole build (the caution on e)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _site(tiny_site)
    served = tmp_path / "served"
    config = _config(tiny_site.root, served)
    root = tiny_site.root
    with _caches(), _server_builder(config) as rebuilder:
        try:
            _replace("docs/articles/d.md", "status: under_review", "status: reviewing")(root)
            _replace("docs/articles/a.md", "Does drug X help?", "Does drug X help men?")(root)
            _logged(lambda: _quietly(rebuilder))
            _replace("docs/articles/d.md", "status: reviewing", "status: under_review")(root)
            _replace("docs/articles/e.md", "It prolongs survival.", "It prolongs life.")(root)
            _logged(rebuilder)
            fresh = tmp_path / "fresh"
            _fresh_build(root, fresh)
            with rebuilder.index.whole_build():  # the search indexes do not write meanwhile
                same = _files(served) == _files(fresh)
                differing = [file for file in sorted(_files(fresh))
                             if not filecmp.cmp(served / file, fresh / file, shallow=False)]
            assert (same, differing) == (True, [])
            assert "medsite-caution" in (served / "articles" / "e" / "index.html").read_text(encoding="utf-8")
        finally:
            with rebuilder.index.whole_build():
                gc.unfreeze()


def _quietly(run: Callable[[], None]) -> None:
    try:
        run()
    except Exception:  # noqa: BLE001  # the failed build is the point; the next save fixes it
        return
