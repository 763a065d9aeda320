"""`medsite refs verify`: parsing Crossref's and PubMed's answers, comparing them with .bib entries, the
client's handling of rate limits, timeouts and offline runs, the cache and the command, all against a
server on 127.0.0.1 that replays recorded answers (tests/replay_server.py)."""

from __future__ import annotations

import datetime as dt
import json
import socket

import pytest

from medsite.bibliography.load import load_bibliography
from medsite.cli.main import main
from medsite.refs.fetch import JsonClient, Services, refresh
from medsite.refs.records import RETRACTION, crossref_record, normal_doi, pubmed_records
from medsite.refs.report import markdown_report
from medsite.refs.verify import (
    Lookup,
    all_findings,
    doi_key,
    pmid_key,
    read_cache,
    same_author,
    same_journal,
    same_title,
    source_notices,
    write_cache,
)
from tests.project_samples import make_project
from tests.replay_server import Replay, Reply, recorded, replaying

TODAY = dt.date.today().isoformat()
EXAMPLES = """
@article{example2019retracted,
  author  = {Example, Ann and Sample, Bob},
  title   = {An example trial that was later retracted},
  journal = {J Examples},
  year    = {2019},
  doi     = {10.5555/medsite.retracted.1},
  pmid    = {99000001},
}

@article{wrongdoi2020,
  author  = {Other, Olga},
  title   = {Radiotherapy for painful bone metastases in older adults},
  journal = {Lancet},
  year    = {2020},
  doi     = {10.1056/NEJMoa1911206},
}

@article{unknown2021,
  author  = {Nobody, Nils},
  title   = {A paper whose DOI has a typo},
  journal = {J Examples},
  year    = {2021},
  doi     = {10.5555/medsite.no-such-doi},
  pmid    = {99000002},
}
"""


def crossref_routes() -> dict:
    return {
        "/works/10.1016/s0140-6736(10)61389-x": Reply(body=recorded("crossref-debono2010tropic.json")),
        "/works/10.1056/nejmoa1911206": Reply(body=recorded("crossref-dewit2019card.json")),
        "/works/10.5555/medsite.retracted.1": Reply(body=recorded("crossref-retracted-example.json")),
    }


def esummary(query: dict) -> Reply:
    """NCBI answers for the PMIDs asked, as esummary does (an unknown one carries an `error`)."""
    data = recorded("pubmed-esummary.json")["result"]
    asked = query["id"][0].split(",")
    result = {
        "uids": asked,
        **{uid: data.get(uid, {"uid": uid, "error": "cannot get document summary"}) for uid in asked},
    }
    return Reply(body={"header": {"type": "esummary", "version": "0.3"}, "result": result})


def server(**extra) -> Replay:
    return Replay({**crossref_routes(), "/esummary.fcgi": esummary, **extra})


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    make_project(tmp_path)
    (tmp_path / "references" / "examples.bib").write_text(EXAMPLES, encoding="utf-8")  # beside small.bib
    return tmp_path


def verify(project, base: str, *args: str) -> int:
    return main(
        [
            "refs",
            "verify",
            "--config",
            str(project / "mkdocs.yml"),
            "--crossref-url",
            base,
            "--pubmed-url",
            base,
            "--retries",
            "0",
            *args,
        ]
    )


# --- reading the answers ---------------------------------------------------------------------------------


def test_crossref_answer_becomes_a_record_with_its_notices():
    record = crossref_record(
        "10.5555/MEDSITE.retracted.1", recorded("crossref-retracted-example.json")["message"]
    )
    assert record.identifier == "10.5555/medsite.retracted.1" and record.first_author == "Example"
    assert record.years == (2019,) and record.journals == ("Journal of Examples", "J Examples")
    assert [(u.kind, u.date, u.doi) for u in record.updates] == [
        (RETRACTION, "2021-03-04", "10.5555/medsite.retraction-notice.1"),
        ("correction", "2020-01-15", "10.5555/medsite.correction.1"),
    ]  # the two sources' retraction: once
    notice = crossref_record(
        "10.5555/medsite.retraction-notice.1", recorded("crossref-retraction-notice.json")["message"]
    )
    assert notice.updates == () and [u.doi for u in notice.notice_of] == ["10.5555/medsite.retracted.1"]


