# ruff: noqa: ASYNC109  (a "timeout" argument is part of this API; it bounds a wait, not I/O)
"""Waiting for the bot: its reactions, its polling, its going idle."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable

from ._updates import _UpdateFeed
from .constants import (
    _short,
    _update_type,
)
from .models import (
    MESSAGE_KINDS,
    REACTION_KINDS,
    BotMessage,
    Event,
)


class _Waiting(_UpdateFeed):
    """Waiting until the bot reacted, started polling or went idle."""

    # ------------------------------------------------------------------ waiting
    async def _wait_until(self, condition: Callable[[], bool], deadline: float) -> bool:
        loop = asyncio.get_running_loop()
        while True:
            changed = self._changed
            if condition():
                return True
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), remaining)

    def _events_since(self, chats: set[int] | None, seq: int) -> list[Event]:
        sources = [self.events] if chats is None else [self._chat_events.get(c, []) for c in chats]
        found: list[Event] = []
        for events in sources:
            for event in reversed(events):
                if event.seq <= seq:
                    break
                found.append(event)
        found.sort(key=lambda e: e.seq)
        return found

    def _inflight_for(self, chats: set[int] | None) -> int:
        if chats is None:
            return sum(self._inflight.values())
        return sum(self._inflight[c] for c in chats)

    async def _wait_quiet(
        self, chats: set[int] | None, since_time: float, settle: float, deadline: float
    ) -> bool:
        loop = asyncio.get_running_loop()
        while True:
            changed = self._changed
            now = loop.time()
            if chats is None:
                last = max(since_time, self._last_activity_any)
            else:
                last = max([since_time, *(self._last_activity.get(c, 0.0) for c in chats)])
            busy = self._inflight_for(chats) > 0
            if not busy and now - last >= settle:
                return True
            remaining = deadline - now
            if remaining <= 0:
                return False
            wait = remaining if busy else min(remaining, settle - (now - last))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), max(wait, 0.001))

    async def wait_for_reaction(
        self,
        update_id: int,
        *,
        chats: set[int] | None,
        first: Callable[[Event], bool] | None = None,
        expect: int | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
        what: str = "action",
    ) -> list[BotMessage]:
        """Wait for the bot's reaction to an update; return new/edited messages (snapshots).

        1. the update is taken by getUpdates (or pushed to the webhook);
        2. at least one reaction (``expect`` messages if given) in ``chats`` (None = any chat);
        3. ``settle`` seconds without any activity for those chats and no in-flight request.
        ``expect=0`` waits the update's delivery and a quiet window, and asserts nothing came.
        """
        loop = asyncio.get_running_loop()
        settle = self.settle if settle is None else settle
        timeout = self.timeout if timeout is None else timeout
        check_errors = self.check_bot_errors if check_errors is None else check_errors
        deadline = loop.time() + timeout

        def delivered() -> bool:
            return update_id in self.delivered or any(
                u["update_id"] == update_id for u in self.dropped_updates
            )

        if not await self._wait_until(delivered, deadline):
            raise AssertionError(
                f"{what}: update {update_id} was not fetched by the bot within {timeout}s "
                f"(is polling running? last getUpdates: {self._last_poll_info()})"
            )
        dropped = [u for u in self.dropped_updates if u["update_id"] == update_id]
        if dropped:
            raise AssertionError(
                f"{what}: update of type {_update_type(dropped[0])!r} is not in the bot's "
                f"allowed_updates {self.allowed_updates!r} (no handler for it?)"
            )
        since_seq = self._delivered_seq[update_id]
        since_time = self.delivered[update_id]

        def is_reaction(e: Event) -> bool:
            if first is not None and first(e):
                return True
            return e.kind in REACTION_KINDS and e.kind not in ("callback_answer", "inline_answer")

        def enough() -> bool:
            events = self._events_since(chats, since_seq)
            if expect:
                return sum(1 for e in events if e.kind in MESSAGE_KINDS) >= expect
            return any(is_reaction(e) for e in events)

        if self._tracking:
            if not await self._wait_until(lambda: update_id in self._processed, deadline):
                raise AssertionError(
                    f"{what}: the bot's handler did not finish within {timeout}s\n"
                    + self._timeout_report(what, chats, since_seq, timeout, expect)
                )
            await self._wait_quiet(chats, since_time, 0.0, deadline)
            if expect != 0 and not enough():
                # the handler is done: whatever was going to be sent has been sent
                await self._wait_quiet(chats, since_time, settle, deadline)
                if not enough():
                    raise AssertionError(
                        f"{what}: the bot handled the update without the expected reaction\n"
                        + self._timeout_report(what, chats, since_seq, timeout, expect)
                    )
        if expect != 0 and not await self._wait_until(enough, deadline):
            raise AssertionError(self._timeout_report(what, chats, since_seq, timeout, expect))
        quiet = settle if expect != 0 or self._tracking else max(settle, 0.2)
        if not await self._wait_quiet(chats, since_time, quiet, deadline):
            raise AssertionError(
                f"{what}: the bot did not go quiet within {timeout}s\n"
                + self._timeout_report(what, chats, since_seq, timeout, expect)
            )
        events = self._events_since(chats, since_seq)
        if check_errors:
            failed = [
                e.request
                for e in events
                if e.kind == "error" and e.request is not None and not e.request.injected
            ]
            if failed:
                listing = "\n".join(
                    f"  {r.method} → {r.status} {r.description}  params={_short(r.params)}"
                    for r in failed
                )
                raise AssertionError(f"{what}: the bot's requests were rejected:\n{listing}")
        messages = self._messages_from(events)
        if expect == 0 and any(e.kind in MESSAGE_KINDS for e in events):
            raise AssertionError(
                f"{what}: expected no reply, got:\n" + "\n".join(f"  {m}" for m in messages)
            )
        return messages

    def _messages_from(self, events: list[Event]) -> list[BotMessage]:
        seen: dict[tuple[int, int], None] = {}
        for event in events:
            if event.kind in MESSAGE_KINDS and event.chat_id is not None and event.message_id:
                seen[(event.chat_id, event.message_id)] = None
        result = []
        for chat_id, message_id in seen:
            message = self.chats[chat_id].find(message_id)
            if message is not None:
                result.append(message.snapshot())
        return result

    def _last_poll_info(self) -> str:
        polls = [r for r in reversed(self.requests[-200:]) if r.method.lower() == "getupdates"]
        if not polls:
            return "never called"
        ago = time.time() - polls[0].time
        return f"{ago:.1f}s ago, params={polls[0].params}"

    def _timeout_report(
        self, what: str, chats: set[int] | None, since_seq: int, timeout: float, expect: int | None
    ) -> str:
        wanted = f"{expect} message(s)" if expect else "a reaction"
        lines = [f"{what}: expected {wanted} from the bot (timeout {timeout}s)"]
        for chat_id in sorted(chats or self.chats):
            chat = self.chats.get(chat_id)
            if chat is None:
                continue
            lines.append(f"chat {chat_id} ({chat.type}) currently holds:")
            lines.extend(f"  {m}" for m in chat.messages[-10:]) if chat.messages else lines.append(
                "  (no bot messages)"
            )
        events = self._events_since(chats, since_seq)
        if events:
            lines.append("since the update was delivered:")
            lines.extend(
                f"  {e.kind} {e.method} msg={e.message_id}"
                + (f" → {e.request.status} {e.request.description}" if e.request else "")
                for e in events
            )
        lines.append(f"in-flight requests: {self._inflight_for(chats)}")
        return "\n".join(lines)

    async def wait_polling(self, timeout: float | None = None) -> None:
        """Wait until the bot has made its first getUpdates call (polling is running)."""
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout

        def polling() -> bool:
            return any(r.method.lower() == "getupdates" for r in reversed(self.requests))

        if not await self._wait_until(polling, loop.time() + timeout):
            raise AssertionError(f"the bot did not start polling within {timeout}s")

    async def idle(self, *, settle: float | None = None, timeout: float | None = None) -> None:
        """Wait until every queued update was fetched (and, with ``attach``, handled), no request
        is in flight and nothing happened for ``settle`` seconds (default: max(settle, 0.1))."""
        loop = asyncio.get_running_loop()
        timeout = self.timeout if timeout is None else timeout
        settle = max(self.settle, 0.1) if settle is None else settle
        deadline = loop.time() + timeout

        def fetched() -> bool:
            delivered = all(u["update_id"] in self.delivered for u in self.updates)
            if not self._tracking:
                return delivered
            handled = all(uid in self._processed for uid in self.delivered)
            return delivered and handled and not self._processing

        if not await self._wait_until(fetched, deadline):
            raise AssertionError(f"idle: updates not fetched within {timeout}s: {self.updates}")
        last_delivery = max(self.delivered.values(), default=0.0)
        if not await self._wait_quiet(None, last_delivery, settle, deadline):
            raise AssertionError(f"idle: the bot was still busy after {timeout}s")
