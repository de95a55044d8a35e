"""The last question each person typed to the FAQ, so that "ask a staff member" beneath its reply
sends it to the support chat without retyping.

In memory only, never written to the database: people type their phone or e-mail into a question
(they want to be called back), and that belongs in the support post alone. A restart, a day, or
/forget forgets it; the button then asks the question to be typed again.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

KEEP_FOR = timedelta(hours=24)
MAX_PEOPLE = 10_000


@dataclass(frozen=True, slots=True)
class KeptQuestion:
    text: str
    message_id: int
    at: datetime


class KeptQuestions:
    def __init__(
        self,
        now: Callable[[], datetime] | None = None,
        *,
        keep_for: timedelta = KEEP_FOR,
        max_people: int = MAX_PEOPLE,
    ) -> None:
        self._now = now or (lambda: datetime.now(UTC))
        self._keep_for = keep_for
        self._max = max_people
        self._items: OrderedDict[int, KeptQuestion] = OrderedDict()

    def keep(self, user_id: int, text: str, message_id: int) -> None:
        self._items[user_id] = KeptQuestion(text, message_id, self._now())
        self._items.move_to_end(user_id)
        while len(self._items) > self._max:
            self._items.popitem(last=False)

    def take(self, user_id: int) -> KeptQuestion | None:
        """The person's kept question, removed; None when there is none or it is too old."""
        item = self._items.pop(user_id, None)
        if item is None or self._now() - item.at > self._keep_for:
            return None
        return item

    def forget(self, user_id: int) -> None:
        self._items.pop(user_id, None)

    def __contains__(self, user_id: object) -> bool:
        return user_id in self._items
