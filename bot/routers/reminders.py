"""/reminders: show whether expiry reminders are on, and turn them on or off (also the button
under every reminder)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from bot.clock import Clock
from bot.config import Settings
from bot.faq.intents import MenuSection
from bot.filters.menu_word import MenuWord
from bot.i18n import Translator
from bot.reminders.texts import RemindersSwitch, switch_keyboard
from domain.dates import format_date
from storage import Repositories


async def status_text(
    repo: Repositories, settings: Settings, clock: Clock, t: Translator, user_id: int, enabled: bool
) -> str:
    if not enabled:
        return t("reminders-status-off")
    days = ", ".join(str(day) for day in settings.reminder_days)
    lines = [t("reminders-status-on", days=days, hour=settings.reminder_hour)]
    now = clock.now()
    upcoming = [
        r
        for r in await repo.reminders.list_for_user(user_id)
        if r.state == "pending" and r.due_at > now
    ]
    if upcoming:
        due = upcoming[0].due_at.astimezone(settings.zone).date()
        lines.append(t("reminders-next", date=format_date(due)))
    else:
        lines.append(t("reminders-none-planned"))
    return "\n".join(lines)


async def show_reminders(
    message: Message, i18n: Translator, repo: Repositories, settings: Settings, clock: Clock
) -> None:
    if message.from_user is None:
        return
    user = await repo.users.touch(message.from_user.id, clock.now())
    text = await status_text(repo, settings, clock, i18n, user.id, user.reminders_enabled)
    keyboard = switch_keyboard(i18n, turn_on=not user.reminders_enabled)
    await message.answer(text, reply_markup=keyboard)


async def switch_reminders(
    query: CallbackQuery,
    callback_data: RemindersSwitch,
    i18n: Translator,
    repo: Repositories,
    settings: Settings,
    clock: Clock,
) -> None:
    user_id = query.from_user.id
    now = clock.now()
    await repo.users.touch(user_id, now)
    await repo.users.set_reminders_enabled(user_id, callback_data.on)
    if callback_data.on:
        await repo.reminders.enable_for_user(user_id, now)
    else:
        await repo.reminders.cancel_for_user(user_id)
    await query.answer(i18n("reminders-turned-on" if callback_data.on else "reminders-turned-off"))
    if query.message is not None:
        text = await status_text(repo, settings, clock, i18n, user_id, callback_data.on)
        await query.message.answer(
            text, reply_markup=switch_keyboard(i18n, turn_on=not callback_data.on)
        )


def create_router() -> Router:
    router = Router(name="reminders")
    router.message.register(show_reminders, Command("reminders"))
    router.message.register(show_reminders, MenuWord(MenuSection.REMINDERS), StateFilter(None))
    router.callback_query.register(switch_reminders, RemindersSwitch.filter())
    return router
