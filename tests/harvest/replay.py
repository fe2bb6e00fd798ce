"""A local WFS 2.0 that replays recorded answers (fixtures/register/replay) over real HTTP.

``GetCapabilities`` answers ``capabilities.xml``; ``GetFeature`` answers ``<type>_<STARTINDEX>.xml``
of the type named in TYPENAMES. ``{base}`` in a file becomes the server's address. ``fail`` makes
one page (``fail_page``: type and start index) answer badly: ``500``, ``exception`` (an
ows:ExceptionReport), ``truncate`` (the body cut in half), ``slow`` (later than the client waits),
``count`` (numberReturned not matching the members). ``replace`` rewrites every answer.
"""

from __future__ import annotations

import contextlib
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.conftest import fixture_path

EXCEPTION = (
    b'<?xml version="1.0"?><ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" '
    b'version="2.0.0"><ows:Exception exceptionCode="OperationProcessingFailed">'
    b"<ows:ExceptionText>database unavailable</ows:ExceptionText></ows:Exception>"
    b"</ows:ExceptionReport>"
)


class Replay(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, folder: Path):
        super().__init__(("127.0.0.1", 0), Handler)
        self.folder = folder
        self.fail: str | None = None
        self.fail_page = ("StrefaPlanistyczna", "2")
        self.replace: dict[str, str] = {}
        self.requests: list[dict[str, str]] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/wfs"


class Handler(BaseHTTPRequestHandler):
    server: Replay

    def log_message(self, *args) -> None:
        return None

    def do_GET(self) -> None:
        query = {k.upper(): v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
        self.server.requests.append(query)
        if query.get("REQUEST") == "GetCapabilities":
            return self.answer(self.recorded("capabilities.xml"))
        name = query.get("TYPENAMES", "").rsplit(":", 1)[-1]
        start = query.get("STARTINDEX", "0")
        body = self.recorded(f"{name}_{start}.xml")
        if (name, start) == self.server.fail_page and self.server.fail:
            return self.failing(body)
        return self.answer(body)

    def recorded(self, name: str) -> bytes:
        text = (self.server.folder / name).read_text(encoding="utf-8")
        text = text.replace("{base}", self.server.base)
        for old, new in self.server.replace.items():
            text = text.replace(old, new)
        return text.encode()

    def failing(self, body: bytes) -> None:
        fail = self.server.fail
        if fail == "500":
            return self.answer(b"Internal Server Error", status=500, kind="text/plain")
        if fail == "exception":
            return self.answer(EXCEPTION)
        if fail == "truncate":
            return self.answer(body[: len(body) // 2])
        if fail == "count":
            return self.answer(body.replace(b'numberReturned="1"', b'numberReturned="2"'))
        if fail == "slow":
            time.sleep(2.0)
            return self.answer(body)
        raise AssertionError(fail)

    def answer(self, body: bytes, *, status: int = 200, kind: str = "application/xml") -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


def start_replay() -> Replay:
    server = Replay(fixture_path("register", "replay"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
