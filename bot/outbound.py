"""One outbound path for every Bot API call: Telegram's send limits, 429s and transient failures.

Telegram refuses more than about 30 messages a second from one bot, one a second in one private
chat and 20 a minute in one group, with ``429 Too Many Requests`` and a ``retry_after``; a bot that
keeps sending inside that window is refused for longer. aiogram neither paces nor retries, so
:class:`OutboundLimiter`, a session request middleware installed on every bot
(:func:`bot.factory.create_bot`), does it for every call made anywhere in the bot:

* **Pacing** (aiolimiter's leaky buckets): messages and edits take a slot of their chat (a short
  burst, then one a second in a private chat; ``per_group_per_minute`` in a group), then one of
  the bot (``per_second``, evenly spaced). Calls that are not messages (``answerCallbackQuery``,
  ``answerInlineQuery``, ``getMe``, ...) are never queued: an answer that comes late is dropped by
  Telegram.
* **Priorities**: the bot's slots go to the best waiting priority first: replies to a person's own
  action (the default), then reminders, then broadcasts. Bulk senders say what they are with
  ``with sending_as(Priority.BROADCAST): ...`` (a context variable, inherited by the tasks they
  start), so a running broadcast delays a reply by one slot at most.
* **429**: every paced send is held for ``retry_after`` and the same call is retried (bounded; a
  ``retry_after`` over ``longest_hold``, a flood ban, fails the call instead of freezing the bot).
* **Transient failures**: 502/503 (a proxy refused: the request never reached the Bot API) are
  retried with back-off for every method; other 5xx and network errors only for reads
  (``get*``): a message, an edit or an answer may have been done before the error.
* **Logging**: a refused call logs one line (method, code, chat, retry), never a traceback.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods.base import TelegramType
from aiolimiter import AsyncLimiter

from bot.buckets import KeyedBuckets
from bot.locks import KeyedLocks

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

__all__ = [
    "OutboundLimiter",
    "OutboundLimits",
    "OutboundStats",
    "Priority",
    "RequestTracker",
    "outbound_of",
    "sending_as",
    "tracking",
]

log = logging.getLogger(__name__)


class Priority(IntEnum):
    """Who waits for a send slot first: the lower, the sooner."""

    REPLY = 0
    REMINDER = 1
    BROADCAST = 2


_priority: ContextVar[Priority] = ContextVar("outbound_priority", default=Priority.REPLY)


@contextmanager
def sending_as(priority: Priority) -> Iterator[None]:
    """Calls made inside (and in tasks started inside) wait for slots with ``priority``."""
    token = _priority.set(priority)
    try:
        yield
    finally:
        _priority.reset(token)


@dataclass
class RequestTracker:
    """Tells a bulk sender whether its call reached Telegram: on cancellation, a call still
    waiting for its slot (``started`` False) sent nothing and can be handed back. ``on_start``
    is awaited when the slot is given, just before the request leaves (each try)."""

    started: bool = False
    on_start: Callable[[], Awaitable[object]] | None = None
    on_refused: Callable[[], Awaitable[object]] | None = None
    """Awaited when Telegram refused the call with a 429 (nothing went out; it waits again)."""


_tracker: ContextVar[RequestTracker | None] = ContextVar("outbound_tracker", default=None)


@contextmanager
def tracking(tracker: RequestTracker) -> Iterator[RequestTracker]:
    token = _tracker.set(tracker)
    try:
        yield tracker
    finally:
        _tracker.reset(token)


# Every method that puts a message into a chat or changes one: what Telegram's limits count.
PACED_METHODS = frozenset(
    {
        "sendMessage", "sendPhoto", "sendDocument", "copyMessage", "forwardMessage",
        "sendAudio", "sendVideo", "sendAnimation", "sendVoice", "sendSticker", "sendLocation",
        "sendContact", "sendPoll", "sendDice", "sendMediaGroup", "sendVideoNote", "sendVenue",
        "copyMessages", "forwardMessages", "editMessageText", "editMessageCaption",
        "editMessageReplyMarkup", "editMessageMedia",
    }
)  # fmt: skip
# Calls a repeat cannot turn into a second message.
# a proxy's refusal before the Bot API took the request (a 504 may come after it did)
_GATEWAY_ERRORS = ("Bad Gateway", "Service Unavailable")
_NOT_LOGGED = frozenset({"getUpdates"})  # aiogram's polling loop logs and backs off itself


@dataclass(frozen=True)
class OutboundLimits:
    per_second: float = 28.0
    """Messages a second for the whole bot (Telegram: about 30)."""
    per_chat_per_second: float = 1.0
    """Messages a second in one private chat (Telegram: about 1)..."""
    per_chat_burst: int = 3
    """... after a short burst ("we may allow short bursts that go over this limit")."""
    per_group_per_minute: float = 20.0
    """Messages a minute in one group (Telegram: about 20)."""
    max_retry_after: int = 5
    """429s waited out for one call before it fails."""
    longest_hold: float = 60.0
    """A ``retry_after`` longer than this (a flood ban) fails the call at once instead of
    holding every send that long."""
    transient_retries: int = 3
    """Repeats of a call refused with a 5xx or a network error (where a repeat is safe)."""
    backoff: float = 0.5
    """Seconds before the first repeat; doubled each time."""


@dataclass
class OutboundStats:
    sent: int = 0
    """Paced calls that Telegram accepted."""
    refused_429: int = 0
    retried: int = 0
    failed: int = 0
    waiting: int = 0
    """Calls waiting for a slot now."""
    peak_waiting: int = 0
    by_priority_wait: dict[Priority, float] = field(default_factory=dict)
    """Longest wait for a slot, per priority (seconds)."""

    def summary(self) -> str:
        waits = ", ".join(
            f"{p.name.lower()} {s:.1f}s" for p, s in sorted(self.by_priority_wait.items())
        )
        return (
            f"sent {self.sent}, 429 {self.refused_429}, retried {self.retried},"
            f" failed {self.failed}, peak queue {self.peak_waiting} calls,"
            f" longest wait: {waits or '-'}"
        )


class _PriorityTurn:
    """A lock handed to the best waiting priority first (arrival order within one priority)."""

    def __init__(self) -> None:
        self._held = False
        self._waiters: list[tuple[int, int, asyncio.Future[None]]] = []
        self._order = itertools.count()

    async def acquire(self, priority: int) -> None:
        if not self._held and not self._waiters:
            self._held = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiters, (priority, next(self._order), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():  # handed over, then cancelled
                self.release()
            raise

    def release(self) -> None:
        while self._waiters:
            _, _, future = heapq.heappop(self._waiters)
            if not future.done():
                future.set_result(None)  # the turn passes on: still held
                return
        self._held = False


class OutboundLimiter(BaseRequestMiddleware):
    """Session request middleware: paces, prioritises and retries every Bot API call.

    One per bot, created with the bot (aiolimiter's buckets belong to one event loop).
    """

    def __init__(self, limits: OutboundLimits | None = None) -> None:
        self.limits = limits = limits or OutboundLimits()
        # capacity 1: evenly spaced, never a burst (Telegram counts any one-second window)
        self._bot_slots = AsyncLimiter(1, 1.0 / limits.per_second)
        self._chat_slots = KeyedBuckets(self._new_chat_bucket)
        self._chat_turns = KeyedLocks()
        self._turn = _PriorityTurn()
        self._hold_until = 0.0
        self.stats = OutboundStats()

    # ------------------------------------------------------------------ public
    def hold(self, seconds: float) -> None:
        """No paced call goes out for ``seconds`` from now (extends, never shortens, a hold)."""
        now = asyncio.get_running_loop().time()
        self._hold_until = max(self._hold_until, now + max(0.0, seconds))

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        paced = name in PACED_METHODS
        chat_id = _chat_of(method)
        tracker = _tracker.get()
        limits = self.limits
        refusals = transient = 0
        while True:
            if paced:
                await self._slot(chat_id, _priority.get())
            if tracker is not None:
                tracker.started = True
                if tracker.on_start is not None:
                    await tracker.on_start()
            try:
                response = await make_request(bot, method)
            except TelegramRetryAfter as error:
                if tracker is not None:
                    tracker.started = False  # refused: nothing went out
                self.stats.refused_429 += 1
                refusals += 1
                if tracker is not None and tracker.on_refused is not None:
                    await tracker.on_refused()
                if (
                    not paced
                    or refusals > limits.max_retry_after
                    or error.retry_after > limits.longest_hold
                ):
                    self._log_refusal(name, chat_id, "429", error.message, None)
                    self.stats.failed += 1
                    raise
                self.hold(error.retry_after + 0.05)
                self._log_refusal(name, chat_id, "429", error.message, error.retry_after)
                self.stats.retried += 1
                continue
            except (TelegramServerError, TelegramNetworkError) as error:
                code = "network" if isinstance(error, TelegramNetworkError) else "5xx"
                if transient >= limits.transient_retries or not _safe_to_repeat(name, error):
                    self._log_refusal(name, chat_id, code, error.message, None)
                    self.stats.failed += 1
                    raise
                delay = limits.backoff * 2**transient
                transient += 1
                self._log_refusal(name, chat_id, code, error.message, delay)
                self.stats.retried += 1
                await asyncio.sleep(delay)
                continue
            if paced:
                self.stats.sent += 1
            return response

    # ------------------------------------------------------------------ slots
    async def _slot(self, chat_id: int | None, priority: Priority) -> None:
        stats = self.stats
        loop = asyncio.get_running_loop()
        asked = loop.time()
        stats.waiting += 1
        stats.peak_waiting = max(stats.peak_waiting, stats.waiting)
        try:
            if chat_id is None:
                await self._take_slot(None, priority)
            else:
                # one contender per chat at a time, in arrival order: the others wait here
                async with self._chat_turns(chat_id):
                    await self._take_slot(self._chat_slots(chat_id), priority)
        finally:
            stats.waiting -= 1
        waited = loop.time() - asked
        if waited > stats.by_priority_wait.get(priority, 0.0):
            stats.by_priority_wait[priority] = waited

    async def _take_slot(self, chat: AsyncLimiter | None, priority: Priority) -> None:
        while True:
            if chat is not None:
                await _until_capacity(chat)  # not holding the bot's turn meanwhile
            await self._turn.acquire(priority)
            try:
                await self._wait_out_hold()
                await self._bot_slots.acquire()
                await self._wait_out_hold()  # a 429 may have come meanwhile
                # The chat's slot is taken now, when the request leaves, not before the wait for
                # the bot's slot: two messages to one chat that waited in the bot's queue for
                # different times would otherwise reach Telegram too close together.
                if chat is None or chat.has_capacity():
                    if chat is not None:
                        await chat.acquire()  # at once: there is capacity
                    return
            finally:
                self._turn.release()
            # the chat's capacity went meanwhile (a hold, another sender): wait again

    async def _wait_out_hold(self) -> None:
        loop = asyncio.get_running_loop()
        # a deadline that a new 429 may push further: re-read after each sleep
        while (held := self._hold_until - loop.time()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(held)

    def _new_chat_bucket(self, chat_id: int) -> AsyncLimiter:
        if chat_id < 0:
            return AsyncLimiter(1, 60.0 / self.limits.per_group_per_minute)
        # a short burst, then about one a second (a little slower: the requests may reach
        # Telegram unevenly)
        burst = self.limits.per_chat_burst
        return AsyncLimiter(burst, burst * 1.05 / self.limits.per_chat_per_second)

    @staticmethod
    def _log_refusal(
        name: str, chat_id: int | None, code: str, message: str, retry_in: float | None
    ) -> None:
        if name in _NOT_LOGGED:
            return
        if retry_in is None:
            log.warning("%s to chat %s refused (%s): %s; not retried", name, chat_id, code, message)
        else:
            log.warning(
                "%s to chat %s refused (%s): %s; retry in %.1fs",
                name,
                chat_id,
                code,
                message,
                retry_in,
            )


async def _until_capacity(bucket: AsyncLimiter) -> None:
    """Wait until one more message fits in ``bucket``, without taking it."""
    while not bucket.has_capacity():  # noqa: ASYNC110 - aiolimiter offers no wait without taking
        await asyncio.sleep(bucket.time_period / bucket.max_rate / 4)


def _chat_of(method: TelegramMethod[Any]) -> int | None:
    chat_id = getattr(method, "chat_id", None)
    return chat_id if isinstance(chat_id, int) else None


def _safe_to_repeat(name: str, error: TelegramServerError | TelegramNetworkError) -> bool:
    if name == "getUpdates":
        return False  # the polling loop has its own back-off
    if name.startswith("get"):
        return True  # a read changes nothing
    # A gateway's refusal means the request never reached the Bot API: nothing was done. After a
    # 500 or a lost connection it may have been: a message sent twice, or an edit, a deletion, an
    # answer repeated and refused ("message is not modified", "query is too old") though it worked.
    return isinstance(error, TelegramServerError) and any(
        text in error.message for text in _GATEWAY_ERRORS
    )


def outbound_of(bot: Bot) -> OutboundLimiter | None:
    """The bot's outbound path (``create_bot`` installs one), for its figures."""
    for middleware in bot.session.middleware:
        if isinstance(middleware, OutboundLimiter):
            return middleware
    return None
