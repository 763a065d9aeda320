"""Pagefind's word chunks, cut again after Pagefind writes them, so that a query loads little more than
its own words.

Pagefind 1.5.2 closes a chunk only once it holds 20,000 entries (a page or a position of a word; a size
fixed in its code), so at 10,000 articles a rare word shares its chunk with the light words after it
and with the heavy word that closes it: "cabazitaxel" (121 pages) cost 108 KB because "can" (62,000
positions) closed its chunk. Here every chunk Pagefind wrote is split where a byte budget (BUDGET)
says, and nothing else changes: the words, their pages and positions, the page and filter data, the
ranking (the filters are only put in a fixed order, `sorted_filters`).

The format, read in Pagefind 1.5.2's source (pagefind/src/index/mod.rs, index_words.rs,
index_metadata.rs, output/mod.rs; pagefind_web/src/lib.rs, index.rs, metadata.rs), and checked on every
index by decoding and encoding it again to the same bytes:
- each data file is gzip of b"pagefind_dcd" followed by CBOR (definite lengths, structs as arrays);
- a word chunk (`index/<hash>.pf_index`) is `[[word, pages, variants], ...]` in one array; a page is
  `[page number, positions, meta positions]`, page numbers delta-encoded within each word (so a word's
  bytes do not depend on its chunk); a variant is `[form, pages]`;
- the metadata (`pagefind.<hash>.pf_meta`) is `[version, pages, chunks, filters, sorts, meta fields]`,
  a chunk `[from, to, hash]`, `from` and `to` cut to the shortest prefixes that tell neighbours apart
  (`chunk_meta`); a query loads every chunk whose range holds a word of it, or, when none does, every
  chunk whose range a prefix of it meets;
- names are content hashes: a chunk's is `<language>_` and the first characters of the SHA-1 of its CBOR
  in Pagefind's hex (no zero padding), as many as make the name 8 characters longer than the language,
  the metadata's `<language>_` and 8 more than the language's length of them; the entry file
  (`pagefind-entry.json`) names each language's metadata.

Where a chunk may end. A search for a term matches every loaded word that starts with it; words are
loaded a chunk at a time, so which words a term finds depends on where chunks end. The re-cut ends chunks
where Pagefind ended them, and elsewhere only between two words that differ within their first
SHARED_PREFIX characters: every term of at least that many characters that begins a word finds the same
words as in Pagefind's own index (tests/test_search_recut.py checks every one), and while a reader types
a word, each prefix from its third letter on loads the finished word's chunk (docs/assets/search.js
loads chunks ahead from the third letter). Ranges leave no gap inside one of Pagefind's chunks and keep
Pagefind's gaps where its chunks meet (`ranges`).

Beside the index, EXTRAS holds what docs/assets/search.js would otherwise load much of the index for
(`extras`): the counts the filter menus show (every filter chunk, 157 KB at 10,000 articles, for a
reader who chooses a topic before typing) and the first letters after which a word's chunk is not yet
known (so it is not loaded ahead). Both derive from the index, so they cannot disagree with it.

Default deny: an index written by a Pagefind version not in VERIFIED, or one that does not decode as
described above, is left as Pagefind wrote it (search stays correct, only larger), and the caller says so.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cbor2

VERIFIED = frozenset({"1.5.2"})  # Pagefind versions whose index format was read in their source
SIGNATURE = b"pagefind_dcd"
_ARRAY = 4  # CBOR's major type of arrays
ENTRY = "pagefind-entry.json"  # the file naming each language's metadata
SHARED_PREFIX = 3  # chunks end between words differing in their first 3 characters (see `cut`)
BUDGET = 4 * 1024  # CBOR bytes a chunk of light words may reach (docs/performance.md, "Search (Pagefind)")
# The site's own data beside Pagefind's, for docs/assets/search.js (see `extras`). Under filter/ and packed
# as Pagefind's data files are, so the index cache keeps it with the index (medsite.search.index_cache).
EXTRAS = "filter/medsite.pf_filter"
AHEAD_CHARS = 3  # search.js loads a word's chunk ahead from its third letter (its AHEAD_CHARS)


class FormatError(ValueError):
    """The index is not in the format this module knows: it is left as Pagefind wrote it."""


@dataclass(frozen=True)
class Word:
    """One word of the index as Pagefind encodes it in a chunk (`data`: its CBOR item)."""

    text: str
    data: bytes


@dataclass(frozen=True)
class Recut:
    """What re-cutting an index did, for the build log."""

    version: str
    done: bool
    before: int = 0  # chunks Pagefind wrote
    after: int = 0  # chunks now
    reason: str = ""

    def __str__(self) -> str:
        if self.done:
            return f"Search index: {self.before} word chunks of Pagefind {self.version} cut into {self.after}"
        return (f"Search index: word chunks left as Pagefind {self.version} wrote them ({self.reason}); "
                f"search works, a query loads more")


# The data files --------------------------------------------------------------------------------------

def unpack(data: bytes) -> object:
    """The CBOR value of a Pagefind data file (gzip, signature, CBOR), or FormatError."""
    body, value = _decoded(data)
    if cbor2.dumps(value) != body:  # anything but plain definite arrays, integers and text
        raise FormatError(_NOT_EXACT)
    return value


_NOT_EXACT = "CBOR that does not encode back to the same bytes"


def _decoded(data: bytes) -> tuple[bytes, object]:
    """A data file's CBOR and its value."""
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, ValueError, zlib.error) as error:
        raise FormatError(f"not gzip: {error}") from None
    if not raw.startswith(SIGNATURE):
        raise FormatError("no pagefind_dcd signature")
    body = raw[len(SIGNATURE):]
    try:
        return body, cbor2.loads(body)
    except (cbor2.CBORDecodeError, ValueError, TypeError, EOFError) as error:
        raise FormatError(f"not CBOR: {error}") from None


