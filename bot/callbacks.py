"""Callback data of every inline button (aiogram CallbackData: typed, prefixed, ≤ 64 bytes)."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class MenuAction(CallbackData, prefix="menu"):
    """A main-menu button: home, faq, check, cert, support, language."""

    action: str


class LanguageChoice(CallbackData, prefix="lang"):
    code: str


class TicketAction(CallbackData, prefix="tkt"):
    """A support ticket button: "close" (support chat, staff) or "reply" (the citizen)."""

    action: str
    ticket: int


class BroadcastStep(StrEnum):
    CONFIRM = "confirm"
    CANCEL = "cancel"
    STOP = "stop"


class BroadcastAction(CallbackData, prefix="bc"):
    """Confirm/cancel a previewed broadcast (``source``: id of the /broadcast message), or stop
    a running one (``source``: the job's id)."""

    action: BroadcastStep
    source: int


class FaqList(CallbackData, prefix="faql"):
    """The list of FAQ questions, one page. ``edit``: replace the pressed message (paging, "back")
    rather than send a new one (from the menu, or under an answer that should stay readable)."""

    page: int
    edit: bool


class FaqShow(CallbackData, prefix="faqa"):
    """One FAQ answer. ``key`` is the entry id, or a short hash for very long ids
    (see ``bot.faq.library.FaqLibrary.key_of``), so the data stays within 64 bytes."""

    key: str


class CheckAnswer(CallbackData, prefix="ck"):
    """An answer button of the /check conversation: `step` is a CheckFlow state name."""

    step: str
    value: str


class CheckNav(CallbackData, prefix="ckn"):
    """/check navigation: back (from `step`), cancel, again (restart)."""

    action: str
    step: str = ""


class GuideAction(CallbackData, prefix="gd"):
    """The Госуслуги guide: done / missing ("I don't see this") / back / show / cancel at `step`."""

    action: str
    step: int


class CertAction(CallbackData, prefix="crt"):
    """Saving a certificate: back, cancel, skip (link / SNILS), suggested (the /check test date)."""

    action: str


class ForgetChoice(CallbackData, prefix="fgt"):
    """/forget confirmation: yes / no, and when it was asked (Unix seconds): a "yes" pressed
    long after is asked again."""

    answer: str
    asked: int = 0


class FaqAskStaff(CallbackData, prefix="faqs"):
    """Under a typed question's reply: send that question to a staff member (a new request, or
    added to the open request ``ticket``) without retyping it."""

    ticket: int = 0


class TeachAction(StrEnum):
    PICK = "pick"  # choose the entry for a cluster of unanswered questions
    ATTACH = "attach"  # attach the cluster to ``entry``
    DISMISS = "dismiss"  # forget the cluster
    LIST = "list"  # back to the list
    REMOVE = "remove"  # remove a taught wording (``wording``)


class Teach(CallbackData, prefix="teach"):
    """Staff teaching the FAQ from /unanswered and /wordings. ``cluster``: a cluster's short key
    (bot.faq.clusters); ``entry``: an entry's callback key (FaqLibrary.key_of)."""

    action: TeachAction
    cluster: str = ""
    entry: str = ""
    wording: int = 0
