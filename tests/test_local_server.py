"""The local static host used by the browser tests and the judges serves text compressed, like a real host."""

from __future__ import annotations

import gzip
import urllib.error
import urllib.request

import pytest

from medsite.checks.local_server import serving, stays_local


def fetch(url: str, *, gzip_ok: bool) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    with urllib.request.urlopen(request, timeout=5) as response:
        return response.status, dict(response.headers), response.read()


def test_text_is_gzipped_for_browsers_that_accept_it_and_plain_otherwise(tmp_path):
    (tmp_path / "articles" / "a").mkdir(parents=True)
    (tmp_path / "articles" / "a" / "index.html").write_text("<p>Answer</p>" * 50, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(b"\x89PNG fake")
    with serving(tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        status, headers, body = fetch(url + "articles/a/", gzip_ok=True)
        assert (status, headers["Content-Encoding"], headers["Content-Type"]) == (200, "gzip", "text/html")
        assert gzip.decompress(body) == ("<p>Answer</p>" * 50).encode()
        assert len(body) < len(gzip.decompress(body))
        status, headers, body = fetch(url + "articles/a/", gzip_ok=False)
        assert "Content-Encoding" not in headers and body.startswith(b"<p>Answer</p>")
        status, headers, body = fetch(url + "logo.png", gzip_ok=True)
        assert "Content-Encoding" not in headers and body == b"\x89PNG fake"
        with pytest.raises(urllib.error.HTTPError) as missing:
            fetch(url + "nowhere.html", gzip_ok=True)
        missing.value.close()
        assert missing.value.code == 404


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8123/assets/medsite.css", True),
    ("data:image/svg+xml;charset=utf-8,<svg/>", True),
    ("blob:http://127.0.0.1:8123/0f3c", True),
    ("http://127.0.0.2:8123/", False),
    ("http://localhost:8123/", False),  # a name to look up, not the served address
    ("https://fonts.googleapis.com/css", False),
    ("//cdn.example.org/x.js", False),
])
def test_only_the_served_host_and_in_browser_urls_stay_local(url, local):
    assert stays_local(url) is local
