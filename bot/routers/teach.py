"""Staff teach the FAQ: /unanswered lists what it could not answer, grouped; one tap attaches a
group of questions to an entry (its wordings become the entry's phrasings at once, kept in the
database across restarts) or dismisses it; /wordings lists what was taught, by whom and when.
"""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.callbacks import Teach, TeachAction
from bot.clock import Clock
from bot.faq.clusters import Cluster, cluster_groups
from bot.faq.library import FaqLibrary
from bot.filters.roles import IsStaff
from bot.i18n import Translator
from bot.keyboards import teach as kb
from bot.text_limits import fit_lines
from storage import Repositories, Wording

MAX_CLUSTERS_SHOWN = 10
MAX_WORDINGS_SHOWN = 20
EXAMPLE_CHARS = 150
MAX_TAUGHT_PER_CLUSTER = 20  # distinct wordings of one cluster attached at once
GROUPS_READ = 200


def _short(text: str, limit: int = EXAMPLE_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


async def _clusters(repo: Repositories) -> list[Cluster]:
    return cluster_groups(await repo.questions.top_unanswered(limit=GROUPS_READ))


def _similar(i18n: Translator, cluster: Cluster) -> str:
    others = len(cluster.groups) - 1
    return i18n("staff-teach-similar", count=others) if others else ""


def _list_view(
    i18n: Translator, clusters: list[Cluster], note: str = ""
) -> tuple[str, InlineKeyboardMarkup | None]:
    if not clusters:
        return (note + "\n\n" if note else "") + i18n("staff-unanswered-empty"), None
    shown = clusters[:MAX_CLUSTERS_SHOWN]
    lines = [
        i18n(
            "staff-teach-line",
            number=str(n),
            count=c.count,
            example=_short(c.head.example),
            similar=_similar(i18n, c),
            languages=", ".join(c.languages) or "?",
        )
        for n, c in enumerate(shown, start=1)
    ]
    if len(clusters) > len(shown):
        lines.append(i18n("staff-list-more", count=len(clusters) - len(shown)))
    header = (note + "\n\n" if note else "") + i18n("staff-unanswered-title")
    text = fit_lines(header, lines, lambda n: i18n("staff-list-more", count=n))
    return text, kb.clusters(i18n, shown)


async def unanswered_command(message: Message, i18n: Translator, repo: Repositories) -> None:
    text, markup = _list_view(i18n, await _clusters(repo))
    await message.answer(text, reply_markup=markup)


async def _edit(query: CallbackQuery, text: str, markup: InlineKeyboardMarkup | None) -> None:
    if isinstance(query.message, Message):
        await query.message.edit_text(text, reply_markup=markup)


async def teach_button(
    query: CallbackQuery,
    callback_data: Teach,
    i18n: Translator,
    repo: Repositories,
    faq: FaqLibrary,
    clock: Clock,
) -> None:
    language = i18n.language
    action = callback_data.action
    if action is TeachAction.REMOVE:
        await _remove_wording(query, callback_data.wording, i18n, repo, faq)
        return
    clusters = await _clusters(repo)
    cluster = next((c for c in clusters if c.key == callback_data.cluster), None)
    if action is TeachAction.LIST:
        await query.answer()
        await _edit(query, *_list_view(i18n, clusters))
        return
    if cluster is None:  # answered or dismissed meanwhile: show the list as it is now
        await query.answer(i18n("staff-teach-gone"))
        await _edit(query, *_list_view(i18n, clusters))
        return
    if action is TeachAction.PICK:
        await query.answer()
        text = i18n(
            "staff-teach-pick",
            example=_short(cluster.head.example),
            similar=_similar(i18n, cluster),
        )
        await _edit(query, text, kb.entries(i18n, faq, cluster, faq.book(language).entries))
        return
    keys = cluster.normalized_keys
    if action is TeachAction.DISMISS:
        await repo.questions.delete_groups(keys)
        clusters.remove(cluster)
        await query.answer(i18n("staff-teach-dismissed"))
        await _edit(query, *_list_view(i18n, clusters))
        return
    entry_id = faq.id_of(callback_data.entry)
    entry = faq.entry(entry_id, language) if entry_id else None
    if entry is None:
        await query.answer(i18n("button-expired"))
        return
    texts = await repo.questions.texts_of(keys, limit=MAX_TAUGHT_PER_CLUSTER)
    texts = [(lang or language, text) for lang, text in texts]
    await repo.wordings.add_many(entry.id, texts, query.from_user.id, clock.now())
    # the index is rebuilt in a thread: a fifth of a second the event loop keeps for others
    await asyncio.to_thread(faq.learn, [(lang, entry.id, text) for lang, text in texts])
    await repo.questions.delete_groups(keys)
    clusters.remove(cluster)
    note = i18n("staff-teach-attached", count=len(texts), title=entry.title)
    await query.answer(i18n("staff-teach-attached-short"))
    await _edit(query, *_list_view(i18n, clusters, note))


def _wordings_view(
    i18n: Translator,
    language: str,
    faq: FaqLibrary,
    shown: list[Wording],
    clock: Clock,
    note: str = "",
) -> tuple[str, InlineKeyboardMarkup | None]:
    prefix = note + "\n\n" if note else ""
    if not shown:
        return prefix + i18n("staff-wordings-empty"), None
    lines = []
    for n, wording in enumerate(shown, start=1):
        entry = faq.entry(wording.entry_id, language)
        lines.append(
            i18n(
                "staff-wordings-line",
                number=str(n),
                text=_short(wording.text, 100),
                title=entry.title if entry else wording.entry_id,
                language=wording.language,
                user=str(wording.added_by or "?"),
                date=wording.added_at.astimezone(clock.zone).strftime("%d.%m.%Y %H:%M"),
            )
        )
    text = fit_lines(
        prefix + i18n("staff-wordings-title"), lines, lambda n: i18n("staff-list-more", count=n)
    )
    return text, kb.wordings(i18n, shown)


async def wordings_command(
    message: Message,
    i18n: Translator,
    language: str,
    repo: Repositories,
    faq: FaqLibrary,
    clock: Clock,
) -> None:
    shown = await repo.wordings.recent(MAX_WORDINGS_SHOWN)
    text, markup = _wordings_view(i18n, language, faq, shown, clock)
    await message.answer(text, reply_markup=markup)


async def _remove_wording(
    query: CallbackQuery,
    wording_id: int,
    i18n: Translator,
    repo: Repositories,
    faq: FaqLibrary,
) -> None:
    wording = await repo.wordings.get(wording_id)
    if wording is not None and await repo.wordings.delete(wording_id):
        await asyncio.to_thread(
            faq.forget_wording, wording.language, wording.entry_id, wording.text
        )
    await query.answer(i18n("staff-wordings-removed"))


async def not_allowed_button(query: CallbackQuery, i18n: Translator) -> None:
    await query.answer(i18n("staff-not-allowed"), show_alert=True)


def create_router() -> Router:
    """Include before the staff router (its catch-all answers strangers' staff commands)."""
    router = Router(name="teach")
    router.message.register(unanswered_command, Command("unanswered"), IsStaff())
    router.message.register(wordings_command, Command("wordings"), IsStaff())
    router.callback_query.register(teach_button, Teach.filter(), IsStaff())
    router.callback_query.register(not_allowed_button, Teach.filter())
    return router
