"""One request to the real server and the three checks of every fuzz example (issue 20).

``Stack.send(probe)`` fails the example when the answer is a 5xx, when none arrives within
``FUZZ_TIMEOUT`` seconds (default 10), or when the gunicorn master died or one of its workers was
replaced (a crash: gunicorn starts a new worker, so the set of worker ids changes). The failure
message holds the exact method, URL and body, ready for curl.
"""

from __future__ import annotations

import http.client
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

TIMEOUT = float(os.environ.get("FUZZ_TIMEOUT", "10"))
TRACE = os.environ.get(
    "FUZZ_TRACE"
)  # a file: one line per answered probe (status, seconds, request)


@dataclass
class Probe:
    """A request as sent: ``pairs`` keep repeated names and their order."""

    method: str
    path: str
    pairs: list[tuple[str, str]] = field(default_factory=list)
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def target(self) -> str:
        query = urlencode(self.pairs, encoding="utf-8", errors="surrogatepass")
        return f"{self.path}?{query}" if query else self.path

    def describe(self, base_url: str) -> str:
        lines = [f"{self.method} {base_url}{self.target}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        if self.body is not None:
            shown = self.body[:4000]
            lines.append(f"body ({len(self.body)} bytes): {shown!r}")
        return "\n".join(lines)


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


@dataclass
class Stack:
    url: str
    process: subprocess.Popen
    log: Path
    workers: frozenset[int] = frozenset()
    surveyor_session: str = ""

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def worker_ids(self) -> frozenset[int]:
        """The master's living children (a crashed worker is a zombie until the master reaps it)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return frozenset()
        return frozenset(int(c) for c in children if _running(int(c)))

    def wait_ready(self, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log_tail()}")
            workers = self.worker_ids()
            if len(workers) == 2:
                try:
                    if self.raw(Probe("GET", "/healthz"), timeout=30).status == 200:
                        self.workers = self.worker_ids()
                        return
                except OSError:
                    pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn not ready after {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def raw(self, probe: Probe, *, timeout: float = TIMEOUT) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        started = time.monotonic()
        try:
            headers = {"Connection": "close", **probe.headers}
            connection.request(probe.method, probe.target, body=probe.body, headers=headers)
            response = connection.getresponse()
            body = response.read()
            return Answer(
                response.status, dict(response.getheaders()), body, time.monotonic() - started
            )
        finally:
            connection.close()

    def send(self, probe: Probe) -> Answer:
        """The answer to ``probe``; an AssertionError naming the request if a check fails."""
        __tracebackhide__ = True
        request = probe.describe(self.url)
        try:
            answer = self.raw(probe)
        except TimeoutError:
            raise AssertionError(f"no answer within {TIMEOUT} s to\n{request}") from None
        except (OSError, http.client.HTTPException) as exc:
            self.assert_alive(request)
            raise AssertionError(f"connection failed ({exc!r}) for\n{request}") from None
        self.assert_alive(request)
        if TRACE:
            with open(TRACE, "a", encoding="utf-8") as trace:
                trace.write(
                    f"{answer.status} {answer.seconds:.2f} {request[:300]!r} {answer.body[-200:]!r}\n"
                )
        if answer.status >= 500:
            raise AssertionError(
                f"HTTP {answer.status} for\n{request}\n"
                f"answer: {answer.body[:1500]!r}\nserver log:\n{self.log_tail(30)}"
            )
        return answer

    def assert_alive(self, request: str) -> None:
        __tracebackhide__ = True
        if self.process.poll() is not None:
            raise AssertionError(
                f"the gunicorn master died ({self.process.returncode}) after\n{request}\n"
                f"{self.log_tail()}"
            )
        now = self.worker_ids()
        if now != self.workers:
            before, deadline = self.workers, time.monotonic() + 10
            while len(self.worker_ids()) < len(self.workers) and time.monotonic() < deadline:
                time.sleep(0.1)  # report once, then keep fuzzing the replacement
            self.workers = self.worker_ids()
            raise AssertionError(
                f"a gunicorn worker died (workers were {sorted(before)}, then {sorted(now)}) "
                f"after\n{request}\nserver log:\n{self.log_tail()}"
            )


def _running(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")
