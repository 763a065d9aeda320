"""Level 2: `make serve`'s rebuild of an edit (hooks/serve.py) gives what a whole build gives. A tiny site is
built as the server builds it first, then edited step by step (title, topic, status, citations, answer,
an approved text, an abbreviation, a patient text above the reading grade) and rebuilt by the server's own
builder after each edit; after every step, every file of the served site equals, byte for byte, the file a
fresh `mkdocs build` of the same sources writes, and the rebuild reports the same problems.

This is the check on everything a rebuild keeps from the builds before (the catalog's checks of unchanged
articles, the dashboard's rows, the article lists' lines, the References index, the pieces of the long
pages): a kept value that differs from a fresh one shows up here as a differing page."""

from __future__ import annotations

import filecmp
import gc
import importlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.livereload import LiveReloadServer

from medsite.cli.main import main
from medsite.pipeline.context import BuildCaches
from tests.review_samples import BODY, TEST_REVIEWER, TODAY, article

NAV = [{"Home": "index.md"}, {"Topics": "topics/index.md"}, {"References": "references.md"},
       {"What's new": "whats-new.md"}, {"Editorial dashboard": "dashboard.md"}]
PATIENT = ("**Drug X does not clear the spots in the bones.**\n\n## What it does\n\n"
           "It helps you live longer.\n\n## Safety\n\nAsk your nurse about side effects.\n")
HARD = ("Notwithstanding considerable interindividual pharmacokinetic variability, "
        "myelosuppression necessitates comprehensive haematological surveillance throughout administration.")


class _Log(logging.Handler):
    """What MkDocs and the hooks log, from INFO up."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @property
    def problems(self) -> list[str]:
        """The warnings and errors, each once."""
        return sorted({f"{record.levelname}: {record.getMessage()}" for record in self.records
                       if record.levelno >= logging.WARNING})


def _logged(run: Callable[[], object]) -> _Log:
    handler, logger = _Log(), logging.getLogger("mkdocs")
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        run()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    return handler


@contextmanager
def _caches() -> Iterator[BuildCaches]:
    """Builds in a process of their own, as far as memory goes: with none of the caches other builds of this
    process filled (medsite_mkdocs.adapter._CACHES, all that outlives a build in memory; the disk caches
    are shared, as by any two builds), and leaving those as they were."""
    adapter = importlib.import_module("medsite_mkdocs.adapter")  # the one the hooks import
    kept, adapter._CACHES = adapter._CACHES, BuildCaches()
    try:
        yield adapter._CACHES
    finally:
        adapter._CACHES = kept


def _fresh_build(root: Path, site_dir: Path) -> _Log:
    """A whole build as a fresh `mkdocs build` process makes it."""
    with _caches():
        return _logged(lambda: build(_config(root, site_dir)))


def _config(root: Path, site_dir: Path):
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=False)
    config.extra["medsite"]["search_index"] = False  # Pagefind's index: not what this test compares
    return config


@contextmanager
def _server_builder(config: MkDocsConfig) -> Iterator[Callable[[], None]]:
    """What `mkdocs serve` rebuilds with after its first build: the server's builder as the hooks' on_serve
    leaves it (hooks/serve.py replaces it), on MkDocs' own server object, which is never started."""
    _logged(lambda: build(config, serve_url="http://127.0.0.1:8000/"))  # the server's first build
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=config.site_dir)
    try:
        server.watch(config.docs_dir)  # what `mkdocs serve` watches before on_serve
        server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=server.builder)
        yield server.builder
    finally:
        server.server_close()


def _files(site_dir: Path) -> set[str]:
    return {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*")
            if path.is_file() and not path.relative_to(site_dir).as_posix().startswith("pagefind")}


def _site(tiny_site) -> dict[str, Path]:
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.config["nav"] = NAV
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    written = {
        "a": tiny_site.write("docs/articles/a.md", article(
            BODY + "\nA trial [@debono2010tropic]. Another [@dewit2019card].\n", title="Does drug X help?",
            description="It may help some men with mCRPC.", topics=["prostate cancer", "bone metastases"])),
        "b": tiny_site.write("docs/articles/b.md", article(
            BODY + "\nSee [@dewit2019card].\n\n*[mCRPC]: metastatic castration-resistant prostate cancer\n",
            title="Is drug Y better in mCRPC?", description="In mCRPC, probably.")),
        "c": tiny_site.write("docs/articles/c.md", article(
            PATIENT, title="Is drug W safe?", audience="patient", description="Mostly, yes.",
            topics=["fatigue"])),
        "d": tiny_site.write("docs/articles/d.md", article(title="Is drug V safe?", topics=["fatigue"],
                                                           next_review="2025-03-01")),
    }
    approved = tiny_site.write("docs/articles/e.md", article(
        BODY + "\nA trial [@eisenberger2017proselica].\n", title="Does drug Z help?", topics=["fatigue"]))
    tiny_site.save_config()
    assert main(["approve", str(approved), "--reviewer", TEST_REVIEWER, "--date", "2025-02-01",
                 "--note", "First approval.", "--config", str(tiny_site.root / "mkdocs.yml")]) == 0
    return {**written, "e": approved}


EDITS = [  # (article, old text, new text, what the edit changes)
    ("a", "Does drug X help?", "Does drug X help in mCRPC?", "title"),
    ("a", "topics: [prostate cancer, bone metastases]", "topics: [bone metastases, fatigue]", "topics"),
    ("d", "status: under_review", "status: submitted", "status"),
    ("b", "See [@dewit2019card].", "See [@dewit2019card] and [@rouyer2019fuji].", "a citation added"),
    ("a", " Another [@dewit2019card].", "", "a citation removed"),
    ("b", "In mCRPC, probably.", "Probably not.", "answer"),
    ("e", "It prolongs survival.", "It prolongs life.", "an approved text changed"),
    ("b", "*[mCRPC]: metastatic castration-resistant", "*[mCRPC]: castration-resistant metastatic",
     "an abbreviation's expansion"),
    ("c", "It helps you live longer.", HARD, "patient text above the reading grade"),
    ("c", HARD, "It helps you live longer.", "patient text back below it"),
]


def test_each_rebuild_of_an_edit_equals_a_whole_build(tiny_site, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # the date in sitemap.xml.gz's header
    articles = _site(tiny_site)
    served = tmp_path / "served"
    config = _config(tiny_site.root, served)
    with _caches(), _server_builder(config) as rebuilder:  # the server's process
        try:
            for step, (name, old, new, what) in enumerate(EDITS):
                path = articles[name]
                text = path.read_text(encoding="utf-8")
                assert old in text, what
                path.write_text(text.replace(old, new), encoding="utf-8")
                rebuilt = _logged(rebuilder)
                messages = [record.getMessage() for record in rebuilt.records]
                assert any(line.startswith("Changed pages rebuilt") for line in messages), (what, messages)
                fresh = tmp_path / f"fresh-{step}"
                whole = _fresh_build(tiny_site.root, fresh)
                with rebuilder.index.whole_build():  # the background search indexes do not write meanwhile
                    assert _files(served) == _files(fresh), what
                    differing = [file for file in sorted(_files(fresh))
                                 if not filecmp.cmp(served / file, fresh / file, shallow=False)]
                assert differing == [], what
                assert rebuilt.problems == whole.problems, what
        finally:
            with rebuilder.index.whole_build():  # let the last search index run end in this test
                gc.unfreeze()  # the server's builder freezes what a whole build keeps (hooks/serve.py)
