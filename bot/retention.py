"""How long personal data stays: applied at start and then every hour.

- A conversation's data (a typed name, a Госуслуги link with its `ck=` parameter) is cleared a
  day after it was last touched: who comes back later starts that conversation again. (The
  question kept for "ask a staff member" is never written down: bot/kept_questions.py.)
- Each person's answers to the eligibility check (and the last thing they did, which support
  posts show) are kept ``CHECK_RETENTION_DAYS``; after that only their counts remain, for /stats.
- The database's write-ahead log is emptied: a support message waits in the outbox (with the
  phone the person left) only until it is posted, and is then gone from the log too.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import timedelta

from aiogram.fsm.storage.base import BaseStorage

from bot.factory import CONVERSATION_TTL_SECONDS, AppContext
from domain.personal_data import redact_personal_data
from storage import SQLiteStorage

log = logging.getLogger(__name__)

CONVERSATION_TTL = timedelta(seconds=CONVERSATION_TTL_SECONDS)
EVERY = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class RetentionReport:
    conversations: int  # FSM records cleared
    checks: int  # check rows folded into the counts
    last_interactions: int  # users whose last action was forgotten


async def apply_retention(app: AppContext, fsm: BaseStorage) -> RetentionReport:
    now = app.clock.now()
    conversations = 0
    if isinstance(fsm, SQLiteStorage):  # Redis expires its own keys (data_ttl, factory.py)
        conversations = await fsm.expire(now - CONVERSATION_TTL)
    keep = timedelta(days=app.settings.check_retention_days)
    checks = await app.repo.checks.fold_older_than(now - keep)
    interactions = await app.repo.users.forget_last_interactions(now - keep)
    # what was deleted since the last run (/forget, posted support messages, the above) is
    # overwritten in the database file (secure_delete); its old log frames go with the log
    await app.db.truncate_wal()
    report = RetentionReport(conversations, checks, interactions)
    if conversations or checks or interactions:
        log.info(
            "retention: %d conversation(s) cleared, %d check(s) now only counted, "
            "%d last action(s) forgotten",
            conversations,
            checks,
            interactions,
        )
    return report


async def remask_kept_questions(app: AppContext) -> int:
    """Questions kept before the personal-data filter knew every notation (dots, slashes,
    fullwidth digits, "(at)"…) are masked again, their grouping key too. Idempotent; at start."""
    changed = 0
    for question_id, language, text, _key in await app.repo.questions.all_rows():
        masked = redact_personal_data(text)
        if masked == text:
            continue
        # the key is made of the text's words: made again from the masked text
        new_key = app.faq.normalized(masked, language or app.settings.default_language)
        await app.repo.questions.rewrite(question_id, masked, new_key or masked)
        changed += 1
    if changed:
        log.info("re-masked %d kept question(s)", changed)
    return changed


async def run_retention(app: AppContext, fsm: BaseStorage) -> None:
    """Forever (cancelled at shutdown): apply, then wait an hour."""
    while True:
        try:
            await apply_retention(app, fsm)
        except Exception:
            log.exception("retention run failed; next try in an hour")
        await asyncio.sleep(EVERY.total_seconds())
