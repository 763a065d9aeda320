"""What a test does when a tool it needs is missing: fail under CI=true, where `.ci/run` installs every
tool, so a missing install step cannot pass as skipped tests; skip on a developer's machine."""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def unavailable(message: str) -> NoReturn:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true but {message}")
    pytest.skip(message)
