from __future__ import annotations

import hashlib
import hmac
import sqlite3
from datetime import date, timedelta

import pytest

from storage import Database, Repositories, SnilsAlreadyUsed, SnilsKeys

from .conftest import T0

KEY = b"test-secret"


def snils_keys(digits: str, key: bytes) -> SnilsKeys:
    """Storage keeps the keys as opaque strings; any keyed hash will do here (the real, slow
    fingerprint is tested in tests/domain/test_snils.py)."""
    legacy = hmac.new(key, digits.encode(), hashlib.sha256).hexdigest()
    return SnilsKeys(fingerprint="s1:" + hashlib.sha256(legacy.encode()).hexdigest(), legacy=legacy)


async def _user_with_everything(repo: Repositories, uid: int) -> int:
    await repo.users.touch(uid, T0)
    await repo.checks.add(uid, "eligible", [], T0)
    cert = await repo.certificates.add(
        uid,
        holder_name="Иванов И. И.",
        test_date=date(2024, 4, 1),
        expires_on=date(2024, 10, 1),
        now=T0,
        snils=snils_keys(f"{uid:011d}", KEY),
    )
    await repo.reminders.schedule_for_certificate(cert.id, uid, [(7, T0 + timedelta(days=150))])
    ticket = await repo.tickets.open(uid, "ru", T0)
    await repo.tickets.add_message(ticket.id, "citizen", T0, support_message_id=uid * 10)
    return cert.id


async def test_users_basics(repo: Repositories) -> None:
    user = await repo.users.touch(42, T0)
    assert (user.id, user.language) == (42, None)
    assert user.reminders_enabled and not user.is_blocked
    assert user.created_at == T0 and user.created_at.tzinfo is not None
    later = T0 + timedelta(hours=1)
    again = await repo.users.touch(42, later)
    assert again.created_at == T0 and again.last_seen_at == later
    assert await repo.users.set_language(42, "en")
    assert await repo.users.set_reminders_enabled(42, False)
    assert await repo.users.set_last_interaction(42, "check:not_eligible:has_vaccination_qr")
    assert await repo.users.set_blocked(42, True, later)
    got = await repo.users.get(42)
    assert got is not None
    assert got.language == "en" and not got.reminders_enabled and got.blocked_at == later
    assert got.last_interaction == "check:not_eligible:has_vaccination_qr"
    assert await repo.users.get(43) is None
    assert not await repo.users.set_language(43, "en")


async def test_users_active_ids_paged(repo: Repositories) -> None:
    for uid in range(1, 26):
        await repo.users.touch(uid, T0)
    await repo.users.set_blocked(5, True, T0)
    ids = [uid async for uid in repo.users.all_active_ids(page_size=7)]
    assert ids == [uid for uid in range(1, 26) if uid != 5]
    assert await repo.users.count() == 25
    assert await repo.users.count(active_only=True) == 24
    await repo.users.set_blocked(5, False, T0)
    assert await repo.users.count(active_only=True) == 25


async def test_naive_datetime_refused(repo: Repositories) -> None:
    with pytest.raises(ValueError):
        await repo.users.touch(1, T0.replace(tzinfo=None))


async def test_user_delete_cascades(db: Database, repo: Repositories) -> None:
    await _user_with_everything(repo, 1)
    await _user_with_everything(repo, 2)
    assert await repo.users.delete(1)
    for table in ("eligibility_checks", "certificates", "reminders", "tickets", "ticket_messages"):
        assert await db.fetchval(f"SELECT count(*) FROM {table}") == 1, table
    assert await repo.certificates.latest_for_user(1) is None
    assert await repo.certificates.latest_for_user(2) is not None
    assert await db.fetchval("SELECT count(*) FROM snils_registry") == 2  # kept
    assert await repo.tickets.ticket_by_support_message(10) is None


async def test_foreign_keys_enforced(repo: Repositories) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await repo.checks.add(999, "eligible", [], T0)


