"""aiogram FSM storage persisted in the ``fsm`` table, so a restart resumes conversations.

Hot path: reads are served from a bounded in-memory LRU cache (negative entries included);
every write is one UPSERT of the whole record (or one DELETE when it becomes empty: no
state, no data), preceded by a read only the first time a key is seen; a write that would not
change the record is skipped. The cache is updated
*before* the write is queued, so cache order = call order = write order.
The cache assumes this process is the only writer of the ``fsm`` table.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State
from aiogram.fsm.storage.base import (
    BaseStorage,
    DefaultKeyBuilder,
    KeyBuilder,
    StateType,
    StorageKey,
)

from storage._time import to_db
from storage.database import Database

_EMPTY = "{}"


def _dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class SQLiteStorage(BaseStorage):
    def __init__(
        self,
        db: Database,
        *,
        key_builder: KeyBuilder | None = None,
        cache_size: int = 10_000,
        json_dumps: Callable[[Mapping[str, Any]], str] = _dumps,
        json_loads: Callable[[str], Any] = json.loads,
        close_db: bool = False,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        """``close_db``: close the Database on :meth:`close` (the dispatcher calls it at
        shutdown); leave False when the Database is shared with the repositories. ``now``: the
        clock of the row's ``updated_at`` (what :meth:`expire` compares)."""
        self.db = db
        self._now = now or (lambda: datetime.now(UTC))
        self.key_builder = key_builder or DefaultKeyBuilder(
            with_bot_id=True, with_business_connection_id=True, with_destiny=True
        )
        self.cache_size = cache_size
        self._dumps = json_dumps
        self._loads = json_loads
        self._close_db = close_db
        # key -> (state, data as JSON text); JSON text so readers get fresh copies.
        self._cache: OrderedDict[str, tuple[str | None, str]] = OrderedDict()

    # -- cache ---------------------------------------------------------------
    def _remember(self, key: str, record: tuple[str | None, str]) -> None:
        self._cache[key] = record
        self._cache.move_to_end(key)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def _record(self, key: str) -> tuple[str | None, str]:
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        row = await self.db.fetchone("SELECT state, data FROM fsm WHERE key = ?", (key,))
        record = (None, _EMPTY) if row is None else (row["state"], row["data"])
        if key not in self._cache:  # a write that raced this read wins
            self._remember(key, record)
        return self._cache.get(key, record)

    async def _write(self, key: str, record: tuple[str | None, str]) -> None:
        """Update the cache now, then persist with a single statement.

        A write that changes nothing (``state.clear()`` of an empty record, the same state set
        again) is not sent to the database: the cache already mirrors the row.
        """
        if self._cache.get(key) == record:
            self._cache.move_to_end(key)
            return
        self._remember(key, record)
        state, data = record
        params: tuple[str | None, ...]
        if state is None and data == _EMPTY:
            sql, params = "DELETE FROM fsm WHERE key = ?", (key,)
        else:
            sql = (
                "INSERT INTO fsm (key, state, data, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET state = excluded.state, data = excluded.data, "
                "updated_at = excluded.updated_at"
            )
            params = (key, state, data, to_db(self._now()))
        try:
            await self.db.execute(sql, params)
        except BaseException:
            self._cache.pop(key, None)  # outcome unknown: re-read next time
            raise

    def _key(self, key: StorageKey) -> str:
        return self.key_builder.build(key)

    # -- BaseStorage -------------------------------------------------------------
    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        db_key = self._key(key)
        # The current record is known (cache hit) except on the first touch of a key.
        _, data = await self._record(db_key)
        await self._write(db_key, (name, data))

    async def get_state(self, key: StorageKey) -> str | None:
        return (await self._record(self._key(key)))[0]

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        if not isinstance(data, dict):
            msg = f"Data must be a dict or dict-like object, got {type(data).__name__}"
            raise DataNotDictLikeError(msg)
        db_key = self._key(key)
        text = self._dumps(data)
        state, _ = await self._record(db_key)
        await self._write(db_key, (state, text))

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        data = self._loads((await self._record(self._key(key)))[1])
        return data if isinstance(data, dict) else {}

    async def expire(self, before: datetime) -> int:
        """Forget every conversation last written before ``before`` (state and data): what a
        person typed into a conversation they left is not kept. Returns how many."""
        rows = await self.db.fetchall(
            "DELETE FROM fsm WHERE updated_at < ? RETURNING key", (to_db(before),)
        )
        for row in rows:
            self._cache.pop(row["key"], None)
        return len(rows)

    async def close(self) -> None:
        self._cache.clear()
        if self._close_db:
            await self.db.close()
