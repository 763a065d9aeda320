"""What Pagefind 1.5.2's search engine does with an index's chunks, written from its source as a test
oracle (pagefind_web/src/lib.rs `request_indexes`, search.rs `find_word_extensions`): which chunks a term
loads, and which loaded words a term then matches. Python compares strings as Rust does (by code point)
and slices them by characters as `chars().take(n)` does.

Loaded chunks stay loaded for the page's life, and a term matches every loaded word it begins, whichever
search loaded it: so what a query ranks depends on the searches before it on the same page
(`chunks_for_terms`). `request_indexes` looks each word of a query up as typed and as stemmed, each on
its own; a search with filters and no words (Pagefind's JS passes the empty term) finds no range of
Pagefind's holding "", and by the loose rule, whose prefixes of the empty term meet every range, loads
every chunk."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def chunks_for(term: str, ranges: Sequence[Sequence[str]]) -> set[int]:
    """The chunks (indexes into `ranges`, each `[from, to, ...]`) a term loads: those whose range holds it,
    or, when none does, those whose range its prefixes meet."""
    strict = {n for n, (start, end, *_) in enumerate(ranges) if start <= term <= end}
    if strict:
        return strict
    loose = set()
    for n, (start, end, *_) in enumerate(ranges):
        low, high = min(len(term), len(start)), min(len(term), len(end))
        if term[:low] >= start[:low] and term[:high] <= end[:high]:
            loose.add(n)
    return loose


def chunks_for_terms(terms: Iterable[str], ranges: Sequence[Sequence[str]]) -> set[int]:
    """The chunks a page has loaded after looking up each of `terms` (each on its own, as above)."""
    return set().union(*(chunks_for(term, ranges) for term in terms))


def matched(term: str, loaded: Iterable[str]) -> set[str]:
    """The loaded words a term finds: every one it begins, else the longest one that begins it."""
    words = list(loaded)
    extensions = {word for word in words if word.startswith(term)}
    if extensions:
        return extensions
    prefixes = [word for word in words if term.startswith(word)]
    return {max(prefixes, key=len)} if prefixes else set()
