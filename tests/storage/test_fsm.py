from __future__ import annotations

from pathlib import Path

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from storage import Database, SQLiteStorage


class Form(StatesGroup):
    test_date = State()
    snils = State()


KEY = StorageKey(bot_id=1, chat_id=10, user_id=10)
OTHER = StorageKey(bot_id=1, chat_id=10, user_id=10, thread_id=5)
BUSINESS = StorageKey(bot_id=1, chat_id=10, user_id=10, business_connection_id="b", destiny="x")


async def test_roundtrip(db: Database) -> None:
    storage = SQLiteStorage(db)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Form.test_date)
    assert await storage.get_state(KEY) == "Form:test_date"
    await storage.set_data(KEY, {"lang": "ru", "n": 1})
    assert await storage.update_data(KEY, {"n": 2, "дата": "01.04.2024"}) == {
        "lang": "ru",
        "n": 2,
        "дата": "01.04.2024",
    }
    assert await storage.get_value(KEY, "n") == 2
    assert await storage.get_value(KEY, "missing", 7) == 7
    data = await storage.get_data(KEY)
    data["n"] = 100  # callers get copies
    assert (await storage.get_data(KEY))["n"] == 2
    # keys with thread / business connection / destiny are separate records
    assert await storage.get_state(OTHER) is None
    await storage.set_state(BUSINESS, "x")
    assert await storage.get_state(BUSINESS) == "x"
    assert await storage.get_state(KEY) == "Form:test_date"
    with pytest.raises(DataNotDictLikeError):
        await storage.set_data(KEY, [("a", 1)])  # type: ignore[arg-type]


async def test_survives_reopen(db_path: Path) -> None:
    db = await Database.open(db_path)
    storage = SQLiteStorage(db, close_db=True)
    await storage.set_state(KEY, Form.snils)
    await storage.set_data(KEY, {"test_date": "2024-04-01", "items": [1, 2]})
    await storage.close()
    assert db.closed

    db = await Database.open(db_path)
    try:
        storage = SQLiteStorage(db)
        assert await storage.get_state(KEY) == "Form:snils"
        assert await storage.get_data(KEY) == {"test_date": "2024-04-01", "items": [1, 2]}
        await storage.close()
        assert not db.closed  # shared database stays open
    finally:
        await db.close()


async def test_cleared_record_is_deleted(db: Database) -> None:
    storage = SQLiteStorage(db)
    await storage.set_state(KEY, "s")
    await storage.set_data(KEY, {"a": 1})
    assert await db.fetchval("SELECT count(*) FROM fsm") == 1
    await storage.set_state(KEY, None)
    assert await db.fetchval("SELECT count(*) FROM fsm") == 1  # data still there
    await storage.set_data(KEY, {})
    assert await db.fetchval("SELECT count(*) FROM fsm") == 0


async def test_cache_is_bounded_and_reads_back(db: Database) -> None:
    storage = SQLiteStorage(db, cache_size=3)
    keys = [StorageKey(bot_id=1, chat_id=i, user_id=i) for i in range(10)]
    for i, key in enumerate(keys):
        await storage.set_state(key, f"s{i}")
        await storage.set_data(key, {"i": i})
    assert len(storage._cache) <= 3
    for i, key in enumerate(keys):
        assert await storage.get_state(key) == f"s{i}"
        assert await storage.get_data(key) == {"i": i}
    # a fresh storage (cold cache) sees the same
    cold = SQLiteStorage(db)
    assert await cold.get_data(keys[0]) == {"i": 0}


async def test_fsm_context_integration(db: Database) -> None:
    from aiogram.fsm.context import FSMContext

    storage = SQLiteStorage(db)
    ctx = FSMContext(storage=storage, key=KEY)
    await ctx.set_state(Form.test_date)
    await ctx.update_data(step=1)
    assert await ctx.get_state() == Form.test_date.state
    await ctx.clear()
    assert await ctx.get_state() is None and await ctx.get_data() == {}
    assert await db.fetchval("SELECT count(*) FROM fsm") == 0


async def test_unchanged_writes_are_skipped(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """state.clear() of an empty record, or the same state again: no database statement."""
    storage = SQLiteStorage(db)
    statements: list[str] = []
    execute = db.execute

    async def counting(sql: str, params: object = ()) -> int:
        statements.append(sql)
        return await execute(sql, params)  # type: ignore[arg-type]

    monkeypatch.setattr(db, "execute", counting)
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    assert statements == []
    await storage.set_state(KEY, Form.snils)
    await storage.set_state(KEY, Form.snils)
    await storage.set_data(KEY, {"a": 1})
    await storage.set_data(KEY, {"a": 1})
    assert len(statements) == 2
    await storage.set_state(KEY, None)
    await storage.set_data(KEY, {})
    await storage.set_data(KEY, {})
    assert len(statements) == 4 and statements[-1].startswith("DELETE")
    assert await SQLiteStorage(db).get_state(KEY) is None  # a fresh cache reads the row back
    monkeypatch.undo()
    await storage.set_state(KEY, Form.test_date)
    assert await SQLiteStorage(db).get_state(KEY) == "Form:test_date"
