"""Sample articles for the review-workflow tests: valid by default, one key changed per bad-input test."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from medsite.citations.syntax import scan
from medsite.model.article import content_hash
from medsite.review.rules import approval_hash

TODAY = "2025-06-01"  # the date the review tests run "on" (extra.medsite.today)
# The project's registry has placeholder seats only, which may not approve. Tests that approve articles
# add this fictional, non-sample board member to their copy of the registry (never to data/people.yml).
TEST_REVIEWER = "board-test-reviewer"
TEST_BOARD = f"""
{TEST_REVIEWER}:
  role: board
  name: Test Reviewer
  credentials: MD (test fixture, not a real person)
  specialty: Medical oncology
  conflicts: None declared (test fixture)
"""

TITLE = "Does drug X shrink bone metastases?"
DESCRIPTION = "No. It prolongs survival but does not eliminate bone metastases."
BODY = "**Drug X does not clear bone metastases.**\n\n## Evidence\n\nIt prolongs survival.\n"
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.:-]*$")


def with_test_board(registry: Path) -> None:
    """Add the test board member to a copy of the registry."""
    registry.write_text(registry.read_text(encoding="utf-8") + TEST_BOARD, encoding="utf-8")


def article(body: str = BODY, *, pins: Mapping[str, str] | None = None, **keys: object) -> str:
    """An article's source. Keyword values override the defaults; None removes a key. An approved article
    gets review dates and the hash `medsite approve` would write unless the test sets them: its cited
    references as `pins` format them (default: the project's own bibliography, which tiny sites copy)."""
    data: dict[str, object] = {
        "title": TITLE,
        "description": DESCRIPTION,
        "status": "under_review",
        "audience": "clinician",
        "topics": ["prostate cancer"],
        "authors": ["editorial-team"],
        "reviewers": [TEST_REVIEWER],
        "submitted": "2025-01-10",
    }
    data.update(keys)
    if data["status"] == "approved":
        data.setdefault("reviewed", "2025-02-01")
        data.setdefault("next_review", "2026-02-01")
        data.setdefault("reviewed_hash", approved_hash(
            body, str(data["title"]), str(data["description"]), audience=str(data["audience"]),
            reviewers=list(data["reviewers"] or ()), reviewed=data["reviewed"],
            next_review=data["next_review"], references=cited_as_formatted(body, pins),
            acknowledged=tuple(data.get("retractions_reviewed") or ())))
    lines = [f"{key}: {_yaml(value)}" for key, value in data.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def approved_hash(body: str = BODY, title: str = TITLE, description: str = DESCRIPTION, *,
                  audience: str = "clinician", reviewers: Sequence[str] = (TEST_REVIEWER,),
                  reviewed: object = "2025-02-01", next_review: object = "2026-02-01",
                  references: Sequence[str] = (), acknowledged: tuple[str, ...] = (),
                  history: tuple = ()) -> str:
    """The approval hash `medsite approve` writes for these values (medsite.review.rules.approval_hash)."""
    return approval_hash(content_hash(title, description, body, acknowledged, history), audience=audience,
                         reviewers=reviewers, reviewed=_date(reviewed), next_review=_date(next_review),
                         references=references)


@cache
def project_pins() -> dict[str, str]:
    """The project's references as formatted for approvals (medsite.review.catalog.project_pins)."""
    from medsite.model.project import load_project
    from medsite.review.catalog import project_pins as pins_of

    return pins_of(load_project(Path(__file__).resolve().parents[1] / "mkdocs.yml"))


def cited_as_formatted(body: str, pins: Mapping[str, str] | None = None) -> list[str]:
    """The references `body` cites, formatted as `pins` (default: the project's bibliography) have them:
    what an approval pins."""
    pins = project_pins() if pins is None and "@" in body else pins or {}
    return [pins.get(key, "") for key in dict.fromkeys(scan(body).keys)]


def _date(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def line_of(source: str, key: str) -> int:
    """The 1-based line of a top-level key in a sample source."""
    return next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith(f"{key}:"))


def _yaml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    text = str(value)
    return text if PLAIN.match(text) else json.dumps(text, ensure_ascii=False)
