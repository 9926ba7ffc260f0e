"""The Redis cache backend against a real Redis: Django's behaviour, one client per pool."""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit

import pytest

from delaktig.core.cache_backend import DelaktigRedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    parts = urlsplit(REDIS_URL)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_reachable(), reason="ingen Redis på 127.0.0.1:6379")


def test_behaves_like_djangos_redis_cache_and_reuses_its_client() -> None:
    cache = DelaktigRedisCache(REDIS_URL, {"KEY_PREFIX": f"delaktig-test-{os.getpid()}"})
    try:
        assert cache.get("saknas", "standard") == "standard"
        cache.set("dialog", {"rubrik": "Parken", "id": 7}, 30)
        assert cache.get("dialog") == {"rubrik": "Parken", "id": 7}
        assert cache.add("generation", 1, None)
        assert not cache.add("generation", 5, None)
        assert cache.incr("generation") == 2
        with pytest.raises(ValueError):
            cache.incr("finns-inte")
        client = cache._cache.get_client()
        assert cache._cache.get_client(write=True) is client
        assert cache.get_many(["dialog", "generation"]) == {
            "dialog": {"rubrik": "Parken", "id": 7},
            "generation": 2,
        }
    finally:
        cache.delete_many(["dialog", "generation"])
        cache.close()


def test_count_hits_counts_every_key_once_in_one_round_trip_and_sets_their_lifetime() -> None:
    cache = DelaktigRedisCache(REDIS_URL, {"KEY_PREFIX": f"delaktig-test-{os.getpid()}"})
    keys = [("rl:session", 60), ("rl:ip", 3600)]
    try:
        assert cache.count_hits(keys) == [1, 1]
        assert cache.count_hits(keys) == [2, 2]
        assert cache.count_hits([("rl:ip", 10)]) == [3]
        client = cache._cache.get_client()
        # The first hit set the lifetime; a later one with another period does not move it.
        assert 3500 < client.ttl(cache.make_and_validate_key("rl:ip")) <= 3600
        assert 0 < client.ttl(cache.make_and_validate_key("rl:session")) <= 60
        # Django's own get() reads the counters (stored as plain integers).
        assert cache.get("rl:session") == 2
    finally:
        cache.delete_many([key for key, _seconds in keys])
        cache.close()
