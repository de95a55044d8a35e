"""Staff and admin commands (private chat with the bot and the support chat) and, in the support
chat, the routing of staff replies to tickets.

Every command checks the role with :mod:`bot.filters.roles`; anyone else gets the same neutral
"not allowed" for every command, whatever it does.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
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
from bot.filters.roles import IsAdmin, IsStaff
from bot.i18n import Markup, Translator
from bot.routers.staff_tickets import (
    close_button,
    close_command,
    reply_command,
    staff_answer,
)
from bot.stats_view import stats_picture
from bot.text_limits import MAX_CAPTION, fit_lines, visible_len
from bot.tickets import humanize, readable_code
from storage import Repositories

log = logging.getLogger(__name__)

ADMIN_COMMANDS = ("staff", "broadcast")
STAFF_COMMANDS = ("tickets", "unanswered", "wordings", "stats", "reply", "close")
ALL_COMMANDS = ADMIN_COMMANDS + STAFF_COMMANDS
ANSWER_CONTENT = (
    (F.text & ~F.text.startswith("/")) | F.photo | F.document | F.video | F.audio | F.voice
)
EXAMPLE_CHARS = 300


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
