"""Shared fixtures: settings on a temp database, a frozen clock, the fake Bot API and a running bot.

`running_bot` is the real thing end to end: the real Dispatcher with every router and middleware, a
real aiogram Bot talking HTTP to `fake_telegram.FakeTelegramServer` on 127.0.0.1, real long polling.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from aiogram import Bot, Dispatcher

from bot.clock import FrozenClock
from bot.config import Settings
from bot.factory import AppContext, open_app
from bot.lifecycle import build_running_bot
from fake_telegram import FakeTelegramServer, SimulatedUser
from storage import Repositories

MOSCOW = ZoneInfo("Europe/Moscow")
TEST_NOW = datetime(2026, 11, 28, 12, 0, tzinfo=MOSCOW)
ADMIN_ID = 1
SUPPORT_CHAT_ID = -1001234567890


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "bot_token": "123:abc",
        "secret_key": "test-secret-key-0123456789abcdef",
        "database_path": tmp_path / "bot.sqlite3",
        "admin_ids": [ADMIN_ID],
        "support_chat_id": SUPPORT_CHAT_ID,
        "timezone": "Europe/Moscow",
        "default_language": "ru",
        # Simulated people act at machine speed: one chat and the group are hardly paced, nobody is
        # slowed (the tests of those set them back: tests/test_outbound.py, tests/test_fairness.py,
        # the support group's crowd in tests/test_support.py).
        "send_per_chat_per_second": 1000.0,
        "support_posts_per_minute": 600.0,
        "flood_burst": 1_000_000,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(MOSCOW, TEST_NOW)


@pytest.fixture
async def fake_server() -> AsyncIterator[FakeTelegramServer]:
    async with FakeTelegramServer(bot_username="antibody_test_bot") as server:
        yield server


@dataclass
class RunningBot:
    app: AppContext
    bot: Bot
    dp: Dispatcher
    server: FakeTelegramServer

    @property
    def repo(self) -> Repositories:  # convenience for tests
        return self.app.repo


@contextlib.asynccontextmanager
async def run_bot(
    settings: Settings, server: FakeTelegramServer, clock: FrozenClock
) -> AsyncIterator[RunningBot]:
    settings = settings.model_copy(update={"telegram_api_url": server.base_url})
    async with open_app(settings, clock=clock) as app:
        bot, dp = build_running_bot(app)
        server.attach(dp)
        polling = asyncio.create_task(
            dp.start_polling(
                bot,
                handle_signals=False,
                polling_timeout=1,
                allowed_updates=dp.resolve_used_update_types(),
            )
        )
        try:
            await server.wait_polling()
            yield RunningBot(app=app, bot=bot, dp=dp, server=server)
        finally:
            with contextlib.suppress(RuntimeError):
                await dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(polling, 10)


@pytest.fixture
async def running_bot(
    settings: Settings, fake_server: FakeTelegramServer, clock: FrozenClock
) -> AsyncIterator[RunningBot]:
    async with run_bot(settings, fake_server, clock) as running:
        yield running


@pytest.fixture
def user(running_bot: RunningBot) -> SimulatedUser:
    """A Russian-speaking citizen in a private chat with the running bot."""
    return running_bot.server.user(1001, "Анна", language_code="ru")


@pytest.fixture
def english_user(running_bot: RunningBot) -> SimulatedUser:
    return running_bot.server.user(1002, "John", language_code="en")
