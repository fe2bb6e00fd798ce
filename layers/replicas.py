"""Which database a request reads from: the primary or a hot standby (docs/deploy.md, "Standbys").

``DATABASE_REPLICA_URLS`` gives the standbys (Django aliases ``replica_0``, ``replica_1``, …). The
WSGI wrapper ``gis_portal.routing.ReplicaReads`` decides per request whether its reads may go to a
standby and sets ``read_alias`` for the request; the database router (``gis_portal.routing``), the
catalogue generation (``wms.core.generation``) and the Mapnik renderer (``wms.maps.render``) all read
from ``current_read_alias()``. Outside a request (jobs, management commands, tests) it is the primary.

A standby is used only while it is healthy: in recovery (still a standby, not promoted), reachable,
and replaying within ``REPLICA_MAX_LAG_SECONDS`` of what it has received. Each process checks a
standby at most every ``REPLICA_CHECK_SECONDS`` (a short connection of its own, one query); a request
that failed on a standby checks it again at once (``recheck``). A skipped standby comes back by
itself at the first check that finds it healthy.
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from dataclasses import dataclass

import psycopg
from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

PRIMARY = "default"

# Lag: nothing received and not yet replayed means current (an idle primary writes nothing, so
# "now - last replayed commit" alone would call an up-to-date standby late); otherwise the age of
# the last replayed commit.
HEALTH_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0.0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
       END::float8
"""

read_alias: contextvars.ContextVar[str] = contextvars.ContextVar("read_alias", default=PRIMARY)


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", []))


def current_read_alias() -> str:
    """The database this request reads from (the primary outside a request)."""
    return read_alias.get()


@dataclass
class Health:
    healthy: bool = False
    checked: float = float("-inf")
    reason: str = "not checked yet"


class Monitor:
    """Per process: the last health check of each standby, repeated when older than the setting."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.states: dict[str, Health] = {}
        self.checks = 0  # health queries made (tests look at it)

    def is_healthy(self, alias: str, *, force: bool = False) -> bool:
        every = float(getattr(settings, "REPLICA_CHECK_SECONDS", 5.0))
        with self.lock:
            state = self.states.setdefault(alias, Health())
            if not force and time.monotonic() - state.checked < every:
                return state.healthy
            state.checked = time.monotonic()  # other threads keep the last answer meanwhile
        healthy, reason = self.check(alias)
        with self.lock:
            if healthy != state.healthy:
                logger.warning("standby %s %s", alias, "back in use" if healthy else reason)
            state.healthy, state.reason, state.checked = healthy, reason, time.monotonic()
        return healthy

    def check(self, alias: str) -> tuple[bool, str]:
        self.checks += 1
        params = connections[alias].get_connection_params()
        for key in ("cursor_factory", "server_side_binding", "prepare_threshold", "options"):
            params.pop(key, None)
        timeout = int(getattr(settings, "REPLICA_CONNECT_TIMEOUT", 2))
        try:
            with psycopg.connect(**params, autocommit=True, connect_timeout=timeout) as conn:
                in_recovery, lag = conn.execute(HEALTH_SQL).fetchone()
        except (psycopg.Error, OSError) as exc:
            return False, f"unreachable ({exc.__class__.__name__}: {str(exc).strip()[:200]})"
        if not in_recovery:
            return False, "is not in recovery (promoted?): skipped until it is a standby again"
        max_lag = float(getattr(settings, "REPLICA_MAX_LAG_SECONDS", 30.0))
        if lag > max_lag:
            return False, f"lags {lag:.1f} s (REPLICA_MAX_LAG_SECONDS={max_lag:g})"
        return True, "healthy"

    def forget(self) -> None:
        with self.lock:
            self.states.clear()


monitor = Monitor()


def choose_read_alias() -> str:
    """A healthy standby (at random among them), or the primary when none is."""
    aliases = replica_aliases()
    if not aliases:
        return PRIMARY
    healthy = [alias for alias in aliases if monitor.is_healthy(alias)]
    return random.choice(healthy) if healthy else PRIMARY


def recheck(alias: str) -> bool:
    """After a failure on ``alias``: is it still healthy? (checked now, not from the last check)"""
    return alias != PRIMARY and monitor.is_healthy(alias, force=True)


class ReadConnection:
    """Django's connection of the database this request reads from (for raw read-only SQL)."""

    def __getattr__(self, name: str):
        return getattr(connections[read_alias.get()], name)


read_connection = ReadConnection()
