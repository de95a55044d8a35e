from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from storage import Database, Repositories, migrate
from storage.migrator import Migration, MigrationError, load_migrations, split_statements

from .conftest import T0


async def test_open_creates_parent_and_applies_migrations(db_path: Path) -> None:
    db = await Database.open(db_path)
    try:
        assert await db.fetchval("PRAGMA database_list") is not None
        assert db_path.parent.is_dir()
        latest = load_migrations()[-1].number
        assert db.applied_migrations == list(range(1, latest + 1))
        assert await db.user_version() == latest
    finally:
        await db.close()


async def test_migrations_idempotent_on_reopen(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.execute("INSERT INTO staff (user_id, added_by, added_at) VALUES (1, NULL, 'x')")
    await db.close()
    db = await Database.open(db_path)
    try:
        assert db.applied_migrations == []
        assert await migrate(db) == []
        assert await db.fetchval("SELECT count(*) FROM staff") == 1
    finally:
        await db.close()


async def test_pragmas(db: Database) -> None:
    assert await db.fetchval("PRAGMA journal_mode") == "wal"
    assert await db.fetchval("PRAGMA foreign_keys") == 1
    assert await db.fetchval("PRAGMA synchronous") == 1  # NORMAL
    assert await db.fetchval("PRAGMA busy_timeout") == 5000
    row = await db.fetchone("SELECT 1 AS one")
    assert row is not None and row["one"] == 1
    assert await db.ping() is True


async def test_ping_false_when_closed(db_path: Path) -> None:
    db = await Database.open(db_path)
    await db.close()
    assert await db.ping() is False
    await db.close()  # idempotent


async def test_schema_newer_than_code_refused(db: Database) -> None:
    await db.execute("PRAGMA user_version = 999")
    with pytest.raises(MigrationError):
        await migrate(db)


async def test_failed_migration_rolls_back(db: Database) -> None:
    version = await db.user_version()
    bad = [
        *load_migrations(),
        Migration(version + 1, "bad.sql", "CREATE TABLE t_ok (x); INSERT INTO nope VALUES (1);"),
    ]
    with pytest.raises(MigrationError):
        await migrate(db, bad)
    assert await db.user_version() == version
    assert await db.fetchval("SELECT 1 FROM sqlite_master WHERE name = 't_ok'") is None


def test_split_statements_handles_triggers_and_comments() -> None:
    sql = """
    -- a comment; with a semicolon
    CREATE TABLE a (x);
    CREATE TRIGGER tr AFTER INSERT ON a BEGIN SELECT 1; SELECT 2; END;
    -- trailing comment
    """
    statements = split_statements(sql)
    assert len(statements) == 2
    assert statements[1].startswith("CREATE TRIGGER") and statements[1].endswith("END;")


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO staff (user_id, added_at) VALUES (1, 'x')")
            raise RuntimeError("boom")
    assert await db.fetchval("SELECT count(*) FROM staff") == 0


async def test_nested_transaction_is_savepoint(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO staff (user_id, added_at) VALUES (1, 'x')")
        with pytest.raises(ValueError):
            async with db.transaction() as inner:
                await inner.execute("INSERT INTO staff (user_id, added_at) VALUES (2, 'x')")
                raise ValueError
        # helpers inside the own transaction don't deadlock
        assert await db.fetchval("SELECT count(*) FROM staff") == 1
    assert await db.fetchval("SELECT group_concat(user_id) FROM staff") == "1"


async def test_statement_of_other_task_is_not_swallowed_by_rollback(db: Database) -> None:
    entered = asyncio.Event()

    async def failing_tx() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO staff (user_id, added_at) VALUES (1, 'x')")
            entered.set()
            await asyncio.sleep(0.05)
            raise RuntimeError

    async def other() -> None:
        await entered.wait()
        await db.execute("INSERT INTO staff (user_id, added_at) VALUES (2, 'x')")

    results = await asyncio.gather(failing_tx(), other(), return_exceptions=True)
    assert isinstance(results[0], RuntimeError)
    assert await db.fetchval("SELECT group_concat(user_id) FROM staff") == "2"


async def test_backup_while_writing(db: Database, tmp_path: Path) -> None:
    repo = Repositories.create(db)
    for uid in range(1, 201):
        await repo.users.touch(uid, T0)
    stop = asyncio.Event()
    written: list[int] = []

    async def writer() -> None:
        uid = 1000
        while not stop.is_set():
            async with db.transaction() as conn:  # two statements that must stay together
                await conn.execute(
                    "INSERT INTO users (id, created_at, last_seen_at) VALUES (?, 'x', 'x')", (uid,)
                )
                await conn.execute("INSERT INTO staff (user_id, added_at) VALUES (?, 'x')", (uid,))
            written.append(uid)
            uid += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(writer())
    await asyncio.sleep(0.02)
    backups = []
    for i in range(3):
        committed_before = len(written)
        backups.append(await db.backup_to(tmp_path / "backups" / f"b{i}.db"))
        committed_after = len(written)
        await asyncio.sleep(0.01)
        check = sqlite3.connect(backups[-1])
        try:
            users = check.execute("SELECT count(*) FROM users WHERE id >= 1000").fetchone()[0]
            staff = check.execute("SELECT count(*) FROM staff").fetchone()[0]
            assert check.execute("SELECT count(*) FROM users WHERE id < 1000").fetchone()[0] == 200
            assert users == staff  # never half a transaction
            assert committed_before <= users <= committed_after + 1
            assert check.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            assert check.execute("PRAGMA user_version").fetchone()[0] == await db.user_version()
        finally:
            check.close()
    stop.set()
    await task
    assert written  # writes really went on
    final = await db.backup_to(tmp_path / "backups" / "final.db")
    check = sqlite3.connect(final)
    try:
        assert check.execute("SELECT count(*) FROM staff").fetchone()[0] == len(written)
    finally:
        check.close()
    assert not (tmp_path / "backups" / "final.db.tmp").exists()


async def test_backup_refused_inside_transaction(db: Database, tmp_path: Path) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError):
            await db.backup_to(tmp_path / "x.db")


async def test_deleted_rows_leave_nothing_readable_in_the_files(db_path: Path) -> None:
    """/forget deletes rows; with secure_delete their bytes are overwritten, not left in free
    pages of the database file or the -wal file where anyone with the file could read them."""
    db = await Database.open(db_path)
    try:
        await db.execute(
            "INSERT INTO users (id, language, created_at, last_seen_at) "
            "VALUES (7, 'ru', '2026-01-01', '2026-01-01')"
        )
        await db.execute(
            "INSERT INTO certificates (user_id, token, holder_name, test_date, expires_on, "
            "created_at) VALUES (7, 'tok', 'Зинаида Уникальнова', '2026-10-01', '2027-04-01', "
            "'2026-10-02')"
        )
        await db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        await db.execute("DELETE FROM users WHERE id = 7")
        await db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        await db.close()
    name = "Уникальнова".encode()
    files = [p for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)]
    assert all(name not in p.read_bytes() for p in files)
