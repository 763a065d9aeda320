"""Pagefind's word chunks cut again (medsite.search.recut), on indexes the installed Pagefind writes of
sites made here: cut where Pagefind cut, the re-cut gives Pagefind's own files back; cut anywhere else,
every word keeps its pages and positions, sits in one chunk that a search for it loads, and every term
of three characters or more that begins a word finds the same words as in Pagefind's own index (the
engine's choice of chunks and of words after Pagefind's source: tests/pagefind_model.py). A foreign,
damaged or unverified index is left as it was."""

from __future__ import annotations

import gzip
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import cbor2
import pytest

from medsite.search import index_cache, recut
from medsite.search.recut import Word
from tests.pagefind_model import chunks_for, chunks_for_terms, matched

# Words for the pages: prefixes of one another, words at what become chunk boundaries, diacritics (which
# Pagefind keeps as variants of the plain word), other scripts, digits, a heavy word and rare ones.
VOCABULARY = ["can", "cancer", "cancel", "candid", "cannot", "cab", "cabazitaxel", "cabin", "café", "cafe",
              "caffeine", "dose", "doses", "dosing", "dosage", "dosimetry", "bone", "bones", "boned",
              "metastases", "metastatic", "neutropenia", "neutrophil", "neuropathy", "über", "uber", "naïve",
              "naive", "ñandú", "東京", "東京都", "mRNA", "a", "c", "cc", "x", "10", "100", "1000",
              "zoledronic", "jevtana", "prostate", "survival", "über-long"]


def _site(folder: Path, pages: int = 30, seed: int = 3) -> Path:
    """A folder of HTML pages for Pagefind, with metadata and a filter as the site's pages have."""
    rng = random.Random(seed)
    extra = [f"w{n}x{rng.choice('abc')}" for n in range(150)]
    for n in range(pages):
        words = [rng.choice(VOCABULARY) if rng.random() < 0.7 else rng.choice(extra) for _ in range(250)]
        if n % 2:
            words += ["can"] * 40  # a heavy word
        (folder / f"p{n}.html").write_text(
            f"<html lang='en'><head><title>p{n}</title></head><body><main data-pagefind-body>"
            f"<h1>Question {n} {rng.choice(VOCABULARY)}</h1>"
            f"<p data-pagefind-meta='answer'>Answer {rng.choice(VOCABULARY)}</p><p>{' '.join(words)}</p>"
            f"<span data-pagefind-filter='topic'>topic {n % 3}</span></main></body></html>", encoding="utf-8")
    return folder


def _pagefind(site: Path, *, entries: int | None = None) -> Path:
    """The installed Pagefind's index of `site`; with `entries`, chunks closed at that many entries instead
    of 20,000 (Pagefind's PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE), so a small site has many."""
    env = {**os.environ} | ({"PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE": str(entries)} if entries else {})
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--force-language", "en", "--quiet"]
    subprocess.run(command, check=True, env=env, capture_output=True)
    return site / "pagefind"


@pytest.fixture(scope="module")
def indexes(tmp_path_factory) -> dict[str, Path]:
    """Pagefind's index of one site: with its own chunk size (one chunk here) and with small chunks."""
    found = {}
    for name, entries in (("one chunk", None), ("small chunks", 300)):
        site = _site(tmp_path_factory.mktemp(name.replace(" ", "-")))
        found[name] = _pagefind(site, entries=entries)
    return found


