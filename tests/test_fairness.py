"""Inbound fairness (bot/middlewares/fairness.py): a person's updates one at a time, in order; a
person writing faster than anybody types is slowed, and nobody else waits for them."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bot.clock import FrozenClock
from fake_telegram import FakeTelegramServer, SimulatedUser
from tests.conftest import make_settings, run_bot
from tests.test_check import GOOD, RU, STEP_ORDER, start_check
from tests.test_support import wait_for

SLOW_DOWN = "Слишком много сообщений подряд"


async def test_a_flood_gets_one_slow_down_and_delays_nobody_else(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    settings = make_settings(
        tmp_path, flood_burst=5, flood_refill_seconds=30, send_per_chat_per_second=1.0
    )
    async with run_bot(settings, fake_server, clock) as running:
        server = running.server
        server.flood_limit(per_second=30, per_chat_per_second=1)
        flooder = server.user(3001, "Флуд", language_code="ru")
        other = server.user(3002, "Ольга", language_code="ru")
        for index in range(100):
            server.new_incoming_message(flooder.data, flooder.chat, text=f"как получить qr {index}")
        await asyncio.sleep(0.3)  # the flood is being handled
        started = time.monotonic()
        replies = await other.send("сколько действует сертификат")
        other_wait = time.monotonic() - started

        def flood_handled() -> bool:
            return len(server.sent_to(flooder.id)) >= 6

        await wait_for(flood_handled, 20)
        await asyncio.sleep(1.5)
        got = [m.text or "" for m in server.sent_to(flooder.id)]
    assert replies and "6 месяцев" in (replies[-1].text or "")
    assert other_wait < 2.0  # a bound for a loaded test machine; the figure: benchmarks.burst
    assert sum(SLOW_DOWN in text for text in got) == 1
    assert len(got) == 6  # five answers, one "slow down", the other 95 skipped
    assert server.stats.flood_429 == 0


async def test_a_double_tap_on_the_last_answer_gives_one_verdict(
    tmp_path: Path, fake_server: FakeTelegramServer, clock: FrozenClock
) -> None:
    async with run_bot(make_settings(tmp_path), fake_server, clock) as running:
        user = running.server.user(3003, "Анна", language_code="ru")
        given = dict(GOOD)
        await run_check_until_last(user, given)
        await user.double_click(RU(f"check-issued-{given['issued']}"))
        await asyncio.sleep(0.5)
        verdicts = [m for m in user.messages if (m.text or "").startswith("✅")]
        stats = await running.repo.checks.stats()
    assert len(verdicts) == 1
    assert stats.by_outcome == {"eligible": 1}


async def run_check_until_last(user: SimulatedUser, given: dict[str, str]) -> None:
    """Every /check answer but the last (issued)."""
    await start_check(user, RU)
    for step in STEP_ORDER[:-1]:
        if step == "date":
            await user.send(given["date"], expect=1)
        else:
            await user.click(RU(f"check-{step}-{given[step]}"), expect=1)
