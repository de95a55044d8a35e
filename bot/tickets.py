"""Support tickets between a citizen's private chat and the support chat (no aiogram routers here).

Routing: every post the bot makes in the support chat for a ticket is recorded in
``ticket_messages.support_message_id``; a staff member answers by replying to any of them.
Staff answers reach the citizen with a "Reply" button; pressing it is the only way a citizen's
later messages go to the ticket (plain messages stay with the FAQ).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.callbacks import TicketAction
from bot.clock import Clock
from bot.i18n import I18n, Translator
from bot.keyboards.menu import home_only
from bot.text_limits import MAX_CAPTION, MAX_TEXT, escape, split_plain, utf16_len, visible_len
from domain.personal_data import has_snils, mask_snils
from storage import PendingPost, Repositories, Ticket

log = logging.getLogger(__name__)

MAX_TICKETS_PER_HOUR = 3
MAX_CITIZEN_MESSAGES_PER_TICKET = 20


class SupportUnavailable(Exception):
    """SUPPORT_CHAT_ID is not set or the support chat refused the post."""


@dataclass(frozen=True, slots=True)
class CitizenText:
    """A question the citizen typed earlier (kept by the FAQ), posted without retyping.

    Has what ``send_with_header`` reads of a text message: ``text`` and ``message_id``."""

    text: str
    message_id: int


@dataclass(frozen=True, slots=True)
class CitizenMedia:
    """A photo or document in the citizen's chat, copied by its ids (the caption is passed to
    ``send_with_header`` apart: the masked one)."""

    chat_id: int
    message_id: int
    text: None = None


def readable_code(code: str | None, t: Translator) -> str:
    """'check:not_eligible:has_vaccination_qr' → 'eligibility check → not eligible → has a
    vaccination QR' (plain text; unknown parts are shown as they are)."""
    if not code:
        return t("staff-interaction-none")

    def word(part: str) -> str:
        key = f"code-{part}"
        return t(key) if part and t.has(key) else part.replace("_", " ")

    return " → ".join(", ".join(word(item) for item in part.split(",")) for part in code.split(":"))


def humanize(delta: timedelta, t: Translator) -> str:
    seconds = max(int(delta.total_seconds()), 0)
    minutes, hours, days = seconds // 60, seconds // 3600, seconds // 86400
    if days:
        return t("dur-days", d=days, h=hours % 24)
    if hours:
        return t("dur-hours", h=hours, m=minutes % 60)
    if minutes:
        return t("dur-minutes", m=minutes)
    return t("dur-seconds", s=seconds)


def citizen_translator(ticket: Ticket, chosen: str | None, i18n_hub: I18n) -> Translator:
    return i18n_hub.get(chosen or ticket.language)


def close_keyboard(ticket: Ticket, t: Translator) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=t("button-ticket-close"),
        callback_data=TicketAction(action="close", ticket=ticket.id).pack(),
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


def reply_keyboard(
    ticket: Ticket, t: Translator, label: str = "button-support-reply"
) -> InlineKeyboardMarkup:
    button = InlineKeyboardButton(
        text=t(label), callback_data=TicketAction(action="reply", ticket=ticket.id).pack()
    )
    return InlineKeyboardMarkup(inline_keyboard=[[button]])


async def send_with_header(
    bot: Bot,
    chat_id: int,
    header: str,
    message: Message | CitizenText | CitizenMedia,
    markup: InlineKeyboardMarkup | None,
    *,
    markup_on_header: bool,
    caption: str | None = None,
) -> list[int]:
    """Send ``header`` (HTML) + the content of ``message`` to ``chat_id`` within Telegram's limits.

    Text: one message if header + text fit in 4096, else the header alone, then the text in
    pieces. Media: copyMessage with header + caption if they fit in 1024, else the header alone,
    then an unchanged copy. ``markup`` goes on the header (``markup_on_header``) or on the last
    message. ``caption``: posted instead of the media's own. Every send is paced and a 429
    waited out by :mod:`bot.outbound`. Returns the ids of every message sent, in order.
    """

    sent: list[int] = []
    if message.text is not None:
        body = message.text
        if visible_len(header) + 2 + utf16_len(body) <= MAX_TEXT:
            result = await bot.send_message(
                chat_id, f"{header}\n\n{escape(body)}", reply_markup=markup
            )
            return [result.message_id]
        pieces = split_plain(body, MAX_TEXT)
        result = await bot.send_message(
            chat_id, header, reply_markup=markup if markup_on_header else None
        )
        sent.append(result.message_id)
        for index, piece in enumerate(pieces):
            on_last = index == len(pieces) - 1 and not markup_on_header
            result = await bot.send_message(
                chat_id, escape(piece), reply_markup=markup if on_last else None
            )
            sent.append(result.message_id)
        return sent
    assert not isinstance(message, CitizenText)  # a CitizenText always has text
    from_chat = message.chat_id if isinstance(message, CitizenMedia) else message.chat.id
    # what a plain copy would show: the original caption (unknown for CitizenMedia: always set)
    original = message.caption if isinstance(message, Message) else None
    caption = (original or "") if caption is None else caption
    if visible_len(header) + 2 + utf16_len(caption) <= MAX_CAPTION:
        full = f"{header}\n\n{escape(caption)}" if caption else header
        copied = await bot.copy_message(
            chat_id, from_chat, message.message_id, caption=full, reply_markup=markup
        )
        return [copied.message_id]
    result = await bot.send_message(
        chat_id, header, reply_markup=markup if markup_on_header else None
    )
    sent.append(result.message_id)
    copied = await bot.copy_message(
        chat_id,
        from_chat,
        message.message_id,
        caption=escape(caption) if caption != (original or "") else None,
        reply_markup=None if markup_on_header else markup,
    )
    sent.append(copied.message_id)
    return sent


