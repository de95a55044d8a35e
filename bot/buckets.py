"""One aiolimiter bucket per key (a chat, a person), forgotten once it has drained.

Used by the outbound path (a bucket per chat) and the flood guard (a bucket per person).
"""

from __future__ import annotations

from collections.abc import Callable

from aiolimiter import AsyncLimiter

KEPT = 10_000
"""Buckets kept before the drained ones are dropped."""


class KeyedBuckets:
    """``buckets(key)`` → that key's bucket, made by ``make(key)`` the first time."""

    def __init__(self, make: Callable[[int], AsyncLimiter], kept: int = KEPT) -> None:
        self._make = make
        self._kept = kept
        self._buckets: dict[int, AsyncLimiter] = {}

    def __call__(self, key: int) -> AsyncLimiter:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self._kept:
                # a drained bucket remembers nothing: dropping it changes no decision
                self._buckets = {
                    k: b for k, b in self._buckets.items() if not b.has_capacity(b.max_rate)
                }
            bucket = self._buckets[key] = self._make(key)
        return bucket