def _copy(index: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "pagefind"
    for path in index.rglob("*"):
        if path.is_file():
            (copy / path.relative_to(index)).parent.mkdir(parents=True, exist_ok=True)
            (copy / path.relative_to(index)).write_bytes(path.read_bytes())
    return copy


def _files(index: Path) -> dict[str, bytes]:
    """Every file of an index, data files decompressed (gzip's own bytes differ between compressors)."""
    return {path.relative_to(index).as_posix(): gzip.decompress(path.read_bytes()) if ".pf_" in path.name
            else path.read_bytes() for path in index.rglob("*") if path.is_file()}


class Decoded:
    """An index as the engine sees it: its chunks' ranges and each chunk's words with their data."""

    def __init__(self, index: Path) -> None:
        entry = json.loads((index / recut.ENTRY).read_text(encoding="utf-8"))
        self.entry = entry
        self.meta = recut.check_meta(recut.unpack(
            (index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta").read_bytes()))
        self.ranges = self.meta[2]
        self.chunks = [recut.chunk_words((index / "index" / f"{name}.pf_index").read_bytes())
                       for _, _, name in self.ranges]
        self.words = {word.text: cbor2.loads(word.data) for chunk in self.chunks for word in chunk}

    def loaded(self, *terms: str) -> set[str]:
        """The words in memory once each of `terms` was looked up on one page."""
        return {word.text for n in chunks_for_terms(terms, self.ranges) for word in self.chunks[n]}

    def found(self, term: str, *before: str) -> set[str]:
        """The words `term` matches, after `before` (earlier lookups on the page) and itself."""
        return matched(term, self.loaded(*before, term))


def test_cut_where_pagefind_cut_gives_pagefinds_own_index_back(indexes, tmp_path):
    """The format read back and written again: every file, name and hash as Pagefind wrote it."""
    index = indexes["small chunks"]
    copy = _copy(index, tmp_path)
    assert len(list((index / "index").iterdir())) > 20
    done = recut.recut_index(copy, budget=10**12, shared_prefix=0)  # cut only where Pagefind did
    assert done.done and done.before + 1 == done.after > 20, done  # and the empty term's chunk
    # Every file, with each chunk's `to` as Pagefind's `chunk_meta` gives it (cut short), besides the
    # empty term's chunk (no words) and the site's extras.
    meta = Decoded(copy).meta
    theirs = Decoded(index).ranges
    _same_filters(copy, index)  # their values in another order only: theirs put back to compare the rest
    meta[3] = Decoded(index).meta[3]
    empty = meta[2][0]
    assert empty[:2] == list(recut.EMPTY_RANGE)
    assert [start for start, _, _ in meta[2][1:]] == [start for start, _, _ in theirs]
    meta[2] = [[start, end, name] for (_, _, name), (start, end, _) in zip(meta[2][1:], theirs, strict=True)]
    body = cbor2.dumps(meta)
    name = f"en_{recut.pagefind_hash(body)[:10]}"
    def chunk(path: str) -> bool:
        return path.endswith(".pf_filter") and path != recut.EXTRAS

    files = {path: data for path, data in _files(copy).items() if not chunk(path)}
    files |= {path: data for path, data in _files(index).items() if chunk(path)}
    assert files.pop(f"index/{empty[2]}.pf_index") == recut.SIGNATURE + cbor2.dumps([[]])
    assert files.pop(recut.EXTRAS).startswith(recut.SIGNATURE)
    del files[next(path for path in files if path.endswith(".pf_meta"))]
    entry = json.loads(files.pop(recut.ENTRY))
    entry["languages"]["en"]["hash"] = name
    files[f"pagefind.{name}.pf_meta"] = recut.SIGNATURE + body
    files[recut.ENTRY] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    assert files == _files(index)


def _filters(index: Path) -> dict[str, list]:
    """Each filter's values (value, pages) as the index's metadata and filter chunks give them."""
    meta = Decoded(index).meta
    return {name: recut.filter_values(name, (index / "filter" / f"{chunk}.pf_filter").read_bytes())
            for name, chunk in meta[3]}


def _same_filters(recut_index: Path, pagefind_index: Path) -> None:
    """The re-cut index has Pagefind's filters, values and pages, with the filters and each filter's
    values in order."""
    ours, theirs = _filters(recut_index), _filters(pagefind_index)
    assert list(ours) == sorted(theirs)
    for name, values in ours.items():
        assert values == sorted(theirs[name], key=lambda item: item[0]), name


def test_pagefind_run_again_over_the_same_site_gives_the_same_index_once_cut(tmp_path):
    """Pagefind writes each filter's values in the order of a hash map, which changes from one run to the
    next; the re-cut puts them in order, so the same site gives the same files (a reproducible build)."""
    site = tmp_path / "site"
    site.mkdir()
    _site(site, pages=12)
    runs = []
    for _ in range(4):
        index = _pagefind(site)
        own = _copy(index, tmp_path / f"own{len(runs)}")
        assert recut.recut_index(index).done
        _same_filters(index, own)
        runs.append(_files(index))
        index.rename(tmp_path / f"run{len(runs)}")
    assert all(run == runs[0] for run in runs[1:])


def test_filter_values_in_any_order_give_the_same_chunk():
    values = [[f"topic {n}", [n, n + 7]] for n in range(9)]
    orders = (values, values[::-1], random.Random(5).sample(values, len(values)))
    chunks = [recut.pack(cbor2.dumps(["topic", order])) for order in orders]
    written = {recut.sorted_filters("en", [["topic", "en_x"]], lambda _, data=data: data)[1].popitem()
               for data in chunks}
    assert len(written) == 1


@pytest.mark.parametrize("budget", [1, 200, 2000, recut.BUDGET])
@pytest.mark.parametrize("made", ["one chunk", "small chunks"])
def test_a_recut_index_keeps_every_word_and_what_every_term_finds(indexes, tmp_path, made, budget):
    original = indexes[made]
    copy = _copy(original, tmp_path)
    done = recut.recut_index(copy, budget=budget)
    assert done.done, done
    before, after = Decoded(original), Decoded(copy)
    # Pages and fragments untouched, the filters' values too (in order); the metadata differs only in its
    # chunks and its filters' names.
    def kept(index: Path) -> dict[str, bytes]:
        return {name: data for name, data in _files(index).items() if name.startswith("fragment/")}
    assert kept(copy) == kept(original)
    _same_filters(copy, original)
    assert before.meta[:2] == after.meta[:2] and before.meta[4:] == after.meta[4:]
    # Every word once, with the same pages, positions and variants.
    assert after.words == before.words and len(after.words) == sum(len(chunk) for chunk in after.chunks)
    if budget <= 200:  # smaller than the chunks of either index
        assert len(after.chunks) > len(before.chunks)
    # Pagefind's cuts kept; ranges in order and apart; a search for a word loads its chunk alone.
    assert {chunk[-1].text for chunk in before.chunks} <= {chunk[-1].text for chunk in after.chunks if chunk}
    for (_, end, _), (start, _, _) in zip(after.ranges, after.ranges[1:], strict=False):
        assert end < start
    for n, chunk in enumerate(after.chunks):
        for word in chunk:
            assert chunks_for(word.text, after.ranges) == {n}, word.text
    # Every term that begins a word, from three characters on, finds the same words.
    terms = {word[:length] for word in before.words for length in range(recut.SHARED_PREFIX, len(word) + 1)}
    assert terms
    assert {term: after.found(term) for term in terms} == {term: before.found(term) for term in terms}


@pytest.mark.parametrize("budget", [1, recut.BUDGET])
@pytest.mark.parametrize("made", ["one chunk", "small chunks"])
def test_a_search_with_filters_only_loads_one_chunk_not_the_whole_index(indexes, tmp_path, made, budget):
    """A filter chosen before any word is typed: search.js asks Pagefind for the filter's pages, and
    Pagefind looks up the empty term. No range of Pagefind's holds it, so by the loose rule it loads
    every chunk; on the re-cut index it loads a chunk of its own, of no words. Queries never rank what it
    loaded: search.js runs such searches in an engine of their own (tests/browser/test_search_recut.py
    chooses a topic first)."""
    copy = _copy(indexes[made], tmp_path)
    assert recut.recut_index(copy, budget=budget).done
    before, after = Decoded(indexes[made]), Decoded(copy)
    assert before.loaded("") == set(before.words)
    assert chunks_for("", after.ranges) == {0} and after.chunks[0] == [] and after.loaded("") == set()
    # No word's lookup loads it but by the loose rule, where it adds no word.
    assert all(0 not in chunks_for(word, after.ranges) for word in after.words)


# Forms a word may be typed in whose stem is the word (Pagefind looks up both, and ranks the stem's words).
TYPED = ("", "s", "es", "ed", "ing", "ation", "ly", "er", "est", "ness")


@pytest.mark.parametrize("made", ["one chunk", "small chunks"])
def test_a_word_typed_letter_by_letter_ranks_the_same_words_on_the_recut_index(indexes, tmp_path, made):
    """The stem's matches once the page has looked up, as search.js and Pagefind do while a word is
    typed, each prefix of it from the third letter (loaded ahead), the word as typed, and its stem.
    Stems of 1-2 characters may find other words (the re-cut may end a chunk between words that differ
    from their third character)."""
    copy = _copy(indexes[made], tmp_path)
    assert recut.recut_index(copy, budget=1).done
    before, after = Decoded(indexes[made]), Decoded(copy)
    unsettled = _extras(copy)["en"]["unsettled"]
    if made == "small chunks":
        assert unsettled  # Pagefind ended chunks between words sharing their first letters
    for stem in (word for word in before.words if len(word) >= recut.SHARED_PREFIX):
        for typed in {stem + ending for ending in TYPED} | {stem[:-1] + "ing"}:
            lookups = [typed[:length] for length in range(recut.SHARED_PREFIX, len(typed) + 1)]
            # search.js loads no prefix ahead that words in two chunks begin with, on the re-cut index; on
            # Pagefind's own (no extras) every prefix. The word as typed is searched on both.
            ahead = [term for term in lookups[:-1] if not any(text.startswith(term) for text in unsettled)]
            assert after.found(stem, *ahead, typed) == before.found(stem, *lookups), (stem, typed)


def _extras(index: Path) -> dict:
    """The site's extras beside an index (recut.EXTRAS)."""
    data = gzip.decompress((index / recut.EXTRAS).read_bytes())
    assert data.startswith(recut.SIGNATURE)
    return json.loads(data[len(recut.SIGNATURE):])


def _word(text: str, size: int) -> Word:
    return Word(text, b"x" * size)


def _texts(chunks: list[list[Word]]) -> list[list[str]]:
    return [[word.text for word in chunk] for chunk in chunks]


def test_a_heavy_word_is_a_chunk_of_its_own_and_light_words_share_up_to_the_budget():
    words = [_word("abc", 10), _word("abd", 10), _word("bcd", 10), _word("can", 500), _word("dog", 10),
             _word("eel", 10), _word("fox", 10)]
    assert _texts(recut.cut(words, [], budget=25)) == [["abc", "abd"], ["bcd"], ["can"], ["dog", "eel"],
                                                       ["fox"]]


def test_a_word_bigger_than_the_budget_stays_whole_and_alone():
    words = [_word("aaa", 5), _word("big", 10_000), _word("zzz", 5)]
    assert _texts(recut.cut(words, [], budget=100)) == [["aaa"], ["big"], ["zzz"]]


def test_words_sharing_their_first_characters_stay_together_unless_pagefind_cut_between_them():
    words = [_word(text, 100) for text in ("can", "cancel", "cancer", "cap", "ca", "café")]
    words.sort(key=lambda word: word.text)  # ca, café, can, cancel, cancer, cap
    assert _texts(recut.cut(words, [], budget=1)) == [["ca"], ["café"], ["can", "cancel", "cancer"], ["cap"]]
    assert _texts(recut.cut(words, [4], budget=1)) == [
        ["ca"], ["café"], ["can", "cancel"], ["cancer"], ["cap"]]
    assert _texts(recut.cut(words, [3], budget=10**9)) == [["ca", "café", "can"], ["cancel", "cancer", "cap"]]


def test_unicode_words_are_cut_by_characters_not_bytes():
    texts = ("東京都庁", "東京都民", "東京駅", "ñandú", "ñanx", "ñu", "über", "übel")
    words = [_word(text, 100) for text in sorted(texts)]
    chunks = _texts(recut.cut(words, [], budget=1))
    # Three characters shared (9 bytes, and 4 for "ñan"), together; two (6 bytes in "東京"), apart.
    assert ["東京都庁", "東京都民"] in chunks and ["東京駅"] in chunks
    assert ["ñandú", "ñanx"] in chunks and ["ñu"] in chunks and ["übel", "über"] in chunks
    assert [word for chunk in chunks for word in chunk] == [word.text for word in words]


def test_no_words_no_chunks():
    assert recut.cut([], []) == []
    assert recut.ranges([]) == []


def test_ranges_leave_no_gap_inside_pagefinds_chunks_and_pagefinds_loose_reach_where_it_ended_one():
    """Pagefind's own test of `chunk_meta` (pagefind/src/index/mod.rs, build_chunk_meta) gives
    ["apple", "apple"], ["apr", "b"], ["p", "peach"]: the `from`s are its own (the empty term has a chunk
    of its own, `EMPTY_RANGE`, added by `recut_index`); each `to` the greatest text below the next
    `from`, except where Pagefind ended a chunk (its own `to` and the greatest character) and at the end
    (the last word)."""
    chunks = [[_word("apple", 1)], [_word("apricot", 1), _word("banana", 1)], [_word("peach", 1)]]
    top = "\U0010ffff"
    assert recut.ranges(chunks) == [["apple", "apq" + top], ["apr", "o" + top], ["p", "peach"]]
    assert recut.ranges(chunks, {"banana": "b", "peach": "peach"}) == [
        ["apple", "apq" + top], ["apr", "b" + top], ["p", "peach"]]
    assert recut.ranges([[_word("a\ue000b", 1)], [_word("a\ue001", 1)]])[0][1] == "a\ue000" + top
    assert recut.ranges([[_word("a\ud7ff", 1)], [_word("a\ue000", 1)]])[0][1] == "a\ud7ff" + top


def test_pagefinds_hash_has_no_zero_padding():
    digest = recut.pagefind_hash(b"pagefind")  # Rust's `{:x?}` of each byte: 0x0a is "a"
    import hashlib
    assert digest == "".join(f"{byte:x}" for byte in hashlib.sha1(b"pagefind").digest())
    assert len(digest) < 40 or all(byte >= 16 for byte in hashlib.sha1(b"pagefind").digest())


def test_a_one_word_index_and_an_index_without_words(tmp_path):
    """Pagefind refuses a site without words; an index listing no chunk is cut into none all the same."""
    site = tmp_path / "site"
    site.mkdir()
    page = "<html lang='en'><body><main data-pagefind-body>Word</main></body></html>"
    (site / "index.html").write_text(page, encoding="utf-8")
    index = _pagefind(site)
    done = recut.recut_index(index, budget=1)
    assert done.done and done.before == 1 and done.after == 2  # the word's chunk and the empty term's
    assert set(Decoded(index).words) == {"word"}
    assert _extras(index) == {"en": {"filters": {}, "unsettled": []}}  # no filter, no filter folder before
    entry = json.loads((index / recut.ENTRY).read_text(encoding="utf-8"))
    meta_path = index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    meta = recut.unpack(meta_path.read_bytes())
    meta_path.write_bytes(recut.pack(cbor2.dumps([*meta[:2], [], *meta[3:]])))
    for chunk in (index / "index").iterdir():
        chunk.unlink()
    done = recut.recut_index(index, budget=1)
    assert done.done and done.before == done.after == 0
    assert Decoded(index).words == {} and list((index / "index").iterdir()) == []


def _damaged(index: Path, damage: str) -> None:
    entry_path = index / recut.ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    meta_path = index / f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
    chunk = sorted((index / "index").iterdir())[0]
    if damage == "other version":
        entry_path.write_text(json.dumps({**entry, "version": "1.6.0"}), encoding="utf-8")
    elif damage == "entry not json":
        entry_path.write_text("{", encoding="utf-8")
    elif damage == "metadata not gzip":
        meta_path.write_bytes(b"pagefind_dcd\x86")
    elif damage == "no signature":
        meta_path.write_bytes(gzip.compress(gzip.decompress(meta_path.read_bytes())[12:]))
    elif damage == "metadata of another shape":
        meta_path.write_bytes(recut.pack(cbor2.dumps(["1.5.2", [], [["a", "b"]], [], [], []])))
    elif damage == "indefinite arrays":  # CBOR Pagefind does not write: not the format read in its source
        meta = recut.unpack(meta_path.read_bytes())
        meta_path.write_bytes(recut.pack(b"\x9f" + b"".join(cbor2.dumps(part) for part in meta) + b"\xff"))
    elif damage == "chunk missing":
        chunk.unlink()
    elif damage == "chunk garbage":
        chunk.write_bytes(b"\x00" * 50)
    elif damage == "words out of order":
        words = recut.chunk_words(chunk.read_bytes())
        chunk.write_bytes(recut.pack(recut.encode_chunk(list(reversed(words)))))
    else:
        raise AssertionError(damage)


@pytest.mark.parametrize("damage", ["other version", "entry not json", "metadata not gzip", "no signature",
                                    "metadata of another shape", "indefinite arrays", "chunk missing",
                                    "chunk garbage", "words out of order"])
def test_a_foreign_or_damaged_index_is_left_as_it_is(indexes, tmp_path, damage):
    copy = _copy(indexes["small chunks"], tmp_path)
    _damaged(copy, damage)
    before = {path: path.read_bytes() for path in copy.rglob("*") if path.is_file()}
    done = recut.recut_index(copy, budget=1)
    assert not done.done and done.reason
    assert "left as Pagefind" in str(done)
    assert {path: path.read_bytes() for path in copy.rglob("*") if path.is_file()} == before


def _data(index: Path) -> dict[str, bytes]:
    return {name: (index / name).read_bytes() for name in index_cache.data_files(index)}


@pytest.mark.parametrize("change", ["none", "chunk altered", "chunk added", "chunk removed",
                                    "metadata renamed", "extras altered", "extras missing"])
def test_an_index_whose_chunks_are_not_the_ones_named_is_found(indexes, tmp_path, change):
    copy = _copy(indexes["small chunks"], tmp_path)
    recut.recut_index(copy, budget=500)
    files = _data(copy)
    entry = json.loads(files[recut.ENTRY])
    meta = recut.unpack(files[f"pagefind.{entry['languages']['en']['hash']}.pf_meta"])
    chunk = f"index/{meta[2][1][2]}.pf_index"  # the first chunk of words (the first is the empty term's)
    if change == "chunk altered":  # same name, another word's pages
        words = recut.chunk_words(files[chunk])
        words[0] = Word(words[0].text, cbor2.dumps([words[0].text, [[0, [1], []]], []]))
        files[chunk] = recut.pack(recut.encode_chunk(words))
    elif change == "chunk added":
        files["index/en_0000000.pf_index"] = files[chunk]
    elif change == "chunk removed":
        del files[chunk]
    elif change == "extras altered":  # a count that is not the index's
        files[recut.EXTRAS] = recut.pack(gzip.decompress(files[recut.EXTRAS])[len(recut.SIGNATURE):]
                                         .replace(b":10", b":11", 1))
    elif change == "extras missing":
        del files[recut.EXTRAS]
    elif change == "metadata renamed":
        meta = f"pagefind.{entry['languages']['en']['hash']}.pf_meta"
        files["pagefind.en_0000000000.pf_meta"] = files.pop(meta)
        entry["languages"]["en"]["hash"] = "en_0000000000"
    assert recut.named_by_content(files, entry) == (change == "none")


def test_the_installed_pagefind_writes_the_verified_format_or_its_index_is_left_alone(indexes, tmp_path):
    """A newer Pagefind is re-cut only once its format is read and added to VERIFIED; until then its
    index stays as written. Under a version in VERIFIED, the format must be exactly the one read (the
    test above gives Pagefind's files back byte for byte)."""
    copy = _copy(indexes["one chunk"], tmp_path)
    written = json.loads((copy / recut.ENTRY).read_text(encoding="utf-8"))["version"]
    done = recut.recut_index(copy, budget=1)
    if written in recut.VERIFIED:
        assert done.done, f"Pagefind {written} is claimed verified but its index does not read: {done}"
    else:
        assert not done.done and f"Pagefind {written}" in str(done)


@pytest.mark.parametrize("budget", [1, recut.BUDGET])
def test_the_unsettled_texts_are_the_first_letters_of_words_in_two_chunks(indexes, tmp_path, budget):
    """search.js does not load ahead a prefix in `unsettled`: exactly those of three characters or more
    that words of two chunks begin with (its chunk may not be the finished word's)."""
    copy = _copy(indexes["small chunks"], tmp_path)
    assert recut.recut_index(copy, budget=budget).done
    after = Decoded(copy)
    chunk_of = {word.text: n for n, chunk in enumerate(after.chunks) for word in chunk}
    prefixes = {word[:length] for word in chunk_of for length in range(recut.AHEAD_CHARS, len(word) + 1)}
    split = {prefix for prefix in prefixes
             if len({n for word, n in chunk_of.items() if word.startswith(prefix)}) > 1}
    unsettled = _extras(copy)["en"]["unsettled"]
    assert split
    assert {prefix for prefix in prefixes if any(text.startswith(prefix) for text in unsettled)} == split
    assert set(unsettled) <= split


@pytest.mark.parametrize("made", ["one chunk", "small chunks"])
def test_the_filter_counts_are_each_values_pages(indexes, tmp_path, made):
    """The counts the filter menus show without loading the filter chunks: each value's pages, as the
    pages' own entries (fragments) give them (the browser test compares with Pagefind's filters())."""
    copy = _copy(indexes[made], tmp_path)
    assert recut.recut_index(copy).done
    pages: dict[str, dict[str, int]] = {}
    for path in (copy / "fragment").iterdir():
        fragment = json.loads(gzip.decompress(path.read_bytes())[len(recut.SIGNATURE):])
        for name, values in fragment["filters"].items():
            for value in values:
                pages.setdefault(name, {}).setdefault(value, 0)
                pages[name][value] += 1
    assert pages == {"topic": {"topic 0": 10, "topic 1": 10, "topic 2": 10}}
    assert _extras(copy)["en"]["filters"] == pages


def test_the_extras_are_the_same_for_the_same_index(indexes, tmp_path):
    one = _copy(indexes["small chunks"], tmp_path / "one")
    two = _copy(indexes["small chunks"], tmp_path / "two")
    assert recut.recut_index(one).done and recut.recut_index(two).done
    assert (one / recut.EXTRAS).read_bytes() == (two / recut.EXTRAS).read_bytes()
