"""A retracted source, as the build shows it from `medsite refs verify`'s cache: a notice beside the
reference, the caution on an article citing it until the board approves it again with `--acknowledge`, and
the dashboard's findings. The build never asks the network: the cache is all it reads."""

from __future__ import annotations

import re

import pytest

from medsite.cli.main import main
from medsite.model.project import load_project
from medsite.refs.records import crossref_record
from medsite.refs.verify import Lookup, doi_key, write_cache
from medsite.review.catalog import project_pins as catalog_pins
from medsite.review.rules import review_state
from tests.replay_server import recorded
from tests.review_samples import (
    TEST_REVIEWER,
    TODAY,
    approved_hash,
    article,
    cited_as_formatted,
    project_pins,
)
from tests.test_refs_verify import EXAMPLES
from tests.test_review_rules import REGISTRY, typed

KEY = "example2019retracted"
BODY = f"**Drug X does not clear bone metastases** [@{KEY}].\n\nIt prolongs survival [@debono2010tropic].\n"


def retraction_cache(root) -> None:
    """The cache `medsite refs verify` leaves after Crossref reported the example's retraction."""
    record = crossref_record(
        "10.5555/medsite.retracted.1", recorded("crossref-retracted-example.json")["message"]
    )
    write_cache(root, {doi_key(record.identifier): Lookup("2026-11-20", record)})


def acknowledged(**keys: object) -> str:
    return article(BODY, status="approved", retractions_reviewed=[KEY], **keys)


def state_of(typed_article, **keys):
    return review_state(typed_article, typed_article.submitted, registry=REGISTRY, pins=project_pins(),
                        **keys)


@pytest.fixture
def site(tiny_site):
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("references/examples.bib", EXAMPLES)
    return tiny_site


def site_pins(site) -> dict[str, str]:
    """The tiny site's references (the project's and the examples) as its approvals pin them."""
    return catalog_pins(load_project(site.save_config()))


def test_review_state_counts_only_unacknowledged_retractions():
    plain = typed(article(BODY, status="approved"))
    state = state_of(plain, retracted={KEY})
    assert (state.approved, state.caution, state.name, state.step, state.retracted) == (
        False,
        True,
        "cites_retracted",
        "under_review",
        (KEY,),
    )
    known = typed(acknowledged())
    assert state_of(known, retracted={KEY}).approved
    assert state_of(plain).approved  # nothing known retracted


def test_acknowledging_by_hand_is_a_change_since_review():
    forged = article(BODY, status="approved", retractions_reviewed=[KEY],  # the hash without the key
                     reviewed_hash=approved_hash(BODY, references=cited_as_formatted(BODY)))
    state = state_of(typed(forged), retracted={KEY})
    assert state.changed and not state.approved


def test_tiny_site_shows_the_notice_and_the_caution_until_acknowledged(site):
    pins = site_pins(site)
    site.write("docs/articles/plain.md", article(BODY, status="approved", pins=pins))
    site.write("docs/articles/known.md", acknowledged(pins=pins))
    built = site.build()
    assert "Retracted" not in built.html("articles/plain.md")  # no cache: nothing known, nothing asked
    assert "Cites a retracted source" not in built.html("articles/plain.md")
    retraction_cache(site.root)
    built = site.build()
    plain, known = built.html("articles/plain.md"), built.html("articles/known.md")
    entry = re.search(rf'<li id="ref-{KEY}">.*?</li>', plain, re.DOTALL).group(0)
    assert (
        'class="medsite-source-notice medsite-source-notice--retraction">Retracted (2021-03-04): '
        '<a href="https://doi.org/10.5555/medsite.retraction-notice.1">read the notice</a>.</strong>' in entry
    )
    assert "Corrected (2020-01-15)" in entry
    assert "medsite-source-notice" not in re.search(
        r'<li id="ref-debono2010tropic">.*?</li>', plain, re.DOTALL
    ).group(0)
    assert "Cites a retracted source; under review:" in plain and 'class="medsite-caution"' in plain
    assert "medsite-review--cites_retracted" in plain and "Reviewed by" not in plain
    assert "Retracted (2021-03-04)" in known  # readers still see the notice
    assert 'class="medsite-caution"' not in known and "Reviewed by" in known
    dashboard = built.html("dashboard.md")
    assert "Cites a retracted source" in dashboard
    assert f"<td>{KEY}</td><td>references/examples.bib:2</td>" in dashboard
    assert "DOIs and PMIDs with an answer from Crossref or PubMed: 1 of " in dashboard


def test_approve_requires_the_board_to_acknowledge_each_retracted_source(site, capsys):
    path = site.write("docs/articles/plain.md", article(BODY))
    site.build()  # writes mkdocs.yml
    retraction_cache(site.root)
    approve = [
        "approve",
        str(path),
        "--reviewer",
        TEST_REVIEWER,
        "--date",
        TODAY,
        "--note",
        "Reviewed against the retraction.",
        "--config",
        str(site.root / "mkdocs.yml"),
    ]
    assert main(approve) == 1
    err = capsys.readouterr().err
    assert f"cites `{KEY}`, which has been retracted" in err and f"--acknowledge {KEY}" in err
    assert "status: under_review" in path.read_text(encoding="utf-8")  # nothing written
    assert main([*approve, "--acknowledge", "debono2010tropic", "--acknowledge", KEY]) == 1
    assert "--acknowledge debono2010tropic: the article cites no retracted source" in capsys.readouterr().err
    assert main([*approve, "--acknowledge", KEY]) == 0
    assert f"acknowledged retracted source(s): {KEY}" in capsys.readouterr().out
    text = path.read_text(encoding="utf-8")
    assert f"retractions_reviewed: [{KEY}]" in text and "status: approved" in text
    built = site.build()
    page = built.html("articles/plain.md")
    assert 'class="medsite-caution"' not in page and "Retracted (2021-03-04)" in page
