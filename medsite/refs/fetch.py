"""Ask Crossref and PubMed about identifiers, politely and without ever crashing on the network.

Crossref: one `GET {crossref}/works/{doi}` per DOI, a few at a time, with a `mailto` when one is given (its
"polite pool"). PubMed: `GET {pubmed}/esummary.fcgi?db=pubmed&retmode=json&id=…` for up to 200 PMIDs at
once, at most three requests a second without an API key (NCBI's limit). A 429 or 5xx answer is retried
after the `Retry-After` it names (or a doubling pause); a service that refuses, times out or cannot be
reached is reported once and not asked again in this run, and the identifiers it did not answer are
"not checked", never "fine". The base URLs are parameters, so tests point them at a local server.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.client import HTTPException
from urllib.parse import quote, urlencode

from medsite.refs.records import crossref_record, normal_doi, pubmed_records
from medsite.refs.verify import Lookup, doi_key, pmid_key

CROSSREF_URL = "https://api.crossref.org"
PUBMED_URL = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
PUBMED_BATCH = 200
MAX_BODY = 20_000_000  # bytes: a batch of 200 summaries is about 1 MB; anything far larger is not an answer
USER_AGENT = "medsite-refs/0.1 (+https://github.com/clinical-answers/clinical-answers)"


@dataclass(frozen=True)
class Answer:
    """One HTTP answer, or why none came."""

    status: int | None  # None when no HTTP answer came
    data: object | None  # the parsed JSON body of a 2xx answer
    detail: str  # "200 OK", "404 Not Found", "timed out after 10 s", ...


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait, from a `Retry-After` header in seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


@dataclass
class JsonClient:
    """GETs JSON with timeouts and retries; every failure becomes an Answer, never an exception."""

    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry without Retry-After; doubles each time
    max_wait: float = 60.0  # a longer Retry-After is not waited for: the run reports "rate limited"
    user_agent: str = USER_AGENT
    sleep: Callable[[float], None] = time.sleep
    headers: Mapping[str, str] = field(default_factory=dict)  # sent with every request (e.g. a token)

    def get(self, url: str) -> Answer:
        """Ask for `url`, retrying timeouts, 5xx and 429 (after Retry-After) a few times."""
        attempt = 0
        while True:
            answer, wait = self._once(url)
            if answer.status not in RETRY_STATUSES and answer.status is not None:
                return answer
            if attempt >= self.retries:
                return answer
            wait = self.backoff * 2**attempt if wait is None else wait
            if wait > self.max_wait:
                return Answer(answer.status, None, f"{answer.detail}; asked to wait {wait:g} s")
            self.sleep(wait)
            attempt += 1

    def _once(self, url: str) -> tuple[Answer, float | None]:
        request = urllib.request.Request(
            url, headers={"User-Agent": self.user_agent, "Accept": "application/json", **self.headers}
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read(MAX_BODY)
                status, reason = response.status, response.reason
        except urllib.error.HTTPError as error:
            with error:
                wait = _retry_after(error.headers.get("Retry-After")) if error.headers else None
                detail = "rate limited (429)" if error.code == 429 else f"{error.code} {error.reason}"
                return Answer(error.code, None, detail), wait
        except urllib.error.URLError as error:
            if isinstance(error.reason, TimeoutError):
                return Answer(None, None, f"timed out after {self.timeout:g} s"), None
            return Answer(None, None, f"cannot connect ({error.reason})"), None
        except TimeoutError:
            return Answer(None, None, f"timed out after {self.timeout:g} s"), None
        except (HTTPException, OSError, ValueError) as error:
            return Answer(None, None, f"request failed ({error or type(error).__name__})"), None
        try:
            return Answer(status, json.loads(body), f"{status} {reason}"), None
        except ValueError:
            return Answer(None, None, f"{status} {reason} but the body is not JSON"), None


@dataclass
class Services:
    """Where the two databases are, and how this project introduces itself to them."""

    crossref_url: str = CROSSREF_URL
    pubmed_url: str = PUBMED_URL
    mailto: str | None = None  # Crossref's polite pool, NCBI's `email`
    api_key: str | None = None  # NCBI's: ten requests a second instead of three

    def work_url(self, doi: str) -> str:
        """Crossref's address for one DOI."""
        query = f"?{urlencode({'mailto': self.mailto})}" if self.mailto else ""
        return f"{self.crossref_url.rstrip('/')}/works/{quote(doi, safe='')}{query}"

    def summary_url(self, pmids: Iterable[str]) -> str:
        """PubMed E-utilities' summary address for some PMIDs."""
        params = {"db": "pubmed", "retmode": "json", "id": ",".join(pmids), "tool": "medsite"}
        if self.mailto:
            params["email"] = self.mailto
        if self.api_key:
            params["api_key"] = self.api_key
        return f"{self.pubmed_url.rstrip('/')}/esummary.fcgi?{urlencode(params)}"


