"""Staff members (in addition to the admins configured in settings)."""

from __future__ import annotations

import builtins
import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage._time import from_db, to_db
from storage.database import Database


@dataclass(frozen=True, slots=True)
class StaffMember:
    user_id: int
    added_by: int | None
    added_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> StaffMember:
        return cls(
            user_id=row["user_id"], added_by=row["added_by"], added_at=from_db(row["added_at"])
        )


class StaffRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, user_id: int, added_by: int | None, now: datetime) -> bool:
        """True if newly added, False if already staff."""
        changed = await self.db.execute(
            "INSERT INTO staff (user_id, added_by, added_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO NOTHING",
            (user_id, added_by, to_db(now)),
        )
        return changed > 0

    async def remove(self, user_id: int) -> bool:
        return await self.db.execute("DELETE FROM staff WHERE user_id = ?", (user_id,)) > 0

    async def list(self) -> builtins.list[StaffMember]:
        rows = await self.db.fetchall("SELECT * FROM staff ORDER BY added_at, user_id")
        return [StaffMember.from_row(row) for row in rows]

    async def is_staff(self, user_id: int) -> bool:
        found = await self.db.fetchval("SELECT 1 FROM staff WHERE user_id = ?", (user_id,))
        return found is not None
