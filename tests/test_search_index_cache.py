"""Level 2: the search index of an unchanged site is reused (medsite.search.index_cache), and nothing from
that cache reaches a reader unchecked. A reused index is the fresh one's; any change to what Pagefind reads
(text, title, answer, caution) indexes again; a damaged, foreign or tampered entry is never published,
and the code readers' browsers run always comes from the installed Pagefind; Pagefind failing fails the
build with its own words, whether or not the index could have been reused."""

from __future__ import annotations

import gzip
import json
import logging
import re
import sys
from pathlib import Path

import cbor2
import pytest

from medsite.core import json_cache
from medsite.search import index_cache, recut
from medsite.search.pagefind import BUNDLE, indexed_pages
from tests.review_samples import TODAY, article
from tests.sitebuild import BuildFailed, Built, SiteFactory

REUSED = "its index reused"
CAUTION = "Educational purpose only · content pending human review"


def _site(tiny_site: SiteFactory) -> SiteFactory:
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    tiny_site.write("docs/articles/a.md", article("**Bottom line.** Cabazitaxel helps.\n", audience="patient",
                                                  title="Does X help?", topics=["prostate cancer", "chemo"]))
    tiny_site.write("docs/articles/b.md", article(title="Does drug Y help?", status="approved"))
    return tiny_site


def _cache(site: SiteFactory) -> Path:
    return site.root / json_cache.CACHE_FOLDER / index_cache.NAME


def _pages(built: Built) -> dict[str, dict]:
    """The index as a reader's search sees it; a filter's values sorted (Pagefind orders them as it likes)."""
    return {page["url"]: {**page, "filters": {name: sorted(found) for name, found in page["filters"].items()}}
            for page in indexed_pages(built.site_dir)}


def _data(built: Built) -> dict[str, bytes]:
    """The index's data files by name (content hashes), decompressed: words, chunks, pages, filters."""
    index = built.site_dir / BUNDLE
    return {name: (index / name).read_bytes() if name == index_cache.ENTRY
            else gzip.decompress((index / name).read_bytes()) for name in index_cache.data_files(index)}