async def queue_citizen_message(
    repo: Repositories,
    clock: Clock,
    user_id: int,
    language: str | None,
    ticket: Ticket | None,
    message: Message | CitizenText,
) -> tuple[Ticket, PendingPost]:
    """Accept the citizen's message into ``ticket`` (a new one when None), masked, before anything
    is posted: written first, posted by :func:`post_pending` (now, or at the next start)."""
    if message.text is not None:
        text, caption = mask_snils(message.text), None
    else:
        text, caption = None, mask_snils(message.caption) if message.caption else None
    return await repo.tickets.accept(
        user_id,
        language,
        clock.now(),
        ticket=ticket,
        citizen_message_id=message.message_id,
        text=text,
        caption=caption,
        snils_hidden=hides_snils(message),
    )


async def post_pending(
    bot: Bot,
    support_chat_id: int | None,
    repo: Repositories,
    clock: Clock,
    staff_t: Translator,
    pending: PendingPost,
) -> list[int]:
    """Post a queued citizen message to the support chat (paced: the group takes ~20 posts a
    minute); its routing is recorded and its text forgotten together. Raises
    :class:`SupportUnavailable` (the message stays queued)."""
    if support_chat_id is None:
        raise SupportUnavailable("SUPPORT_CHAT_ID is not set")
    ticket = await repo.tickets.get(pending.ticket_id)
    if ticket is None:  # deleted meanwhile (/forget): nothing to post
        await repo.tickets.drop_pending(pending)
        return []
    if pending.first:
        user = await repo.users.get(ticket.user_id)
        header = staff_t(
            "staff-ticket-header",
            ticket=str(ticket.id),
            language=ticket.language or "?",
            user=str(ticket.user_id),
            interaction=readable_code(user.last_interaction if user else None, staff_t),
        )
    else:
        header = staff_t("staff-ticket-followup", ticket=str(ticket.id))
    content: CitizenText | CitizenMedia
    if pending.text is not None:
        content = CitizenText(pending.text, pending.citizen_message_id)
    else:
        content = CitizenMedia(pending.citizen_chat_id, pending.citizen_message_id)
    try:
        posted = await send_with_header(
            bot,
            support_chat_id,
            header,
            content,
            close_keyboard(ticket, staff_t),
            markup_on_header=True,
            caption=(pending.caption or "") if pending.text is None else None,
        )
    except TelegramAPIError as error:
        log.error("cannot post ticket %s to the support chat: %s", ticket.id, error)
        raise SupportUnavailable(str(error)) from error
    await repo.tickets.posted(pending, posted, clock.now())
    return posted


