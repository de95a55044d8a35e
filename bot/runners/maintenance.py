"""Operator commands: apply migrations, take an online backup."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from storage import Database


async def migrate(settings: Settings) -> None:
    db = await Database.open(settings.database_path)
    try:
        version = await db.fetchval("PRAGMA user_version")
        print(f"database {settings.database_path} is at schema version {version}")
    finally:
        await db.close()


async def backup(settings: Settings, target: str) -> None:
    path = Path(target)
    if path.exists():  # noqa: ASYNC240 - one stat at start, before any work
        raise SystemExit(f"backup: {path} exists; choose a new file name")
    db = await Database.open(settings.database_path)
    try:
        await db.backup_to(path)
    finally:
        await db.close()
    print(f"backup of {settings.database_path} written to {path}")
