"""Eligibility check log, for /stats."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from storage._time import to_db
from storage.database import Database


@dataclass(frozen=True, slots=True)
class CheckStats:
    total: int
    by_outcome: dict[str, int] = field(default_factory=dict)  # most frequent first
    by_reason: dict[str, int] = field(default_factory=dict)  # most frequent first


class ChecksRepo:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, user_id: int, outcome: str, reasons: Iterable[str], now: datetime) -> int:
        """Log one check (the user row must exist). Returns the new row id."""
        codes = [str(code) for code in reasons]
        if any("," in code for code in codes):
            raise ValueError("reason codes must not contain commas")
        return await self.db.insert(
            "INSERT INTO eligibility_checks (user_id, created_at, outcome, reasons) "
            "VALUES (?, ?, ?, ?)",
            (user_id, to_db(now), str(outcome), ",".join(codes)),
        )

    async def stats(self, since: datetime | None = None) -> CheckStats:
        """Counts by outcome and by reason code, optionally only checks at/after ``since``."""
        where, params = ("WHERE created_at >= ?", (to_db(since),)) if since else ("", ())
        outcomes = await self.db.fetchall(
            f"SELECT outcome, count(*) AS n FROM eligibility_checks {where} "
            "GROUP BY outcome ORDER BY n DESC, outcome",
            params,
        )
        reasons = await self.db.fetchall(
            f"""
            WITH RECURSIVE split (reason, rest) AS (
                SELECT '', reasons || ',' FROM eligibility_checks {where}
                UNION ALL
                SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1)
                FROM split WHERE rest <> ''
            )
            SELECT reason, count(*) AS n FROM split WHERE reason <> ''
            GROUP BY reason ORDER BY n DESC, reason
            """,
            params,
        )
        by_outcome = {row["outcome"]: row["n"] for row in outcomes}
        return CheckStats(
            total=sum(by_outcome.values()),
            by_outcome=by_outcome,
            by_reason={row["reason"]: row["n"] for row in reasons},
        )
