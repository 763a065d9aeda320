"""Serve a built site on 127.0.0.1 the way a static host does, for the checks that need a browser (the
browser tests and the outside judges, benchmarks/judges.py), and the flags they start Chromium with.

Text is sent gzip-compressed when the browser accepts it, as GitHub Pages and other static hosts send
it; Python's own http.server sends it uncompressed, which would make Lighthouse measure a site no
reader ever downloads."""

from __future__ import annotations

import functools
import gzip
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSED = ("text/", "application/javascript", "application/json", "image/svg+xml")
# Debian's Chromium for those checks, headless, with everything that calls Google's hosts switched off.
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic")
IN_BROWSER = {"data", "blob", "about"}  # URL schemes resolved inside the browser, never sent anywhere


def stays_local(url: str) -> bool:
    """Whether a request the browser made went to the served site on 127.0.0.1, or nowhere at all."""
    parts = urlsplit(url)
    return parts.scheme in IN_BROWSER or parts.hostname == "127.0.0.1"


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves a built site as a static host would (a folder's index.html for its URL)."""

    def do_GET(self) -> None:
        """Redirect a folder without its slash, as static hosts do; serve the rest as files."""
        path = unquote(urlsplit(self.path).path)
        file = Path(self.translate_path(self.path))
        if file.is_dir() and path.endswith("/"):
            file = file / "index.html"
        kind = self.guess_type(str(file))
        if not (file.is_file() and kind.startswith(COMPRESSED)
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            super().do_GET()  # directories, redirects, 404s and binary files as http.server does them
            return
        body = gzip.compress(file.read_bytes(), compresslevel=6)
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Keep the output of the tests and judges clean."""


@contextmanager
def serving(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on 127.0.0.1 (a free port) in a background thread; yields the root URL."""
    with serving_handler(functools.partial(StaticHostHandler, directory=str(site_dir))) as url:
        yield url + "/"


@contextmanager
def serving_handler(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Run an HTTP request handler on 127.0.0.1 (a free port) in a background thread; yields
    `http://127.0.0.1:PORT`, and stops the server on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()
