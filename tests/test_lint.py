"""ruff (a test extra) with the rules of pyproject.toml passes on the project's code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.sitebuild import PROJECT

RUFF = Path(sys.executable).with_name("ruff")
LINTED = ("medsite", "hooks", "tests", "benchmarks")


def test_ruff_passes():
    assert RUFF.is_file(), f"{RUFF} is missing: ruff is a test extra (pip install -e '.[test]')"
    result = subprocess.run([str(RUFF), "check", "--no-cache", "--output-format", "concise", *LINTED],
                            cwd=PROJECT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