async def resume_pending_posts(
    bot: Bot,
    repo: Repositories,
    clock: Clock,
    i18n_hub: I18n,
    support_chat_id: int | None,
) -> int:
    """At start: post what a crash left accepted but not posted, and give each citizen the
    confirmation they never got (or say it failed). Returns how many were posted.

    A crash between the post and its recording posts it twice (at least once, never lost)."""
    done = 0
    for pending in await repo.tickets.pending_posts():
        ticket = await repo.tickets.get(pending.ticket_id)
        if ticket is None:
            continue  # the cascade removed the row with the ticket
        t = citizen_translator(ticket, await repo.users.language_of(ticket.user_id), i18n_hub)
        try:
            await post_pending(bot, support_chat_id, repo, clock, i18n_hub.get(None), pending)
        except SupportUnavailable:
            await repo.tickets.drop_pending(pending)
            if pending.first:
                await repo.tickets.close(ticket.id, clock.now())
            text = t("support-send-failed")
        else:
            done += 1
            text = t("support-sent" if pending.first else "support-added", ticket=str(ticket.id))
            if pending.snils_hidden:
                text += "\n" + t("support-snils-hidden")
        try:
            await bot.send_message(pending.citizen_chat_id, text, reply_markup=home_only(t))
        except TelegramForbiddenError:
            await repo.users.set_blocked(ticket.user_id, True, clock.now())
        except TelegramAPIError as error:
            log.warning("could not confirm ticket %s to the citizen: %s", ticket.id, error)
    return done


def hides_snils(message: Message | CitizenText) -> bool:
    """Whether posting ``message`` to the support chat masks a SNILS in it (the citizen is told)."""
    text = message.text if message.text is not None else getattr(message, "caption", None)
    return isinstance(text, str) and has_snils(text)


async def citizen_message_count(repo: Repositories, ticket: Ticket) -> int:
    """Messages the citizen wrote in the ticket (one message may be several posts)."""
    messages = await repo.tickets.messages(ticket.id)
    return len({m.citizen_message_id for m in messages if m.direction == "citizen"})


async def deliver_answer(
    bot: Bot,
    repo: Repositories,
    clock: Clock,
    i18n_hub: I18n,
    ticket: Ticket,
    message: Message,
    *,
    text: str | None = None,
    in_support_chat: bool = True,
) -> bool:
    """Send a staff answer (``message``'s content, or ``text`` for /reply) to the citizen,
    prefixed by "Answer from the lab:" in the citizen's language, with a Reply button.
    Records the routing (the staff message too, when ``in_support_chat``, so replies to it
    route as well) and the first answer. False if the citizen blocked the bot (the
    ticket and the user are marked); other API errors propagate."""
    t = citizen_translator(ticket, await repo.users.language_of(ticket.user_id), i18n_hub)
    prefix = t("support-answer-prefix", ticket=str(ticket.id))
    markup = reply_keyboard(ticket, t)
    try:
        if text is not None:
            sent = await _send_text(bot, ticket.user_id, prefix, text, markup)
        else:
            sent = await send_with_header(
                bot, ticket.user_id, prefix, message, markup, markup_on_header=False
            )
    except TelegramForbiddenError:
        await repo.tickets.set_user_blocked(ticket.id, True)
        await repo.users.set_blocked(ticket.user_id, True, clock.now())
        return False
    now = clock.now()
    await repo.tickets.add_message(
        ticket.id,
        "staff",
        now,
        support_message_id=message.message_id if in_support_chat else None,
        citizen_message_id=sent[-1],
        staff_user_id=message.from_user.id if message.from_user else None,
    )
    await repo.tickets.record_first_answer(ticket.id, now)
    return True


async def _send_text(
    bot: Bot, chat_id: int, prefix: str, text: str, markup: InlineKeyboardMarkup
) -> list[int]:
    if visible_len(prefix) + 1 + utf16_len(text) <= MAX_TEXT:
        result = await bot.send_message(chat_id, f"{prefix}\n{escape(text)}", reply_markup=markup)
        return [result.message_id]
    sent = [(await bot.send_message(chat_id, prefix)).message_id]
    pieces = split_plain(text, MAX_TEXT)
    for index, piece in enumerate(pieces):
        last = index == len(pieces) - 1
        result = await bot.send_message(
            chat_id, escape(piece), reply_markup=markup if last else None
        )
        sent.append(result.message_id)
    return sent


async def close_ticket(
    bot: Bot, repo: Repositories, clock: Clock, i18n_hub: I18n, ticket: Ticket
) -> tuple[bool, bool]:
    """Close the ticket and tell the citizen → (closed now, citizen told)."""
    if not await repo.tickets.close(ticket.id, clock.now()):
        return False, False
    t = citizen_translator(ticket, await repo.users.language_of(ticket.user_id), i18n_hub)
    try:
        await bot.send_message(ticket.user_id, t("support-closed", ticket=str(ticket.id)))
    except TelegramForbiddenError:
        await repo.tickets.set_user_blocked(ticket.id, True)
        await repo.users.set_blocked(ticket.user_id, True, clock.now())
        return True, False
    except TelegramAPIError as error:
        log.warning("could not tell the citizen that ticket %s closed: %s", ticket.id, error)
        return True, False
    return True, True