def pack(body: bytes) -> bytes:
    """A Pagefind data file of the CBOR `body` (gzip at its best level, as Pagefind writes; no time stamp,
    so the same index gives the same bytes)."""
    return gzip.compress(SIGNATURE + body, compresslevel=9, mtime=0)


def pagefind_hash(data: bytes) -> str:
    """Pagefind's `full_hash`: SHA-1 in hex, each byte without zero padding (`{:x?}` of a u8)."""
    return "".join(format(byte, "x") for byte in hashlib.sha1(data).digest())


def _short(language: str, full: str, taken: set[str]) -> str:
    """A chunk's name as Pagefind gives it: `<language>_` and 7 characters, longer on a collision."""
    whole = f"{language}_{full}"
    length = len(language) + 8
    name = whole[:length]
    while name in taken:  # Pagefind's loop: two characters more each time, up to the whole hash
        length += 2
        name = whole[:length]
        if len(name) == len(whole):
            break
    taken.add(name)
    return name


# Checking what was decoded ---------------------------------------------------------------------------

def _is_ints(value: object) -> bool:
    return isinstance(value, list) and all(type(item) is int for item in value)


def _check_pages(pages: object, where: str) -> None:
    """Pages are `[number, positions, meta positions]` (the positions are copied as they are, so only
    their being lists is checked: every integer of a 10,000-page index would take seconds)."""
    if not isinstance(pages, list):
        raise FormatError(f"{where}: pages are not a list")
    for page in pages:
        if not (type(page) is list and len(page) == 3 and type(page[0]) is int and page[0] >= 0
                and type(page[1]) is list and type(page[2]) is list):
            raise FormatError(f"{where}: a page is not [number, positions, meta positions]")


def _check_word(item: object) -> str:
    if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)):
        raise FormatError("a word is not [word, pages, variants]")
    _check_pages(item[1], item[0])
    if not isinstance(item[2], list):
        raise FormatError(f"{item[0]}: variants are not a list")
    for variant in item[2]:
        if not (isinstance(variant, list) and len(variant) == 2 and isinstance(variant[0], str)):
            raise FormatError(f"{item[0]}: a variant is not [form, pages]")
        _check_pages(variant[1], item[0])
    return item[0]


def chunk_words(data: bytes) -> list[Word]:
    """The words of a chunk file, in order, each with its own CBOR bytes (encoded again, one encoder
    for the chunk, and the whole compared with the file's)."""
    body, value = _decoded(data)
    if not (isinstance(value, list) and len(value) == 1 and isinstance(value[0], list)):
        raise FormatError("a chunk is not [[words]]")
    stream = io.BytesIO()
    encoder = cbor2.CBOREncoder(stream)
    encoder.encode_length(_ARRAY, 1)
    encoder.encode_length(_ARRAY, len(value[0]))
    spans = []
    for item in value[0]:
        start = stream.tell()
        encoder.encode(item)
        spans.append((_check_word(item), start, stream.tell()))
    if stream.getvalue() != body:
        raise FormatError(_NOT_EXACT)
    return [Word(text, body[start:end]) for text, start, end in spans]


