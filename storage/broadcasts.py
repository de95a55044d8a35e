"""Stored /broadcast jobs: the text, the recipients and the progress of each (migration 0008)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from storage._time import to_db
from storage.database import Database

JobStatus = Literal["running", "done", "cancelled"]
DeliveryStatus = Literal["pending", "sending", "sent", "blocked", "failed", "unknown"]


@dataclass(frozen=True, slots=True)
class BroadcastJob:
    id: int
    text: str | None
    admin_chat_id: int
    panel_message_id: int | None
    language: str
    status: JobStatus
    total: int

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> BroadcastJob:
        return cls(
            id=row["id"],
            text=row["text"],
            admin_chat_id=row["admin_chat_id"],
            panel_message_id=row["panel_message_id"],
            language=row["language"],
            status=row["status"],
            total=row["total"],
        )


@dataclass(frozen=True, slots=True)
class BroadcastCounts:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    unknown: int = 0
    left: int = 0
    """Not sent yet (pending, or on the wire)."""

    @property
    def done(self) -> int:
        return self.sent + self.blocked + self.failed + self.unknown


class BroadcastsRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def create(
        self, text: str, admin_chat_id: int, language: str, now: datetime
    ) -> BroadcastJob:
        """A running job for every user who has not blocked the bot, in one transaction."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "INSERT INTO broadcast_jobs (text, admin_chat_id, language, total, created_at)"
                " VALUES (?, ?, ?, 0, ?)",
                (text, admin_chat_id, language, to_db(now)),
            )
            job_id = cursor.lastrowid
            await conn.execute(
                "INSERT INTO broadcast_deliveries (job_id, user_id)"
                " SELECT ?, id FROM users WHERE blocked_at IS NULL",
                (job_id,),
            )
            await conn.execute(
                "UPDATE broadcast_jobs SET total ="
                " (SELECT count(*) FROM broadcast_deliveries WHERE job_id = ?) WHERE id = ?",
                (job_id, job_id),
            )
        job = await self.get(int(job_id or 0))
        assert job is not None
        return job

    async def get(self, job_id: int) -> BroadcastJob | None:
        row = await self.db.fetchone("SELECT * FROM broadcast_jobs WHERE id = ?", (job_id,))
        return None if row is None else BroadcastJob.from_row(row)

    async def running(self) -> list[BroadcastJob]:
        rows = await self.db.fetchall(
            "SELECT * FROM broadcast_jobs WHERE status = 'running' ORDER BY id"
        )
        return [BroadcastJob.from_row(row) for row in rows]

    async def set_panel(self, job_id: int, message_id: int) -> None:
        await self.db.execute(
            "UPDATE broadcast_jobs SET panel_message_id = ? WHERE id = ?", (message_id, job_id)
        )

    async def settle_interrupted(self, job_id: int) -> int:
        """At a start: deliveries left on the wire by a stop may have arrived; they are not sent
        again (``unknown``). Returns how many."""
        return await self.db.execute(
            "UPDATE broadcast_deliveries SET status = 'unknown'"
            " WHERE job_id = ? AND status = 'sending'",
            (job_id,),
        )

    async def pending(self, job_id: int, after_user_id: int, limit: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT user_id FROM broadcast_deliveries"
            " WHERE job_id = ? AND status = 'pending' AND user_id > ? ORDER BY user_id LIMIT ?",
            (job_id, after_user_id, limit),
        )
        return [row[0] for row in rows]

    async def mark(self, job_id: int, user_id: int, status: DeliveryStatus) -> None:
        await self.db.execute(
            "UPDATE broadcast_deliveries SET status = ? WHERE job_id = ? AND user_id = ?",
            (status, job_id, user_id),
        )

    async def counts(self, job_id: int) -> BroadcastCounts:
        """Where the deliveries stand; for an ended job, as they stood when it ended."""
        row = await self.db.fetchone(
            "SELECT status, sent, blocked, failed, unknown FROM broadcast_jobs WHERE id = ?",
            (job_id,),
        )
        if row is not None and row["status"] != "running":
            return BroadcastCounts(row["sent"], row["blocked"], row["failed"], row["unknown"])
        rows = await self.db.fetchall(
            "SELECT status, count(*) FROM broadcast_deliveries WHERE job_id = ? GROUP BY status",
            (job_id,),
        )
        by = {row[0]: row[1] for row in rows}
        return BroadcastCounts(
            sent=by.get("sent", 0),
            blocked=by.get("blocked", 0),
            failed=by.get("failed", 0),
            unknown=by.get("unknown", 0),
            left=by.get("pending", 0) + by.get("sending", 0),
        )

    async def finish(self, job_id: int, status: JobStatus, now: datetime) -> bool:
        """End a running job: its counts are kept, its text and who got it are forgotten. False
        if it had already ended."""
        counts = await self.counts(job_id)  # still running: from the deliveries
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE broadcast_jobs SET status = ?, text = NULL, finished_at = ?,"
                " sent = ?, blocked = ?, failed = ?, unknown = ?"
                " WHERE id = ? AND status = 'running'",
                (
                    status,
                    to_db(now),
                    counts.sent,
                    counts.blocked,
                    counts.failed,
                    counts.unknown,
                    job_id,
                ),
            )
            if cursor.rowcount == 0:
                return False
            await conn.execute("DELETE FROM broadcast_deliveries WHERE job_id = ?", (job_id,))
        return True
