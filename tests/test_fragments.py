"""The generated pages' repeated pieces (medsite.pipeline.fragments): a piece is reused only for the same
template source, page and values, and the values' text differs whenever they do."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from medsite.core.frozen import Frozen
from medsite.pipeline.fragments import FragmentCache, written


def test_a_piece_is_reused_only_for_the_same_template_page_and_values():
    cache, renders = FragmentCache(), []

    def piece(source: str, page: str, values: dict) -> str:
        return cache.get(cache.key("partials/x.html", source, page, "..", values),
                         lambda: renders.append(1) or f"{source}|{page}|{values}")

    row = {"title": "Does drug X help?", "reviewed": dt.date(2025, 2, 1), "flags": []}
    first = piece("<li>{{ row.title }}</li>", "dashboard/", row)
    assert piece("<li>{{ row.title }}</li>", "dashboard/", dict(row)) == first and len(renders) == 1
    for source, page, values in (
        ("<li>{{ row.title | e }}</li>", "dashboard/", row),  # the template changed
        ("<li>{{ row.title }}</li>", "topics/x/", row),  # another page: its links are relative to it
        ("<li>{{ row.title }}</li>", "dashboard/", {**row, "title": "Does drug Z help?"}),
        ("<li>{{ row.title }}</li>", "dashboard/", {**row, "reviewed": dt.date(2025, 2, 2)}),
        ("<li>{{ row.title }}</li>", "dashboard/", {**row, "flags": ["Review overdue"]}),
    ):
        renders.clear()
        assert piece(source, page, values) != first and renders == [1]


def test_values_are_written_out_in_full_or_refused():
    assert written({"a": "1"}) != written({"a": 1}) != written({"a": (1,)})
    assert written([("x", "")]) != written([("x", None)])
    assert written({"reviewed": dt.date(2025, 2, 1)}) != written({"reviewed": dt.date(2025, 2, 2)})

    class Opaque:  # whose repr names only its address
        pass

    with pytest.raises(TypeError):
        written({"row": Opaque()})


@dataclass(frozen=True)
class Line(Frozen):
    title: str
    flags: tuple[str, ...] = ()


def test_a_frozen_value_is_found_again_by_identity_and_a_list_in_place():
    cache, renders = FragmentCache(), []

    def render(value: object) -> str:
        renders.append(value)
        return f"<li>{value}</li>"

    def printed(values: list, page: str = "topics/x/") -> list[str]:
        return cache.pieces("partials/x.html", "<li>{{ row }}</li>", page, "../..", "row", values, render)

    first, second = Line("Does drug X help?"), Line("Is drug Y safe?")
    assert printed([first, second]) == [f"<li>{first}</li>", f"<li>{second}</li>"] and len(renders) == 2
    renders.clear()
    edited = Line("Does drug Z help?")
    # the same objects in place, or elsewhere in the list: not rendered again; a new value is
    assert printed([edited, second]) == [f"<li>{edited}</li>", f"<li>{second}</li>"] and renders == [edited]
    assert printed([second, Line("Is drug Y safe?"), first]) == [
        f"<li>{second}</li>", f"<li>{second}</li>", f"<li>{first}</li>"] and renders == [edited]
    # a dict (which could change) is never found by identity: its values, written out, are the key
    row = {"title": "Does drug X help?"}
    printed([row])
    row["title"] = "Changed in place?"
    assert printed([row]) == ["<li>{'title': 'Changed in place?'}</li>"]
    assert printed([first], page="topics/y/") == [f"<li>{first}</li>"]  # another page: rendered for it
    assert renders[-1] is first


def test_a_frozen_value_holds_nothing_that_can_change():
    assert Line("a", ("Review overdue",)).flags == ("Review overdue",)
    for wrong in (["Review overdue"], {"a"}, ({"a": 1},)):
        with pytest.raises(TypeError, match="can change"):
            Line("a", wrong)  # type: ignore[arg-type]

    @dataclass(frozen=True)
    class Hidden(Frozen):
        shown: str
        hidden: str = field(default="", repr=False)  # a piece's key is its repr: every field must be in it

    with pytest.raises(TypeError, match="left out of its repr"):
        Hidden("a")
