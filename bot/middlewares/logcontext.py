"""Per-update logging context: update id, user id and handler name on every log line of an update.

:class:`UpdateLogContext` (outer, on ``dp.update``) starts a fresh context for each update;
:class:`HandlerNameLogContext` (inner, on every event observer: aiogram passes the chosen
``HandlerObject`` in ``data["handler"]`` to inner middlewares only) adds the handler's name.
:class:`bot.logging_setup.UpdateContextFilter` copies the context onto log records.

The context is deliberately not reset when the update's middleware chain returns: aiogram handles
each update in its own task (polling and webhook alike), so the values die with the task, and the
errors router (which aiogram runs *outside* the outer middlewares) still logs with them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from typing import Any

from aiogram import BaseMiddleware, Dispatcher
from aiogram.types import TelegramObject, Update, User

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]

_context: ContextVar[dict[str, Any] | None] = ContextVar("update_log_context", default=None)


def current_update_context() -> dict[str, Any] | None:
    return _context.get()


def handler_name(callback: Any) -> str:
    module = getattr(callback, "__module__", None) or ""
    name = getattr(callback, "__qualname__", None) or type(callback).__name__
    return f"{module.removeprefix('bot.routers.')}.{name}" if module else name


class UpdateLogContext(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        _context.set(
            {
                "update_id": event.update_id if isinstance(event, Update) else None,
                "user_id": user.id if user is not None else None,
                "handler": None,
            }
        )
        return await handler(event, data)


class HandlerNameLogContext(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = _context.get()
        chosen = data.get("handler")
        if context is not None and chosen is not None:
            context["handler"] = handler_name(chosen.callback)
        return await handler(event, data)


def install_log_context(dp: Dispatcher) -> None:
    """Outer middleware on updates, inner middleware on every event type (children inherit it)."""
    dp.update.outer_middleware(UpdateLogContext())
    inner = HandlerNameLogContext()
    for name, observer in dp.observers.items():
        if name not in {"update", "error"}:
            observer.middleware(inner)
