"""schema.org `MedicalWebPage` JSON-LD for an article, so search engines see its review status.

Review claims (`lastReviewed`, `reviewedBy`) are made only for an approved, unchanged article: the
structured data must never say more than the page's own review banner.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence

from medsite.citations.bib_model import Bibliography, FormattedReference
from medsite.model.article import Article
from medsite.model.registry import Registry
from medsite.review.rules import ReviewState

AUDIENCE_TYPES = {"clinician": "Clinician", "patient": "Patient"}


def medical_web_page(
    article: Article,
    state: ReviewState,
    registry: Registry,
    *,
    url: str | None,
    board_url: str | None,
    updated: dt.date,
    citations: Sequence[dict] = (),
) -> dict:
    """The JSON-LD object; `citations` come from `cited_works`."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "name": article.title,
        "description": article.description,
        "medicalAudience": {"@type": "MedicalAudience", "audienceType": AUDIENCE_TYPES[article.audience]},
        "about": [{"@type": "Thing", "name": topic} for topic in article.topics],
        "dateModified": updated.isoformat(),
    }
    if url:
        data["url"] = url
    if state.approved and article.reviewed:
        data["lastReviewed"] = article.reviewed.isoformat()
        data["reviewedBy"] = [
            _person(registry.people[r].name, board_url and f"{board_url}#{r}")
            for r in article.reviewers
            if r in registry.people
        ]
    if citations:
        data["citation"] = list(citations)
    return data


def cited_works(
    keys: Iterable[str], bibliography: Bibliography, references: Mapping[str, FormattedReference]
) -> list[dict]:
    """The references an article cites, in order of first citation, as schema.org CreativeWorks."""
    works = []
    for key in dict.fromkeys(keys):
        entry, reference = bibliography.entries.get(key), references.get(key)
        if entry is None or reference is None:
            continue
        url = (
            f"https://doi.org/{entry.doi}"
            if entry.doi
            else f"https://pubmed.ncbi.nlm.nih.gov/{entry.pmid}/"
            if entry.pmid
            else entry.url
        )
        works.append({"@type": "CreativeWork", "name": reference.text, **({"url": url} if url else {})})
    return works


def _person(name: str, url: str | None) -> dict:
    return {"@type": "Person", "name": name, **({"url": url} if url else {})}


def script_json(data: dict) -> str:
    """JSON safe to place inside <script>: `<`, `>` and `&` are written as \\u escapes, so no value can
    close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
