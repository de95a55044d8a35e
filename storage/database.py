"""The single aiosqlite connection of the bot.

One connection, autocommit (``isolation_level=None``); multi-statement writes go through
:meth:`Database.transaction`, which holds an :class:`asyncio.Lock` for its whole duration.
The single-statement helpers (:meth:`execute`, :meth:`fetchone`, ...) take the same lock
unless the calling task already owns the transaction, so a statement of one handler can
never land inside (and be rolled back with) another handler's open transaction.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

Params = Sequence[Any] | Mapping[str, Any]

MEMORY = ":memory:"


class Database:
    """Owner of the aiosqlite connection. Create with ``await Database.open(path)``."""

    PING_TIMEOUT = 5.0

    def __init__(self, conn: aiosqlite.Connection, path: str | Path) -> None:
        self._conn: aiosqlite.Connection | None = conn
        self.path = path
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._savepoints = 0
        self.applied_migrations: list[int] = []

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    async def open(cls, path: str | Path, *, apply_migrations: bool = True) -> Database:
        """Open (creating the parent directory), configure the connection, apply migrations."""
        if str(path) != MEMORY:
            private_file(Path(path))
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute("PRAGMA busy_timeout = 5000")
            await _check_intact(conn, path)
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # what /forget and the retention jobs delete is overwritten, not left in free pages
            await conn.execute("PRAGMA secure_delete = ON")
        except BaseException:
            await conn.close()
            raise
        db = cls(conn, path)
        if apply_migrations:
            from storage.migrator import migrate

            try:
                db.applied_migrations = await migrate(db)
            except BaseException:
                await db.close()
                raise
        return db

    async def close(self) -> None:
        """Close the connection (idempotent)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            await conn.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        """The raw aiosqlite connection (multi-statement work: inside :meth:`transaction`)."""
        if self._conn is None:
            raise RuntimeError("database is closed")
        return self._conn

    @property
    def closed(self) -> bool:
        return self._conn is None

    # ------------------------------------------------------------------ transactions
    def _owns_transaction(self) -> bool:
        return self._owner is not None and self._owner is asyncio.current_task()

    @property
    def in_transaction(self) -> bool:
        """True when the *current task* is inside :meth:`transaction`."""
        return self._owns_transaction()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on any exception).

        Serialised by an asyncio lock. Nested use inside the same task becomes a SAVEPOINT.
        Do not hand the work to another task while holding it (that task would wait for the lock).
        """
        conn = self.conn
        if self._owns_transaction():
            self._savepoints += 1
            name = f"sp_{self._savepoints}"
            await conn.execute(f"SAVEPOINT {name}")
            try:
                yield conn
            except BaseException:
                await conn.execute(f"ROLLBACK TO {name}")
                await conn.execute(f"RELEASE {name}")
                raise
            else:
                await conn.execute(f"RELEASE {name}")
            finally:
                self._savepoints -= 1
            return

        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                await conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    await self._rollback(conn)
                    raise
                try:
                    await conn.execute("COMMIT")
                except BaseException:
                    await self._rollback(conn)
                    raise
            finally:
                self._owner = None
                self._savepoints = 0

    @staticmethod
    async def _rollback(conn: aiosqlite.Connection) -> None:
        # aiosqlite runs calls in FIFO order on its thread, so even if this await is
        # cancelled the ROLLBACK still executes before any later statement.
        if conn.in_transaction:
            await conn.execute("ROLLBACK")

    @asynccontextmanager
    async def _statement(self) -> AsyncIterator[aiosqlite.Connection]:
        """Exclusive access for one statement (no-op inside the caller's own transaction)."""
        conn = self.conn
        if self._owns_transaction():
            yield conn
            return
        async with self._lock:
            yield conn

    # ------------------------------------------------------------------ helpers
    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; returns the number of changed rows."""
        async with self._statement() as conn, conn.execute(sql, params) as cur:
            return cur.rowcount

    async def insert(self, sql: str, params: Params = ()) -> int:
        """Run one INSERT; returns ``lastrowid``."""
        async with self._statement() as conn, conn.execute(sql, params) as cur:
            return int(cur.lastrowid or 0)

    async def executemany(self, sql: str, seq: Iterable[Params]) -> int:
        async with self._statement() as conn, conn.executemany(sql, seq) as cur:
            return cur.rowcount

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        async with self._statement() as conn, conn.execute(sql, params) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._statement() as conn, conn.execute(sql, params) as cur:
            return list(await cur.fetchall())

    async def fetchval(self, sql: str, params: Params = (), default: Any = None) -> Any:
        """First column of the first row, or ``default`` when there is no row."""
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    # ------------------------------------------------------------------ operations
    async def ping(self) -> bool:
        """Health check: ``SELECT 1`` answered within :attr:`PING_TIMEOUT` seconds."""
        try:
            async with asyncio.timeout(self.PING_TIMEOUT):
                return bool(await self.fetchval("SELECT 1") == 1)
        except Exception:
            return False

    async def truncate_wal(self) -> None:
        """Checkpoint and empty the write-ahead log: rows deleted since (a support message posted
        from the outbox, a forgotten person) then exist nowhere, not even as old log frames."""
        await self.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")

    async def user_version(self) -> int:
        return int(await self.fetchval("PRAGMA user_version", default=0))

    async def backup_to(self, path: str | Path) -> Path:
        """Consistent online copy via SQLite's backup API; safe while the bot runs.

        Written to ``<path>.tmp`` and atomically renamed, so ``path`` is never a half-written
        file. The copy is switched to ``journal_mode=DELETE`` (one self-contained file).
        Holds the write lock for the (single-step) copy, so it never captures a half-done
        transaction; other statements simply wait for it. Not callable inside a transaction.
        """
        if self._owns_transaction():
            raise RuntimeError("backup_to() cannot run inside a transaction")
        target_path = Path(path)
        tmp = target_path.with_name(target_path.name + ".tmp")
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            leftover.unlink(missing_ok=True)
        private_file(tmp)  # the copy is as private as the database (0600, folders 0700)
        # The copy runs on aiosqlite's worker thread, hence check_same_thread=False.
        target = sqlite3.connect(tmp, check_same_thread=False)
        try:
            async with self._statement() as conn:
                await conn.backup(target)
            await asyncio.to_thread(_finish_backup, target)
        except BaseException:
            target.close()
            tmp.unlink(missing_ok=True)
            raise
        target.close()
        os.replace(tmp, target_path)
        return target_path


class DatabaseDamaged(Exception):
    """The database file fails SQLite's integrity check (or is not a database at all)."""


async def _check_intact(conn: aiosqlite.Connection, path: str | Path) -> None:
    """``PRAGMA quick_check`` at open: a damaged file stops the start instead of failing later,
    one request at a time (seconds for a large file; the bot's own is small)."""
    try:
        async with conn.execute("PRAGMA quick_check") as cursor:
            rows = [row[0] for row in await cursor.fetchall()]
    except sqlite3.DatabaseError as error:
        raise DatabaseDamaged(f"{path}: {error}") from error
    if rows != ["ok"]:
        raise DatabaseDamaged(f"{path}: quick_check found {len(rows)} problem(s): {rows[0]}")


def private_file(path: Path) -> None:
    """Create ``path``'s missing folders (0700) and the file itself (0600) whatever the umask:
    the database holds health answers. SQLite gives its -wal and -shm files the database
    file's permissions. Existing folders and files are left as they are."""
    missing = [p for p in reversed(path.parents) if not p.exists()]
    for folder in missing:
        folder.mkdir(exist_ok=True)
        os.chmod(folder, 0o700)
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        try:
            os.fchmod(fd, 0o600)
        finally:
            os.close(fd)


def _finish_backup(target: sqlite3.Connection) -> None:
    target.execute("PRAGMA journal_mode = DELETE")
    ok = target.execute("PRAGMA quick_check").fetchone()
    if ok is None or ok[0] != "ok":
        raise sqlite3.DatabaseError(f"backup failed quick_check: {ok!r}")
