"""A local HTTP server on 127.0.0.1 with one route per kind of answer a link checker meets (good, missing,
failing, slow, flaky, redirecting), so no test of external links touches the internet."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SLOW_SECONDS = 3.0
REDIRECTS = {"/loop-a": "/loop-b", "/loop-b": "/loop-a", "/moved": "/ok", "/self": "/self"}


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.hits: Counter[tuple[str, str]] = Counter()
        self.release = threading.Event()

    def handle_error(self, request, client_address) -> None:
        """The slow route's client hangs up on purpose; that is not a test failure."""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: Server

    def log_message(self, format, *args) -> None:
        """Keep the test output clean."""

    def do_HEAD(self) -> None:
        self.answer()

    def do_GET(self) -> None:
        self.answer()

    def answer(self) -> None:
        self.server.hits[(self.command, self.path)] += 1
        if self.path == "/slow":
            self.server.release.wait(SLOW_SECONDS)
            self.reply(200)
        elif self.path in REDIRECTS:
            self.reply(302, location=REDIRECTS[self.path])
        elif self.path == "/error":
            self.reply(500)
        elif self.path == "/flaky":
            self.reply(503 if self.server.hits[(self.command, self.path)] == 1 else 200)
        elif self.path == "/no-head":
            self.reply(405 if self.command == "HEAD" else 200)
        elif self.path in ("/ok", "/other"):
            self.reply(200)
        else:
            self.reply(404)

    def reply(self, status: int, location: str | None = None) -> None:
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@contextmanager
def serving() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()
    thread.join()
