"""The last line of defence: log the failure with its update, tell the user kindly, go on."""

from __future__ import annotations

import logging

from aiogram import Bot, Router
from aiogram.exceptions import TelegramAPIError, TelegramForbiddenError
from aiogram.types import ErrorEvent

from bot.clock import Clock
from bot.i18n import I18n
from storage import Repositories

log = logging.getLogger("bot.errors")


async def on_error(
    event: ErrorEvent, bot: Bot, i18n_hub: I18n, repo: Repositories, clock: Clock
) -> bool:
    update = event.update
    user = None
    if update.message is not None:
        user = update.message.from_user
    elif update.callback_query is not None:
        user = update.callback_query.from_user
    # Only a refusal to write to this user's own chat means they blocked the bot (a staff
    # member's command can fail on the support group instead).
    refused_chat = getattr(getattr(event.exception, "method", None), "chat_id", None)
    if (
        isinstance(event.exception, TelegramForbiddenError)
        and user is not None
        and refused_chat == user.id
    ):
        await repo.users.set_blocked(user.id, True, clock.now())
        log.info("user blocked the bot", extra={"update_id": update.update_id})
        return True
    extra = {"update_id": update.update_id, "user_id": user.id if user else None}
    if isinstance(event.exception, TelegramAPIError):  # Telegram refused a call: no bug to trace
        log.warning(
            "update %s: %s refused: %s",
            update.update_id,
            event.exception.method.__api_method__,
            event.exception.message,
            extra=extra,
        )
    else:
        log.error(
            "handler failed on update %s", update.update_id, exc_info=event.exception, extra=extra
        )
    if user is None:
        return True
    t = i18n_hub.get(i18n_hub.pick(await repo.users.language_of(user.id), user.language_code))
    if update.callback_query is not None:
        try:
            await update.callback_query.answer(t("error-generic"), show_alert=True)
            return True
        except TelegramAPIError:  # e.g. already answered: say it in the chat instead
            pass
    chat_id = user.id
    if update.message is not None:
        chat_id = update.message.chat.id
    elif update.callback_query is not None and update.callback_query.message is not None:
        chat_id = update.callback_query.message.chat.id
    try:
        await bot.send_message(chat_id, t("error-generic"))
    except TelegramAPIError:
        log.warning("could not tell user about the failure", extra={"user_id": user.id})
    return True


def create_router() -> Router:
    router = Router(name="errors")
    router.errors.register(on_error)
    return router
