"""The repeated pieces of the long generated pages (a References entry, a dashboard row, a line of an
article list), rendered once for each content and reused while it stays the same.

At thousands of articles those pages hold tens of thousands of such pieces and rendering them was most of
a `mkdocs serve` rebuild, although an edit changes a handful. A piece is found again only under everything
its output is made of: the template's own source (a partial that includes no other template), the page it
is printed on (its links are relative to that page) and its values, written out in full. Kept by the
process (medsite.pipeline.context.BuildCaches), so a rebuild renders only the pieces that changed.

A piece whose value is `Frozen` (medsite.core.frozen: nothing in it can change) is also found by the value
object itself: the lists of the long pages are made of values kept per article content (medsite.pages), so
a rebuild finds an unchanged piece without writing its values out again.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import fields

from medsite.core.frozen import Frozen
from medsite.core.json_cache import digest
from medsite.safety.csp import inert

LIMIT = 200_000  # pieces kept before starting afresh (a site of 10,000 articles has about 32,000)


class FragmentCache:
    """Rendered pieces by (template name, template digest, page URL, base URL, values)."""

    def __init__(self) -> None:
        self._found: dict[tuple[str, ...], str] = {}
        self._sources: dict[str, str] = {}  # template source -> its digest, so a partial is hashed once
        # (name, digest, page URL, base URL, item name, id of a Frozen value) -> (that value, the piece)
        self._by_value: dict[tuple, tuple[Frozen, str]] = {}
        # (name, digest, page URL, base URL, item name) -> the values of the list printed last, their pieces
        self._lists: dict[tuple, tuple[tuple, list[str]]] = {}
        self._inert: dict[str, bool] = {}  # piece -> whether it is inert (medsite.safety.csp.inert)

    def key(self, name: str, source: str, page_url: str | None, base_url: str | None, values: dict) -> tuple:
        """What a piece's output is made of, its values written out in full (`written`)."""
        return (name, self._digest(source), page_url or "", base_url or "", written(values))

    def piece(self, name: str, source: str, page_url: str | None, base_url: str | None, item: str,
              value: object, render: Callable[[], str]) -> str:
        """The piece of the template `name` given `value` as `item` (`render` renders it the first time).
        A `Frozen` value that made a piece before is recognised by identity (the memo holds the value, so
        its identity is not reused); any other value, and a Frozen one seen first, by its values in full."""
        if not isinstance(value, Frozen):
            return self.get(self.key(name, source, page_url, base_url, {item: value}), render)
        at = (name, self._digest(source), page_url or "", base_url or "", item, id(value))
        known = self._by_value.get(at)
        if known is not None and known[0] is value:
            return known[1]
        found = self.get(self.key(name, source, page_url, base_url, {item: value}), render)
        if len(self._by_value) >= LIMIT:
            self._by_value.clear()
        self._by_value[at] = (value, found)
        return found

    def pieces(self, name: str, source: str, page_url: str | None, base_url: str | None, item: str,
               values: Iterable[object], render: Callable[[object], str]) -> list[str]:
        """The piece of each value (`piece`; `render(value)` renders one). A list printed again on the same
        page by the same template takes the piece of each Frozen value found at the same place last time
        without looking it up (most of a long list is unchanged by an edit)."""
        values = tuple(values)
        at = (name, self._digest(source), page_url or "", base_url or "", item)
        before_values, before_pieces = self._lists.get(at, ((), []))
        same_length = len(before_values) == len(values)
        found = [before_pieces[index] if same_length and value is before_values[index]
                 and isinstance(value, Frozen) else
                 self.piece(name, source, page_url, base_url, item, value, lambda value=value: render(value))
                 for index, value in enumerate(values)]
        self._lists[at] = (values, found)
        return found

    def inert(self, pieces: Iterable[str]) -> bool:
        """Whether every piece holds no inline code and leaves the page's other tokens as they are
        (medsite.safety.csp.inert), each piece checked once: their text joined by newlines is then left out
        of the page's Content-Security-Policy check, which at thousands of rows cost more than the rest of
        writing the page."""
        known = self._inert
        if len(known) >= LIMIT:
            known.clear()
        for piece in pieces:
            found = known.get(piece)
            if found is None:
                found = known[piece] = inert(piece)
            if not found:
                return False
        return True

    def _digest(self, source: str) -> str:
        known = self._sources.get(source)
        if known is None:
            known = self._sources[source] = digest(source)
        return known

    def get(self, key: tuple, render: Callable[[], str]) -> str:
        """The piece rendered under `key`, rendering it with `render` the first time."""
        found = self._found.get(key)
        if found is None:
            if len(self._found) >= LIMIT:
                self._found.clear()
            found = self._found[key] = render()
        return found


def written(values: object) -> str:
    """Values as text that differs whenever they do. The templates' data is built of strings, numbers,
    dates, None and lists, tuples and dicts of those, whose `repr` says everything (and costs a third of
    JSON's); anything whose `repr` may name only its address (`<… at 0x…>`) is written as JSON instead, and
    JSON refuses what it cannot write in full (a date counts by its ISO text, a Frozen value by its
    type's name and fields). A contributor's text may hold " at 0x" too (a dose, a hex code)."""
    text = repr(values)
    if " at 0x" in text:
        text = json.dumps(values, sort_keys=True, default=_iso, ensure_ascii=False)
    return text


def _iso(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Frozen):  # every field is in its repr, so in this list too (medsite.core.frozen)
        return [type(value).__name__, *(getattr(value, item.name) for item in fields(value))]
    raise TypeError(f"{type(value).__name__} cannot be written out in full")
