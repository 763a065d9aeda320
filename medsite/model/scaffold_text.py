"""The text `medsite new` starts an article with, and where it is still there.

An untouched scaffold must never be approved: its placeholder sentences and its example citation are not
an answer. `medsite approve` and the review rules name every line that still holds one.
"""

from __future__ import annotations

import re

DESCRIPTION = "Replace with the one-line answer."
EXAMPLE_CITATION = "@key, once its BibTeX entry is in references/"  # when the bibliography is empty
BODY = """\
Replace this paragraph with the bottom line: one or two sentences that answer the question, each claim
cited [{citation}]. Where the cited guideline grades a recommendation, show its grade [grade: 1A].

## What it does

What the treatment or test does, and what it does not do.

## Evidence

The trials and guidelines behind the answer, with numbers and a citation for every claim. Grades are
the cited guideline's own, never ours.

!!! safety "Critical safety considerations"

    Adverse events, contraindications and monitoring a clinician must anticipate.

!!! pitfall "Common pitfall to avoid"

    The mistake readers most often make with this question.

## Alternatives

What to do instead, or next, with citations.

/// audience | patient
Optional: the same point in plain language for patients.
///
"""
_STRUCTURE = ("#", "!!!", "///")  # headings, callouts and blocks an article keeps: not placeholders
_PLACEHOLDERS = [
    re.compile(".*".join(re.escape(" ".join(part.split())) for part in line.split("{citation}")))
    for line in BODY.splitlines() if line.strip() and not line.strip().startswith(_STRUCTURE)
]


def placeholder_lines(body: str, first_line: int) -> tuple[int, ...]:
    """The file lines of `body` (which starts on `first_line`) that still hold the scaffold's placeholder
    text (the example citation is part of one)."""
    return tuple(first_line + index for index, line in enumerate(body.splitlines())
                 if (text := " ".join(line.split())) and any(p.fullmatch(text) for p in _PLACEHOLDERS))
