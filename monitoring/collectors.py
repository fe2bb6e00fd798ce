"""Figures read from PostgreSQL when Prometheus scrapes: job queues and database connections.

Two queries per scrape, whatever the number of jobs: one over ``procrastinate_jobs`` (depth by queue
and status, the age of the oldest job waiting, failures by task), one over ``pg_stat_activity``.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import DatabaseError, connection
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

JOBS_SQL = """
SELECT j.queue_name, j.task_name, j.status::text, count(*),
       extract(epoch FROM now() - min(coalesce(j.scheduled_at, e.at)))
  FROM procrastinate_jobs j
  LEFT JOIN LATERAL (
       SELECT min(ev.at) AS at FROM procrastinate_events ev
        WHERE ev.job_id = j.id AND ev.type = 'deferred' AND j.status = 'todo'
  ) e ON true
 GROUP BY 1, 2, 3
"""
CONNECTIONS_SQL = """
SELECT coalesce(state, 'unknown'), count(*) FROM pg_stat_activity
 WHERE datname = current_database() GROUP BY 1
"""


def job_families(rows) -> list:
    depth = GaugeMetricFamily(
        "portal_jobs",
        "Jobs in procrastinate's table by queue and status",
        labels=["queue", "status"],
    )
    oldest = GaugeMetricFamily(
        "portal_jobs_oldest_todo_age_seconds",
        "Age of the oldest job waiting (todo) per queue",
        labels=["queue"],
    )
    failed = CounterMetricFamily(
        "portal_jobs_failed", "Failed jobs still in the table, by task", labels=["task"]
    )
    by_queue: dict[tuple[str, str], int] = defaultdict(int)
    ages: dict[str, float] = {}
    failures: dict[str, int] = defaultdict(int)
    for queue, task, status, count, age in rows:
        by_queue[(queue, status)] += count
        if status == "todo":
            ages[queue] = max(ages.get(queue, 0.0), float(age or 0.0))
        if status == "failed":
            failures[task] += count
    for (queue, status), count in sorted(by_queue.items()):
        depth.add_metric([queue, status], count)
    for queue, age in sorted(ages.items()):
        oldest.add_metric([queue], age)
    for task, count in sorted(failures.items()):
        failed.add_metric([task], count)
    return [depth, oldest, failed]


class DatabaseCollector(Collector):
    """Registered in a registry of its own: asked only by /metrics, never by the workers."""

    def collect(self):
        up = GaugeMetricFamily("portal_database_up", "1 when the scrape could read the database")
        try:
            with connection.cursor() as cursor:
                cursor.execute(JOBS_SQL)
                jobs = cursor.fetchall()
                cursor.execute(CONNECTIONS_SQL)
                connections = cursor.fetchall()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from job_families(jobs)
        conns = GaugeMetricFamily(
            "portal_database_connections",
            "Connections to this database by state (pg_stat_activity)",
            labels=["state"],
        )
        for state, count in connections:
            conns.add_metric([state], count)
        yield conns