def test_pubmed_summaries_become_records_and_unknown_pmids_none():
    records = pubmed_records(recorded("pubmed-esummary.json")["result"])
    assert records["99000002"] is None
    tropic = records["20888992"]
    assert (tropic.first_author, tropic.years, tropic.doi) == (
        "de Bono",
        (2010,),
        "10.1016/s0140-6736(10)61389-x",
    )
    assert tropic.journals == ("Lancet", "Lancet (London, England)") and tropic.updates == ()
    [retraction] = records["99000001"].updates
    assert (retraction.kind, retraction.pmid, retraction.url) == (
        RETRACTION,
        "99000003",
        "https://pubmed.ncbi.nlm.nih.gov/99000003/",
    )


def test_malformed_answers_are_read_without_crashing():
    assert (
        crossref_record(
            "10.1/x",
            {
                "title": None,
                "author": "nobody",
                "issued": {"date-parts": [[None]]},
                "updated-by": [None, {"type": "unknown"}, {"type": "Retraction"}],
            },
        )
        .updates[0]
        .kind
        == RETRACTION
    )
    assert pubmed_records({"uids": ["1"], "1": {"authors": [None], "references": ["x"], "pubtype": None}})[
        "1"
    ]
    assert normal_doi("https://doi.org/10.1056/NEJMoa1911206") == normal_doi("doi: 10.1056/nejmoa1911206")


def test_comparisons_accept_the_same_work_written_differently():
    assert same_title("Phase {III} Study --- {PROSELICA}", ["Phase III study: PROSELICA"])
    assert same_title("A trial", ["RETRACTED: A trial."])
    assert not same_title(
        "Cabazitaxel versus Abiraterone or Enzalutamide", ["Denosumab versus zoledronic acid"]
    )
    assert (
        same_author("de Bono", "Bono")
        and same_author("Géczi", "Geczi")
        and not same_author("de Wit", "Oudard")
    )
    assert same_journal("N Engl J Med", ["New England Journal of Medicine"])
    assert same_journal("J Clin Oncol", ["Journal of Clinical Oncology"]) and same_journal(
        "Lancet", ["The Lancet"]
    )
    assert not same_journal("Lancet", ["New England Journal of Medicine", "N Engl J Med"])


# --- the client --------------------------------------------------------------------------------------------


def test_rate_limit_waits_for_retry_after_then_succeeds():
    replay = server(
        **{
            "/works/10.1/slow": [
                Reply(429, {"message": "slow down"}, {"Retry-After": "3"}),
                Reply(body=recorded("crossref-dewit2019card.json")),
            ]
        }
    )
    waits: list[float] = []
    with replaying(replay) as base:
        answer = JsonClient(retries=2, sleep=waits.append).get(f"{base}/works/10.1%2Fslow")
    assert answer.status == 200 and waits == [3.0] and len(replay.requests) == 2


def test_a_long_retry_after_gives_up_and_stops_asking_that_service():
    replay = Replay({"/works/10.1/a": Reply(429, {}, {"Retry-After": "3600"}), "/esummary.fcgi": esummary})
    with replaying(replay) as base:
        run = refresh(
            ["10.1/a", "10.1/b", "10.1/c"],
            ["20888992"],
            {},
            client=JsonClient(sleep=lambda s: None),
            services=Services(base, base),
            today=TODAY,
            workers=1,
        )
    assert set(run.unchecked) == {"doi:10.1/a", "doi:10.1/b", "doi:10.1/c"}
    assert "rate limited (429); asked to wait 3600 s" in run.unchecked["doi:10.1/a"]
    assert len([r for r in replay.requests if r.startswith("/works/")]) == 1  # b and c were never asked
    assert run.lookups[pmid_key("20888992")].record.first_author == "de Bono"  # PubMed still answered


