"""The reference cache under `.cache/medsite/` is not trusted: an entry's HTML read back from it is
sanitised like the formatter's own output, so an edited cache can put no script on a page."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from medsite.bibliography.reference_markup import formatted_reference
from tests.project_samples import GOOD

INJECTED = '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>'


def test_cached_markup_is_sanitised_on_use():
    entry = formatted_reference(f"Smith J. <i>Trial</i>. {INJECTED}")
    assert entry.html == "Smith J. <i>Trial</i>. <a>x</a>"
    assert "alert" not in entry.html and entry.text == "Smith J. Trial. x"


def test_an_edited_reference_cache_puts_no_script_on_any_page(tiny_site):
    tiny_site.write("docs/index.md", "# Home\n")
    tiny_site.write("docs/articles/good.md", GOOD)
    tiny_site.build(strict=False)  # fills .cache/medsite/references.json
    cache = tiny_site.root / ".cache" / "medsite" / "references.json"
    data = json.loads(cache.read_text(encoding="utf-8"))
    for pair in data["items"]["entries"].values():
        pair[0] = pair[0] + INJECTED
    cache.write_text(json.dumps(data), encoding="utf-8")
    site = tiny_site.root / "poisoned"
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(tiny_site.save_config()),
                            "-d", str(site)], capture_output=True, text=True, cwd=tiny_site.root,
                           env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert build.returncode == 0, build.stderr
    pages = {path: path.read_text(encoding="utf-8") for path in site.rglob("*.html")}
    assert pages and any("debono2010tropic" in page for page in pages.values())
    for path, page in pages.items():
        assert "alert(" not in page, path
