"""The job layer's one shared piece: finding the background jobs whose worker died.

Every procrastinate worker registers itself and sends a heartbeat (``procrastinate_workers``,
every ``update_heartbeat_interval`` = 10 s); a job in ``doing`` whose worker stopped sending them
(killed, out of memory, the machine restarted) would stay ``doing`` forever. ``fail_stalled_jobs``
ends such jobs ``failed`` in procrastinate and, in the same transaction, their domain objects (the
import, the batch) through the function each app's tasks module passes (``plans/tasks.py``,
``extracts/tasks.py``). The apps call it from a periodic task and before a retry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils.translation import gettext_noop
from procrastinate import sql
from procrastinate.contrib.django import app

# as procrastinate's own worker: a worker silent for 30 s (three missed heartbeats) is dead
STALLED_AFTER_S = 30.0
# the reason stored on a domain object whose worker died; translated when shown
INTERRUPTED = gettext_noop("interrupted: the worker process stopped")


def _stalled(task_name: str, seconds_since_heartbeat: float) -> list[dict]:
    return app.connector.execute_query_all(
        query=sql.queries["select_stalled_jobs_by_heartbeat"],
        queue=None,
        task_name=task_name,
        seconds_since_heartbeat=seconds_since_heartbeat,
    )


def _lock_still_doing(ids: list[int]) -> set[int]:
    """Of these jobs, those still ``doing`` that no other recovery is handling right now."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM procrastinate_jobs WHERE id = ANY(%s) AND status = 'doing' "
            "FOR UPDATE SKIP LOCKED",
            [ids],
        )
        return {row[0] for row in cursor.fetchall()}


def fail_stalled_jobs(
    *,
    task_names: Iterable[str],
    fail: Callable[[dict], bool],
    seconds_since_heartbeat: float = STALLED_AFTER_S,
) -> list[dict]:
    """Mark ``failed`` the jobs of these tasks left ``doing`` by a dead worker, and their objects.

    ``fail(args)`` fails the domain object of a job (its task's arguments) and says whether it
    was still unfinished; both change in one transaction. Returns the arguments of the jobs whose
    object was failed. Two recoveries at once each get a job at most once (row locks).
    """
    failed = []
    with transaction.atomic():
        rows = [row for name in task_names for row in _stalled(name, seconds_since_heartbeat)]
        locked = _lock_still_doing([row["id"] for row in rows]) if rows else set()
        for row in rows:
            if row["id"] not in locked:
                continue
            app.connector.execute_query(
                query=sql.queries["finish_job"], job_id=row["id"], status="failed", delete_job=False
            )
            args = json.loads(row["args"]) if isinstance(row["args"], str) else row["args"]
            if fail(args):
                failed.append(args)
    return failed