async def test_snils_once_only_survives_user_delete(repo: Repositories) -> None:
    digest = snils_keys("11223344595", KEY)
    assert not await repo.certificates.snils_used(digest)
    await repo.users.touch(1, T0)
    cert = await repo.certificates.add(
        1,
        holder_name="A",
        test_date=date(2024, 4, 1),
        expires_on=date(2024, 10, 1),
        now=T0,
        snils=digest,
        official_url="https://example.org/x",
    )
    assert cert.test_date == date(2024, 4, 1) and cert.snils_given
    assert len(cert.token) >= 20
    assert await repo.certificates.by_token(cert.token) == cert
    assert await repo.certificates.snils_used(digest)
    await repo.users.touch(2, T0)
    with pytest.raises(SnilsAlreadyUsed):
        await repo.certificates.add(
            2,
            holder_name="B",
            test_date=date(2024, 4, 2),
            expires_on=date(2024, 10, 2),
            now=T0,
            snils=digest,
        )
    assert await repo.certificates.latest_for_user(2) is None  # nothing half-written
    await repo.users.delete(1)
    assert await repo.certificates.by_token(cert.token) is None
    assert await repo.certificates.snils_used(digest)
    await repo.users.touch(1, T0)
    with pytest.raises(SnilsAlreadyUsed):  # another test: a second certificate
        await repo.certificates.add(
            1,
            holder_name="A",
            test_date=date(2024, 4, 5),
            expires_on=date(2024, 10, 5),
            now=T0,
            snils=digest,
        )
    again = await repo.certificates.add(  # the same test: the same certificate, saved again
        1,
        holder_name="A",
        test_date=date(2024, 4, 1),
        expires_on=date(2024, 10, 1),
        now=T0,
        snils=digest,
    )
    assert again.snils_given
    assert not await repo.certificates.snils_used(digest, date(2024, 4, 1))
    assert await repo.certificates.snils_used(digest, date(2024, 4, 5))
    with pytest.raises(SnilsAlreadyUsed):
        await repo.certificates.register_snils(digest, T0)
    other = snils_keys("00000000000", KEY)
    await repo.certificates.register_snils(other, T0)
    assert await repo.certificates.snils_used(other)


async def test_certificates_latest_and_delete(repo: Repositories) -> None:
    await repo.users.touch(1, T0)
    first = await repo.certificates.add(
        1, holder_name="A", test_date=date(2024, 1, 1), expires_on=date(2024, 7, 1), now=T0
    )
    second = await repo.certificates.add(
        1,
        holder_name="A",
        test_date=date(2024, 4, 1),
        expires_on=date(2024, 10, 1),
        now=T0 + timedelta(days=1),
    )
    assert first.token != second.token
    assert await repo.certificates.latest_for_user(1) == second
    assert await repo.certificates.get(first.id) == first
    assert [c.id for c in await repo.certificates.list_for_user(1)] == [second.id, first.id]
    assert await repo.certificates.count() == 2
    assert await repo.certificates.delete_for_user(1) == 2
    assert await repo.certificates.latest_for_user(1) is None


async def test_checks_stats(repo: Repositories) -> None:
    await repo.users.touch(1, T0)
    await repo.checks.add(1, "eligible", [], T0)
    await repo.checks.add(1, "not_eligible", ["has_vaccination_qr", "too_early"], T0)
    await repo.checks.add(1, "not_eligible", ["too_early"], T0 + timedelta(days=2))
    stats = await repo.checks.stats()
    assert stats.total == 3
    assert stats.by_outcome == {"not_eligible": 2, "eligible": 1}
    assert stats.by_reason == {"too_early": 2, "has_vaccination_qr": 1}
    recent = await repo.checks.stats(since=T0 + timedelta(days=1))
    assert recent.total == 1 and recent.by_reason == {"too_early": 1}
    with pytest.raises(ValueError):
        await repo.checks.add(1, "x", ["a,b"], T0)


async def test_questions_grouping(repo: Repositories) -> None:
    q = repo.questions
    await q.record("ru", "Как получить QR?", "получить qr", T0)
    await q.record("ru", "как получить qr", "получить qr", T0 + timedelta(minutes=1))
    await q.record("en", "How to get QR", "получить qr", T0 + timedelta(minutes=2))
    await q.record("ru", "Сколько стоит?", "стоить", T0 + timedelta(minutes=3))
    await q.record(None, "???", "???", T0 + timedelta(minutes=4))
    await q.record("ru", "Стоимость?", "стоить", T0 + timedelta(minutes=5))
    top = await q.top_unanswered(limit=2)
    assert [(g.normalized, g.count) for g in top] == [("получить qr", 3), ("стоить", 2)]
    assert top[0].example == "How to get QR"
    assert top[0].languages == ("en", "ru")
    assert top[0].last_asked_at == T0 + timedelta(minutes=2)
    assert await q.count() == 6
    since = await q.top_unanswered(since=T0 + timedelta(minutes=3))
    assert [(g.normalized, g.count) for g in since] == [("стоить", 2), ("???", 1)]
    assert await q.delete_group("стоить") == 2
    assert await q.count() == 4


