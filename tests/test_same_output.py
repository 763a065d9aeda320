"""benchmarks/same_output.py names every file that differs between two built sites, and only those."""

from __future__ import annotations

from benchmarks.same_output import differences, pagefind_unstable


def test_differences_names_changed_missing_and_extra_files_at_any_depth(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for root in (first, second):
        (root / "a" / "b").mkdir(parents=True)
        (root / "same.html").write_bytes(b"<p>same</p>")
        (root / "a" / "b" / "deep.html").write_bytes(b"deep")
    assert differences(first, second) == []
    (second / "a" / "b" / "deep.html").write_bytes(b"deeP")  # same size, other bytes
    (first / "only-first.xml").write_bytes(b"x")
    (second / "a" / "only-second").mkdir()
    assert differences(first, second) == ["a/b/deep.html", "a/only-second", "only-first.xml"]


def test_only_pagefinds_run_dependent_files_are_set_apart():
    for name in ("pagefind/filter/en_52fad94.pf_filter", "pagefind/pagefind.en_94c3c9f94f.pf_meta",
                 "pagefind/pagefind-entry.json"):
        assert pagefind_unstable(name)
    for name in ("pagefind/fragment/en_1a2b3c.pf_fragment", "pagefind/index/en_1a2b.pf_index", "index.html",
                 "articles/a/index.html", "pagefind/pagefind-ui.js", "x/pagefind/filter/a.pf_filter"):
        assert not pagefind_unstable(name)
