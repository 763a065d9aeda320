"""A server on 127.0.0.1 that replays recorded answers of Crossref's and NCBI's APIs, for the tests of
`medsite refs verify`: no test ever sends a request beyond this machine."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from medsite.checks.local_server import serving_handler

RECORDED = Path(__file__).parent / "recorded"


@dataclass
class Reply:
    status: int = 200
    body: object = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (to test timeouts)


Route = Callable[[dict[str, list[str]]], Reply]


def recorded(name: str) -> object:
    """A recorded answer from tests/recorded/."""
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


@dataclass
class Replay:
    """Routes by decoded path; each value is a Reply, a list of Replies given in turn, or a function of the
    query. Unknown paths get Crossref's 404. Every request is recorded."""

    routes: dict[str, Reply | list[Reply] | Route]
    requests: list[str] = field(default_factory=list)

    def reply(self, path: str, query: dict[str, list[str]]) -> Reply:
        route = self.routes.get(path)
        if route is None:
            return Reply(404, b"Resource not found.", {"Content-Type": "text/plain"})
        if isinstance(route, list):
            return route.pop(0) if len(route) > 1 else route[0]
        return route(query) if callable(route) else route


@contextmanager
def replaying(replay: Replay) -> Iterator[str]:
    """Serve `replay` on 127.0.0.1 (a free port); yields the base URL."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            replay.requests.append(self.path)
            answer = replay.reply(unquote(parts.path), parse_qs(parts.query))
            time.sleep(answer.delay)
            body = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (timeout tests)
                self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Keep test output clean."""

    with serving_handler(Handler) as url:
        yield url
