"""Stateless app nodes: rate limits and the image cache in a real redis-server, shared by two nodes."""

from __future__ import annotations

import pytest
from django.core.cache.backends.redis import RedisCache
from django.test import RequestFactory

from accounts import ratelimit
from wms.maps import image_cache


@pytest.fixture
def two_nodes(redis_url):
    """The Django caches of two app nodes: separate clients and connections, one Redis."""
    nodes = [RedisCache(redis_url, {"KEY_PREFIX": "portal"}) for _ in range(2)]
    nodes[0].clear()
    yield nodes
    nodes[0].clear()
    for node in nodes:
        node.close()


def test_a_rate_limit_counts_the_requests_of_every_node(two_nodes, monkeypatch):
    request = RequestFactory().get("/gmina-a/szukaj/", REMOTE_ADDR="203.0.113.7")
    rate = ratelimit.Rate(count=3, seconds=60)
    allowed = []
    for n in range(4):  # the client's requests alternate between the two nodes
        monkeypatch.setattr(ratelimit, "cache", two_nodes[n % 2])
        allowed.append(ratelimit.hit(request, "search", rate=rate).allowed)
    assert allowed == [True, True, True, False]


def test_a_map_drawn_on_one_node_is_served_by_the_other(two_nodes, monkeypatch):
    key = image_cache.image_key("layers", "bbox", 7)
    monkeypatch.setattr(image_cache, "_cache", lambda: two_nodes[0])
    image_cache.put_image(key, b"\x89PNG drawn on node 1")
    monkeypatch.setattr(image_cache, "_cache", lambda: two_nodes[1])
    assert image_cache.get_image(key) == b"\x89PNG drawn on node 1"
