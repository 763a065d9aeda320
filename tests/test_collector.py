"""A build runs Python's cycle collector less often (medsite.core.collector) and gives the process its own
thresholds back afterwards, whether the build succeeded or failed: `mkdocs serve` lives on between builds."""

from __future__ import annotations

import gc

import pytest

from medsite.core.collector import BUILD_THRESHOLDS, DEFAULT_THRESHOLDS
from tests.sitebuild import BuildFailed

SEEN = "seen.txt"


def test_a_build_collects_less_often_and_restores_the_thresholds(tiny_site):
    hook = tiny_site.root / "threshold_hook.py"  # records the thresholds while a page is converted
    hook.write_text("import gc\nfrom pathlib import Path\n\n\n"
                    "def on_page_markdown(markdown, page, config, files):\n"
                    f"    seen = Path(config.config_file_path).parent / {SEEN!r}\n"
                    "    seen.write_text(repr(gc.get_threshold()))\n", encoding="utf-8")
    tiny_site.config["hooks"].append(str(hook))
    tiny_site.write("docs/index.md", "# Home\n\nWelcome.\n")
    gc.set_threshold(*DEFAULT_THRESHOLDS)
    tiny_site.build()
    assert (tiny_site.root / SEEN).read_text() == repr(BUILD_THRESHOLDS)
    assert gc.get_threshold() == DEFAULT_THRESHOLDS


def test_a_failed_build_restores_the_thresholds(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n\nAs shown [@no-such-key].\n")  # stops the build half-way
    with pytest.raises(BuildFailed):
        tiny_site.build()
    assert gc.get_threshold() == DEFAULT_THRESHOLDS
