"""Levels 1 and 2: the page cache (medsite.pipeline.page_cache, hooks/page_cache.py). A cached page's output
is byte for byte what a fresh conversion gives; anything a conversion read (its source, the entries it cites,
a page it links to, the configuration, the code) changing makes it convert again; an entry that is damaged,
foreign or tampered with is never published as it is."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medsite.core import json_cache
from medsite.core.parallel import processors
from medsite.pipeline import page_cache
from medsite.pipeline.page_cache import FORMAT, PAGES_PER_COPY, Converted, Heading, PageCache, page_key
from medsite.search.pagefind import BUNDLE
from tests.review_samples import TODAY, article
from tests.sitebuild import PROJECT, BuildFailed, SiteFactory

CONVERTED = Converted(
    html="<h1 id=\"a\">A</h1><p>x</p>", toc=(Heading("A", "a", 1, (Heading("B", "b", 2),)),), title="A",
    anchors=frozenset({"a", "b"}), links_to_anchors={"articles/b.md": {"x": "b.md#x"}},
    extensions={"medsite.extensions.citations.CitationsExtension": {"numbered": ["k"], "rendered": ["[@k]"]}},
    lookups={"articles/b.md": ("articles/b/", False), "nowhere.md": None},
)
RICH = """**Drug X prolongs survival** [@debono2010tropic; @dewit2019card].

As @rouyer2019fuji reported, real-world survival was shorter [@rouyer2019fuji, p 1003].

/// audience | patient
Drug X helps some people live longer.
///

## Evidence

| Trial | Result |
| --- | --- |
| TROPIC [grade: 1A] | longer survival [@debono2010tropic] |

