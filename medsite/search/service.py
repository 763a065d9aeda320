"""Pagefind's service (`pagefind --service`), fed a site's pages while the build writes them, so that
Pagefind parses them on a processor the build leaves idle instead of after the build.

The protocol is the one the `pagefind` package's Python API speaks (its `service` module; Pagefind's
pagefind/src/service/): each message a base64 JSON object followed by a comma, on the service's standard
input; each answer the same on its standard output, with the message's id. The package's own client is
not used: it reads one answer per tenth of a second (an `asyncio.sleep(0.1)` in its reading loop), so
1,000 pages would take 100 s, and it needs an asyncio loop inside the build. Here the feed's thread
writes the messages (medsite.search.feed: the build only queues a page, it never waits for Pagefind) and
one thread reads the answers. The binary is the one the package finds (`pagefind.service.get_executable`:
PAGEFIND_BINARY_PATH, then `pagefind_bin`), run directly.

The service numbers pages in the order it is first given them, and a page given again under the same
address replaces the earlier one in place (`fossick_one`): the same pages given in the same order give the
same index, whenever they were given.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import json
import subprocess
import tempfile
import threading
from pathlib import Path, PurePosixPath

from medsite.core.problems import Problem, ProblemsError

_GZIP = b"\x1f\x8b\x08"  # Pagefind's command line reads such a file as gzip (fossick/mod.rs, read_file)


def executable() -> Path:
    """The Pagefind binary the `pagefind` package would run; ProblemsError when none is installed."""
    try:
        from pagefind.service import get_executable  # noqa: PLC0415  # the package reads no more than it needs
        found = get_executable()
    except ImportError:
        found = None
    if found is None or not Path(found).is_file():
        raise ProblemsError([Problem("mkdocs.yml", None, "found no Pagefind binary; expected the "
                                     "`pagefind[bin]` package installed (make install)")])
    return Path(found)


def page_text(data: bytes) -> str:
    """A page's file as the service is given it: text, as Pagefind's command line reads the same file
    (gzip-compressed HTML uncompressed; bytes that are not UTF-8 replaced, as its parser does)."""
    if data.startswith(_GZIP):
        with contextlib.suppress(OSError, EOFError):
            data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


class Service:
    """One `pagefind --service` process holding one index, given pages (`add`, from one thread; a page's
    answer is not waited for), then asked to write the index (`write`). Every failure (the process cannot
    start, dies, or answers an error) becomes a ProblemsError with Pagefind's own message, raised by
    `write` (or on starting)."""

    def __init__(self, config: dict, display: str) -> None:
        self._display = display
        # Its standard error (a panic's message) goes to a file, which never blocks it; closed in `close`.
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._process = subprocess.Popen([str(executable()), "--service"], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, stderr=self._errors)
        except OSError as error:
            self._errors.close()
            raise self._problem(f"cannot run Pagefind's service ({error})") from None
        self._answers: dict[int, dict] = {}
        self._failures: list[str] = []
        self._ended = False  # its output closed: it exited or died
        self._changed = threading.Condition()
        self._next_id = 0
        self._reader = threading.Thread(target=self._read, name="pagefind-answers", daemon=True)
        self._reader.start()
        answer = self._ask({"type": "NewIndex", "config": config})
        if answer.get("type") != "NewIndex":
            failure = self._failed("could not start an index")
            self.close()
            raise failure
        self._index = answer["index_id"]

    def add(self, url: str, data: bytes) -> None:
        """Give the service a page (its file's bytes) under its address; returns at once."""
        self._send({"type": "AddFile", "index_id": self._index, "url": url, "file_path": None,
                    "file_contents": page_text(data)})

    def files(self) -> dict[str, bytes]:
        """The index of every page given (after parsing them all), its files by name relative to the index's
        folder, then the service ended; ProblemsError if any page or the index failed, or the service died.
        Asked for rather than written by Pagefind (`WriteFiles`): the service writes through buffered
        asynchronous files and exits as soon as its input ends, which can leave a file it has just
        reported written empty."""
        try:
            answer = self._ask({"type": "GetFiles", "index_id": self._index})
            if answer.get("type") != "GetFiles" or self._failures:
                raise self._failed("could not index the site")
            found = {}
            for file in answer["files"]:
                name = PurePosixPath(file["path"])
                if name.is_absolute() or not name.parts or ".." in name.parts or str(name) in found:
                    raise self._problem(f"Pagefind named an index file {file['path']!r}")
                found[str(name)] = base64.b64decode(file["content"], validate=True)
            return found
        except (KeyError, TypeError, ValueError) as error:
            raise self._problem(f"Pagefind's index could not be read ({error})") from None
        finally:
            self.close()

    def close(self) -> None:
        """End the service (its input closed: it exits) and the thread reading it."""
        with contextlib.suppress(OSError):
            self._process.stdin.close()  # type: ignore[union-attr]
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        self._reader.join()
        self._process.stdout.close()  # type: ignore[union-attr]
        self._errors.close()

    # Messages and answers -------------------------------------------------------------------------------

    def _send(self, payload: dict) -> int:
        """Write a message (waiting only while the pipe is full); a service that died is seen by `_read`."""
        self._next_id += 1
        message = json.dumps({"message_id": self._next_id, "payload": payload}).encode("utf-8")
        try:
            self._process.stdin.write(base64.b64encode(message) + b",")  # type: ignore[union-attr]
            self._process.stdin.flush()  # type: ignore[union-attr]
        except (BrokenPipeError, ValueError):
            pass
        return self._next_id

    def _ask(self, payload: dict) -> dict:
        """Send a message and wait for its answer ({} if the service ended first)."""
        number = self._send(payload)
        with self._changed:
            self._changed.wait_for(lambda: number in self._answers or self._ended)
            return self._answers.pop(number, {})

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        pending = bytearray()  # an answer so far (the index's files: megabytes, in many reads)
        while chunk := stream.read1(1 << 20):
            start = 0
            while (end := chunk.find(b",", start)) >= 0:
                pending += chunk[start:end]
                self._answered(bytes(pending))
                pending.clear()
                start = end + 1
            pending += chunk[start:]
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def _answered(self, encoded: bytes) -> None:
        try:
            answer = json.loads(base64.b64decode(encoded))
            number, payload = answer.get("message_id"), answer["payload"]
        except (ValueError, KeyError, TypeError, AttributeError):
            number, payload = None, {"type": "Error", "message": f"an answer that is not Pagefind's: "
                                                                  f"{encoded[:200]!r}"}
        with self._changed:
            if payload.get("type") == "Error":
                self._failures.append(str(payload.get("message")))
            if number is not None and payload.get("type") != "IndexedFile":  # pages: only their errors count
                self._answers[number] = payload
            self._changed.notify_all()

    def _failed(self, what: str) -> ProblemsError:
        with self._changed:
            failures = list(self._failures)
            ended = self._ended
        if ended:  # its exit status, once it has exited
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._process.wait(timeout=10)
        self._errors.seek(0)
        printed = self._errors.read().decode("utf-8", errors="replace").strip()
        code = self._process.poll()
        said = "; ".join([*failures, *([printed] if printed else [])]) or "no message"
        status = f" (it exited with {code})" if code not in (None, 0) else ""
        return self._problem(f"Pagefind {what}{status}: {said}")

    def _problem(self, message: str) -> ProblemsError:
        return ProblemsError([Problem(self._display, None,
                                      f"{message}; expected a search index in the site")])


def file_bytes(path: Path) -> bytes | None:
    """A written page's bytes, None if it is gone."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None

