"""The catalogue generation of this process, kept current by LISTEN/NOTIFY instead of a query.

Database triggers (wms/migrations/0001, 0002) move ``wms_catalogue_generation.n`` in the same
transaction as any change of a layer (its ``data_version`` is bumped by every import), a gmina or a
plan, and NOTIFY the channel ``wms_catalogue``; PostgreSQL delivers the notification when that
transaction commits. Every OGC request needs the generation (the catalogue snapshot and the map
cache are keyed on it), so reading it with a query each time cost more than the rest of a cached
GetMap.

``current_generation()`` keeps, per process, one extra autocommit connection that LISTENs. Each call
sends it an empty query: a round trip with nothing to parse, plan or read. PostgreSQL (15 and later)
signals the listeners before it acknowledges a COMMIT and sends pending notifications before it
answers the next query, so a request that starts after a commit returned always sees its
notification, and only then is ``n`` read again. Nothing stale is used, not even for the writer's
own next request.

On a hot standby (anonymous reads, layers/replicas.py) NOTIFY never arrives: there the generation
is read with a query of the standby itself on every call; the row replays in the same transaction as
the data, so it is exactly the generation of what that standby serves.

Inside a transaction of Django's connection (a view that wraps its work in ``atomic``, the test
suite) the generation is read through that connection, which sees its own uncommitted changes.
``WMS_CATALOGUE_LISTEN = False`` (for a pooler in transaction mode, where LISTEN does not work)
reads it with a query on every call. Any failure of the extra connection closes it; the call falls
back to the query and the next one reconnects.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading

import psycopg
from django.conf import settings
from django.db import DatabaseError, connection, connections
from psycopg import pq

from layers.replicas import PRIMARY, current_read_alias

logger = logging.getLogger(__name__)

CHANNEL = "wms_catalogue"
READ_SQL = "SELECT n FROM wms_catalogue_generation WHERE id = 1"


def read_generation(*, using: str = PRIMARY) -> int:
    """The generation through Django's connection (sees this thread's own transaction)."""
    with connections[using].cursor() as cursor:
        cursor.execute(READ_SQL)
        return int(cursor.fetchone()[0])


def listener_params() -> dict:
    """Django's connection parameters for a plain autocommit psycopg connection of its own."""
    params = connection.get_connection_params()
    for key in ("cursor_factory", "server_side_binding", "prepare_threshold"):
        params.pop(key, None)
    return {**params, "autocommit": True}


class GenerationWatch:
    """One LISTENing connection per process and the last generation read on it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.conn: psycopg.Connection | None = None
        self.pid = 0
        self.database = ""  # Django's database when connected (the test runner switches it)
        self.value: int | None = None
        self.reads = 0  # queries of ``n`` made on the listening connection (tests look at it)

    def current(self) -> int | None:
        """The generation, or None when the listening connection cannot be used now."""
        with self.lock:
            try:
                if (
                    self.conn is None
                    or self.pid != os.getpid()
                    or self.database != connection.settings_dict["NAME"]
                ):
                    self._connect()
                elif self._notified():
                    self._read()
                return self.value
            except (psycopg.Error, OSError, ValueError) as exc:
                logger.warning("catalogue LISTEN connection lost (%s); reading with a query", exc)
                self._drop()
                return None

    def close(self) -> None:
        with self.lock:
            self._drop()

    def _connect(self) -> None:
        if self.conn is not None and self.pid != os.getpid():
            # inherited from the parent over fork: its socket is the parent's, never close it here
            _inherited.append(self.conn)
            self.conn = None
        self._drop()
        self.conn = psycopg.connect(**listener_params())
        self.pid = os.getpid()
        self.database = connection.settings_dict["NAME"]
        self.conn.execute(f"LISTEN {CHANNEL}")
        self._read()  # after LISTEN: a change committed from now on is also notified

    def _notified(self) -> bool:
        """Round trip on the listening connection; True when a change was notified."""
        pgconn = self.conn.pgconn
        result = pgconn.exec_(b"")
        if result.status != pq.ExecStatus.EMPTY_QUERY or pgconn.status != pq.ConnStatus.OK:
            raise psycopg.OperationalError(pgconn.get_error_message() or "connection not OK")
        seen = False
        while pgconn.notifies() is not None:
            seen = True
        return seen

    def _read(self) -> None:
        pgconn = self.conn.pgconn
        result = pgconn.exec_(READ_SQL.encode())
        if result.status != pq.ExecStatus.TUPLES_OK or result.ntuples != 1:
            raise psycopg.OperationalError(pgconn.get_error_message() or "no generation row")
        # notifications that came with this answer stay queued: the next call reads again
        self.value = int(result.get_value(0, 0))
        self.reads += 1

    def _drop(self) -> None:
        conn, self.conn, self.value = self.conn, None, None
        if conn is not None and self.pid == os.getpid():
            with contextlib.suppress(psycopg.Error):
                conn.close()


_inherited: list[psycopg.Connection] = []
watch = GenerationWatch()


def current_generation() -> int:
    """The catalogue generation now (see the module docstring); raises DatabaseError if unknown.

    On a standby (the request reads from one: layers/replicas.py) LISTEN cannot work and a change
    arrives by replay: the generation is read there with a query, so it is the generation of the
    data that standby serves, never newer, never older.
    """
    alias = current_read_alias()
    if alias != PRIMARY:
        try:
            return read_generation(using=alias)
        except DatabaseError:
            connections[alias].close()
            raise
    if getattr(settings, "WMS_CATALOGUE_LISTEN", True) and not connection.in_atomic_block:
        value = watch.current()
        if value is not None:
            return value
    try:
        return read_generation()
    except DatabaseError:
        connection.close()  # Django opens a new connection for the request that follows
        raise
