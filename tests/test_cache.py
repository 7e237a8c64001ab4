"""The disk cache of online answers: hits, ages, expiry, damage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from kommunestrategi import config
from kommunestrategi.io.cache import DiskCache, describe_age


def test_put_then_get_returns_bytes_url_and_age():
    cache = DiskCache()
    t0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    cache.put("ssb 07459", b"payload", url="https://example/x", fetched_at=t0)
    entry = cache.get("ssb 07459", now=t0 + timedelta(hours=3))
    assert entry.data == b"payload" and entry.url == "https://example/x"
    assert entry.age(t0 + timedelta(hours=3)) == timedelta(hours=3)
    assert cache.root.is_relative_to(config.data_dir() / "cache")


def test_entries_older_than_max_age_are_not_fresh_but_still_readable():
    cache = DiskCache(max_age=timedelta(days=1))
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    cache.put("k", b"x", fetched_at=t0)
    later = t0 + timedelta(days=2)
    assert cache.get("k", now=later) is None
    assert cache.get("k", max_age=None, now=later).data == b"x"
    assert cache.get("k", max_age=timedelta(days=3), now=later) is not None


def test_missing_and_damaged_entries_count_as_absent():
    cache = DiskCache()
    assert cache.get("nothing") is None
    cache.put("k", b"abc")
    data_path, meta_path = cache._paths("k")
    data_path.write_bytes(b"ab")  # truncated payload: size no longer matches
    assert cache.get("k") is None
    meta_path.write_text("{broken")
    assert cache.get("k") is None


def test_replace_list_and_clear():
    cache = DiskCache(namespace="test")
    cache.put("a", b"1")
    cache.put("a", b"2")
    cache.put("b", b"3")
    assert cache.get("a").data == b"2"
    assert sorted(e.key for e in cache.entries()) == ["a", "b"]
    assert cache.clear() == 2 and list(cache.entries()) == []


def test_age_in_words_in_each_language():
    assert describe_age(timedelta(seconds=5), "en") == "just now"
    assert describe_age(timedelta(minutes=12), "nb") == "for 12 min siden"
    assert describe_age(timedelta(hours=3), "en") == "3 h ago"
    assert describe_age(timedelta(days=9), "sv") == "för 9 dagar sedan"


def test_times_are_shown_in_norwegian_local_time():
    from kommunestrategi.io.cache import local_time

    winter = local_time(datetime(2026, 11, 23, 19, 21, tzinfo=UTC))
    summer = local_time(datetime(2026, 6, 23, 19, 21, tzinfo=UTC))
    assert (winter.hour, summer.hour) == (20, 21)
