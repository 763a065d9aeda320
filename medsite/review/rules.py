"""Review rules, and what a reader is told about how far an article can be trusted.

The invariant the rest of the site relies on: only an article whose status is `approved`, whose reviewers
may approve it (real board members, none of them its authors) AND whose content still matches the hash its
reviewers approved is presented as reviewed; everything else carries the caution.

The approval (`reviewed_hash`, written by `medsite approve`) pins everything a reader sees as reviewed: the
title, the answer and the body (audience blocks included), the default audience, the reviewers and review
dates shown, and the formatted text of every cited reference (`approval_hash`). A later change to any of
them is "changed since review".
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from medsite.core.problems import Problem
from medsite.model.article import Article, Reading, Status
from medsite.model.registry import Registry

STEPS: tuple[tuple[Status, str], ...] = (
    ("submitted", "Submitted"),
    ("under_review", "Under review"),
    ("approved", "Approved"),
)
BOARD_PAGE = "board.md"  # docs-relative pages the banner links to
POLICY_PAGE = "editorial-policy.md"


@dataclass(frozen=True)
class ReviewState:
    """Where an article stands in review on a given day."""

    status: Status
    changed: bool  # status approved, but the content no longer matches the approved hash
    overdue: bool  # next_review has passed
    # Cited sources known to be retracted (`medsite refs verify`) that the approval did not acknowledge.
    retracted: tuple[str, ...] = ()
    approvers_valid: bool = False  # every reviewer may approve this article (see approver_problems)

    @property
    def approved(self) -> bool:
        """Approved by reviewers who may approve, unchanged since and citing no retracted source: the only
        state without the caution."""
        return (self.status == "approved" and not self.changed and not self.retracted
                and self.approvers_valid)

    @property
    def caution(self) -> bool:
        """Whether the reader must be told the content is pending human review."""
        return not self.approved

    @property
    def name(self) -> str:
        """approved, changed_since_review, cites_retracted or pending."""
        if self.approved:
            return "approved"
        if self.changed:
            return "changed_since_review"
        return "cites_retracted" if self.status == "approved" and self.retracted else "pending"

    @property
    def step(self) -> Status:
        """The tracker's current step: an approval that does not hold (changed content, a source retracted
        since, or reviewers who may not approve) is back under review, whatever the status says."""
        return "under_review" if self.status == "approved" and not self.approved else self.status


def approval_hash(text_hash: str, *, audience: str, reviewers: Sequence[str], reviewed: dt.date | None,
                  next_review: dt.date | None, references: Sequence[str]) -> str:
    """What the board approves: the article's text (`medsite.model.article.content_hash`), its default
    audience, the reviewers and review dates the page shows, and the formatted references it cites, in
    order."""
    payload = json.dumps(["medsite approval 2", text_hash, audience, list(reviewers),
                          reviewed and reviewed.isoformat(), next_review and next_review.isoformat(),
                          list(references)], ensure_ascii=False)
    return "sha256:" + hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pinned_hash(article: Article, pins: Mapping[str, str]) -> str:
    """The approval hash of the article as it is now; `pins` maps each citation key to the formatted entry
    a reader sees (`reference_pins`)."""
    return approval_hash(article.current_hash, audience=article.audience, reviewers=article.reviewers,
                         reviewed=article.reviewed, next_review=article.next_review,
                         references=[pins.get(key, "") for key in article.cited])


def reference_pins(references: Mapping) -> dict[str, str]:
    """Citation key -> the formatted entry (its HTML, links included) that the approval pins."""
    return {key: reference.html for key, reference in references.items()}


def approver_problems(reviewers: Sequence[str], authors: Sequence[str], registry: Registry, *,
                      approving: bool = True) -> list[str]:
    """Why some reviewers may not approve (messages; the caller knows the line): the one rule of who may
    approve, for the build (`review_state`, `people_problems`) and `medsite approve` alike. A reviewer must
    be in the registry (else the nearest id is named) as a board member; when `approving`, also not an
    author of the article and not a placeholder seat (an article under review may list those)."""
    problems = []
    for reviewer in reviewers:
        person = registry.people.get(reviewer)
        if person is None:
            problems.append(registry.unknown("reviewer", reviewer, "board"))
        elif person.role != "board":
            problems.append(f"reviewer `{reviewer}` is an {person.role}, not a board member; expected a "
                            "board member's id")
        elif approving and reviewer in authors:
            problems.append(f"reviewer `{reviewer}` is an author of this article; expected a board member "
                            "who did not write it (nobody approves their own work)")
        elif approving and person.sample:
            problems.append(f"reviewer `{reviewer}` is a placeholder seat (sample: true) that no physician "
                            "holds; expected a real board member's id")
    return problems


def review_state(article: Article, today: dt.date, retracted: Iterable[str] = (), *, registry: Registry,
                 pins: Mapping[str, str]) -> ReviewState:
    """`retracted`: the keys of the article's cited sources that are known to be retracted; those its
    approval acknowledged (`retractions_reviewed`) do not count. `registry` says who may approve; `pins`
    are the formatted references the approval covers (`reference_pins`)."""
    approved = article.status == "approved"
    changed = approved and article.reviewed_hash != pinned_hash(article, pins)
    overdue = article.next_review is not None and article.next_review < today
    unacknowledged = tuple(sorted(set(retracted) - set(article.retractions_reviewed)))
    valid = approved and bool(article.reviewers) and not approver_problems(article.reviewers, article.authors,
                                                                           registry)
    return ReviewState(status=article.status, changed=changed, overdue=overdue, retracted=unacknowledged,
                       approvers_valid=valid)


def people_problems(reading: Reading, registry: Registry) -> list[Problem]:
    """Author and reviewer ids that are not in the registry (reviewers must be board members)."""
    problems: list[Problem] = []
    for author in reading.values.get("authors", ()):
        if author not in registry.people:
            problems.append(
                Problem(reading.path, reading.lines["authors"], registry.unknown("author", author, "author"))
            )
    approving = reading.values.get("status") == "approved"
    messages = approver_problems(reading.values.get("reviewers", ()), reading.values.get("authors", ()),
                                 registry, approving=approving)
    return [*problems, *(Problem(reading.path, reading.lines["reviewers"], message) for message in messages)]


def new_approver_problems(article: Article, before: Registry, revision: str) -> list[Problem]:
    """Reviewers of an approved article who were not real board members on `revision` (the base branch of
    a pull request): someone added to the board, or promoted from a placeholder seat, in the same change
    as an approval could approve their own way in. Board members are added in a change of their own,
    which a maintainer reviews (.github/CODEOWNERS)."""
    if article.status != "approved":
        return []
    return [Problem(article.path, article.line("reviewers"),
                    f"reviewer `{reviewer}` was not a board member on {revision} (added to {before.path} in "
                    "this change, or a placeholder seat there); expected a board member appointed in an "
                    "earlier change: a maintainer adds board members in a pull request of their own")
            for reviewer in article.reviewers
            if (person := before.people.get(reviewer)) is None or person.role != "board" or person.sample]


def review_problems(article: Article, today: dt.date, pins: Mapping[str, str] | None = None) -> list[Problem]:
    """Date order and the approval rules; a changed article is a warning so that a non-strict preview
    still renders the page (with the caution) while strict builds and CI fail. `pins` are the formatted
    references (`reference_pins`) the approval hash covers."""
    problems: list[Problem] = []

    def add(key: str, message: str, severity: str = "error") -> None:
        # type: ignore[arg-type]
        problems.append(Problem(article.path, article.line(key), message, severity=severity))

    if article.reviewed and article.reviewed > today:
        add(
            "reviewed",
            f"review date {article.reviewed} is in the future; expected today ({today}) or earlier",
        )
    if article.reviewed and article.reviewed < article.submitted:
        add(
            "reviewed",
            f"review date {article.reviewed} is before the submission date {article.submitted}; "
            "expected a review after submission",
        )
    if article.reviewed and article.next_review and article.next_review <= article.reviewed:
        add(
            "next_review",
            f"next_review {article.next_review} is not after the review date "
            f"{article.reviewed}; expected a later date, e.g. a year after the review",
        )
    if article.status != "approved":
        return problems
    if not article.reviewers:
        add(
            "status",
            "status is approved but no reviewer is named; expected `reviewers: [board-member-id]` "
            "(set by `medsite approve`)",
        )
    for key in ("reviewed", "next_review", "reviewed_hash"):
        if getattr(article, key) is None:
            add(
                "status",
                f"status is approved but `{key}` is missing; expected it to be set by "
                "`medsite approve PATH --reviewer ID`",
            )
    for line in article.placeholder_lines:
        problems.append(Problem(article.path, line, "the placeholder text of `medsite new` is still here; "
                                "expected the article's own text before approval"))
    if article.reviewed_hash and article.reviewed_hash != pinned_hash(article, pins or {}):
        add(
            "reviewed_hash",
            "changed since review: the title, answer, body, audience, reviewers, review dates or a cited "
            "reference no longer match the approved version; re-approve with `medsite approve PATH "
            "--reviewer ID` or set `status: under_review`",
            severity="warning",
        )
    return problems


def overdue_notices(article: Article, today: dt.date) -> list[Problem]:
    """Articles past their next review date; shown on the page, and logged without failing the build."""
    if article.next_review is None or article.next_review >= today:
        return []
    return [
        Problem(
            article.path,
            article.line("next_review"),
            f"review overdue: next review was due {article.next_review}",
            severity="warning",
        )
    ]


def banner(
    article: Article,
    state: ReviewState,
    registry: Registry,
    *,
    updated: dt.date,
    board_url: str | None,
    policy_url: str | None,
    follow_up_url: str | None,
) -> dict:
    """Everything the review partials render, as plain values (the templates escape each one)."""
    current = [key for key, _ in STEPS].index(state.step)
    steps = [
        {
            "key": key,
            "label": label,
            "done": index < current or (state.approved and index == current),
            "current": index == current,
        }
        for index, (key, label) in enumerate(STEPS)
    ]
    reviewers = (
        [
            {
                "id": p.id,
                "name": p.name,
                "credentials": p.credentials,
                "sample": p.sample,
                "url": f"{board_url}#{p.id}" if board_url else None,
            }
            for p in (registry.people[r] for r in article.reviewers if r in registry.people)
        ]
        if state.approved
        else []
    )
    return {
        "state": state.name,
        "approved": state.approved,
        "status": state.status,
        "caution": state.caution,
        "changed": state.changed,
        "retracted": bool(state.retracted),
        "history": _history(article, registry) if state.approved else [],
        "overdue": state.overdue,
        "audience": article.audience,
        "steps": steps,
        "reviewers": reviewers,
        "board_url": board_url,
        "policy_url": policy_url,
        "follow_up_url": follow_up_url,
        "dates": {
            key: _shown_date(value)
            for key, value in (
                ("updated", updated),
                ("reviewed", article.reviewed),
                ("next_review", article.next_review),
                ("evidence_through", article.evidence_through),
            )
        },
    }


def _history(article: Article, registry: Registry) -> list[dict]:
    """The article's approvals with their change notes, newest first, each with its anchor on the page."""
    people = registry.people
    rows = [{"anchor": history_anchor(number), "date": _shown_date(entry.date), "note": entry.note,
             "reviewers": [people[r].name if r in people else r for r in entry.reviewers], "number": number}
            for number, entry in enumerate(article.history, 1)]
    return sorted(rows, key=lambda row: (row["date"]["iso"], row["number"]), reverse=True)


def history_anchor(number: int) -> str:
    """The id of an article's `number`th recorded approval (1 = the first) on its page."""
    return f"medsite-review-{number}"


def _shown_date(value: dt.date | None) -> dict | None:
    if value is None:
        return None
    return {"iso": value.isoformat(), "text": f"{value:%B} {value.day}, {value.year}"}


def follow_up_url(issue_form: str, page_path: str) -> str:
    """The issue form's address with the page's source path filled into its `page` field."""
    parts, query = _issue_form(issue_form)
    return urlunsplit(parts._replace(query=urlencode([*query, ("page", page_path)])))


@cache  # one form for every article
def _issue_form(issue_form: str) -> tuple[SplitResult, tuple[tuple[str, str], ...]]:
    parts = urlsplit(issue_form)
    return parts, tuple((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "page")