def _words(built: Built) -> tuple[dict[str, bytes], list]:
    """The word chunks by name and the metadata's list of them."""
    data = _data(built)
    entry = json.loads(data[index_cache.ENTRY])
    meta = cbor2.loads(data[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"][len(recut.SIGNATURE):])
    return {name: chunk for name, chunk in data.items() if name.startswith("index/")}, meta[2]


def _code(built: Built) -> dict[str, bytes]:
    index = built.site_dir / BUNDLE
    data = set(index_cache.data_files(index))
    return {path.name: path.read_bytes() for path in index.iterdir()
            if path.is_file() and path.name not in data}


@pytest.fixture(autouse=True)
def _info_logged(caplog):
    """The build says when it reused the index, at the INFO level."""
    caplog.set_level(logging.INFO, logger="mkdocs")


@pytest.fixture
def built_twice(tiny_site):
    """A site built cold, then again unchanged (the second reuses the index)."""
    site = _site(tiny_site)
    first = site.build()
    assert REUSED not in first.log and _cache(site).is_file()
    assert re.search(r"Search index: \d+ word chunks of Pagefind [\d.]+ cut into \d+", first.log)
    fresh = {"pages": _pages(first), "code": _code(first), "data": _data(first)}
    second = site.build()
    assert REUSED in second.log
    return site, fresh, second


def test_a_reused_index_is_the_fresh_one_with_pagefinds_own_code(built_twice):
    site, fresh, reused = built_twice
    assert _pages(reused) == fresh["pages"] and _data(reused) == fresh["data"]
    assert set(fresh["pages"]) >= {"/", "/articles/a/", "/articles/b/"}
    assert _code(reused) == fresh["code"]  # pagefind.js, its worker and WebAssembly, from Pagefind
    assert sorted(fresh["code"]) == ["pagefind-worker.js", "pagefind.js", "wasm.en.pagefind",
                                     "wasm.unknown.pagefind"]
    # The same index as without any cache: built again with the cache off, Pagefind's index re-cut again
    # gives the same word chunks, names (content hashes) and chunk list (Pagefind orders its filter chunks
    # as a hash map happens to, so their names and the metadata naming them vary from run to run).
    site.config["extra"]["medsite"]["page_cache"] = False
    again = site.build()
    assert _pages(again) == fresh["pages"] and _words(again) == _words(reused)


def _approved_b(body: str = "**Drug Y does not help.**\n", **keys: object) -> str:
    return article(body, title="Does drug Y help?", status="approved", **keys)


@pytest.mark.parametrize("change, check", [
    ("text", lambda page: "Drug Y does not help." in page["content"]),
    ("title", lambda page: page["meta"]["title"] == "Does drug Z help?"),
    ("answer", lambda page: page["meta"]["answer"] == "A new one-line answer."),
    ("caution", lambda page: page["filters"]["caution"] == [CAUTION]),
])
def test_a_change_to_what_pagefind_reads_indexes_again(built_twice, change, check):
    site, _, _ = built_twice
    site.write("docs/articles/b.md", {
        "text": _approved_b(),
        "title": article(title="Does drug Z help?", status="approved"),
        "answer": article(title="Does drug Y help?", status="approved", description="A new one-line answer."),
        # The approval no longer matches: the page carries the caution, and so must its result.
        "caution": article(title="Does drug Y help?", status="approved", reviewed_hash="sha256:" + "0" * 64),
    }[change])
    built = site.build(strict=False)  # a change since review is a warning
    assert REUSED not in built.log
    assert check(_pages(built)["/articles/b/"])
    assert REUSED in site.build(strict=False).log  # and the new index is the one kept


def _entry(site: SiteFactory) -> tuple[dict, list[tuple[str, bytes]]]:
    header, _, payload = _cache(site).read_bytes().partition(b"\n")
    meta = json.loads(header)
    files, offset = [], 0
    for name, size in meta["files"]:
        files.append((name, payload[offset:offset + size]))
        offset += size
    return meta, files


def _seal(site: SiteFactory, meta: dict, files: list[tuple[str, bytes]]) -> None:
    """Write an entry whose digest matches its (altered) data, as a tamperer would."""
    payload = b"".join(data for _, data in files)
    meta = {**meta, "payload": json_cache.digest(payload),
            "files": [[name, len(data)] for name, data in files]}
    _cache(site).write_bytes(json.dumps(meta).encode() + b"\n" + payload)


def _fragment(data: bytes) -> dict:
    return json.loads(gzip.decompress(data).removeprefix(index_cache.PREFIX))


def _altered_fragment(site: SiteFactory, url: str, change) -> None:
    meta, files = _entry(site)
    altered = []
    for name, data in files:
        if name.startswith("fragment/") and _fragment(data)["url"] == url:
            fragment = _fragment(data)
            change(fragment)
            data = gzip.compress(index_cache.PREFIX + json.dumps(fragment).encode())
        altered.append((name, data))
    _seal(site, meta, altered)


def _altered_chunk(data: bytes) -> bytes:
    words = recut.chunk_words(data)
    if not words:  # the empty term's chunk
        return data
    words[0] = recut.Word(words[0].text, cbor2.dumps([words[0].text, [[0, [1], []]], []]))
    return recut.pack(recut.encode_chunk(words))


def _damage(site: SiteFactory, damage: str) -> None:
    path = _cache(site)
    meta, files = _entry(site)
    if damage == "empty":
        path.write_bytes(b"")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:-100])
    elif damage == "garbage":
        path.write_bytes(b"\x00\xff" * 500)
    elif damage == "payload changed":
        path.write_bytes(path.read_bytes()[:-1] + b"x")
    elif damage == "other key":  # another site's, another Pagefind's or another code's index
        _seal(site, {**meta, "key": "0" * 32}, files)
    elif damage == "other format":
        _seal(site, {**meta, "format": "medsite-search-index 0"}, files)
    elif damage == "code in the entry":  # nothing readers' browsers run is taken from the cache
        _seal(site, meta, [*files, ("pagefind.js", b"alert(document.cookie)")])
    elif damage == "caution removed":
        _altered_fragment(site, "/articles/a/", lambda fragment: fragment["filters"].pop("caution"))
    elif damage == "answer changed":
        _altered_fragment(site, "/articles/a/", lambda fragment: fragment["meta"].update(answer="Always."))
    elif damage == "script address":
        _altered_fragment(site, "/articles/a/", lambda fragment: fragment.update(url="javascript:alert(1)"))
    elif damage == "other page's address":
        _altered_fragment(site, "/articles/a/", lambda fragment: fragment.update(url="/articles/b/"))
    elif damage == "word chunk altered":  # its name kept: another word's pages in it
        _seal(site, meta, [(name, _altered_chunk(data) if name.startswith("index/") else data)
                           for name, data in files])
    elif damage == "word chunk missing":
        chunk = next(name for name, _ in files if name.startswith("index/"))
        _seal(site, meta, [(name, data) for name, data in files if name != chunk])
    elif damage == "fragment not gzip":
        _seal(site, meta, [(name, b"pagefind_dcd{}" if name.startswith("fragment/") else data)
                           for name, data in files])
    elif damage == "page missing":
        _seal(site, meta, [(name, data) for name, data in files if not (
            name.startswith("fragment/") and _fragment(data)["url"] == "/articles/b/")])
    else:
        raise AssertionError(damage)