async def test_staff(repo: Repositories) -> None:
    assert await repo.staff.add(7, None, T0)
    assert not await repo.staff.add(7, 1, T0)
    assert await repo.staff.add(8, 7, T0 + timedelta(seconds=1))
    assert await repo.staff.is_staff(8) and not await repo.staff.is_staff(9)
    members = await repo.staff.list()
    assert [(m.user_id, m.added_by) for m in members] == [(7, None), (8, 7)]
    assert await repo.staff.remove(7) and not await repo.staff.remove(7)
    assert not await repo.staff.is_staff(7)


async def test_tickets_flow_and_median(repo: Repositories) -> None:
    t = repo.tickets
    for uid in (1, 2, 3):
        await repo.users.touch(uid, T0)
    ticket = await t.open(1, "ru", T0)
    assert ticket.is_open and ticket.language == "ru" and ticket.first_answer_at is None
    assert (await t.open(1, "en", T0 + timedelta(minutes=1))).id == ticket.id  # one open per user
    assert await t.open_for_user(1) == ticket
    await t.add_message(ticket.id, "citizen", T0, support_message_id=501, citizen_message_id=11)
    staff_msg = await t.add_message(
        ticket.id, "staff", T0 + timedelta(minutes=10), support_message_id=502, staff_user_id=99
    )
    assert staff_msg.direction == "staff" and staff_msg.staff_user_id == 99
    assert (await t.ticket_by_support_message(501)) == ticket
    assert (await t.ticket_by_support_message(999)) is None
    msg = await t.message_by_support_message(501)
    assert msg is not None and msg.citizen_message_id == 11
    assert [m.support_message_id for m in await t.messages(ticket.id)] == [501, 502]
    assert await t.record_first_answer(ticket.id, T0 + timedelta(minutes=10))
    assert not await t.record_first_answer(ticket.id, T0 + timedelta(minutes=20))

    t2 = await t.open(2, "en", T0 + timedelta(minutes=1))
    await t.record_first_answer(t2.id, T0 + timedelta(minutes=31))  # 30 min
    t3 = await t.open(3, None, T0 + timedelta(minutes=2))
    await t.record_first_answer(t3.id, T0 + timedelta(minutes=62))  # 60 min
    assert [x.id for x in await t.list_open()] == [ticket.id, t2.id, t3.id]

    assert await t.close(ticket.id, T0 + timedelta(hours=1))
    assert not await t.close(ticket.id, T0 + timedelta(hours=2))
    closed = await t.get(ticket.id)
    assert closed is not None and closed.status == "closed" and closed.closed_at is not None
    assert await t.open_for_user(1) is None
    reopened = await t.open(1, "ru", T0 + timedelta(hours=3))
    assert reopened.id != ticket.id
    assert await t.set_user_blocked(reopened.id)
    assert (await t.get(reopened.id)).user_blocked  # type: ignore[union-attr]

    stats = await t.stats()
    assert (stats.total, stats.open, stats.closed, stats.answered) == (4, 3, 1, 3)
    assert stats.median_first_answer == timedelta(minutes=30)
    recent = await t.stats(since=T0 + timedelta(hours=2))
    assert (recent.total, recent.answered, recent.median_first_answer) == (1, 0, None)

    assert await t.count_recent_for_user(1, T0 - timedelta(days=1)) == 2
    assert await t.count_recent_for_user(1, T0 + timedelta(hours=2)) == 1
    assert await t.count_recent_messages_for_user(1, T0 - timedelta(days=1)) == 1


async def test_activity_counts_each_day_of_each_series(repo: Repositories) -> None:
    """The /stats picture's data: counts per UTC day, zeros where nothing happened."""
    day1, day3 = T0, T0 + timedelta(days=2)
    await repo.users.touch(1, T0)
    await repo.checks.add(1, "eligible", [], day1)
    await repo.checks.add(1, "not_eligible", ["not_igg"], day3)
    await repo.checks.add(1, "not_eligible", ["not_igg"], day3)
    await repo.questions.record("ru", "x", "x", day3)
    await repo.tickets.open(1, "ru", day1)
    daily = await repo.activity.daily(T0.date(), T0.date() + timedelta(days=3))
    assert daily["checks_eligible"] == [1, 0, 0, 0]
    assert daily["checks_not_eligible"] == [0, 0, 2, 0]
    assert daily["questions"] == [0, 0, 1, 0]
    assert daily["tickets_opened"] == [1, 0, 0, 0]
    assert daily["certificates"] == daily["reminders"] == [0, 0, 0, 0]
