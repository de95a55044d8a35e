"""Keeps aiogram's parametrised ``Response[...]`` models alive for the whole run.

aiogram validates every Bot API answer with ``Response[method.__returning__]``. pydantic caches
parametrised generic models only weakly, so once a garbage collection has run, the next request
of that method builds the model again: ~10-30 ms of CPU in the event loop, on the hot path, over
and over (the throughput benchmark's profile showed it in ~2% of all requests, ~10% of CPU).
Holding one strong reference per method type makes the first build the only one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

if TYPE_CHECKING:
    from aiogram import Bot


class PinResponseModels(BaseRequestMiddleware):
    def __init__(self) -> None:
        self._pinned: dict[type[Any], Any] = {}

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        kind = type(method)
        if kind not in self._pinned:
            self._pinned[kind] = Response[method.__returning__]  # type: ignore[name-defined]
        return await make_request(bot, method)
