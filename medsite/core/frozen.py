"""Values that cannot change once made, so that what was worked out from one (a rendered piece of a page, a
row of a list) can be found again by the value object itself instead of by writing it out in full.

`mkdocs serve` rebuilds the pages that list every article after each edit: at thousands of articles,
writing every row's values out again only to find the same rendered piece cost more than the rest of the
rebuild. A row made once per article content and kept (medsite.pages.*) is recognised by identity; that
is sound only if nothing can change it afterwards, which `Frozen` checks as each value is made.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

_ATOMS = (str, int, float, type(None), dt.date, dt.time)  # immutable (bool is an int; datetime a date)


@dataclass(frozen=True)
class Frozen:
    """A frozen dataclass whose fields hold only strings, numbers, None, dates, tuples of those and other
    `Frozen` values: nothing reachable from it can change (TypeError when made with anything else). Its
    `repr` names every field (medsite.pipeline.fragments writes values out with it)."""

    def __post_init__(self) -> None:
        for item in fields(self):
            if not item.repr:
                raise TypeError(f"{type(self).__name__}.{item.name} is left out of its repr; expected every "
                                "field in it")
            _check(getattr(self, item.name), f"{type(self).__name__}.{item.name}")


def _check(value: object, where: str) -> None:
    if isinstance(value, (_ATOMS, Frozen)):
        return
    if type(value) is tuple:
        for part in value:
            _check(part, where)
        return
    raise TypeError(f"{where} holds a {type(value).__name__}, which can change; expected str, int, float, "
                    "None, a date, a tuple of those or a Frozen value")
