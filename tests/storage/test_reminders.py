from __future__ import annotations

import asyncio
from datetime import date, timedelta
from pathlib import Path

from storage import Database, Repositories

from .conftest import T0


async def _cert(repo: Repositories, uid: int) -> int:
    await repo.users.touch(uid, T0)
    cert = await repo.certificates.add(
        uid, holder_name="X", test_date=date(2024, 4, 1), expires_on=date(2024, 10, 1), now=T0
    )
    return cert.id


async def test_schedule_is_idempotent(repo: Repositories) -> None:
    cid = await _cert(repo, 1)
    due = [(30, T0 + timedelta(days=1)), (7, T0 + timedelta(days=2))]
    first = await repo.reminders.schedule_for_certificate(cid, 1, due)
    again = await repo.reminders.schedule_for_certificate(cid, 1, due)
    assert [r.offset_days for r in first] == [30, 7]
    assert first == again
    assert all(r.state == "pending" and r.attempts == 0 for r in first)
    counts = await repo.reminders.count_by_state()
    assert counts["pending"] == 2 and counts["sent"] == 0


async def test_claim_due_lifecycle(repo: Repositories) -> None:
    r = repo.reminders
    cid = await _cert(repo, 1)
    await r.schedule_for_certificate(
        cid, 1, [(30, T0), (14, T0 + timedelta(hours=1)), (7, T0 + timedelta(days=7))]
    )
    assert await r.next_due_at() == T0
    assert await r.claim_due(T0 - timedelta(seconds=1)) == []
    claimed = await r.claim_due(T0 + timedelta(hours=2))
    assert [c.offset_days for c in claimed] == [30, 14]
    assert all(c.state == "sending" and c.attempts == 1 for c in claimed)
    assert all(c.claimed_at == T0 + timedelta(hours=2) for c in claimed)
    assert await r.claim_due(T0 + timedelta(hours=2)) == []  # already claimed, not stale

    a, b = claimed
    assert await r.mark_sent(a.id, T0 + timedelta(hours=2))
    assert not await r.mark_sent(a.id, T0 + timedelta(hours=2))  # only 'sending' rows
    retry = T0 + timedelta(hours=3)
    assert await r.mark_failed(b.id, "timeout", retry_at=retry)
    got = await r.get(b.id)
    assert got is not None and got.state == "pending" and got.last_error == "timeout"
    assert await r.next_due_at() == retry
    assert await r.claim_due(T0 + timedelta(hours=2, minutes=30)) == []  # not before retry_at
    again = await r.claim_due(retry)
    assert [x.id for x in again] == [b.id] and again[0].attempts == 2
    assert await r.mark_blocked(b.id, "Forbidden: bot was blocked by the user")
    counts = await r.count_by_state()
    assert (counts["sent"], counts["blocked"], counts["pending"]) == (1, 1, 1)

    last = await r.claim_due(T0 + timedelta(days=8))
    assert await r.mark_failed(last[0].id, "chat not found")
    assert (await r.get(last[0].id)).state == "failed"  # type: ignore[union-attr]


async def test_cancel_and_enable(repo: Repositories) -> None:
    r = repo.reminders
    cid = await _cert(repo, 1)
    await r.schedule_for_certificate(cid, 1, [(30, T0), (7, T0 + timedelta(days=7))])
    assert await r.cancel_for_user(1) == 2
    assert await r.claim_due(T0 + timedelta(days=30)) == []
    assert await r.enable_for_user(1, T0 + timedelta(days=1)) == 1  # only the future one
    assert [x.offset_days for x in await r.list_for_user(1) if x.state == "pending"] == [7]


async def test_stale_sending_is_reclaimed(repo: Repositories) -> None:
    r = repo.reminders
    cid = await _cert(repo, 1)
    await r.schedule_for_certificate(cid, 1, [(30, T0)])
    first = await r.claim_due(T0)
    assert len(first) == 1
    # worker "crashed": nothing marked. Within the stale window nobody gets it...
    assert await r.claim_due(T0 + timedelta(minutes=4), stale_after=timedelta(minutes=5)) == []
    # ...after it, it is claimed again.
    later = T0 + timedelta(minutes=6)
    second = await r.claim_due(later, stale_after=timedelta(minutes=5))
    assert [x.id for x in second] == [first[0].id]
    assert second[0].attempts == 2 and second[0].claimed_at == later
    # with max_attempts, a row that keeps crashing the worker is given up
    assert await r.claim_due(later + timedelta(minutes=10), max_attempts=2) == []
    assert (await r.get(first[0].id)).state == "failed"  # type: ignore[union-attr]


async def test_concurrent_claims_are_exclusive(repo: Repositories) -> None:
    r = repo.reminders
    for uid in range(1, 41):
        cid = await _cert(repo, uid)
        await r.schedule_for_certificate(cid, uid, [(30, T0), (14, T0 + timedelta(minutes=1))])
    now = T0 + timedelta(hours=1)
    batches = await asyncio.gather(*(r.claim_due(now, limit=7) for _ in range(15)))
    ids = [x.id for batch in batches for x in batch]
    assert len(ids) == len(set(ids)) == 80


async def test_claims_exclusive_across_connections(db_path: Path, repo: Repositories) -> None:
    r = repo.reminders
    for uid in range(1, 31):
        cid = await _cert(repo, uid)
        await r.schedule_for_certificate(cid, uid, [(30, T0)])
    other = await Database.open(db_path)  # e.g. a second process
    try:
        r2 = Repositories.create(other).reminders
        now = T0 + timedelta(hours=1)
        batches = await asyncio.gather(
            *(rr.claim_due(now, limit=4) for _ in range(6) for rr in (r, r2))
        )
        ids = [x.id for batch in batches for x in batch]
        assert len(ids) == len(set(ids)) == 30
    finally:
        await other.close()
