"""Real engines for the scale-out tests: a hot standby of the test cluster and a redis-server.

The standby is a ``pg_basebackup -R`` of the cluster that holds the test database, started on a free
port in a temporary folder (as the user postgres when the tests run as root). It is added to Django
as ``replica_0`` (a test mirror of ``default``: never flushed nor migrated). The test cluster must
allow replication connections from 127.0.0.1 (a cluster from ``initdb -A trust`` does) and have
wal_level replica (PostgreSQL's default). A missing binary skips these tests, saying which.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connections, transaction

from layers.replicas import monitor
from wms.maps.render import clear_map_cache

PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
ALIAS = "replica_0"
SLOT_PREFIX = "portal_test_standby_"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """``args`` as the user postgres when running as root (PostgreSQL refuses to run as root)."""
    if os.geteuid() == 0:
        args = ["runuser", "-u", "postgres", "--", *args]
    done = subprocess.run(args, capture_output=True, text=True, check=False, **kwargs)
    if done.returncode:
        pytest.fail(f"{' '.join(args)} failed: {done.stderr or done.stdout}")
    return done


def require(*paths: Path | str) -> None:
    for path in paths:
        if not (Path(path).exists() or shutil.which(str(path))):
            pytest.skip(f"{path} is not installed (scripts/setup.sh installs it)")


@dataclass
class Server:
    data: Path
    port: int
    log: Path

    def start(self) -> None:
        try:
            as_postgres(
                [
                    str(PGBIN / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-l",
                    str(self.log),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            )
        except pytest.fail.Exception:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            pytest.fail(f"PostgreSQL in {self.data} did not start:\n{log}")

    def stop(self, mode: str = "fast", *, missing_ok: bool = False) -> None:
        if missing_ok and not (self.data / "postmaster.pid").exists():
            return
        as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"])

    def restart(self, mode: str = "fast") -> None:
        """``pg_ctl restart``: every connection to it is cut, then it takes new ones."""
        pg_ctl = [str(PGBIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w"]
        as_postgres([*pg_ctl, "-m", mode, "restart"])

    def connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname, autocommit=True
        )


def postgres_folder(name: str) -> Path:
    """A folder of its own in /tmp (pytest's are private to root; postgres must reach this one)."""
    folder = Path(tempfile.mkdtemp(prefix=f"portal-{name}-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
        folder.chmod(0o700)
    return folder


def configure(data: Path, *, port: int, socket_dir: Path, extra: str = "") -> None:
    settings = (
        f"\nport = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{socket_dir}'\n"
        "logging_collector = off\narchive_mode = off\nhot_standby_feedback = on\n"
        # a throwaway copy: no flushing, no syncing of the folder at start
        "fsync = off\n" + extra
    )
    as_postgres(["sh", "-c", f"cat >> {data}/postgresql.auto.conf"], input=settings)


# a standby must allow at least as much as its primary (the test cluster may run with more)
LIMITS = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


def primary_limits() -> str:
    with connections["default"].cursor() as cursor:
        values = []
        for name in LIMITS:
            cursor.execute("SELECT current_setting(%s)", [name])
            values.append(f"{name} = {cursor.fetchone()[0]}\n")
    return "".join(values)


def drop_slots(*, name: str | None = None, active: bool | None = None) -> None:
    """The test standbys' replication slots on the primary (a forgotten one keeps WAL forever)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
            " WHERE slot_name LIKE %s AND (%s::text IS NULL OR slot_name = %s)"
            " AND (%s::boolean IS NULL OR active = %s)",
            [SLOT_PREFIX + "%", name, name, active, active],
        )


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker, tmp_path_factory):
    """A running hot standby of the test database's cluster, known to Django as ``replica_0``."""
    require(PGBIN / "pg_basebackup", PGBIN / "pg_ctl")
    primary = connections["default"].settings_dict
    slot = f"{SLOT_PREFIX}{os.getpid()}"
    with django_db_blocker.unblock():
        limits = primary_limits()
        drop_slots(active=False)  # left by a test run that was killed
    folder = postgres_folder("standby")
    data = folder / "data"
    as_postgres(
        [
            str(PGBIN / "pg_basebackup"),
            *("-h", primary["HOST"] or "127.0.0.1", "-p", str(primary["PORT"] or 5432)),
            *(
                "-U",
                primary["USER"] or "postgres",
                "-D",
                str(data),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
            ),
            *("-C", "-S", slot, "--no-sync"),  # the slot keeps the WAL the standby has not received
        ]
    )
    server = Server(data=data, port=free_port(), log=folder / "log")
    configure(data, port=server.port, socket_dir=folder, extra=limits)
    try:
        server.start()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        with django_db_blocker.unblock():
            drop_slots(name=slot)
        raise
    replica = {**primary, "HOST": "127.0.0.1", "PORT": server.port, "TEST": {"MIRROR": "default"}}
    connections.settings[ALIAS] = replica
    try:
        yield server
    finally:
        connections[ALIAS].close()
        del connections.settings[ALIAS]
        server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)
        with django_db_blocker.unblock():
            drop_slots(name=slot)


@pytest.fixture
def on_standby(standby, settings, world):
    """Settings of one standby in use; the test data replayed on it before the test starts."""
    settings.DATABASE_REPLICAS = [ALIAS]
    settings.REPLICA_CHECK_SECONDS = 0.0
    settings.REPLICA_MAX_LAG_SECONDS = 3600.0
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    monitor.forget()
    clear_map_cache()
    wait_for_replay(standby)
    yield standby
    resume_replay(standby)
    connections[ALIAS].close()
    clear_map_cache()  # loaded Mapnik maps hold connections to the test database
    monitor.forget()


def primary_lsn() -> str:
    """Where the primary's WAL ends, every transaction committed so far included.

    The test cluster commits asynchronously (``synchronous_commit = off``, as scripts/setup.sh sets
    it up for speed): a COMMIT returns before its WAL record is written, and until the WAL writer
    writes it (within ``wal_writer_delay``) ``pg_current_wal_lsn()`` may still point before it, so
    a standby "replayed up to it" would not have the commit yet. So one synchronous commit first
    flushes all WAL up to its own record, the earlier commits with it. It must write WAL (a
    transactional message): a transaction that wrote none commits asynchronously whatever the
    setting, and flushes nothing.
    """
    with transaction.atomic(using="default"), connections["default"].cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = on")
        cursor.execute("SELECT pg_logical_emit_message(true, 'portal_test', 'flush')")
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


def wait_for_replay(server: Server, *, timeout: float = 20.0) -> None:
    """Until the standby has replayed everything the primary has committed so far."""
    target = primary_lsn()
    dbname = connections["default"].settings_dict["NAME"]
    deadline = time.monotonic() + timeout
    with server.connect(dbname) as conn:
        while True:
            done = conn.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]
            ).fetchone()[0]
            if done:
                return
            if time.monotonic() > deadline:
                pytest.fail(f"the standby did not replay up to {target} in {timeout} s")
            time.sleep(0.05)


def pause_replay(server: Server) -> None:
    with server.connect("postgres") as conn:
        conn.execute("SELECT pg_wal_replay_pause()")


def resume_replay(server: Server) -> None:
    with server.connect("postgres") as conn:
        conn.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real redis-server on a Unix socket of its own (no TCP port, nothing saved)."""
    require("redis-server")
    folder = tmp_path_factory.mktemp("redis")
    sock = folder / "redis.sock"
    process = subprocess.Popen(
        [shutil.which("redis-server"), "--port", "0", "--unixsocket", str(sock), "--save", ""],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not sock.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.02)
    yield f"unix://{sock}"
    process.terminate()
    process.wait(timeout=10)
