"""Puts the repositories and the user's language into every handler's arguments.

Read-only on purpose: middlewares here never write; handlers do their own writes where they can be
seen.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, User

from bot.i18n import I18n
from storage import Repositories

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class RepositoriesMiddleware(BaseMiddleware):
    def __init__(self, repo: Repositories) -> None:
        self.repo = repo

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        data["repo"] = self.repo
        return await handler(event, data)


class LanguageMiddleware(BaseMiddleware):
    """Picks the user's language: their explicit choice, else Telegram's, else the default."""

    def __init__(self, i18n: I18n, repo: Repositories) -> None:
        self.i18n = i18n
        self.repo = repo

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chosen = await self.repo.users.language_of(user.id) if user else None
        language = self.i18n.pick(chosen, user.language_code if user else None)
        data["language"] = language
        data["i18n"] = self.i18n.get(language)
        return await handler(event, data)
