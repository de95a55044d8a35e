"""Wordings staff attached to FAQ entries (``/unanswered`` → an entry): phrasings the matcher
learns at once and keeps across restarts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from storage._time import from_db, to_db
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Wording:
    id: int
    language: str
    entry_id: str
    text: str
    added_by: int | None
    added_at: datetime

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Wording:
        return cls(
            id=row["id"],
            language=row["language"],
            entry_id=row["entry_id"],
            text=row["text"],
            added_by=row["added_by"],
            added_at=from_db(row["added_at"]),
        )


class WordingsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add_many(
        self,
        entry_id: str,
        texts: Iterable[tuple[str, str]],
        added_by: int | None,
        now: datetime,
    ) -> int:
        """Attach (language, text) wordings to ``entry_id``; returns how many were new."""
        added = 0
        for language, text in texts:
            added += await self.db.execute(
                "INSERT INTO faq_wordings (language, entry_id, text, added_by, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (language, entry_id, text) DO NOTHING",
                (language, entry_id, text, added_by, to_db(now)),
            )
        return added

    async def all(self) -> list[Wording]:
        rows = await self.db.fetchall("SELECT * FROM faq_wordings ORDER BY id")
        return [Wording.from_row(row) for row in rows]

    async def recent(self, limit: int = 30) -> list[Wording]:
        rows = await self.db.fetchall(
            "SELECT * FROM faq_wordings ORDER BY id DESC LIMIT ?", (limit,)
        )
        return [Wording.from_row(row) for row in rows]

    async def get(self, wording_id: int) -> Wording | None:
        row = await self.db.fetchone("SELECT * FROM faq_wordings WHERE id = ?", (wording_id,))
        return Wording.from_row(row) if row else None

    async def delete(self, wording_id: int) -> bool:
        return await self.db.execute("DELETE FROM faq_wordings WHERE id = ?", (wording_id,)) > 0
