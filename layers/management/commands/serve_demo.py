"""``manage.py serve_demo ADDR:PORT``: Django's runserver for ``make demo``, without a Server header.

runserver answers every request with ``Server: WSGIServer/0.2 CPython/3.11.7`` (wsgiref's
ServerHandler writes it, and http.server's own error pages send it too): the exact Python version
to anybody who asks. ``serve_demo`` takes the same options (scripts/serve.sh passes ``--noreload
--insecure`` so static files are served) and runs the same server with a request handler that
names no software. Production runs gunicorn behind nginx, which says nothing either.
"""

from __future__ import annotations

from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.servers.basehttp import ServerHandler, WSGIRequestHandler, WSGIServer


class QuietServerHandler(ServerHandler):
    server_software = None  # wsgiref then writes no Server header


class QuietRequestHandler(WSGIRequestHandler):
    server_version = "PlanPortal"  # what the WSGI environ's SERVER_SOFTWARE says
    sys_version = ""

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() != "server":  # http.server's own answers (400, 414, …)
            super().send_header(keyword, value)

    def handle_one_request(self) -> None:
        """Django's ``WSGIRequestHandler.handle_one_request`` with the quiet ServerHandler."""
        self.raw_requestline = self.rfile.readline(65537)
        if len(self.raw_requestline) > 65536:
            self.requestline = ""
            self.request_version = ""
            self.command = ""
            self.send_error(414)
            return
        if not self.parse_request():  # an error answer has been sent
            return
        handler = QuietServerHandler(self.rfile, self.wfile, self.get_stderr(), self.get_environ())
        handler.request_handler = self  # back-pointer for logging and closing the connection
        handler.run(self.server.get_app())


class QuietWSGIServer(WSGIServer):
    """Django's WSGIServer with ``QuietRequestHandler`` (runserver always passes its own)."""

    def __init__(self, server_address, _handler_class=None, **kwargs) -> None:
        super().__init__(server_address, QuietRequestHandler, **kwargs)


class Command(RunserverCommand):
    help = "Serve the demo like runserver, without naming the server software or Python version."
    server_cls = QuietWSGIServer