def check_meta(meta: object) -> list:
    """The metadata, checked to be `[version, pages, chunks, filters, sorts, meta fields]`."""
    if not (isinstance(meta, list) and len(meta) == 6 and isinstance(meta[0], str)):
        raise FormatError("the metadata is not [version, pages, chunks, filters, sorts, fields]")
    _, pages, chunks, filters, sorts, fields = meta
    shapes = ((pages, lambda p: len(p) == 2 and isinstance(p[0], str) and type(p[1]) is int),
              (chunks, lambda c: len(c) == 3 and all(isinstance(part, str) for part in c)),
              (filters, lambda f: len(f) == 2 and all(isinstance(part, str) for part in f)),
              (sorts, lambda s: len(s) == 2 and isinstance(s[0], str) and _is_ints(s[1])))
    for items, shape in shapes:
        if not (isinstance(items, list) and all(isinstance(item, list) and shape(item) for item in items)):
            raise FormatError("the metadata's lists are not as Pagefind 1.5.2 writes them")
    if not (isinstance(fields, list) and all(isinstance(field, str) for field in fields)):
        raise FormatError("the metadata's fields are not text")
    return meta


# Where chunks end ------------------------------------------------------------------------------------

def _shared(a: str, b: str) -> int:
    """Characters two words share at their start."""
    count = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        count += 1
    return count


def cut(words: Sequence[Word], ends: Iterable[int], *, budget: int = BUDGET,
        shared_prefix: int = SHARED_PREFIX) -> list[list[Word]]:
    """The words, in order, in chunks: a chunk ends at every index in `ends` (where Pagefind ended one,
    as the index of the chunk's first word), and else only between words that differ within their first
    `shared_prefix` characters, once the next run of words would take it past `budget` bytes. A run bigger
    than the budget (a heavy word) is a chunk of its own, unless it cannot be told from its neighbours."""
    forced = set(ends)
    chunks: list[list[Word]] = []
    current: list[Word] = []
    size = 0
    run: list[Word] = []
    run_size = 0

    def close_run(end_here: bool) -> None:
        nonlocal current, size, run, run_size
        if current and size + run_size > budget:
            chunks.append(current)
            current, size = [], 0
        current += run
        size += run_size
        run, run_size = [], 0
        if current and (end_here or size >= budget):
            chunks.append(current)
            current, size = [], 0

    for index, word in enumerate(words):
        if index and run:
            forced_end = index in forced
            if forced_end or _shared(words[index - 1].text, word.text) < shared_prefix:
                close_run(forced_end)
        run.append(word)
        run_size += len(word.data)
    close_run(True)
    return chunks


def ranges(chunks: Sequence[Sequence[Word]],
           pagefind_ends: Mapping[str, str] | None = None) -> list[list[str]]:
    """Each chunk's `[from, to]`: no gap between chunks inside one of Pagefind's, and where Pagefind ended
    a chunk, no more than the gap Pagefind's own loose rule leaves (`pagefind_ends`: the last word of each
    chunk Pagefind wrote, and that chunk's `to`).

    Each `from` is the chunk's first word cut, as Pagefind's `chunk_meta` cuts it, to one character past
    what it shares with the last word before, so that a term beginning it loads that chunk. Inside one of
    Pagefind's chunks, the `to` before it is the greatest text below that `from` (its last character one
    lower, then the greatest character): every term Pagefind finds in that chunk's range falls in exactly
    one of the smaller ranges and loads that chunk alone. With a gap there, a term in it, such as a word
    as typed whose stem is the chunk's last word ("metastases" after "metastas"), would load by the
    engine's second rule every chunk whose range its first characters meet: the chunk of the single word
    "m" (116 KB at 10,000 articles).

    Where Pagefind ended a chunk, the `to` is Pagefind's own (its last word cut short) followed by the
    greatest character, or the greatest text below the next `from` if that is less. Every term that
    begins with Pagefind's `to`, or sorts below it, loads that chunk on Pagefind's own index too (by the
    loose rule when it lies past the cut-short `to`), and here loads it alone: "metastases" after the
    heavy "metastas" that closed Pagefind's chunk no longer also loads the 116 KB chunk of "m", nor
    "dose" after Pagefind's `to` "dos" those of "d" and "do" (164 KB instead of 58 KB at 10,000
    articles). Past that, up to the next `from`, Pagefind's gap is kept and a term in it loads by the
    loose rule, as on Pagefind's own index: a page keeps the chunks it loaded and a term ranks every
    loaded word it begins, and filling that gap made a word typed in it ("cabs", stem "cab") load the
    chunk before and rank its words ("cabin"; tests/test_search_recut.py). The last range ends at the
    last word, as Pagefind's does.

    The empty term has a chunk of its own (`_plan`)."""
    named = [[chunk[0].text, chunk[-1].text] for chunk in chunks]
    for before, after, chunk in zip(named, named[1:], chunks, strict=False):
        after[0] = after[0][:_shared(after[0], before[1]) + 1]
        below = _below(after[0])
        own = (pagefind_ends or {}).get(chunk[-1].text)
        before[1] = below if own is None else min(own + _GREATEST, below)
    return named


