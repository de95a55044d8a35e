"""Staff and admin commands (private chat with the bot and the support chat) and, in the support
chat, the routing of staff replies to tickets.

Every command checks the role with :mod:`bot.filters.roles`; anyone else gets the same neutral
"not allowed" for every command, whatever it does.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    Message,
    MessageOriginHiddenUser,
    MessageOriginUser,
)

from bot.callbacks import BroadcastAction, TicketAction
from bot.clock import Clock
from bot.config import Settings
from bot.filters.roles import IsAdmin, IsStaff, is_staff
from bot.i18n import I18n, Markup, Translator
from bot.stats_view import stats_picture
from bot.text_limits import MAX_CAPTION, fit_lines, visible_len
from bot.tickets import close_ticket, deliver_answer, humanize, readable_code
from storage import Repositories, Ticket

log = logging.getLogger(__name__)

ADMIN_COMMANDS = ("staff", "broadcast")
STAFF_COMMANDS = ("tickets", "unanswered", "wordings", "stats", "reply", "close")
ALL_COMMANDS = ADMIN_COMMANDS + STAFF_COMMANDS
ANSWER_CONTENT = (
    (F.text & ~F.text.startswith("/")) | F.photo | F.document | F.video | F.audio | F.voice
)
EXAMPLE_CHARS = 300


def _ticket_number(raw: str | None) -> int | None:
    if not raw:
        return None
    raw = raw.strip().lstrip("#№")
    return int(raw) if raw.isdigit() else None


# ---------------------------------------------------------------------------- roles
async def not_allowed(message: Message, i18n: Translator) -> None:
    await message.answer(i18n("staff-not-allowed"))


async def not_allowed_button(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer(i18n("staff-not-allowed"), show_alert=True)


async def staff_command(
    message: Message,
    command: CommandObject,
    i18n: Translator,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    action, _, rest = (command.args or "").strip().partition(" ")
    rest = rest.strip()
    if action == "list":
        await message.answer(await _staff_list(i18n, repo, clock, settings))
        return
    if action not in ("add", "remove"):
        await message.answer(i18n("staff-usage"))
        return
    if not rest and action == "add" and message.reply_to_message is not None:
        origin = message.reply_to_message.forward_origin
        if isinstance(origin, MessageOriginHiddenUser):
            await message.answer(i18n("staff-forward-hidden"))
            return
        if not isinstance(origin, MessageOriginUser):
            await message.answer(i18n("staff-forward-not-user"))
            return
        user_id = origin.sender_user.id
    elif rest:
        if not (rest.isdigit() and int(rest) > 0):
            await message.answer(i18n("staff-bad-id", value=rest[:40]))
            return
        user_id = int(rest)
    else:
        await message.answer(i18n("staff-usage"))
        return
    who = str(user_id)
    if action == "add":
        added = await repo.staff.add(
            user_id, message.from_user.id if message.from_user else None, clock.now()
        )
        await message.answer(i18n("staff-added" if added else "staff-already", user=who))
    elif user_id in settings.admin_ids:
        await message.answer(i18n("staff-remove-admin", user=who))
    else:
        removed = await repo.staff.remove(user_id)
        await message.answer(i18n("staff-removed" if removed else "staff-not-staff", user=who))


async def _staff_list(
    i18n: Translator, repo: Repositories, clock: Clock, settings: Settings
) -> str:
    admins = ", ".join(str(a) for a in settings.admin_ids) or "—"
    header = i18n("staff-list-title", admins=admins) + "\n" + i18n("staff-list-staff")
    members = await repo.staff.list()
    if not members:
        return header + "\n" + i18n("staff-list-empty")
    lines = [
        i18n(
            "staff-list-line",
            user=str(m.user_id),
            date=m.added_at.astimezone(clock.zone).strftime("%d.%m.%Y"),
        )
        for m in members
    ]
    return fit_lines(header, lines, lambda n: i18n("staff-list-more", count=n))


# ---------------------------------------------------------------------------- lists
async def tickets_command(
    message: Message, i18n: Translator, repo: Repositories, clock: Clock
) -> None:
    tickets = await repo.tickets.list_open(limit=1000)
    if not tickets:
        await message.answer(i18n("staff-tickets-empty"))
        return
    now = clock.now()
    lines = []
    for ticket in tickets:
        flags = ""
        if ticket.first_answer_at:
            flags += " " + i18n("staff-tickets-answered")
        if ticket.user_blocked:
            flags += " " + i18n("staff-tickets-blocked")
        lines.append(
            i18n(
                "staff-tickets-line",
                ticket=str(ticket.id),
                wait=humanize(now - ticket.created_at, i18n),
                language=ticket.language or "?",
                flags=Markup(flags),
            )
        )
    count = (await repo.tickets.stats()).open
    header = i18n("staff-tickets-title", count=count)
    await message.answer(fit_lines(header, lines, lambda n: i18n("staff-list-more", count=n)))


def _items(counts: dict[str, int], i18n: Translator) -> Markup:
    if not counts:
        return Markup(i18n("staff-stats-none"))
    return Markup(
        "\n".join(
            i18n("staff-stats-item", name=readable_code(code, i18n), count=n)
            for code, n in counts.items()
        )
    )


async def stats_command(
    message: Message, i18n: Translator, repo: Repositories, clock: Clock
) -> None:
    users = await repo.users.count()
    active = await repo.users.count(active_only=True)
    checks = await repo.checks.stats()
    reminders = await repo.reminders.count_by_state()
    tickets = await repo.tickets.stats()
    median = tickets.median_first_answer
    text = i18n(
        "staff-stats",
        users=users,
        active=active,
        blocked=users - active,
        checks=checks.total,
        outcomes=_items(checks.by_outcome, i18n),
        reasons=_items(checks.by_reason, i18n),
        certificates=await repo.certificates.count(),
        reminders=", ".join(f"{readable_code(s, i18n)} {n}" for s, n in reminders.items()),
        open=tickets.open,
        closed=tickets.closed,
        answered=tickets.answered,
        median=humanize(median, i18n) if median is not None else i18n("staff-stats-none"),
        questions=await repo.questions.count(),
    )
    picture = BufferedInputFile(await stats_picture(repo, clock, i18n), "stats.png")
    if visible_len(text) <= MAX_CAPTION:  # one message: the picture, the numbers beneath
        await message.answer_photo(picture, caption=text)
        return
    await message.answer(text)
    await message.answer_photo(picture, caption=i18n("staff-chart-caption"))


# ---------------------------------------------------------------------------- tickets
async def _tell_support_chat(bot: Bot, settings: Settings, here: int, text: str) -> None:
    if settings.support_chat_id is not None and settings.support_chat_id != here:
        await bot.send_message(settings.support_chat_id, text)


async def _answer_ticket(
    message: Message,
    ticket: Ticket,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
    *,
    text: str | None = None,
) -> None:
    if not ticket.is_open:
        await message.answer(i18n("staff-ticket-is-closed", ticket=str(ticket.id)))
        return
    in_support_chat = message.chat.id == settings.support_chat_id
    delivered = await deliver_answer(
        bot, repo, clock, i18n_hub, ticket, message, text=text, in_support_chat=in_support_chat
    )
    if delivered:
        await message.reply(i18n("staff-delivered", ticket=str(ticket.id)))
        return
    warning = i18n_hub.get(None)("staff-user-blocked", ticket=str(ticket.id))
    await message.answer(i18n("staff-user-blocked", ticket=str(ticket.id)))
    await _tell_support_chat(bot, settings, message.chat.id, warning)


async def staff_answer(
    message: Message,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    """A reply in the support chat: to a ticket post → to the citizen; anything else: ignored."""
    assert message.reply_to_message is not None
    ticket = await repo.tickets.ticket_by_support_message(message.reply_to_message.message_id)
    if message.from_user is None:
        return
    if ticket is None:
        # a post of a request that no longer exists (its author deleted their data): say that
        # nothing was sent, rather than staying silent
        if _is_ticket_post(message.reply_to_message) and await is_staff(
            message.from_user.id, settings, repo
        ):
            await message.answer(i18n("staff-ticket-gone"))
        return
    if not await is_staff(message.from_user.id, settings, repo):
        await message.answer(i18n("staff-not-allowed"))
        return
    await _answer_ticket(message, ticket, bot, i18n, i18n_hub, repo, clock, settings)


def _is_ticket_post(post: Message) -> bool:
    """A request's post in the support chat carries its close button."""
    markup = post.reply_markup
    return markup is not None and any(
        (button.callback_data or "").startswith(TicketAction.__prefix__ + ":")
        for row in markup.inline_keyboard
        for button in row
    )


