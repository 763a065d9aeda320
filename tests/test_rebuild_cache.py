"""Level 2: a rebuild, as `mkdocs serve` runs one after an edit, formats no reference whose entry did not
change (the formatted references are cached by content); an edited entry is formatted again, alone."""

from __future__ import annotations

from medsite.bibliography import reference_format

ENTRY = """@article{{rebuild2026,
  author  = {{Rebuild, Ann}},
  title   = {{Rebuild trial {marker}}},
  journal = {{J Test}},
  year    = {{2026}},
  doi     = {{10.5555/rebuild}}
}}
"""


def formatted() -> int:
    return reference_format.FORMATTED["entries"]


def test_editing_a_page_or_an_entry_formats_only_what_changed(tiny_site):
    marker = tiny_site.root.parent.name  # unique per test run: nothing in memory or on disk knows it yet
    tiny_site.write("references/rebuild.bib", ENTRY.format(marker=marker))
    tiny_site.write("docs/answer.md", "# An answer\n\nFirst wording [@rebuild2026].\n")
    before = formatted()
    tiny_site.build()
    assert formatted() > before  # the new entry at least went through citeproc

    before = formatted()
    tiny_site.write("docs/answer.md", "# An answer\n\nSecond wording [@rebuild2026].\n")
    html = tiny_site.build().html("answer.md")
    assert "Second wording" in html and f"Rebuild trial {marker}" in html
    assert formatted() == before

    tiny_site.write("references/rebuild.bib", ENTRY.format(marker=f"{marker}, revised"))
    html = tiny_site.build().html("answer.md")
    assert f"Rebuild trial {marker}, revised" in html
    assert formatted() == before + 1
