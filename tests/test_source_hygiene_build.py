"""A page MkDocs cannot decode fails the build with its file and line; what MkDocs reads past does not."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.sitebuild import BuildFailed

BAD_BYTE = b"# About\n\nWe are caf\xff people.\n"


def test_non_utf8_page_fails_with_file_line_and_no_traceback(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/about.md", BAD_BYTE)
    with pytest.raises(BuildFailed) as failed:
        tiny_site.build()
    assert "ERROR: docs/about.md:3:11: error: byte 0xFF is not valid UTF-8" in failed.value.log
    # The command line, as an author runs it: the same line, and MkDocs' abort instead of a traceback.
    config = str(tiny_site.root / "mkdocs.yml")
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", config],
                            capture_output=True, text=True, cwd=tiny_site.root,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 1
    assert "docs/about.md:3:11: error: byte 0xFF is not valid UTF-8" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize("raw", [
    b"\xef\xbb\xbf# About\n\nWe are people.\n",
    b"---\r\ntitle: About\r\n---\r\n\r\n# About\r\n\r\nWe are people.\r\n",
    b"---\ntitle:\tAbout\n---\n\n# About\n\nWe are people.\n",
], ids=["bom", "crlf", "tab in front matter"])
def test_what_mkdocs_reads_past_stays_a_check_finding(tiny_site, raw):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/about.md", raw)
    built = tiny_site.build()
    assert built.warnings == []
    assert "We are people." in built.html("about.md")
