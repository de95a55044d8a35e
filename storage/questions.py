"""Questions the FAQ could not answer (no user id stored: not needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage._time import from_db, to_db
from storage.database import Database


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    normalized: str
    count: int
    example: str  # the most recent original text of the group
    languages: tuple[str, ...]  # distinct languages seen, sorted
    last_asked_at: datetime


class QuestionsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(self, language: str | None, text: str, normalized: str, now: datetime) -> int:
        return await self.db.insert(
            "INSERT INTO unanswered_questions (language, text, normalized, created_at) "
            "VALUES (?, ?, ?, ?)",
            (language, text, normalized, to_db(now)),
        )

    async def all_rows(self) -> list[tuple[int, str | None, str, str]]:
        """(id, language, text, normalized) of every kept question (re-masking at start)."""
        rows = await self.db.fetchall(
            "SELECT id, language, text, normalized FROM unanswered_questions ORDER BY id"
        )
        return [(r["id"], r["language"], r["text"], r["normalized"]) for r in rows]

    async def rewrite(self, question_id: int, text: str, normalized: str) -> None:
        await self.db.execute(
            "UPDATE unanswered_questions SET text = ?, normalized = ? WHERE id = ?",
            (text, normalized, question_id),
        )

    async def top_unanswered(
        self, limit: int = 20, *, since: datetime | None = None
    ) -> list[QuestionGroup]:
        """Groups by ``normalized``, most frequent first (then most recent)."""
        where, params = ("WHERE created_at >= ?", (to_db(since),)) if since else ("", ())
        rows = await self.db.fetchall(
            f"""
            SELECT normalized,
                   count(*) AS n,
                   max(created_at) AS last_at,
                   group_concat(DISTINCT coalesce(language, '')) AS langs,
                   (SELECT q2.text FROM unanswered_questions q2
                    WHERE q2.normalized = q.normalized ORDER BY q2.id DESC LIMIT 1) AS example
            FROM unanswered_questions q {where}
            GROUP BY normalized
            ORDER BY n DESC, last_at DESC
            LIMIT ?
            """,
            (*params, limit),
        )
        return [
            QuestionGroup(
                normalized=row["normalized"],
                count=row["n"],
                example=row["example"],
                languages=tuple(sorted(x for x in (row["langs"] or "").split(",") if x)),
                last_asked_at=from_db(row["last_at"]),
            )
            for row in rows
        ]

    async def count(self) -> int:
        return int(await self.db.fetchval("SELECT count(*) FROM unanswered_questions", default=0))

    async def texts_of(self, normalized: list[str], limit: int = 50) -> list[tuple[str, str]]:
        """Distinct (language, text) of the groups, most recent first."""
        if not normalized:
            return []
        marks = ", ".join("?" * len(normalized))
        rows = await self.db.fetchall(
            f"SELECT coalesce(language, '') AS language, text, max(id) AS last "
            f"FROM unanswered_questions WHERE normalized IN ({marks}) "
            f"GROUP BY coalesce(language, ''), text ORDER BY last DESC LIMIT ?",
            (*normalized, limit),
        )
        return [(row["language"], row["text"]) for row in rows]

    async def delete_groups(self, normalized: list[str]) -> int:
        deleted = 0
        for key in normalized:
            deleted += await self.delete_group(key)
        return deleted

    async def delete_group(self, normalized: str) -> int:
        """Forget a group (e.g. once the FAQ answers it)."""
        return await self.db.execute(
            "DELETE FROM unanswered_questions WHERE normalized = ?", (normalized,)
        )
