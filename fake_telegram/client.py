# ruff: noqa: ASYNC109  (a "timeout" argument is part of this API; it bounds a wait, not I/O)
"""Simulated people talking to the bot through :class:`fake_telegram.FakeTelegramServer`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .models import BotMessage, Event, FakeChat

if TYPE_CHECKING:
    from .server import FakeTelegramServer

__all__ = ["SimulatedUser"]


class SimulatedUser:
    """A person with a private chat with the bot. Get one with ``server.user(...)``.

    Every action queues a real update, waits until the bot fetched it and reacted (see
    :meth:`FakeTelegramServer.wait_for_reaction`) and returns the bot's new or edited messages
    (snapshots, oldest first).
    """

    def __init__(self, server: FakeTelegramServer, data: dict[str, Any]) -> None:
        self.server = server
        self.data = data
        self.last_callback_answer: dict[str, Any] | None = None
        self.last_inline_answer: dict[str, Any] | None = None
        self.last_reply: list[BotMessage] = []

    # ------------------------------------------------------------------ identity
    @property
    def id(self) -> int:
        return int(self.data["id"])

    @property
    def first_name(self) -> str:
        return str(self.data["first_name"])

    @property
    def language_code(self) -> str | None:
        return self.data.get("language_code")

    @property
    def chat(self) -> FakeChat:
        """The private chat with the bot."""
        return self.server.chats[self.id]

    @property
    def messages(self) -> list[BotMessage]:
        """Current state of the bot's messages in the private chat, oldest first."""
        return list(self.chat.messages)

    @property
    def last_message(self) -> BotMessage | None:
        """The bot's latest message in the private chat (current state)."""
        return self.chat.last_message

    def __repr__(self) -> str:
        return f"SimulatedUser(id={self.id}, first_name={self.first_name!r})"

    # ------------------------------------------------------------------ actions
    def _chat_for(self, chat: FakeChat | int | None) -> FakeChat:
        if chat is None:
            return self.chat
        chat_id = chat.id if isinstance(chat, FakeChat) else int(chat)
        return self.server.chats[chat_id]

    async def _await(
        self,
        update_id: int,
        chats: set[int] | None,
        what: str,
        *,
        expect: int | None,
        settle: float | None,
        timeout: float | None,
        check_errors: bool | None,
        first: Any = None,
    ) -> list[BotMessage]:
        messages = await self.server.wait_for_reaction(
            update_id,
            chats=chats,
            first=first,
            expect=expect,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
            what=what,
        )
        self.last_reply = messages
        return messages

    async def send(
        self,
        text: str,
        *,
        chat: FakeChat | int | None = None,
        reply_to: BotMessage | None = None,
        expect: int | None = None,
        watch: set[int] | str | None = "chat",
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[BotMessage]:
        """Write ``text`` (to the private chat, or ``chat``) and return the bot's reaction.

        ``expect``: None = at least one reaction; N = at least N sent/edited messages;
        0 = assert the bot does not answer. ``watch``: "chat" (the chat written to), a set of
        chat ids, or None for any chat.
        """
        target = self._chat_for(chat)
        update_id, _ = self.server.new_incoming_message(
            self.data, target, text=text, reply_to=reply_to
        )
        return await self._await(
            update_id,
            {target.id} if watch == "chat" else watch,  # type: ignore[arg-type]
            f"{self.first_name} sent {text!r}",
            expect=expect,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
        )

    async def reply(
        self,
        to_message: BotMessage,
        text: str,
        *,
        expect: int | None = None,
        watch: set[int] | str | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[BotMessage]:
        """Reply to a bot message in its chat (e.g. support staff in a group). By default the
        reaction is awaited in any chat (the bot typically answers the original asker)."""
        return await self.send(
            text,
            chat=to_message.chat_id,
            reply_to=to_message,
            expect=expect,
            watch=watch,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
        )

    async def send_photo(
        self,
        data: bytes,
        caption: str | None = None,
        *,
        chat: FakeChat | int | None = None,
        expect: int | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[BotMessage]:
        """Send a photo (bytes are downloadable by the bot via getFile)."""
        target = self._chat_for(chat)
        update_id, _ = self.server.new_incoming_message(
            self.data, target, photo=data, caption=caption
        )
        return await self._await(
            update_id,
            {target.id},
            f"{self.first_name} sent a photo",
            expect=expect,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
        )

    async def send_document(
        self,
        data: bytes,
        file_name: str = "file.bin",
        caption: str | None = None,
        *,
        chat: FakeChat | int | None = None,
        expect: int | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[BotMessage]:
        target = self._chat_for(chat)
        update_id, _ = self.server.new_incoming_message(
            self.data, target, document=data, file_name=file_name, caption=caption
        )
        return await self._await(
            update_id,
            {target.id},
            f"{self.first_name} sent a document",
            expect=expect,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
        )

    def find_button(
        self,
        label: str | None = None,
        *,
        contains: str | None = None,
        message: BotMessage | None = None,
        chat: FakeChat | int | None = None,
    ) -> tuple[BotMessage, dict[str, Any]]:
        """(live message, button) for the newest message with a matching inline button."""
        if (label is None) == (contains is None):
            raise ValueError("give exactly one of label / contains")

        def matches(button: dict[str, Any]) -> bool:
            text = str(button.get("text", ""))
            return text == label if label is not None else (contains or "") in text

        if message is not None:
            live = self.server.chats[message.chat_id].find(message.message_id)
            if live is None:
                raise AssertionError(f"message #{message.message_id} no longer exists")
            candidates = [live]
        else:
            candidates = list(reversed(self._chat_for(chat).messages))
        for candidate in candidates:
            for row in (candidate.reply_markup or {}).get("inline_keyboard") or []:
                for button in row:
                    if matches(button):
                        return candidate, button
        wanted = f"label {label!r}" if label is not None else f"a label containing {contains!r}"
        available = "\n".join(f"  {m}" for m in candidates[:5] if m.buttons) or "  (no buttons)"
        raise AssertionError(f"no inline button with {wanted}; recent messages:\n{available}")

    async def click(
        self,
        label: str | None = None,
        *,
        contains: str | None = None,
        message: BotMessage | None = None,
        chat: FakeChat | int | None = None,
        expect: int | None = None,
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[BotMessage]:
        """Press an inline button (exact ``label`` or ``contains=`` substring) on the newest
        message having it (or on ``message``). Returns new/edited messages; the bot's
        answerCallbackQuery is kept in ``last_callback_answer``."""
        live, button = self.find_button(label, contains=contains, message=message, chat=chat)
        data = button.get("callback_data")
        if data is None:
            kind = next((k for k in button if k != "text"), "?")
            raise AssertionError(
                f"button {button.get('text')!r} is not a callback button ({kind}={button[kind]!r})"
            )
        update_id, record = self.server.new_callback_query(self.data, live, str(data))

        def answered(event: Event) -> bool:
            return event.kind == "callback_answer" and event.ref == record.id

        messages = await self._await(
            update_id,
            {live.chat_id},
            f"{self.first_name} clicked {button.get('text')!r}",
            expect=expect,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
            first=answered,
        )
        self.last_callback_answer = record.answer
        return messages

    async def double_click(
        self,
        label: str | None = None,
        *,
        contains: str | None = None,
        message: BotMessage | None = None,
        timeout: float | None = None,
    ) -> None:
        """Press a button twice, the second time before the bot has reacted to the first (a
        double tap); returns when the bot has answered both."""
        live, button = self.find_button(label, contains=contains, message=message)
        data = str(button.get("callback_data"))
        records = [self.server.new_callback_query(self.data, live, data) for _ in range(2)]
        for update_id, record in records:

            def answered(event: Event, ref: str = record.id) -> bool:
                return event.kind == "callback_answer" and event.ref == ref

            await self.server.wait_for_reaction(
                update_id,
                chats={live.chat_id},
                first=answered,
                timeout=timeout,
                what=f"{self.first_name} double-clicked {button.get('text')!r}",
            )

    async def inline(
        self,
        query: str,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
        settle: float | None = None,
        timeout: float | None = None,
        check_errors: bool | None = None,
    ) -> list[dict[str, Any]]:
        """Type ``@bot query`` → the results of the bot's answerInlineQuery (raw dicts)."""
        update_id, record = self.server.new_inline_query(self.data, query, offset, chat_type)

        def answered(event: Event) -> bool:
            return event.kind == "inline_answer" and event.ref == record.id

        await self.server.wait_for_reaction(
            update_id,
            chats={self.id},
            first=answered,
            settle=settle,
            timeout=timeout,
            check_errors=check_errors,
            what=f"{self.first_name} typed inline query {query!r}",
        )
        if not record.answered:
            errors = [
                r
                for r in self.server.errors
                if r.method.lower() == "answerinlinequery"
                and str(r.params.get("inline_query_id")) == record.id
            ]
            detail = f": {errors[-1].description}" if errors else ""
            raise AssertionError(f"the bot did not answer inline query {query!r}{detail}")
        self.last_inline_answer = record.answer
        return list(record.results)

    def block(self, *, notify: bool = True) -> None:
        """Block the bot (its sends to this user get 403)."""
        self.server.block_user(self.id, notify=notify)

    def unblock(self, *, notify: bool = True) -> None:
        self.server.unblock_user(self.id, notify=notify)
