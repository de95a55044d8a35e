"""Numbered SQL migrations ``storage/migrations/NNNN_name.sql``, tracked by ``PRAGMA user_version``.

Each file runs in its own ``BEGIN IMMEDIATE`` transaction together with the
``user_version`` bump, so a failed migration leaves the database at the previous version.
Files are split into statements with :func:`sqlite3.complete_statement` (triggers with
inner semicolons are fine); ``executescript`` is not used because it forces a COMMIT.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.database import Database

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class MigrationError(RuntimeError):
    pass


@dataclass(frozen=True, slots=True)
class Migration:
    number: int
    name: str
    sql: str


def load_migrations(package: str = "storage") -> list[Migration]:
    """All migrations shipped in ``<package>/migrations``, ordered, numbered 1..N without gaps."""
    folder = resources.files(package).joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.number)
    numbers = [m.number for m in found]
    if numbers != list(range(1, len(found) + 1)):
        raise MigrationError(f"migrations must be numbered 1..N without gaps, got {numbers}")
    return found


def split_statements(script: str) -> list[str]:
    statements: list[str] = []
    buffer = ""
    for chunk in script.split(";"):
        buffer += chunk + ";"
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    rest = buffer[:-1]  # drop the ';' added after the last chunk
    if _strip_comments(rest).strip():
        raise MigrationError(f"incomplete SQL statement at the end of a migration: {rest!r}")
    return [s for s in statements if _strip_comments(s).strip(" \t\r\n;")]


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


async def migrate(db: Database, migrations: list[Migration] | None = None) -> list[int]:
    """Apply the pending migrations in order; returns the numbers applied (``[]`` if up to date)."""
    todo = load_migrations() if migrations is None else migrations
    latest = todo[-1].number if todo else 0
    current = await db.user_version()
    if current > latest:
        raise MigrationError(
            f"database schema version {current} is newer than this code knows ({latest})"
        )
    applied: list[int] = []
    for migration in todo:
        if migration.number <= current:
            continue
        async with db.transaction() as conn:
            # Re-read inside the write lock: another process may have migrated meanwhile.
            async with conn.execute("PRAGMA user_version") as cur:
                row = await cur.fetchone()
            if row is not None and int(row[0]) >= migration.number:
                continue
            for statement in split_statements(migration.sql):
                try:
                    await conn.execute(statement)
                except sqlite3.Error as exc:
                    raise MigrationError(f"{migration.name}: {exc}\n{statement}") from exc
            await conn.execute(f"PRAGMA user_version = {int(migration.number)}")
        applied.append(migration.number)
    return applied
