"""Sample articles for the review-workflow tests: valid by default, one key changed per bad-input test."""

from __future__ import annotations

import json
import re

from medsite.article import content_hash

TODAY = "2025-06-01"  # the date the review tests run "on" (extra.medsite.today)
TITLE = "Does drug X shrink bone metastases?"
DESCRIPTION = "No. It prolongs survival but does not eliminate bone metastases."
BODY = "**Drug X does not clear bone metastases.**\n\n## Evidence\n\nIt prolongs survival.\n"
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.:-]*$")


def article(body: str = BODY, **keys: object) -> str:
    """An article's source. Keyword values override the defaults; None removes a key. An approved article
    gets review dates and the hash of its content unless the test sets them."""
    data: dict[str, object] = {
        "title": TITLE,
        "description": DESCRIPTION,
        "status": "under_review",
        "audience": "clinician",
        "topics": ["prostate cancer"],
        "authors": ["editorial-team"],
        "reviewers": ["board-urology"],
        "submitted": "2025-01-10",
    }
    data.update(keys)
    if data["status"] == "approved":
        data.setdefault("reviewed", "2025-02-01")
        data.setdefault("next_review", "2026-02-01")
        data.setdefault("reviewed_hash", approved_hash(body, str(data["title"]), str(data["description"])))
    lines = [f"{key}: {_yaml(value)}" for key, value in data.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def approved_hash(body: str = BODY, title: str = TITLE, description: str = DESCRIPTION) -> str:
    return content_hash(title, description, body)


def line_of(source: str, key: str) -> int:
    """The 1-based line of a top-level key in a sample source."""
    return next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith(f"{key}:"))


def _yaml(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(item) for item in value) + "]"
    text = str(value)
    return text if PLAIN.match(text) else json.dumps(text, ensure_ascii=False)
