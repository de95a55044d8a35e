"""What happened per day (UTC days), for the /stats picture: counts only, no person."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from storage._time import to_db
from storage.database import Database

#: series name → (table, timestamp column, extra condition)
_SERIES = {
    "questions": ("unanswered_questions", "created_at", ""),
    "checks_eligible": ("eligibility_checks", "created_at", "AND outcome = 'eligible'"),
    "checks_uncertain": ("eligibility_checks", "created_at", "AND outcome = 'uncertain'"),
    "checks_not_eligible": ("eligibility_checks", "created_at", "AND outcome = 'not_eligible'"),
    "certificates": ("certificates", "created_at", ""),
    "reminders": ("reminders", "sent_at", "AND state = 'sent'"),
    "tickets_opened": ("tickets", "created_at", ""),
    "tickets_answered": ("tickets", "first_answer_at", ""),
}
SERIES = tuple(_SERIES)


class ActivityRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def daily(self, first: date, last: date) -> dict[str, list[int]]:
        """Each series: one count per day from ``first`` to ``last`` (inclusive)."""
        days = (last - first).days + 1
        since = to_db(datetime.combine(first, time(), UTC))
        until = to_db(datetime.combine(last + timedelta(days=1), time(), UTC))
        out: dict[str, list[int]] = {}
        for name, (table, column, extra) in _SERIES.items():
            rows = await self.db.fetchall(
                f"SELECT substr({column}, 1, 10) AS day, count(*) AS n FROM {table} "
                f"WHERE {column} >= ? AND {column} < ? {extra} GROUP BY day",
                (since, until),
            )
            counts = [0] * days
            for row in rows:
                index = (date.fromisoformat(row["day"]) - first).days
                if 0 <= index < days:
                    counts[index] = row["n"]
            out[name] = counts
        return out