# The chunk of the empty term, which Pagefind's JS looks up for a search with filters only: a chunk of no
# words, whose range holds "" alone. In Pagefind's own index no range holds "", and by the second rule it
# loads every chunk: the whole index (22.6 MB at 10,000 articles); with the first range open to "" (until
# 8 December) it loaded that chunk's words (12 KB). Such a search runs in an engine of its own
# (docs/assets/search.js), so that no query ranks the words it loaded: on Pagefind's own index, "dos"
# typed after choosing a topic ranked "dosimetri" too. A term that no range holds also meets this range
# by the loose rule, and loads its few bytes and no word.
EMPTY_RANGE = ("", "")


_GREATEST = "\U0010ffff"


def _below(text: str) -> str:
    """The greatest text below `text` that a term can be (no term holds U+10FFFF, a noncharacter)."""
    code = ord(text[-1])
    if code == 0:
        return text[:-1]
    lower = 0xD7FF if 0xD800 <= code - 1 <= 0xDFFF else code - 1  # no surrogate in text
    return text[:-1] + chr(lower) + _GREATEST


def encode_chunk(chunk: Sequence[Word]) -> bytes:
    """A chunk's CBOR: `[[word, ...]]`, each word's own bytes as they were."""
    stream = io.BytesIO()
    encoder = cbor2.CBOREncoder(stream)
    encoder.encode_length(_ARRAY, 1)
    encoder.encode_length(_ARRAY, len(chunk))
    for word in chunk:
        encoder.write(word.data)
    return stream.getvalue()


# The site's own data ---------------------------------------------------------------------------------

def filter_counts(filters: Sequence[Sequence[str]],
                  read: Callable[[str], bytes]) -> dict[str, dict[str, int]]:
    """What Pagefind's `filters()` gives before any search, for the menus of "Narrow the results": each
    filter's values and their numbers of pages, from the filter chunks the metadata's `filters` name
    (`read`: a chunk's name to its file). A chunk is `[filter, [[value, [page numbers]], ...]]`."""
    return {name: {value: len(pages) for value, pages in filter_values(name, read(chunk))}
            for name, chunk in filters}


def filter_values(name: str, data: bytes) -> list:
    """The values of filter `name` in its chunk file `data`, checked to be `[filter, [[value, [page
    numbers]], ...]]`: `[[value, [page numbers]], ...]`."""
    value = unpack(data)
    if not (isinstance(value, list) and len(value) == 2 and value[0] == name and isinstance(value[1], list)
            and all(isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)
                    and _is_ints(item[1]) for item in value[1])):
        raise FormatError(f"the filter chunk of {name!r} is not [filter, [[value, [pages]], ...]]")
    return value[1]


def sorted_filters(language: str, filters: Sequence[Sequence[str]],
                   read: Callable[[str], bytes]) -> tuple[list, dict[str, bytes]]:
    """The metadata's `filters` and their chunks (name: CBOR) with each filter's values in the order of
    their text, and the filters in the order of their names: Pagefind 1.5.2 writes them in the order of a
    hash map, which differs from one run to the next over the same site (its filter chunks, so its
    metadata and entry file, differed in every pair of builds), so a build would not be reproducible.
    Nothing reads that order: search.js sorts the values it shows, and a filter's pages are found by its
    value."""
    listed, bodies, names = [], {}, set()
    for name, chunk in sorted(filters):
        values = sorted(filter_values(name, read(chunk)), key=lambda item: item[0])
        body = cbor2.dumps([name, values])
        short = _short(language, pagefind_hash(body), names)
        bodies[short] = body
        listed.append([name, short])
    return listed, bodies