async def reply_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    number, _, text = (command.args or "").strip().partition(" ")
    ticket_id = _ticket_number(number)
    if ticket_id is None:
        await message.answer(i18n("staff-reply-usage"))
        return
    if not text.strip():
        await message.answer(i18n("staff-reply-empty"))
        return
    ticket = await repo.tickets.get(ticket_id)
    if ticket is None:
        await message.answer(i18n("staff-ticket-not-found", ticket=str(ticket_id)))
        return
    await _answer_ticket(
        message, ticket, bot, i18n, i18n_hub, repo, clock, settings, text=text.strip()
    )


async def _close(
    ticket_id: int,
    closer: str,
    here: int,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> str:
    """Close → the text for the staff member who asked (posted to the support chat as well)."""
    ticket = await repo.tickets.get(ticket_id)
    if ticket is None:
        return i18n("staff-ticket-not-found", ticket=str(ticket_id))
    closed, told = await close_ticket(bot, repo, clock, i18n_hub, ticket)
    if not closed:
        return i18n("staff-ticket-already-closed", ticket=str(ticket_id))
    staff_t = i18n_hub.get(None)
    text = i18n("staff-ticket-closed", ticket=str(ticket_id), name=closer)
    await _tell_support_chat(
        bot, settings, here, staff_t("staff-ticket-closed", ticket=str(ticket_id), name=closer)
    )
    refreshed = await repo.tickets.get(ticket_id)
    if not told and refreshed is not None and refreshed.user_blocked:
        text += "\n" + i18n("staff-user-blocked", ticket=str(ticket_id))
    return text


async def close_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    ticket_id = _ticket_number(command.args)
    # a reply names a ticket only in the support chat, where the ticket's posts are: the same
    # message id in a private chat is another message
    if (
        ticket_id is None
        and message.reply_to_message is not None
        and message.chat.id == settings.support_chat_id
    ):
        ticket = await repo.tickets.ticket_by_support_message(message.reply_to_message.message_id)
        ticket_id = ticket.id if ticket else None
    if ticket_id is None:
        await message.answer(i18n("staff-close-usage"))
        return
    closer = message.from_user.full_name if message.from_user else "?"
    await message.answer(
        await _close(ticket_id, closer, message.chat.id, bot, i18n, i18n_hub, repo, clock, settings)
    )


async def close_button(
    query: CallbackQuery,
    callback_data: TicketAction,
    bot: Bot,
    i18n: Translator,
    i18n_hub: I18n,
    repo: Repositories,
    clock: Clock,
    settings: Settings,
) -> None:
    if not isinstance(query.message, Message):
        await query.answer()
        return
    text = await _close(
        callback_data.ticket,
        query.from_user.full_name,
        query.message.chat.id,
        bot,
        i18n,
        i18n_hub,
        repo,
        clock,
        settings,
    )
    await query.message.answer(text)
    await query.answer()


# ---------------------------------------------------------------------------- wiring
def create_router(*, support_chat: bool = False) -> Router:
    """Staff commands; with ``support_chat`` also the routing of replies to ticket posts."""
    router = Router(name="staff-support-chat" if support_chat else "staff")
    router.message.register(staff_command, Command("staff"), IsAdmin())
    router.message.register(tickets_command, Command("tickets"), IsStaff())
    router.message.register(stats_command, Command("stats"), IsStaff())
    router.message.register(reply_command, Command("reply"), IsStaff())
    router.message.register(close_command, Command("close"), IsStaff())
    router.message.register(not_allowed, Command(*ALL_COMMANDS))

    router.callback_query.register(
        close_button, TicketAction.filter(F.action == "close"), IsStaff()
    )
    router.callback_query.register(not_allowed_button, BroadcastAction.filter())
    router.callback_query.register(not_allowed_button, TicketAction.filter(F.action == "close"))
    if support_chat:
        router.message.register(staff_answer, F.reply_to_message, ANSWER_CONTENT)
    return router
