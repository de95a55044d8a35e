"""The one outbound path (bot/outbound.py): every call of a real aiogram Bot, over HTTP, to the fake
Bot API: pacing per bot and per chat, 429s waited out and retried, transient failures retried only
where a repeat cannot duplicate a message, priorities, one log line per refusal."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramRetryAfter, TelegramServerError

from bot.factory import create_bot
from bot.outbound import Priority, sending_as
from fake_telegram import FakeTelegramServer
from tests.conftest import RunningBot, make_settings
from tests.test_support import wait_for


@contextlib.asynccontextmanager
async def bot_for(
    server: FakeTelegramServer, tmp_path: Path, **settings: object
) -> AsyncIterator[Bot]:
    bot = create_bot(make_settings(tmp_path, telegram_api_url=server.base_url, **settings))
    try:
        yield bot
    finally:
        await bot.session.close()


def texts(server: FakeTelegramServer, chat_id: int) -> list[str | None]:
    return [m.text for m in server.sent_to(chat_id)]


async def test_a_429_holds_every_send_and_the_refused_message_is_sent_again(
    fake_server: FakeTelegramServer, tmp_path: Path
) -> None:
    for uid in (10, 11):
        fake_server.user(uid, started=True)
    fake_server.fail_next("sendMessage", 429, retry_after=1)
    async with bot_for(fake_server, tmp_path) as bot:
        started = time.monotonic()
        first = asyncio.create_task(bot.send_message(10, "first"))
        await asyncio.sleep(0.1)  # the 429 has come: the second waits for the end of the hold
        await bot.send_message(11, "second")
        await first
        elapsed = time.monotonic() - started
    assert texts(fake_server, 10) == ["first"]
    assert texts(fake_server, 11) == ["second"]
    assert fake_server.stats.sends_during_retry_after == 0
    assert elapsed >= 1.0


async def test_only_a_proxy_refusal_is_retried_where_a_repeat_could_do_it_twice(
    fake_server: FakeTelegramServer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake_server.user(10, started=True)
    async with bot_for(fake_server, tmp_path) as bot:
        fake_server.fail_next("sendMessage", 502)  # never reached the Bot API: safe to repeat
        await bot.send_message(10, "after a 502")
        assert texts(fake_server, 10) == ["after a 502"]

        # a 500 may come after the message went out: repeating could send it twice
        fake_server.fail_next("sendMessage", 500)
        before = len(fake_server.requests_for("sendMessage"))
        caplog.clear()
        with (
            caplog.at_level(logging.WARNING, logger="bot.outbound"),
            pytest.raises(TelegramServerError),
        ):
            await bot.send_message(10, "lost")
        assert len(fake_server.requests_for("sendMessage")) == before + 1
        refusals = [r for r in caplog.records if r.name == "bot.outbound"]
        assert len(refusals) == 1 and refusals[0].exc_info is None
        assert (
            "sendMessage" in refusals[0].getMessage() and "not retried" in refusals[0].getMessage()
        )

        # an edit after a 500 may have been made: repeated, it would be refused as "not modified"
        message_id = fake_server.sent_to(10)[0].message_id
        fake_server.fail_next("editMessageText", 500)
        with pytest.raises(TelegramServerError):
            await bot.edit_message_text("edited", chat_id=10, message_id=message_id)
        fake_server.fail_next("editMessageText", 503)  # a proxy's refusal: repeated
        await bot.edit_message_text("edited", chat_id=10, message_id=message_id)
        # a 504 may come after the Bot API took the message: not repeated
        fake_server.fail_next("sendMessage", 504)
        with pytest.raises(TelegramServerError):
            await bot.send_message(10, "maybe")
    assert texts(fake_server, 10) == ["edited"]


async def test_one_chat_gets_a_short_burst_then_a_message_a_second_and_nothing_is_refused(
    fake_server: FakeTelegramServer, tmp_path: Path
) -> None:
    fake_server.user(10, started=True)
    fake_server.flood_limit(per_second=30, per_chat_per_second=1)
    async with bot_for(fake_server, tmp_path, send_per_chat_per_second=1.0) as bot:
        started = time.monotonic()
        await asyncio.gather(*(bot.send_message(10, f"m{i}") for i in range(5)))
        elapsed = time.monotonic() - started
    assert len(texts(fake_server, 10)) == 5
    assert fake_server.stats.flood_429 == 0
    assert elapsed >= 2.0  # three at once, then one a second


async def test_a_reply_overtakes_a_queued_broadcast(
    fake_server: FakeTelegramServer, tmp_path: Path
) -> None:
    recipients = list(range(100, 140))
    for uid in [*recipients, 10]:
        fake_server.user(uid, started=True)
    async with bot_for(fake_server, tmp_path, send_rate_per_second=10) as bot:
        with sending_as(Priority.BROADCAST):
            bulk = [asyncio.create_task(bot.send_message(uid, "news")) for uid in recipients]
        await asyncio.sleep(0.3)
        started = time.monotonic()
        await bot.send_message(10, "your answer")
        waited = time.monotonic() - started
        unsent = sum(not task.done() for task in bulk)
        await asyncio.gather(*bulk)
    assert waited < 2.0  # a slot or two at 10 a second, not the 36 sends queued before it (3.6 s)
    assert unsent >= 30
    order = [r.chat_id for r in fake_server.requests_for("sendMessage")]
    assert order.index(10) <= 6


async def test_calls_that_are_not_messages_are_never_held(
    fake_server: FakeTelegramServer, tmp_path: Path
) -> None:
    fake_server.user(10, started=True)
    fake_server.fail_next("sendMessage", 429, retry_after=3)
    async with bot_for(fake_server, tmp_path) as bot:
        sending = asyncio.create_task(bot.send_message(10, "held"))
        await asyncio.sleep(0.2)
        started = time.monotonic()
        await bot.get_me()
        assert time.monotonic() - started < 2.0  # not held for the 3 s of the retry_after
        assert not sending.done()
        await sending
    assert texts(fake_server, 10) == ["held"]


@pytest.mark.parametrize("status", [429, 502])
async def test_a_reply_that_meets_a_refusal_is_delivered_after_the_retry(
    running_bot: RunningBot, status: int
) -> None:
    user = running_bot.server.user(1001, "Анна", language_code="ru")
    running_bot.server.fail_next("sendMessage", status, retry_after=1 if status == 429 else None)
    replies = await user.send("/start", timeout=10, check_errors=False)
    assert any("Здравствуйте, Анна" in (m.text or "") for m in replies)
    assert running_bot.server.stats.sends_during_retry_after == 0


async def test_a_refused_reply_is_one_log_line_and_the_person_is_told(
    running_bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    user = running_bot.server.user(1001, "Анна", language_code="ru")
    running_bot.server.fail_next("sendMessage", 500)  # may have gone out: not repeated
    with caplog.at_level(logging.INFO):
        await user.send("/start", check_errors=False)

        def apologised() -> bool:
            return any("Что-то пошло не так" in (m.text or "") for m in user.messages)

        await wait_for(apologised, 10)
    failures = [r for r in caplog.records if r.name == "bot.errors"]
    assert len(failures) == 1 and failures[0].exc_info is None
    assert "sendMessage refused" in failures[0].getMessage()
    assert not any(r.exc_info for r in caplog.records)


async def test_a_flood_ban_fails_the_call_instead_of_freezing_the_bot(
    fake_server: FakeTelegramServer, tmp_path: Path
) -> None:
    for uid in (10, 11):
        fake_server.user(uid, started=True)
    fake_server.fail_next("sendMessage", 429, retry_after=3600)
    async with bot_for(fake_server, tmp_path) as bot:
        started = time.monotonic()
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(10, "banned")
        await bot.send_message(11, "the others go on")
        assert time.monotonic() - started < 2.0
    assert texts(fake_server, 11) == ["the others go on"]
