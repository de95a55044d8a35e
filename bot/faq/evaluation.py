"""Measure how the bot understands typed questions, on a labelled question set.

A set is a TOML file of ``[[case]]`` tables (see ``tests/faq/``)::

    q = "куар по антителам как получить"   # what the person typed
    id = "how_to_get_qr"                     # the entry that answers it, or "none"
    also = ["validity"]                      # optional: other entries that answer it too
    lang = "ru"                              # the person's language
    category = "lab_info"                    # with id = "none": lab_info, smalltalk, other

The figures are those the issue asks for, per language: *direct and correct* (the answer shown
is a right one), *direct and wrong*, *suggested* (buttons only, the right entry among them),
*not found* (in scope, but neither answered nor suggested rightly) and, for the questions the
memo does not answer, *declined* (no FAQ answer and no suggestions).
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "NONE_LABEL",
    "Figures",
    "LabelledCase",
    "Outcome",
    "content_texts",
    "evaluate",
    "load_cases",
    "normal_form",
]

NONE_LABEL = "none"


@dataclass(frozen=True, slots=True)
class LabelledCase:
    q: str
    id: str  # the expected entry id, or "none"
    lang: str = "ru"
    also: tuple[str, ...] = ()
    category: str | None = None  # for "none": lab_info, smalltalk, other

    @property
    def in_scope(self) -> bool:
        return self.id != NONE_LABEL

    @property
    def right_ids(self) -> frozenset[str]:
        return frozenset((self.id, *self.also))


def load_cases(path: Path | str) -> list[LabelledCase]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    cases = []
    for raw in data["case"]:
        cases.append(
            LabelledCase(
                q=raw["q"],
                id=raw["id"],
                lang=raw.get("lang", "ru"),
                also=tuple(raw.get("also", ())),
                category=raw.get("category"),
            )
        )
    return cases


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the bot did with a text, reduced to what the figures need."""

    answered: str | None  # the entry whose answer was shown directly
    offered: tuple[str, ...] = ()  # entries offered as buttons (suggestions or "see also")


Understand = Callable[[str, str], Outcome]


@dataclass
class Figures:
    in_scope: int = 0
    direct_correct: int = 0
    direct_wrong: int = 0
    suggested: int = 0  # not answered directly, the right entry among the buttons
    not_found: int = 0  # not answered, right entry not offered
    unrelated: int = 0
    declined: int = 0
    unrelated_answered: int = 0
    # repr=False: an assertion on the figures must not print the held-out set's questions
    misses: list[tuple[LabelledCase, Outcome]] = field(default_factory=list, repr=False)

    @staticmethod
    def share(part: int, whole: int) -> float:
        return part / whole if whole else 1.0

    @property
    def direct_correct_rate(self) -> float:
        return self.share(self.direct_correct, self.in_scope)

    @property
    def direct_wrong_rate(self) -> float:
        return self.share(self.direct_wrong, self.in_scope) if self.in_scope else 0.0

    @property
    def declined_rate(self) -> float:
        return self.share(self.declined, self.unrelated)

    def add(self, case: LabelledCase, outcome: Outcome) -> None:
        right = case.right_ids
        if case.in_scope:
            self.in_scope += 1
            if outcome.answered is not None:
                if outcome.answered in right:
                    self.direct_correct += 1
                    return
                self.direct_wrong += 1
            elif right & set(outcome.offered):
                self.suggested += 1
            else:
                self.not_found += 1
        else:
            self.unrelated += 1
            if outcome.answered is None and not outcome.offered:
                self.declined += 1
                return
            self.unrelated_answered += outcome.answered is not None
        self.misses.append((case, outcome))


def evaluate(understand: Understand, cases: Iterable[LabelledCase]) -> dict[str, Figures]:
    """Figures per language of the cases, and ``"all"``."""
    by_lang: dict[str, Figures] = {"all": Figures()}
    for case in cases:
        outcome = understand(case.q, case.lang)
        by_lang["all"].add(case, outcome)
        by_lang.setdefault(case.lang, Figures()).add(case, outcome)
    return by_lang


def table(rows: Sequence[tuple[str, str, Figures]]) -> str:
    """A plain-text table: one row per (set, language)."""
    head = (
        f"{'set':<10} {'lang':<4} {'n':>4} {'direct+right':>13} {'direct+wrong':>13} "
        f"{'suggested':>10} {'not found':>10} {'unrelated':>9} {'declined':>9}"
    )
    lines = [head, "-" * len(head)]
    for name, lang, f in rows:
        lines.append(
            f"{name:<10} {lang:<4} {f.in_scope:>4} "
            f"{f.direct_correct:>4} {f.direct_correct_rate:>7.1%} "
            f"{f.direct_wrong:>4} {f.direct_wrong_rate:>7.1%} "
            f"{f.suggested:>10} {f.not_found:>10} {f.unrelated:>9} "
            f"{f.declined_rate:>8.1%}"
        )
    return "\n".join(lines)


def normal_form(text: str) -> str:
    """A question compared word for word: tokens joined by one space (case, punctuation gone)."""
    from bot.faq.matcher import tokenize  # morphology loads only when comparing

    return " ".join(tokenize(text))


def content_texts(locales_dir: Path) -> set[str]:
    """Every string of the FAQ data files (``*/faq*.toml``) in :func:`normal_form`: what an
    evaluation question must not be, unless by coincidence."""
    out: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            out.add(normal_form(value))
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for path in Path(locales_dir).glob("*/faq*.toml"):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return out
