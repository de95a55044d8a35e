"""The citizen's side of support requests as one service: opening one, adding to one, posting to the
support chat. Built once per dispatcher and injected into handlers as ``support``
(bot/factory.py); the handlers in bot/routers/support.py read the update and call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.i18n import I18n, Translator
from bot.kept_questions import KeptQuestions
from bot.keyboards.menu import home_only
from bot.tickets import (
    MAX_CITIZEN_MESSAGES_PER_TICKET,
    MAX_TICKETS_PER_HOUR,
    CitizenText,
    SupportUnavailable,
    citizen_message_count,
    hides_snils,
    post_pending,
    queue_citizen_message,
    reply_keyboard,
)
from storage import PendingPost, Repositories, Ticket


class SupportForm(StatesGroup):
    question = State()
    reply = State()


@dataclass
class SupportDesk:
    repo: Repositories
    clock: Clock
    i18n_hub: I18n
    settings: Settings
    kept_questions: KeptQuestions

    async def open(self, message: Message, user_id: int, state: FSMContext, t: Translator) -> None:
        """/support, the menu's button: the open request's status, or the question asked."""
        await state.clear()
        settings = self.settings
        if settings.support_chat_id is None:
            text = (
                t("support-unavailable-contacts", contacts=settings.lab_contacts)
                if settings.lab_contacts
                else t("support-unavailable")
            )
            await message.answer(text, reply_markup=home_only(t))
            return
        ticket = await self.repo.tickets.open_for_user(user_id)
        if ticket is not None:
            since = ticket.created_at.astimezone(self.clock.zone).strftime("%d.%m.%Y %H:%M")
            status = t(
                "support-status-answered" if ticket.first_answer_at else "support-status-waiting"
            )
            await message.answer(
                t("support-open-status", ticket=str(ticket.id), since=since, status=status),
                reply_markup=reply_keyboard(ticket, t, "button-support-add"),
            )
            return
        if not await self._may_open(user_id, self.clock.now()):
            await message.answer(
                t("support-too-many-tickets", limit=MAX_TICKETS_PER_HOUR),
                reply_markup=home_only(t),
            )
            return
        await state.set_state(SupportForm.question)
        await message.answer(t("support-ask"))

    async def submit(
        self,
        bot: Bot,
        chat: Message,
        user_id: int,
        content: Message | CitizenText,
        t: Translator,
        language: str,
    ) -> None:
        """``content`` into the citizen's open request, or a new one; the outcome said in
        ``chat``."""
        repo, now = self.repo, self.clock.now()
        await repo.users.touch(user_id, now)
        existing = await repo.tickets.open_for_user(user_id)
        if existing is None:
            if not await self._may_open(user_id, now):
                await chat.answer(t("support-too-many-tickets", limit=MAX_TICKETS_PER_HOUR))
                return
        elif not await self.takes_more(existing):
            await chat.answer(t("support-message-cap", ticket=str(existing.id)))
            return
        ticket, pending = await queue_citizen_message(
            repo, self.clock, user_id, language, existing, content
        )
        if not await self._post(bot, pending):
            if existing is None:
                await repo.tickets.close(ticket.id, self.clock.now())
            await chat.answer(t("support-send-failed"), reply_markup=home_only(t))
            return
        key = "support-sent" if existing is None else "support-added"
        await chat.answer(
            _with_snils_note(t(key, ticket=str(ticket.id)), content, t),
            reply_markup=home_only(t),
        )

    async def ask_with_kept_question(
        self,
        bot: Bot,
        message: Message,
        user_id: int,
        state: FSMContext,
        t: Translator,
        language: str,
    ) -> None:
        """The question typed just before ("ask a staff member" under its answer) goes to the
        request as typed; without one (an old button, a restart) this is :meth:`open`."""
        kept = self.kept_questions.take(user_id)
        if self.settings.support_chat_id is None or kept is None or not kept.text:
            await self.open(message, user_id, state, t)
            return
        await self.submit(
            bot, message, user_id, CitizenText(kept.text, kept.message_id), t, language
        )

    async def open_ticket_of(self, ticket_id: int, user_id: int) -> Ticket | None:
        """The citizen's own request ``ticket_id`` if it is still open."""
        ticket = await self.repo.tickets.get(ticket_id)
        if ticket is None or ticket.user_id != user_id or not ticket.is_open:
            return None
        return ticket

    async def takes_more(self, ticket: Ticket) -> bool:
        return await citizen_message_count(self.repo, ticket) < MAX_CITIZEN_MESSAGES_PER_TICKET

    async def add(self, bot: Bot, message: Message, ticket: Ticket, t: Translator) -> None:
        """The citizen's reply (after "Reply" / "Add a message") into ``ticket``."""
        if not await self.takes_more(ticket):
            await message.answer(t("support-message-cap", ticket=str(ticket.id)))
            return
        user_id = message.from_user.id if message.from_user else 0
        _, pending = await queue_citizen_message(
            self.repo, self.clock, user_id, ticket.language, ticket, message
        )
        if not await self._post(bot, pending):
            await message.answer(t("support-send-failed"))
            return
        added = t("support-added", ticket=str(ticket.id))
        await message.answer(_with_snils_note(added, message, t), reply_markup=home_only(t))

    # ------------------------------------------------------------------ rules and posting
    async def _may_open(self, user_id: int, now: datetime) -> bool:
        """At most MAX_TICKETS_PER_HOUR new requests an hour per person."""
        recent = await self.repo.tickets.count_recent_for_user(user_id, now - timedelta(hours=1))
        return recent < MAX_TICKETS_PER_HOUR

    async def _post(self, bot: Bot, pending: PendingPost) -> bool:
        """A queued message to the support chat; False (and not kept) if it can't be posted."""
        try:
            await post_pending(
                bot,
                self.settings.support_chat_id,
                self.repo,
                self.clock,
                self.i18n_hub.get(None),
                pending,
            )
        except SupportUnavailable:
            await self.repo.tickets.drop_pending(pending)
            return False
        return True


def _with_snils_note(text: str, content: Message | CitizenText, t: Translator) -> str:
    """The confirmation, and a line saying the SNILS was hidden from staff when it was."""
    return f"{text}\n{t('support-snils-hidden')}" if hides_snils(content) else text
