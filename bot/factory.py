"""Builds the bot, the dispatcher and what they share; used by every runner (polling, webhook,
console)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatType, ParseMode
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage

from bot.broadcast import Broadcasts
from bot.clock import Clock
from bot.config import REDIS_SCHEMES, Settings
from bot.faq.library import FaqLibrary
from bot.health import HealthCheck
from bot.i18n import LOCALES_DIR, I18n
from bot.kept_questions import KeptQuestions
from bot.middlewares.command_case import LowerCaseCommands
from bot.middlewares.context import LanguageMiddleware, RepositoriesMiddleware
from bot.middlewares.fairness import FloodGuard, OnePersonAtATime
from bot.middlewares.logcontext import install_log_context
from bot.middlewares.response_types import PinResponseModels
from bot.outbound import OutboundLimiter, OutboundLimits
from bot.routers import (
    broadcast,
    certificate,
    check,
    deeplink,
    errors,
    fallback,
    faq,
    forget,
    guide,
    membership,
    reminders,
    staff,
    start,
    support,
    teach,
)
from bot.staff_desk import StaffDesk
from bot.support_desk import SupportDesk
from storage import Database, Repositories
from storage.fsm import SQLiteStorage

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    """Everything a running bot shares between updates; built once at start."""

    settings: Settings
    db: Database
    repo: Repositories
    i18n: I18n
    clock: Clock
    faq: FaqLibrary
    health: HealthCheck = field(default_factory=HealthCheck)
    """Checks behind /healthz; each part registers its own (see bot/health.py)."""


@asynccontextmanager
async def open_app(
    settings: Settings, *, clock: Clock | None = None, faq_dir: Path | None = None
) -> AsyncIterator[AppContext]:
    """Load the texts and the FAQ first (a broken file stops the start: `FaqContentError` names the
    file and line), then open the database. `faq_dir` (tests): where `<lang>/faq.toml` are."""
    i18n = I18n(default=settings.default_language)
    faq_library = FaqLibrary.load(
        faq_dir or LOCALES_DIR, i18n.languages, default=settings.default_language
    )
    db = await Database.open(settings.database_path)
    try:
        app = AppContext(
            settings=settings,
            db=db,
            repo=Repositories.create(db),
            i18n=i18n,
            clock=clock or Clock(settings.zone),
            faq=faq_library,
        )
        app.health.register("database", db.ping)
        taught = await app.repo.wordings.all()
        faq_library.learn((w.language, w.entry_id, w.text) for w in taught)
        yield app
    finally:
        await db.close()


def create_bot(settings: Settings, token: str | None = None) -> Bot:
    secret = token or (settings.bot_token.get_secret_value() if settings.bot_token else None)
    if secret is None:
        raise RuntimeError("BOT_TOKEN is not set")
    session = AiohttpSession()
    if settings.telegram_api_url:
        session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url))
    session.middleware(PinResponseModels())
    session.middleware(
        OutboundLimiter(
            OutboundLimits(
                per_second=settings.send_rate_per_second,
                per_chat_per_second=settings.send_per_chat_per_second,
                per_group_per_minute=settings.support_posts_per_minute,
            )
        )
    )
    default = DefaultBotProperties(parse_mode=ParseMode.HTML)
    return Bot(token=secret, session=session, default=default)


CONVERSATION_TTL_SECONDS = 24 * 3600
"""A conversation's data is kept this long after it was last touched (bot/retention.py)."""


class FsmStorageUnavailable(RuntimeError):
    """FSM_STORAGE names a storage this installation cannot provide."""


