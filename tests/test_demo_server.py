"""The demo server (``manage.py serve_demo``, run by scripts/serve.sh) names no software or version."""

from __future__ import annotations

import http.client
import socket
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.servers.basehttp import WSGIRequestHandler, WSGIServer

from layers.management.commands.serve_demo import Command, QuietWSGIServer


def serving(server_cls):
    """Start ``server_cls`` on a free local port with serve_demo's application (static files too)."""
    command = Command()
    server = server_cls(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(command.get_handler(insecure_serving=True, use_static_handler=True))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def answer(server, raw: bytes | None = None) -> tuple[int, dict[str, str]]:
    host, port = server.server_address
    if raw is not None:  # a malformed request: http.server's own error answer
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(raw)
            head = sock.recv(65536).decode("latin-1").split("\r\n\r\n", 1)[0].split("\r\n")
        headers = dict(line.split(": ", 1) for line in head[1:] if ": " in line)
        return int(head[0].split()[1]), headers
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", settings.STATIC_URL + "img/favicon.svg")
    response = connection.getresponse()
    response.read()
    connection.close()
    return response.status, dict(response.getheaders())


@pytest.fixture
def quiet():
    server = serving(QuietWSGIServer)
    yield server
    server.shutdown()
    server.server_close()


def test_plain_runserver_tells_its_python_version():
    server = serving(WSGIServer)
    try:
        _status, headers = answer(server)
        assert "CPython/" in headers["Server"]
    finally:
        server.shutdown()
        server.server_close()


def test_the_demo_server_sends_no_server_header(quiet):
    status, headers = answer(quiet)
    assert status == 200
    assert "Server" not in headers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (b"GET / HTTP/1.1\r\n" + b"X-A: b\r\n" * 101 + b"\r\n", 431),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_its_own_error_answers_send_none_either(quiet, raw, expected):
    status, headers = answer(quiet, raw=raw)
    assert status == expected
    assert "Date" in headers and "Server" not in headers


def test_the_demo_script_runs_it():
    script = (Path(settings.BASE_DIR) / "scripts" / "serve.sh").read_text()
    assert "manage.py serve_demo --noreload --insecure" in script
    assert "runserver --" not in script
