"""Operator commands: apply migrations, take an online backup (both safe while the bot runs)."""

from __future__ import annotations

from pathlib import Path

from bot.config import Settings
from storage import Database


async def migrate(settings: Settings) -> None:
    """Apply the pending migrations (Database.open does) and print the schema version."""
    db = await Database.open(settings.database_path)
    try:
        version = await db.user_version()
        applied = db.applied_migrations
    finally:
        await db.close()
    done = f"applied migration(s) {', '.join(map(str, applied))}" if applied else "up to date"
    print(f"database {settings.database_path}: {done}; schema version {version}")


def check_backup_paths(settings: Settings, target: Path) -> None:
    if target.exists():
        raise SystemExit(f"backup: {target} exists; choose a new file name")
    if not Path(settings.database_path).exists():
        raise SystemExit(f"backup: there is no database at {settings.database_path}")


async def backup(settings: Settings, target: str) -> None:
    """Consistent copy through SQLite's backup API, from a connection of its own.

    The copy is one step inside one read transaction: a snapshot of every transaction committed
    when it began. In WAL mode the running bot's writes go on meanwhile."""
    path = Path(target)
    check_backup_paths(settings, path)
    db = await Database.open(settings.database_path)
    try:
        await db.backup_to(path)
        version = await db.user_version()
    finally:
        await db.close()
    print(f"backup of {settings.database_path} (schema version {version}) written to {path}")
