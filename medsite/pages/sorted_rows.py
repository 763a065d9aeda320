"""A long sorted list a generated page prints (the dashboard's rows), kept from one build to the next and
patched where an edit changed it.

At thousands of articles the dashboard prints tens of thousands of rows; sorting them and making each
printed row again was a large part of a `mkdocs serve` rebuild, although an edit changes one article's row
and one page's reading grades. The values that stay the same objects stay where they were; those an edit
took out or put in are found and placed by bisection on their sort keys. A patch gives exactly what sorting
gives, or nothing: where two values share a key, only a sort says which comes first.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

PATCHED_AT_MOST = 200  # values taken out and put in, beyond which sorting them all is as quick


@dataclass
class Printed:
    """Values as last printed, in order, each with its sort key and its entry (what the page prints)."""

    values: list[Any]
    keys: list[Any]
    entries: list[Any]


def printed(ordered: Iterable[Any], key: Callable[[Any], Any], entry: Callable[[Any], Any | None]) -> Printed:
    """The values, in the order of `key`, each with its entry; those whose entry is None are left out."""
    kept = [(value, made) for value in ordered if (made := entry(value)) is not None]
    return Printed([value for value, _ in kept], [key(value) for value, _ in kept],
                   [made for _, made in kept])


def patched(last: Printed, gone: Iterable[Any], came: Iterable[Any], key: Callable[[Any], Any],
            entry: Callable[[Any], Any | None]) -> Printed | None:
    """`last` without the values `gone` (by identity; one it did not print is not there to take out) and
    with the values `came` at their places (those whose entry is None left out); new lists, as the page
    written last holds the old ones. None when two values would share a key (a sort decides their order)."""
    values, keys, entries = list(last.values), list(last.keys), list(last.entries)
    for value in gone:
        found = key(value)
        at = bisect_left(keys, found)
        if at < len(keys) and keys[at] == found:
            if values[at] is not value:
                return None
            del values[at], keys[at], entries[at]
    for value in came:
        made = entry(value)
        if made is None:
            continue
        found = key(value)
        at = bisect_left(keys, found)
        if at < len(keys) and keys[at] == found:
            return None
        values.insert(at, value)
        keys.insert(at, found)
        entries.insert(at, made)
    return Printed(values, keys, entries)
