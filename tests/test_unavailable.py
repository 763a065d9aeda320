"""A missing tool fails the run under CI=true (where `.ci/run` installs everything) and skips elsewhere."""

from __future__ import annotations

import pytest

from tests.unavailable import unavailable


def test_a_missing_tool_fails_under_ci(monkeypatch):
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true but chromium is missing"):
        unavailable("chromium is missing")


@pytest.mark.parametrize("ci", [None, "false"])
def test_a_missing_tool_skips_on_a_developer_machine(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="chromium is missing"):
        unavailable("chromium is missing")