def test_timeouts_and_offline_runs_are_reported_not_raised():
    replay = Replay({"/works/10.1/slow": Reply(body={}, delay=1.0)})
    with replaying(replay) as base:
        run = refresh(
            ["10.1/slow"],
            [],
            {},
            client=JsonClient(timeout=0.2, retries=0),
            services=Services(base),
            today=TODAY,
        )
    assert run.unchecked == {"doi:10.1/slow": "Crossref: timed out after 0.2 s"}
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    offline = f"http://127.0.0.1:{port}"
    run = refresh(
        ["10.1/a"],
        ["1"],
        {},
        client=JsonClient(retries=1, sleep=lambda s: None),
        services=Services(offline, offline),
        today=TODAY,
    )
    assert run.unchecked["doi:10.1/a"].startswith("Crossref: cannot connect")
    assert run.unchecked["pmid:1"].startswith("PubMed: cannot connect") and run.lookups == {}


def test_fresh_cached_answers_are_not_asked_again():
    cached = {doi_key("10.1056/NEJMoa1911206"): Lookup(TODAY, None)}
    replay = server()
    with replaying(replay) as base:
        run = refresh(
            ["10.1056/NEJMoa1911206"], [], cached, client=JsonClient(), services=Services(base), today=TODAY
        )
        assert replay.requests == [] and run.from_cache == 1
        old = {doi_key("10.1056/NEJMoa1911206"): Lookup("2020-01-01", None)}
        run = refresh(
            ["10.1056/NEJMoa1911206"], [], old, client=JsonClient(), services=Services(base), today=TODAY
        )
    assert run.lookups[doi_key("10.1056/nejmoa1911206")].record.first_author == "de Wit"


# --- the command ---------------------------------------------------------------------------------------


def test_verify_reports_each_kind_of_finding_with_file_and_line(project, capsys):
    bib = (project / "references" / "examples.bib").read_text(encoding="utf-8").splitlines()
    line = {
        key: next(n for n, text in enumerate(bib, 1) if text.startswith(f"@article{{{key},"))
        for key in ("example2019retracted", "wrongdoi2020", "unknown2021")
    }
    before = dt.date.today().isoformat()
    with replaying(server()) as base:
        assert verify(project, base) == 1
    run_days = {before, dt.date.today().isoformat()}  # the run may cross midnight
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert not any("debono2010tropic" in text or "dewit2019card" in text for text in lines)  # they match
    retracted = [
        text for text in lines if text.startswith(f"references/examples.bib:{line['example2019retracted']}:")
    ]
    assert any(
        "error: 'example2019retracted': Crossref lists a notice: the work was retracted on 2021-03-04, "
        "https://doi.org/10.5555/medsite.retraction-notice.1" in text
        for text in retracted
    )
    assert any(
        "warning: 'example2019retracted': Crossref lists a notice: a correction was published" in text
        for text in retracted
    )
    wrong = next(
        text for text in lines if text.startswith(f"references/examples.bib:{line['wrongdoi2020']}:")
    )
    assert (
        "DOI 10.1056/nejmoa1911206 does not match the entry: Crossref has title 'Cabazitaxel versus " in wrong
    )
    assert (
        "first author de Wit (the entry says Other)" in wrong and "year 2019 (the entry says 2020)" in wrong
    )
    assert "journal 'New England Journal of Medicine' (the entry says 'Lancet')" in wrong
    unknown = [text for text in lines if text.startswith(f"references/examples.bib:{line['unknown2021']}:")]
    assert any("DOI 10.5555/medsite.no-such-doi is not known to Crossref" in text for text in unknown)
    assert any("PMID 99000002 is not known to PubMed" in text for text in unknown)
    assert (
        "4 DOI(s) and 4 PMID(s): 5 request(s), 0 from the cache, 0 not checked; 4 error(s), 1 warning(s)"
        in out.err
    )
    cache = read_cache(project)
    assert cache[doi_key("10.5555/medsite.retracted.1")].checked in run_days
    assert cache[doi_key("10.5555/medsite.no-such-doi")].record is None