@dataclass
class Run:
    """The outcome of one refresh: new answers, what could not be checked and why, and counts."""

    lookups: dict[str, Lookup]
    unchecked: dict[str, str] = field(default_factory=dict)
    asked: int = 0
    from_cache: int = 0
    stopped: dict[str, str] = field(default_factory=dict)  # service -> why it was not asked again


def is_fresh(lookup: Lookup | None, today: str, max_age_days: float) -> bool:
    """Whether an earlier answer is young enough to use again."""
    if lookup is None:
        return False
    try:
        age = (dt.date.fromisoformat(today) - dt.date.fromisoformat(lookup.checked)).days
    except ValueError:
        return False
    return 0 <= age < max_age_days


def refresh(
    dois: Iterable[str],
    pmids: Iterable[str],
    cached: Mapping[str, Lookup],
    *,
    client: JsonClient,
    services: Services,
    today: str,
    max_age_days: float = 1,
    workers: int = 4,
    pubmed_pause: float | None = None,
) -> Run:
    """Ask about every identifier whose cached answer is older than `max_age_days`; keep the rest."""
    run = Run(lookups=dict(cached))
    dois, pmids = {normal_doi(doi) for doi in dois}, {pmid.strip() for pmid in pmids}
    wanted_dois = sorted(doi for doi in dois if not is_fresh(cached.get(doi_key(doi)), today, max_age_days))
    wanted_pmids = sorted(p for p in pmids if not is_fresh(cached.get(pmid_key(p)), today, max_age_days))
    run.from_cache = len(dois) + len(pmids) - len(wanted_dois) - len(wanted_pmids)
    lock = threading.Lock()

    def ask_crossref(doi: str) -> None:
        with lock:
            if "Crossref" in run.stopped:
                run.unchecked[doi_key(doi)] = run.stopped["Crossref"]
                return
            run.asked += 1
        answer = client.get(services.work_url(doi))
        with lock:
            _crossref_answer(run, doi, answer, today)

    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(ask_crossref, wanted_dois))
    pause = pubmed_pause if pubmed_pause is not None else (0.11 if services.api_key else 0.34)
    for start in range(0, len(wanted_pmids), PUBMED_BATCH):
        batch = wanted_pmids[start : start + PUBMED_BATCH]
        if "PubMed" in run.stopped:
            run.unchecked.update({pmid_key(p): run.stopped["PubMed"] for p in batch})
            continue
        if start:
            client.sleep(pause)
        run.asked += 1
        _pubmed_answer(run, batch, client.get(services.summary_url(batch)), today)
    return run


def _crossref_answer(run: Run, doi: str, answer: Answer, today: str) -> None:
    key = doi_key(doi)
    message = answer.data.get("message") if isinstance(answer.data, dict) else None
    if answer.status == 200 and isinstance(message, dict):
        run.lookups[key] = Lookup(today, crossref_record(doi, message))
    elif answer.status == 404:
        run.lookups[key] = Lookup(today, None)
    else:
        reason = f"Crossref: {answer.detail}" if answer.status != 200 else "Crossref: unexpected answer"
        run.unchecked[key] = reason
        if answer.status is None or answer.status in RETRY_STATUSES:
            run.stopped.setdefault("Crossref", reason)  # unreachable or refusing: do not insist


def _pubmed_answer(run: Run, batch: list[str], answer: Answer, today: str) -> None:
    result = answer.data.get("result") if isinstance(answer.data, dict) else None
    if answer.status != 200 or not isinstance(result, dict):
        error = answer.data.get("error") if isinstance(answer.data, dict) else None
        reason = f"PubMed: {error or answer.detail}"
        run.unchecked.update({pmid_key(p): reason for p in batch})
        if answer.status is None or answer.status in RETRY_STATUSES:
            run.stopped.setdefault("PubMed", reason)
        return
    records = pubmed_records(result)
    for pmid in batch:
        if pmid in records:
            run.lookups[pmid_key(pmid)] = Lookup(today, records[pmid])
        else:
            run.unchecked[pmid_key(pmid)] = "PubMed: no answer for this PMID"