See [the other answer](b.md#evidence) and the [grades](../evidence-grades.md).[^1]

!!! safety "Safety"
    Watch the blood count in mCRPC.

[^1]: A footnote.

*[mCRPC]: metastatic castration-resistant prostate cancer
"""


def test_an_entry_reads_back_as_it_was_written(tmp_path):
    cache = PageCache(tmp_path)
    cache.put("ab" * 16, CONVERTED)
    assert PageCache(tmp_path).get("ab" * 16) == CONVERTED
    assert PageCache(tmp_path).get("cd" * 16) is None
    assert PageCache(None).get("ab" * 16) is None  # no folder: no cache


def _entry_file(folder: Path, key: str) -> Path:
    return folder / key[:2] / f"{key}.json"


@pytest.mark.parametrize("damage", ["empty", "truncated", "garbage", "other key", "payload changed",
                                    "other format", "payload not JSON", "wrong types"])
def test_a_damaged_or_foreign_entry_is_ignored(tmp_path, damage):
    key, other = "ab" * 16, "cd" * 16
    cache = PageCache(tmp_path)
    cache.put(key, CONVERTED)
    cache.put(other, CONVERTED)
    path = _entry_file(tmp_path, key)
    header, _, payload = path.read_bytes().partition(b"\n")

    def sealed(data: bytes, *, fmt: str = FORMAT) -> bytes:
        header = {"format": fmt, "key": key, "payload": json_cache.digest(data)}
        return json.dumps(header).encode() + b"\n" + data

    path.write_bytes({
        "empty": b"",
        "truncated": header + b"\n" + payload[: len(payload) // 2],
        "garbage": b"\x00\xff not an entry",
        "other key": _entry_file(tmp_path, other).read_bytes(),  # a valid entry, stored under another key
        "payload changed": header + b"\n" + payload.replace(b"<p>x</p>", b"<p>y</p>"),
        "other format": sealed(payload, fmt="medsite-page-cache 0"),
        "payload not JSON": sealed(b"[1, 2"),
        "wrong types": sealed(json.dumps({**json.loads(payload), "toc": 3}).encode()),
    }[damage])
    assert PageCache(tmp_path).get(key) is None
    assert PageCache(tmp_path).get(other) == CONVERTED


def test_an_entry_holds_only_while_the_pages_it_looked_up_are_unchanged():
    found = {"articles/b.md": ("articles/b/", False), "nowhere.md": None}
    assert CONVERTED.still_valid(found.get)
    assert not CONVERTED.still_valid({**found, "nowhere.md": ("nowhere/", False)}.get)  # now exists
    assert not CONVERTED.still_valid({**found, "articles/b.md": None}.get)  # removed
    assert not CONVERTED.still_valid({**found, "articles/b.md": ("b/", False)}.get)  # moved
    assert not CONVERTED.still_valid({**found, "articles/b.md": ("articles/b/", True)}.get)  # excluded


def test_every_input_of_a_conversion_is_part_of_its_key():
    base = {"settings": "s", "src_uri": "articles/a.md", "url": "articles/a/", "excluded": False,
            "markdown": "# A", "cited": {"k": "d1", "gone": None}}
    changed = [{"settings": "t"}, {"src_uri": "articles/b.md"}, {"url": "articles/a.html"},
               {"excluded": True}, {"markdown": "# A "}, {"cited": {"k": "d2", "gone": None}},
               {"cited": {"k": "d1", "gone": "d3"}}, {"cited": {"k": "d1"}}]
    keys = {page_key(**base)} | {page_key(**(base | change)) for change in changed}
    assert len(keys) == 1 + len(changed)


def test_pruning_keeps_only_the_entries_a_build_used(tmp_path):
    PageCache(tmp_path).put("ab" * 16, CONVERTED)
    cache = PageCache(tmp_path)
    cache.put("cd" * 16, CONVERTED)
    cache.prune()
    assert not _entry_file(tmp_path, "ab" * 16).exists() and _entry_file(tmp_path, "cd" * 16).exists()


# Level 2: through MkDocs.

def rich_site(site: SiteFactory) -> None:
    site.config["extra"]["medsite"]["today"] = TODAY
    site.write("docs/index.md", "# Home\n\nWelcome.\n")
    site.write("docs/evidence-grades.md", "# Evidence grades\n\n## GRADE {#grade}\n\nHow it is graded.\n")
    site.write("docs/articles/a.md", article(RICH, status="approved", title="Does drug X help?"))
    b = "**Drug Y is an option.**\n\n## Evidence\n\nSee [@dewit2019card].\n"
    site.write("docs/articles/b.md", article(b, title="Is drug Y an option?"))


def site_files(site_dir: Path) -> dict[str, bytes]:
    """Every file of a built site but the search index, whose chunk names Pagefind varies between runs."""
    return {path.relative_to(site_dir).as_posix(): path.read_bytes() for path in sorted(site_dir.rglob("*"))
            if path.is_file() and path.relative_to(site_dir).parts[0] != BUNDLE}


def build_counting(site: SiteFactory, **options) -> tuple[dict[str, bytes], dict[str, int]]:
    before = dict(page_cache.LOOKUPS)
    built = site.build(**options)
    return site_files(built.site_dir), {name: page_cache.LOOKUPS[name] - before[name] for name in before}


def test_a_cached_page_is_byte_identical_to_a_fresh_conversion(tiny_site):
    rich_site(tiny_site)
    tiny_site.config["extra"]["medsite"]["page_cache"] = False
    fresh, counts = build_counting(tiny_site)
    assert counts == {"hit": 0, "miss": 0}  # the cache off: MkDocs converts as it always does
    tiny_site.config["extra"]["medsite"]["page_cache"] = True
    cold, counts = build_counting(tiny_site)
    assert counts["hit"] == 0 and counts["miss"] >= 4
    warm, counts = build_counting(tiny_site)
    assert counts["miss"] == 0 and counts["hit"] >= 4
    assert fresh.keys() == cold.keys() == warm.keys()
    assert [name for name in fresh if not fresh[name] == cold[name] == warm[name]] == []
    page = warm["articles/a/index.html"].decode()
    assert 'class="medsite-cite"' in page and "ref-debono2010tropic" in page and "footnote" in page


def test_a_changed_page_entry_or_linked_page_converts_again_and_the_others_do_not(tiny_site):
    rich_site(tiny_site)
    build_counting(tiny_site)
    b = tiny_site.root / "docs/articles/b.md"
    b.write_text(b.read_text() + "\nMore text.\n")
    _, counts = build_counting(tiny_site)
    assert counts["miss"] == 1  # b alone (a links to b, but b's address did not change)

    bib = next((tiny_site.root / "references").glob("*.bib"))
    bib.write_text(bib.read_text().replace("Cabazitaxel", "Cabazitaxel (revised)", 1))
    # The approved article cites the edited entry: changed since review, a warning strict builds fail on.
    _, counts = build_counting(tiny_site, strict=False)
    assert 1 <= counts["miss"] <= 2  # the pages citing the edited entry, not the home page

    b.unlink()  # a's link to b now points nowhere: a converts again and the strict build fails on it
    with pytest.raises(BuildFailed) as failure:
        tiny_site.build()
    assert "b.md" in failure.value.log
    with pytest.raises(BuildFailed):  # a conversion that logged a problem is not cached: it comes again
        tiny_site.build()


def test_a_configuration_change_converts_every_page_again(tiny_site):
    rich_site(tiny_site)
    build_counting(tiny_site)
    tiny_site.config["markdown_extensions"] = [
        {"toc": {"permalink": False}} if item == {"toc": {"permalink": True}} else item
        for item in tiny_site.config["markdown_extensions"]]
    files, counts = build_counting(tiny_site)
    assert counts["hit"] == 0
    assert 'href="#evidence" title="Permanent link"' not in files["articles/a/index.html"].decode()


def test_nothing_that_depends_on_the_date_is_kept(tiny_site):
    rich_site(tiny_site)
    build_counting(tiny_site)
    tiny_site.config["extra"]["medsite"]["today"] = "2027-01-01"  # past the approved article's next review
    files, counts = build_counting(tiny_site, strict=False)
    assert counts["miss"] == 0
    assert "medsite-overdue" in files["articles/a/index.html"].decode()


def test_a_tampered_entry_still_goes_through_the_review_rules_and_the_sanitiser(tiny_site):
    rich_site(tiny_site)
    build_counting(tiny_site)
    attack = '<script>alert(1)</script><img src="x" onerror="alert(2)"><p>Approved by everyone.</p>'
    for path in (tiny_site.root / json_cache.CACHE_FOLDER / page_cache.FOLDER).rglob("*.json"):
        header, _, payload = path.read_bytes().partition(b"\n")
        data = json.loads(payload)
        data["html"] += attack  # an entry rewritten by someone who knows the format, sealed again
        payload = json.dumps(data).encode()
        stored = json.loads(header) | {"payload": json_cache.digest(payload)}
        path.write_bytes(json.dumps(stored).encode() + b"\n" + payload)
    files, counts = build_counting(tiny_site)
    assert counts["miss"] == 0
    for name, data in files.items():
        if name.endswith(".html"):
            assert "alert(" not in data.decode(), name
    assert "medsite-caution" in files["articles/b/index.html"].decode()  # b is not approved


def test_a_cold_build_converts_in_one_process_per_processor_with_the_same_output(tiny_site):
    # In a process of its own: the test runner may run threads, and a threaded build never forks.
    tiny_site.config["extra"]["medsite"]["today"] = TODAY
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    for n in range(3 * PAGES_PER_COPY):
        body = f"**Answer {n}.**\n\n## Evidence\n\nTrial {n} [@debono2010tropic].\n"
        tiny_site.write(f"docs/articles/a{n}.md", article(body, title=f"Does drug {n} help?"))
    tiny_site.config["extra"]["medsite"]["page_cache"] = False
    tiny_site.save_config()
    run_build(tiny_site)
    fresh = site_files(tiny_site.root / "site")

    tiny_site.config["extra"]["medsite"]["page_cache"] = True
    tiny_site.save_config()
    log = run_build(tiny_site)
    assert ("Pages converted in 2 processes" in log) == (processors() >= 2), log
    assert site_files(tiny_site.root / "site") == fresh
    # Each entry keeps its own page's citations, never those of the pages its copy converted before it.
    for path in (tiny_site.root / json_cache.CACHE_FOLDER / page_cache.FOLDER).rglob("*.json"):
        state = json.loads(path.read_bytes().partition(b"\n")[2])["extensions"]
        assert all(len(items) <= 1 for fields in state.values() for items in fields.values()), path
    assert "Pages converted" not in run_build(tiny_site)  # warm: nothing to convert ahead
    assert site_files(tiny_site.root / "site") == fresh


def run_build(site: SiteFactory) -> str:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(site.root / "mkdocs.yml")]
    result = subprocess.run(command, capture_output=True, text=True, cwd=site.root, check=False)
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_code_is_part_of_every_key_and_a_hook_edited_under_serve_counts(tmp_path):
    hook = tmp_path / "hook.py"
    hook.write_text("A = 1\n", encoding="utf-8")
    first = page_cache.code_version([str(hook)])
    assert page_cache.code_version([str(hook)]) == first
    hook.write_text("A = 2\n", encoding="utf-8")  # `mkdocs serve` loads the edited hook for its next build
    assert page_cache.code_version([str(hook)]) != first
    assert page_cache.code_version() not in {first, page_cache.code_version([str(hook)])}


def test_damaged_entries_are_converted_again_rewritten_and_never_published(tiny_site):
    rich_site(tiny_site)
    fresh, _ = build_counting(tiny_site)
    entries = list((tiny_site.root / json_cache.CACHE_FOLDER / page_cache.FOLDER).rglob("*.json"))
    assert entries
    for path in entries:
        path.write_bytes(b"\x00 damaged <script>alert(1)</script>")
    files, counts = build_counting(tiny_site)
    assert counts["hit"] == 0 and files == fresh
    _, counts = build_counting(tiny_site)
    assert counts["miss"] == 0  # rewritten whole by the build that found them damaged


def test_every_module_of_the_package_and_the_adapter_is_in_the_code_version():
    """Editing any feature package, or the hooks' adapter, gives every page a new key."""
    files = {path for folder in page_cache.CODE_FOLDERS for path in folder.rglob("*.py")}
    assert {PROJECT / "medsite" / "review" / "rules.py", PROJECT / "medsite" / "extensions" / "citations.py",
            PROJECT / "hooks" / "medsite_mkdocs" / "adapter.py"} <= files
