"""Issue 12, point 6: the database is private whatever the umask; a damaged one stops the start."""

from __future__ import annotations

import asyncio
import os
import stat
import sys
from pathlib import Path

from storage.database import Database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


async def test_database_folders_and_files_are_created_private(tmp_path: Path) -> None:
    old = os.umask(0o002)  # a permissive umask: group and others could read
    try:
        path = tmp_path / "new" / "data" / "bot.sqlite3"
        db = await Database.open(path)
        try:
            await db.conn.execute("CREATE TABLE t (x)")
            await db.conn.execute("INSERT INTO t VALUES (1)")
            assert _mode(path.parent) == 0o700 and _mode(path.parent.parent) == 0o700
            assert _mode(path) == 0o600
            assert _mode(Path(f"{path}-wal")) == 0o600
            backup = await db.backup_to(tmp_path / "backups" / "copy.sqlite3")
            assert _mode(backup) == 0o600 and _mode(backup.parent) == 0o700
        finally:
            await db.close()
    finally:
        os.umask(old)


async def test_a_damaged_database_stops_the_start_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    path.write_bytes(b"this is not a database, it was damaged" * 200)
    env = {**os.environ, "DATABASE_PATH": str(path), "BOT_TOKEN": "", "SECRET_KEY": ""}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "migrate",
        env=env,
        cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    lines = err.decode().strip().splitlines()
    assert proc.returncode == 2, err.decode()
    assert len(lines) == 1 and lines[0].startswith("database error:"), lines