def test_offline_verify_reports_from_the_cache_and_a_down_service_is_no_crash(project, capsys):
    with replaying(server()) as base:
        verify(project, base)
    capsys.readouterr()
    assert verify(project, "http://127.0.0.1:9", "--offline") == 1  # never asks: port 9 would refuse
    out = capsys.readouterr()
    assert "the work was retracted on 2021-03-04" in out.out and "8 from the cache" in out.err
    (project / ".cache" / "medsite" / "sources.json").unlink()
    assert verify(project, "http://127.0.0.1:9", "--offline") == 0
    out = capsys.readouterr()
    assert "0 from the cache, 8 not checked" in out.err
    assert "no earlier answer in the cache (--offline)" in out.out
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    assert verify(project, f"http://127.0.0.1:{port}") == 0  # nothing known to be wrong
    out = capsys.readouterr()
    assert (
        "warning: 'debono2010tropic': DOI 10.1016/s0140-6736(10)61389-x not checked: Crossref: cannot "
        "connect" in out.out
    )
    assert "stopped asking Crossref" in out.err and "8 not checked" in out.err


def test_report_is_markdown_with_a_section_per_kind(project, tmp_path, capsys):
    report = tmp_path / "report.md"
    before = dt.date.today().isoformat()
    with replaying(server()) as base:
        verify(project, base, "--report", str(report))
    text = report.read_text(encoding="utf-8")
    days = (before, dt.date.today().isoformat())  # the run may cross midnight
    assert any(text.startswith(f"Source check of {day} (`medsite refs verify`): ") for day in days)
    assert "## Retracted sources (1)" in text and "## Identifiers that do not match their entry (1)" in text
    assert "| `example2019retracted` | `references/examples.bib:" in text
    assert markdown_report([], "nothing", TODAY).endswith("none was retracted.\n")


def test_notices_for_the_build_come_from_the_cache_only(project):
    bibliography = load_bibliography(project / "references", root=project)
    assert source_notices(bibliography, {}) == {}
    with replaying(server()) as base:
        run = refresh(
            [e.doi for e in bibliography.entries.values() if e.doi],
            [e.pmid for e in bibliography.entries.values() if e.pmid],
            {},
            client=JsonClient(),
            services=Services(base, base),
            today=TODAY,
        )
    write_cache(project, run.lookups)
    notices = source_notices(bibliography, read_cache(project))
    assert list(notices) == ["example2019retracted"]
    assert [(n.text, n.date, n.url) for n in notices["example2019retracted"]] == [
        ("Retracted", "2021-03-04", "https://doi.org/10.5555/medsite.retraction-notice.1"),
        ("Corrected", "2020-01-15", "https://doi.org/10.5555/medsite.correction.1"),
    ]
    assert {f.kind for f in all_findings(bibliography, read_cache(project))} >= {"retraction", "mismatch"}


def test_a_damaged_cache_reads_as_empty(project):
    folder = project / ".cache" / "medsite"
    folder.mkdir(parents=True)
    (folder / "sources.json").write_text("{not json", encoding="utf-8")
    assert read_cache(project) == {}
    (folder / "sources.json").write_text(
        json.dumps(
            {
                "version": "1",
                "items": {"doi:x": {"checked": 3}, "doi:y": {"checked": "2020-01-01", "record": {"bad": 1}}},
            }
        ),
        encoding="utf-8",
    )
    assert read_cache(project) == {}
