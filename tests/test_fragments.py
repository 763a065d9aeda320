"""The generated pages' repeated pieces (medsite.pipeline.fragments): a piece is reused only for the same
template source, page and values, and the values' text differs whenever they do."""

from __future__ import annotations

import datetime as dt

import pytest

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
