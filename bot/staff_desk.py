"""The staff side of support requests as one service: answering a request, closing one. Built
once per dispatcher and injected into handlers as ``desk`` (bot/factory.py); the handlers in
bot/routers/staff_tickets.py read the update and call it."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import Bot
from aiogram.types import Message

from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import is_staff
from bot.i18n import I18n, Translator
from bot.tickets import close_ticket, deliver_answer
from storage import Repositories, Ticket


@dataclass
class StaffDesk:
    repo: Repositories
    clock: Clock
    i18n_hub: I18n
    settings: Settings

    async def is_staff(self, user_id: int) -> bool:
        return await is_staff(user_id, self.settings, self.repo)

    async def answer(
        self, bot: Bot, message: Message, ticket: Ticket, t: Translator, text: str | None = None
    ) -> None:
        """A staff member's answer (``message``, or ``text`` from /reply) to the citizen."""
        if not ticket.is_open:
            await message.answer(t("staff-ticket-is-closed", ticket=str(ticket.id)))
            return
        delivered = await deliver_answer(
            bot,
            self.repo,
            self.clock,
            self.i18n_hub,
            ticket,
            message,
            text=text,
            in_support_chat=message.chat.id == self.settings.support_chat_id,
        )
        if delivered:
            await message.reply(t("staff-delivered", ticket=str(ticket.id)))
            return
        warning = self.i18n_hub.get(None)("staff-user-blocked", ticket=str(ticket.id))
        await message.answer(t("staff-user-blocked", ticket=str(ticket.id)))
        await self._tell_support_chat(bot, message.chat.id, warning)

    async def close(self, bot: Bot, ticket_id: int, closer: str, here: int, t: Translator) -> str:
        """Close → the text for the staff member who asked (posted to the support chat as well,
        when asked elsewhere)."""
        repo = self.repo
        ticket = await repo.tickets.get(ticket_id)
        if ticket is None:
            return t("staff-ticket-not-found", ticket=str(ticket_id))
        closed, told = await close_ticket(bot, repo, self.clock, self.i18n_hub, ticket)
        if not closed:
            return t("staff-ticket-already-closed", ticket=str(ticket_id))
        text = t("staff-ticket-closed", ticket=str(ticket_id), name=closer)
        staff_t = self.i18n_hub.get(None)
        await self._tell_support_chat(
            bot, here, staff_t("staff-ticket-closed", ticket=str(ticket_id), name=closer)
        )
        refreshed = await repo.tickets.get(ticket_id)
        if not told and refreshed is not None and refreshed.user_blocked:
            text += "\n" + t("staff-user-blocked", ticket=str(ticket_id))
        return text

    async def _tell_support_chat(self, bot: Bot, here: int, text: str) -> None:
        chat = self.settings.support_chat_id
        if chat is not None and chat != here:
            await bot.send_message(chat, text)