@pytest.mark.parametrize("damage", [
    "empty", "truncated", "garbage", "payload changed", "other key", "other format", "code in the entry",
    "caution removed", "answer changed", "script address", "other page's address", "fragment not gzip",
    "page missing", "word chunk altered", "word chunk missing"])
def test_a_damaged_foreign_or_tampered_index_is_not_used(built_twice, damage):
    site, fresh, _ = built_twice
    _damage(site, damage)
    built = site.build()
    assert REUSED not in built.log
    assert _pages(built) == fresh["pages"]  # a fresh index, with the caution where the page has it
    assert _pages(built)["/articles/a/"]["filters"]["caution"] == [CAUTION]
    assert _code(built) == fresh["code"]
    assert REUSED in site.build().log  # the cache was written again, sound


def test_a_site_with_a_page_pagefind_did_not_see_indexes_again(built_twice):
    site, _, _ = built_twice
    site.write("docs/articles/c.md", article(title="Does drug W help?"))
    built = site.build()
    assert REUSED not in built.log and "/articles/c/" in _pages(built)


def claiming_version(folder: Path, claimed: str) -> Path:
    """The installed Pagefind, whose entry file claims another version: its command line's (the entry
    rewritten once written) and its service's (the entry rewritten in the index's files it answers)."""
    import pagefind_bin

    real = Path(pagefind_bin.__file__).parent / "pagefind"
    binary = folder / f"pagefind-{claimed}"
    binary.write_text(f"""#!{sys.executable}
import base64, json, re, subprocess, sys
args = sys.argv[1:]
entry = lambda text: re.sub(r'"version":"[^"]*"', '"version":"{claimed}"', text)
if "--service" not in args:
    status = subprocess.call(["{real}", *args])
    if status == 0:
        site, output = args[args.index("--site") + 1], args[args.index("--output-subdir") + 1]
        path = f"{{site}}/{{output}}/pagefind-entry.json"
        text = entry(open(path).read())
        open(path, "w").write(text)
    sys.exit(status)
service = subprocess.Popen(["{real}", *args], stdout=subprocess.PIPE)  # its input: this one's
pending = b""
while chunk := service.stdout.read1(1 << 16):
    *answers, pending = (pending + chunk).split(b",")
    for answer in answers:
        data = json.loads(base64.b64decode(answer))
        for file in data["payload"].get("files") or ():
            if file["path"] == "pagefind-entry.json":
                text = entry(base64.b64decode(file["content"]).decode())
                file["content"] = base64.b64encode(text.encode()).decode()
        sys.stdout.buffer.write(base64.b64encode(json.dumps(data).encode()) + b",")
        sys.stdout.buffer.flush()
sys.exit(service.wait())
""", encoding="utf-8")
    binary.chmod(0o755)
    return binary


def _failing_pagefind(tmp_path: Path, monkeypatch) -> None:
    """The `pagefind` package runs the binary PAGEFIND_BINARY_PATH names: one that fails with its words."""
    binary = tmp_path / "failing-pagefind"
    binary.write_text("#!/bin/sh\necho 'Error: the index could not be written (disk full)' >&2\nexit 3\n")
    binary.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(binary))


@pytest.mark.parametrize("warm", [False, True])
def test_pagefind_failing_fails_the_build_with_its_message(tiny_site, tmp_path, monkeypatch, warm):
    site = _site(tiny_site)
    if warm:  # an index could be reused, but the code readers run cannot be had from Pagefind
        assert REUSED in (site.build(), site.build())[1].log
    _failing_pagefind(tmp_path, monkeypatch)
    with pytest.raises(BuildFailed) as failure:
        site.build()
    # Cold, its service fails as it starts (medsite.search.service); warm, its command line run for the code.
    assert ("mkdocs.yml: error: Pagefind could not index the site (exit 3): Error: the index could not be "
            "written (disk full)" if warm else
            "mkdocs.yml: error: Pagefind could not start an index (it exited with 3): Error: the index could "
            "not be written (disk full)") in failure.value.log


def test_an_index_of_an_unverified_pagefind_version_is_left_as_written_and_the_log_says_so(
        tiny_site, tmp_path, monkeypatch):
    """Default deny: a Pagefind whose version's format was not read (here the installed one, its entry
    file claiming 9.9.9) keeps its own chunks; search works, the build says why its index is larger."""
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(claiming_version(tmp_path, "9.9.9")))
    site = _site(tiny_site)
    built = site.build()
    assert ("Search index: word chunks left as Pagefind 9.9.9 wrote them (a format verified only for "
            "Pagefind 1.5.2); search works, a query loads more") in built.log
    entry = json.loads((built.site_dir / BUNDLE / index_cache.ENTRY).read_text(encoding="utf-8"))
    assert entry["version"] == "9.9.9"
    assert _pages(built)["/articles/a/"]["filters"]["caution"] == [CAUTION]
    assert REUSED in site.build().log  # reused as any index
