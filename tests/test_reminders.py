"""Expiry reminders end to end: scheduling, the scan, exactly-once, catch-up, pacing, blocking.

Time is a FrozenClock moved by hand; scans are called directly (``ReminderSender.scan``) except
where the APScheduler job itself is under test.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware

from bot.clock import FrozenClock
from bot.config import Settings
from bot.factory import AppContext, create_bot, open_app
from bot.reminders.schedule import schedule_certificate_reminders
from bot.reminders.scheduler import ReminderScheduler, scheduler_running
from bot.reminders.sender import ReminderSender
from domain.validity import add_months
from fake_telegram import FakeTelegramServer, SimulatedUser
from storage import Certificate
from storage.reminders import SUPERSEDED
from tests.conftest import MOSCOW, RunningBot, make_settings, run_bot

EXPIRES = date(2026, 12, 20)  # TEST_NOW is 28.11.2026 12:00 MSK


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=MOSCOW)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, reminder_scan_seconds=3600)


@contextlib.asynccontextmanager
async def harness(
    settings: Settings, server: FakeTelegramServer, clock: FrozenClock, **sender_options: object
) -> AsyncIterator[tuple[AppContext, ReminderSender]]:
    """The app (DB) and a reminder sender talking to the fake Bot API; no polling, no scheduler."""
    settings = settings.model_copy(update={"telegram_api_url": server.base_url})
    async with open_app(settings, clock=clock) as app:
        bot = create_bot(settings)
        for middleware in sender_options.pop("request_middlewares", ()):  # type: ignore[attr-defined]
            bot.session.middleware(middleware)
        try:
            yield (
                app,
                ReminderSender(
                    bot,
                    app.repo,
                    app.i18n,
                    clock,
                    **sender_options,  # type: ignore[arg-type]
                ),
            )
        finally:
            await bot.session.close()


async def add_certificate(
    app: AppContext, user_id: int, expires_on: date = EXPIRES, *, language: str | None = None
) -> Certificate:
    now = app.clock.now()
    await app.repo.users.touch(user_id, now)
    if language:
        await app.repo.users.set_language(user_id, language)
    certificate = await app.repo.certificates.add(
        user_id,
        holder_name="Иванов Иван",
        test_date=add_months(expires_on, -6),
        expires_on=expires_on,
        now=now,
    )
    await schedule_certificate_reminders(app.repo, app.settings, certificate, now=now)
    return certificate


def texts(server: FakeTelegramServer, chat_id: int) -> list[str]:
    return [message.text or "" for message in server.sent_to(chat_id)]


async def states(app: AppContext, user_id: int) -> dict[int, str]:
    return {r.offset_days: r.state for r in await app.repo.reminders.list_for_user(user_id)}


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> None:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def scheduler_of(running: RunningBot) -> ReminderScheduler:
    scheduler = running.dp["reminder_scheduler"]
    assert isinstance(scheduler, ReminderScheduler)
    return scheduler


async def first_scan_done(running: RunningBot) -> None:
    scheduler = scheduler_of(running)

    async def done() -> bool:
        return scheduler.runs >= 1

    await eventually(done)


# ---------------------------------------------------------------------------- scheduling


async def test_each_reminder_once_on_its_day_at_its_hour(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2001, started=True)
    async with harness(settings, fake_server, clock) as (app, sender):
        await add_certificate(app, 2001)
        assert (await sender.scan()).claimed == 0
        for day, expected in [
            (date(2026, 12, 6), "осталось 14 дней"),
            (date(2026, 12, 17), "осталось 3 дня"),
            (date(2026, 12, 20), "Сегодня, 20.12.2026"),
        ]:
            clock.set(at(day, 9, 59))
            assert (await sender.scan()).sent == 0, "not before the hour"
            clock.set(at(day, 10, 0))
            assert (await sender.scan()).sent == 1
            assert (await sender.scan()).claimed == 0, "not twice"
            clock.advance(timedelta(hours=5))
            assert (await sender.scan()).claimed == 0
            last = fake_server.sent_to(2001)[-1]
            assert expected in (last.text or "")
        sent = texts(fake_server, 2001)
        assert len(sent) == 3
        assert all("20.12.2026" in text for text in sent)
        assert all("нельзя оформить повторно" in text and "ПЦР" in text for text in sent)
        assert fake_server.sent_to(2001)[0].button_labels == ["🔕 Отключить напоминания"]
        assert set((await states(app, 2001)).values()) == {"sent"}


async def test_english_reminder_and_plural(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2002, started=True, language_code="en")
    async with harness(settings, fake_server, clock) as (app, sender):
        await add_certificate(app, 2002, date(2026, 12, 1), language="en")  # 3 days: 28.11
        clock.set(at(date(2026, 11, 28), 12))
        await sender.scan()
        (text,) = texts(fake_server, 2002)
        assert "valid until 01.12.2026: 3 days left" in text
        assert "can't be generated twice" in text and "PCR" in text


async def test_days_already_over_are_not_scheduled_today_is_sent_at_next_scan(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2003, started=True)
    clock.set(at(date(2026, 12, 17), 15))  # a reminder day, after the hour
    async with harness(settings, fake_server, clock) as (app, sender):
        await add_certificate(app, 2003)
        assert sorted(await states(app, 2003)) == [0, 3]
        assert (await sender.scan()).sent == 1
        assert "осталось 3 дня" in texts(fake_server, 2003)[0]


async def test_schedule_is_idempotent_and_respects_reminders_off(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    async with harness(settings, fake_server, clock) as (app, _):
        certificate = await add_certificate(app, 2004)
        again = await schedule_certificate_reminders(
            app.repo, app.settings, certificate, now=clock.now()
        )
        assert len(again) == 3
        await app.repo.users.touch(2005, clock.now())
        await app.repo.users.set_reminders_enabled(2005, False)
        await add_certificate(app, 2005)
        assert set((await states(app, 2005)).values()) == {"cancelled"}


# ---------------------------------------------------------------------------- on / off


async def test_reminders_command_turns_off_and_on(
    running_bot: RunningBot, user: SimulatedUser, clock: FrozenClock
) -> None:
    await first_scan_done(running_bot)
    app = running_bot.app
    sender = ReminderSender(running_bot.bot, app.repo, app.i18n, clock)
    replies = await user.send("/reminders")
    assert "Напоминания <b>включены</b>" in (replies[-1].html or "")
    assert "Запланированных напоминаний пока нет" in (replies[-1].text or "")
    await add_certificate(app, user.id)
    replies = await user.send("/reminders")
    assert "Ближайшее напоминание: 06.12.2026" in (replies[-1].text or "")

    await user.click("🔕 Отключить напоминания")
    assert user.last_callback_answer and "отключены" in user.last_callback_answer["text"]
    stored = await app.repo.users.get(user.id)
    assert stored is not None and not stored.reminders_enabled
    assert set((await states(app, user.id)).values()) == {"cancelled"}
    before = len(user.messages)
    clock.set(at(date(2026, 12, 6)))
    assert (await sender.scan()).claimed == 0
    assert len(user.messages) == before

    clock.set(at(date(2026, 12, 10)))
    await user.click("🔔 Включить напоминания")
    # the 14-day reminder's day is over: only the future ones come back
    assert await states(app, user.id) == {14: "cancelled", 3: "pending", 0: "pending"}
    clock.set(at(date(2026, 12, 17)))
    assert (await sender.scan()).sent == 1
    assert "осталось 3 дня" in (user.messages[-1].text or "")

    # the button under a reminder turns them off too
    await user.click("🔕 Отключить напоминания", message=user.messages[-1])
    assert await states(app, user.id) == {14: "cancelled", 3: "sent", 0: "cancelled"}
    clock.set(at(date(2026, 12, 20)))
    assert (await sender.scan()).claimed == 0


# ---------------------------------------------------------------------------- exactly once


async def test_restart_between_scans_sends_nothing_twice(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2010, started=True)
    async with harness(settings, fake_server, clock) as (app, _):
        await add_certificate(app, 2010)
    clock.set(at(date(2026, 12, 6), 11))
    async with run_bot(settings, fake_server, clock) as running:  # start-up scan sends it
        await first_scan_done(running)
        assert scheduler_running(running.dp)
        assert len(texts(fake_server, 2010)) == 1
    assert not scheduler_running(running.dp)
    async with run_bot(settings, fake_server, clock) as running:  # restart: nothing again
        await first_scan_done(running)
        assert scheduler_of(running).last_report is not None
        assert scheduler_of(running).last_report.claimed == 0
        clock.set(at(date(2026, 12, 17)))
        sender = scheduler_of(running).sender
        assert sender is not None
        await sender.scan()
    assert len(texts(fake_server, 2010)) == 2
    async with harness(settings, fake_server, clock) as (app, sender):  # reopened DB
        assert (await sender.scan()).claimed == 0
        assert await states(app, 2010) == {14: "sent", 3: "sent", 0: "pending"}


async def test_stop_mid_batch_hands_the_rest_back(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    users = list(range(2020, 2026))
    for uid in users:
        fake_server.user(uid, started=True)

    class StopAtTheThirdSend(BaseRequestMiddleware):
        sender: ReminderSender | None = None
        sends = 0

        async def __call__(self, make_request: Any, bot: Bot, method: Any) -> Any:
            self.sends += 1
            if self.sends == 3 and self.sender is not None:
                self.sender.request_stop()
            return await make_request(bot, method)

    stopper = StopAtTheThirdSend()
    async with harness(settings, fake_server, clock, request_middlewares=[stopper]) as (
        app,
        sender,
    ):
        stopper.sender = sender
        for uid in users:
            await add_certificate(app, uid)
        clock.set(at(date(2026, 12, 6)))
        report = await sender.scan()
        assert (report.sent, report.released) == (3, 3)
        counts = await app.repo.reminders.count_by_state()
        assert counts["sending"] == 0
    async with harness(settings, fake_server, clock) as (app, sender):  # restart
        assert (await sender.scan()).sent == 3
    assert all(len(texts(fake_server, uid)) == 1 for uid in users)


async def test_kill_mid_batch_loses_nothing_and_repeats_at_most_once(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    users = list(range(2030, 2040))
    for uid in users:
        fake_server.user(uid, started=True)
    clock.set(at(date(2026, 12, 6)))
    async with harness(settings, fake_server, clock) as (app, sender):
        for uid in users:
            await add_certificate(app, uid)
        # a worker claimed the batch, sent 4 messages and died (kill -9) before marking anything
        claimed = await app.repo.reminders.claim_due(clock.now(), 50)
        assert len(claimed) == 10
        for reminder in claimed[:4]:
            await sender.bot.send_message(reminder.user_id, "(sent before the crash)")
    async with harness(settings, fake_server, clock) as (app, sender):  # new process
        assert (await sender.scan()).claimed == 0, "a fresh claim is not taken over"
        clock.advance(timedelta(minutes=5, seconds=1))  # past the stale-claim timeout
        report = await sender.scan()
        assert report.sent == 10
        assert (await sender.scan()).claimed == 0
        counts = await app.repo.reminders.count_by_state()
        assert (counts["sent"], counts["sending"]) == (10, 0)
    per_user = [len(texts(fake_server, uid)) for uid in users]
    assert per_user == [2] * 4 + [1] * 6  # none lost; the 4 in doubt repeated once, no more


# ---------------------------------------------------------------------------- catch-up


async def test_catch_up_after_downtime_sends_one_message_per_certificate(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2050, started=True)
    fake_server.user(2051, started=True)
    async with harness(settings, fake_server, clock) as (app, sender):
        await add_certificate(app, 2050, EXPIRES)  # 14, 3 and 0 all due by 20.12 11:00
        await add_certificate(app, 2051, date(2026, 12, 30))  # only its 14-day one is due
        clock.set(at(date(2026, 12, 20), 11))  # the bot was down since 28.11
        report = await sender.scan()
        assert (report.sent, report.superseded) == (2, 2)
        (text,) = texts(fake_server, 2050)
        assert "Сегодня, 20.12.2026" in text
        (text,) = texts(fake_server, 2051)
        assert "осталось 10 дней" in text  # days left counted from today, not from the offset
        rows = {r.offset_days: r for r in await app.repo.reminders.list_for_user(2050)}
        assert rows[0].state == "sent" and rows[0].sent_at is not None
        assert all(rows[o].state == "sent" and rows[o].sent_at is None for o in (14, 3))
        assert rows[14].last_error == SUPERSEDED
        assert await states(app, 2051) == {14: "sent", 3: "pending", 0: "pending"}


# ---------------------------------------------------------------------------- failures


async def test_blocked_users_are_skipped_and_recorded(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    for uid in (2060, 2061, 2062):
        fake_server.user(uid, started=True)
    fake_server.block_user(2061, notify=False)
    async with harness(settings, fake_server, clock) as (app, sender):
        for uid in (2060, 2061, 2062):
            await add_certificate(app, uid)
        await app.repo.users.set_blocked(2062, True, clock.now())  # known from my_chat_member
        clock.set(at(date(2026, 12, 6)))
        report = await sender.scan()
        assert (report.sent, report.blocked) == (1, 2)
        assert (await states(app, 2061))[14] == "blocked"
        assert (await states(app, 2062))[14] == "blocked"
        user = await app.repo.users.get(2061)
        assert user is not None and user.is_blocked
        assert not [
            r for r in fake_server.requests_for("sendMessage") if str(r.params["chat_id"]) == "2062"
        ], "a known block costs no request"


async def test_transient_errors_back_off_then_give_up(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    fake_server.user(2070, started=True)
    fake_server.user(2071, started=True)
    async with harness(settings, fake_server, clock, max_attempts=3) as (app, sender):
        await add_certificate(app, 2070)
        await add_certificate(app, 2071)
        clock.set(at(date(2026, 12, 6)))
        fake_server.fail_next("sendMessage", 500, times=2)
        report = await sender.scan()
        assert (report.retry_later, report.sent) == (2, 0)
        clock.advance(timedelta(seconds=59))
        assert (await sender.scan()).claimed == 0, "back-off: 1 minute after the 1st attempt"
        clock.advance(timedelta(seconds=1))
        assert (await sender.scan()).sent == 2

        clock.set(at(date(2026, 12, 17)))
        fake_server.fail_next("sendMessage", 502, times=100)
        assert (await sender.scan()).retry_later == 2
        clock.advance(timedelta(minutes=1))
        assert (await sender.scan()).retry_later == 2
        clock.advance(timedelta(minutes=1))
        assert (await sender.scan()).claimed == 0, "2nd back-off is 2 minutes"
        clock.advance(timedelta(minutes=1))
        assert (await sender.scan()).failed == 2  # 3rd attempt: give up
        fake_server.clear_faults()
        assert (await states(app, 2070))[3] == "failed"
        assert len(texts(fake_server, 2070)) == 1


# ---------------------------------------------------------------------------- scheduler job


async def test_apscheduler_job_runs_every_interval(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    settings = make_settings(tmp_path, reminder_scan_seconds=1)
    fake_server.user(2080, started=True)
    async with run_bot(settings, fake_server, clock) as running:
        await first_scan_done(running)
        assert scheduler_running(running.dp)
        await add_certificate(running.app, 2080, date(2026, 11, 28))  # expires today: due now

        async def delivered() -> bool:
            return len(texts(fake_server, 2080)) == 1

        async def second_run() -> bool:
            return scheduler_of(running).runs >= 2

        await eventually(delivered, timeout=5)
        await eventually(second_run, timeout=5)
    assert not scheduler_running(running.dp)


# ---------------------------------------------------------------------------- pacing


async def test_500_reminders_under_flood_control(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    """Telegram-like limits (30/s global, 1/s per chat) against the default pacing (25/s)."""
    users = list(range(10_000, 10_500))
    blocked = set(users[::100])
    for uid in users:
        fake_server.user(uid, started=True)
    for uid in blocked:
        fake_server.block_user(uid, notify=False)
    async with harness(settings, fake_server, clock) as (app, _):
        for uid in users:
            await add_certificate(app, uid)
    clock.set(at(date(2026, 12, 6)))
    fake_server.flood_limit(per_second=30, per_chat_per_second=1)
    fake_server.fail_next("sendMessage", 429, retry_after=1)  # and one flood wait on top
    async with run_bot(settings, fake_server, clock) as running:  # the start-up scan sends all
        started = time.monotonic()
        repo = running.repo

        async def all_done() -> bool:
            counts = await repo.reminders.count_by_state()
            return counts["sent"] + counts["blocked"] == len(users)

        await eventually(all_done, timeout=40)
        elapsed = time.monotonic() - started
        counts = await repo.reminders.count_by_state()
    assert counts["sent"] == len(users) - len(blocked)
    assert counts["blocked"] == len(blocked)
    for uid in users:
        assert len(texts(fake_server, uid)) == (0 if uid in blocked else 1)
    assert fake_server.stats.sends_during_retry_after == 0
    assert fake_server.stats.flood_429 == 0
    assert elapsed > (len(users) - 1) / 25 * 0.9  # really paced, not just lucky


# ---------------------------------------------------------------------------- scale


async def test_due_queries_use_the_partial_index(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    """No full scan of `reminders` in a scan (benchmarks/reminders_scan.py has the figures)."""
    async with harness(settings, fake_server, clock) as (app, _):
        statements: list[str] = []
        await app.db.conn.set_trace_callback(statements.append)
        await app.repo.reminders.skip_superseded(clock.now())
        await app.repo.reminders.claim_due(clock.now(), 50, max_attempts=5)
        await app.db.conn.set_trace_callback(None)
        due_queries = [s for s in statements if s.lstrip().upper().startswith("UPDATE REMINDERS")]
        assert len(due_queries) == 3
        for sql in due_queries:
            rows = await app.db.fetchall("EXPLAIN QUERY PLAN " + sql)
            plan = " | ".join(row["detail"] for row in rows)
            assert "reminders_due" in plan, plan
            assert "SCAN reminders" not in plan, plan