def create_fsm_storage(app: AppContext) -> BaseStorage:
    """FSM_STORAGE: ``sqlite`` (default: the bot's database, survives restarts), ``memory`` (lost on
    restart; tests, experiments) or a ``redis://…`` URL (several bot processes sharing the load)."""
    kind = app.settings.fsm_storage
    if kind == "sqlite":
        return SQLiteStorage(app.db, now=app.clock.now)
    if kind == "memory":
        return MemoryStorage()
    if kind.startswith(REDIS_SCHEMES):
        try:
            from aiogram.fsm.storage.redis import RedisStorage
        except ImportError:
            raise FsmStorageUnavailable(
                "FSM_STORAGE is a redis URL but the redis package is not installed: "
                "pip install 'antibody-bot[redis]'"
            ) from None
        # Same key layout as SQLiteStorage, so moving between the two is a data copy.
        builder = DefaultKeyBuilder(
            prefix="antibody-fsm",
            with_bot_id=True,
            with_business_connection_id=True,
            with_destiny=True,
        )
        # a conversation left for a day is forgotten (bot/retention.py does it for SQLite)
        day = int(CONVERSATION_TTL_SECONDS)
        return RedisStorage.from_url(kind, key_builder=builder, state_ttl=day, data_ttl=day)
    raise FsmStorageUnavailable(f"FSM_STORAGE: unknown storage {kind!r}")


def private_chats() -> Router:
    """Parent router of everything a citizen does in a private chat with the bot."""
    router = Router(name="private")
    router.message.filter(F.chat.type == ChatType.PRIVATE)
    router.callback_query.filter(F.message.chat.type == ChatType.PRIVATE)
    router.my_chat_member.filter(F.chat.type == ChatType.PRIVATE)
    # First: most updates are free-text questions, and its free-text handler takes only text
    # outside any conversation that is not a command, so no other router's update is taken.
    router.include_router(faq.create_router())
    router.include_router(deeplink.create_router())  # before start: /start c_<token>
    router.include_routers(
        start.create_router(),
        membership.create_router(),
        support.create_router(),
        teach.create_router(),
        broadcast.create_router(),
        staff.create_router(),
    )
    router.include_routers(check.create_router(), guide.create_router())
    router.include_router(reminders.create_router())
    router.include_routers(certificate.create_router(), forget.create_router())
    return router


def support_chat(chat_id: int) -> Router:
    """Parent router of the support group (SUPPORT_CHAT_ID): staff commands, replies to tickets."""
    router = Router(name="support-chat")
    router.message.filter(F.chat.id == chat_id)
    router.callback_query.filter(F.message.chat.id == chat_id)
    router.include_router(teach.create_router())
    router.include_router(broadcast.create_router())
    router.include_router(staff.create_router(support_chat=True))
    return router


def create_dispatcher(app: AppContext, *, storage: BaseStorage | None = None) -> Dispatcher:
    kept_questions = KeptQuestions(app.clock.now)
    dp = Dispatcher(
        storage=storage or create_fsm_storage(app),
        settings=app.settings,
        clock=app.clock,
        i18n_hub=app.i18n,
        faq=app.faq,
        kept_questions=kept_questions,
        broadcasts=Broadcasts(app.repo, app.i18n, app.clock),
        support=SupportDesk(app.repo, app.clock, app.i18n, app.settings, kept_questions),
        desk=StaffDesk(app.repo, app.clock, app.i18n, app.settings),
    )
    # first: a flood is dropped as it comes, and a person's updates keep their order
    dp.update.outer_middleware(
        FloodGuard(
            app.i18n,
            app.repo,
            exempt=frozenset(app.settings.admin_ids),
            burst=app.settings.flood_burst,
            refill_seconds=app.settings.flood_refill_seconds,
        )
    )
    dp.update.outer_middleware(OnePersonAtATime())
    install_log_context(dp)
    dp.message.outer_middleware(LowerCaseCommands())
    dp.update.outer_middleware(RepositoriesMiddleware(app.repo))
    dp.update.outer_middleware(LanguageMiddleware(app.i18n, app.repo))
    private = private_chats()
    private.include_router(fallback.create_router())
    dp.include_routers(errors.create_router(), faq.create_inline_router(), private)
    if app.settings.support_chat_id is not None:
        dp.include_router(support_chat(app.settings.support_chat_id))
    return dp