def unsettled(ranges: Sequence[Sequence[str]]) -> list[str]:
    """The texts of AHEAD_CHARS characters or more that words in two chunks begin with: what the first word
    of a chunk shares with the last word before it (its `from` cut one character past that, `ranges`).
    Typed as a word's first letters, such a text loads the chunk before, which the finished word may not
    need ("neu" the chunk of "neutropen", 22 KB at 10,000 articles, when the word is "neutropenia"), so
    search.js does not load it ahead."""
    return sorted({start[:-1] for before, (start, *_) in zip(ranges, ranges[1:], strict=False)
                   if len(start) > AHEAD_CHARS and tuple(before[:2]) != EMPTY_RANGE})


def extras(metas: Mapping[str, list], read: Callable[[str], bytes]) -> bytes:
    """The EXTRAS file of an index whose metadata, by language, is `metas` (checked; `read` as in
    `filter_counts`): for each language, its filter counts and `unsettled` texts, as JSON packed as
    Pagefind packs its data. Derived from the index alone, so the same index gives the same bytes."""
    data = {language: {"filters": filter_counts(meta[3], read), "unsettled": unsettled(meta[2])}
            for language, meta in metas.items()}
    return pack(json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8"))


# The index folder ------------------------------------------------------------------------------------

def recut_index(index: Path, *, budget: int = BUDGET, shared_prefix: int = SHARED_PREFIX) -> Recut:
    """Cut the word chunks of the Pagefind index in `index` again (its entry, metadata and chunk files are
    rewritten; pages, fragments and filter values are kept, the filters put in a fixed order: see
    `sorted_filters`). Leaves the index as it was, with the reason, when its version is not verified or its
    data not in the known format."""
    try:
        entry = json.loads((index / ENTRY).read_text(encoding="utf-8"))
        version = entry["version"]
        languages = entry["languages"]
    except (OSError, ValueError, KeyError, TypeError) as error:
        return Recut("(unknown)", False, reason=f"its entry file cannot be read: {error}")
    if not isinstance(version, str) or version not in VERIFIED:
        return Recut(str(version), False, reason=f"a format verified only for Pagefind "
                                                 f"{', '.join(sorted(VERIFIED))}")
    try:
        plans = [_plan(index, language, info, budget, shared_prefix)
                 for language, info in languages.items()]
        chunks = {name: body for plan in plans for name, body in plan.filters.items()}
        own = extras({plan.language: plan.meta for plan in plans}, chunks.__getitem__)
    except (FormatError, OSError, KeyError, TypeError) as error:
        return Recut(version, False, reason=f"its data is not in the known format: {error}")
    before = after = 0
    for plan in plans:
        before += plan.before
        after += len(plan.chunks)
        plan.write(index, entry)
    (index / EXTRAS).parent.mkdir(exist_ok=True)  # Pagefind writes the folder only for a site with filters
    (index / EXTRAS).write_bytes(own)
    (index / ENTRY).write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return Recut(version, True, before, after)


@dataclass
class _Plan:
    """One language's new chunks and metadata, decided before anything is written."""

    language: str
    meta: list
    old_meta: str
    old_chunks: list[str]
    chunks: dict[str, bytes]  # name: CBOR
    before: int
    unchanged: set[str]  # chunks Pagefind wrote that stay as they are (the same words, so the same name)
    filters: dict[str, bytes]  # filter chunks (name: file), `sorted_filters`
    old_filters: list[str]

    def write(self, index: Path, entry: dict) -> None:
        for name in self.old_filters:
            if name not in self.filters:
                (index / "filter" / f"{name}.pf_filter").unlink()
        for name, data in self.filters.items():
            (index / "filter" / f"{name}.pf_filter").write_bytes(data)
        written = {name: body for name, body in self.chunks.items() if name not in self.unchanged}
        # Compressed on every processor: zlib releases the interpreter's lock (about 3 s of CPU for the
        # chunks of 10,000 articles).
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            for name, data in zip(written, pool.map(pack, written.values()), strict=True):
                (index / "index" / f"{name}.pf_index").write_bytes(data)
        body = cbor2.dumps(self.meta)
        name = f"{self.language}_{pagefind_hash(body)[:len(self.language) + 8]}"
        (index / f"pagefind.{name}.pf_meta").write_bytes(pack(body))
        for old in self.old_chunks:
            if old not in self.chunks:
                (index / "index" / f"{old}.pf_index").unlink(missing_ok=True)
        if self.old_meta != name:
            (index / f"pagefind.{self.old_meta}.pf_meta").unlink(missing_ok=True)
        entry["languages"][self.language]["hash"] = name


def _plan(index: Path, language: str, info: dict, budget: int, shared_prefix: int) -> _Plan:
    meta = check_meta(unpack((index / f"pagefind.{info['hash']}.pf_meta").read_bytes()))
    words: list[Word] = []
    ends: list[int] = []
    for _, _, name in meta[2]:
        ends.append(len(words))
        words += chunk_words((index / "index" / f"{name}.pf_index").read_bytes())
    texts = [word.text for word in words]
    if texts != sorted(texts) or len(set(texts)) != len(texts):
        raise FormatError("the words are not in order, once each")
    chunks = cut(words, ends[1:], budget=budget, shared_prefix=shared_prefix)
    limits = [*ends, len(words)]
    pagefind_ends = {words[end - 1].text: to  # each chunk Pagefind wrote: its last word, its `to`
                     for end, (_, to, _) in zip(limits[1:], meta[2], strict=True) if end}
    old = {(limits[n], limits[n + 1], name) for n, (_, _, name) in enumerate(meta[2])}  # words from, to
    names: set[str] = set()
    bodies: dict[str, bytes] = {}
    unchanged = set()
    listed = []
    first = 0
    cut_ranges = ranges(chunks, pagefind_ends)
    if chunks:
        chunks, cut_ranges = [[], *chunks], [list(EMPTY_RANGE), *cut_ranges]
    for chunk, (start, end) in zip(chunks, cut_ranges, strict=True):
        body = encode_chunk(chunk)
        name = _short(language, pagefind_hash(body), names)
        bodies[name] = body
        listed.append([start, end, name])
        if (first, first + len(chunk), name) in old:
            unchanged.add(name)
        first += len(chunk)
    filters, filter_bodies = sorted_filters(
        language, meta[3], lambda name: (index / "filter" / f"{name}.pf_filter").read_bytes())
    new_meta = [*meta[:2], listed, filters, *meta[4:]]
    return _Plan(language, new_meta, info["hash"], [name for _, _, name in meta[2]], bodies, len(meta[2]),
                 unchanged, {name: pack(body) for name, body in filter_bodies.items()},
                 [name for _, name in meta[3]])


def named_by_content(files: dict[str, bytes], entry: dict) -> bool:
    """The word chunks and metadata of index data `files` (relative names: bytes) are those its entry
    names, each named by its content as Pagefind names it: a chunk altered, added or left out is found;
    and its EXTRAS are the ones its metadata and filter chunks give. An index of a version whose format
    is not verified cannot be read, and passes (True)."""
    if entry.get("version") not in VERIFIED:
        return True
    try:
        listed = set()
        metas = {}
        for language, info in entry["languages"].items():
            meta_name = f"pagefind.{info['hash']}.pf_meta"
            meta = metas[language] = check_meta(unpack(files[meta_name]))
            if info["hash"] != f"{language}_{_content_hash(files[meta_name])[:len(language) + 8]}":
                return False
            listed.add(meta_name)
            for _, _, name in meta[2]:
                path = f"index/{name}.pf_index"
                if not (name.startswith(f"{language}_") and path in files
                        and f"{language}_{_content_hash(files[path])}".startswith(name)):
                    return False
                listed.add(path)
        own = extras(metas, lambda name: files[f"filter/{name}.pf_filter"])
        if gzip.decompress(files[EXTRAS]) != gzip.decompress(own):
            return False  # counts or texts that are not this index's (or none)
    except (FormatError, KeyError, TypeError, AttributeError, OSError, EOFError, zlib.error):
        return False
    return listed == {name for name in files if name.startswith("index/") or name.endswith(".pf_meta")}


def _content_hash(data: bytes) -> str:
    return pagefind_hash(gzip.decompress(data)[len(SIGNATURE):])
