"""Eligibility check log, for /stats. Each person's rows are kept CHECK_RETENTION_DAYS, then
folded into ``check_totals`` (counts by outcome and reasons: no person, no date)."""

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

    async def fold_older_than(self, before: datetime) -> int:
        """Count the checks made before ``before`` into ``check_totals`` and delete them, in one
        transaction. Returns how many were folded."""
        stamp = (to_db(before),)
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO check_totals (outcome, reasons, n) "
                "SELECT outcome, reasons, count(*) FROM eligibility_checks WHERE created_at < ? "
                "GROUP BY outcome, reasons "
                "ON CONFLICT (outcome, reasons) DO UPDATE SET n = n + excluded.n",
                stamp,
            )
            async with conn.execute(
                "DELETE FROM eligibility_checks WHERE created_at < ?", stamp
            ) as cur:
                return cur.rowcount

    async def stats(self, since: datetime | None = None) -> CheckStats:
        """Counts by outcome and by reason code: all checks ever (the folded ones included),
        or only those at/after ``since`` (within the retention period)."""
        if since is None:
            rows = (
                "SELECT outcome, reasons, 1 AS n FROM eligibility_checks "
                "UNION ALL SELECT outcome, reasons, n FROM check_totals"
            )
            params: tuple[str, ...] = ()
        else:
            rows = "SELECT outcome, reasons, 1 AS n FROM eligibility_checks WHERE created_at >= ?"
            params = (to_db(since),)
        outcomes = await self.db.fetchall(
            f"SELECT outcome, sum(n) AS n FROM ({rows}) GROUP BY outcome ORDER BY n DESC, outcome",
            params,
        )
        reasons = await self.db.fetchall(
            f"""
            WITH RECURSIVE split (reason, rest, n) AS (
                SELECT '', reasons || ',', n FROM ({rows})
                UNION ALL
                SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1),
                       n
                FROM split WHERE rest <> ''
            )
            SELECT reason, sum(n) AS n FROM split WHERE reason <> ''
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
