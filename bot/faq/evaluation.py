"""Evaluate a :class:`MultiLanguageMatcher` on a labelled question set (tests and benchmarks)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from bot.faq.matcher import MatchKind, MatchResult, MultiLanguageMatcher

NONE_LABEL = "none"


@dataclass(frozen=True, slots=True)
class LabelledCase:
    q: str
    id: str  # expected entry id or "none"
    lang: str = "ru"
    strict: bool = True  # for "none": True = must be NONE, False = must not be ANSWER


def load_cases(path: Path | str) -> list[LabelledCase]:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    return [LabelledCase(**raw) for raw in data["case"]]


@dataclass
class Report:
    in_scope: int = 0
    top1_correct: int = 0  # ANSWER with the right id, or SUGGEST with the right id first
    answered_correct: int = 0  # ANSWER with the right id
    suggested: int = 0  # in-scope queries that got SUGGEST
    wrong_answer: int = 0  # in-scope queries answered with a wrong id
    unrelated: int = 0
    none_correct: int = 0
    borderline: int = 0
    borderline_ok: int = 0
    failures: list[tuple[LabelledCase, MatchResult]] = field(default_factory=list)

    @property
    def top1_accuracy(self) -> float:
        return self.top1_correct / self.in_scope if self.in_scope else 1.0

    @property
    def suggest_rate(self) -> float:
        return self.suggested / self.in_scope if self.in_scope else 0.0

    @property
    def none_rate(self) -> float:
        return self.none_correct / self.unrelated if self.unrelated else 1.0

    def summary(self) -> str:
        lines = [
            f"in-scope: {self.in_scope}  top-1 accuracy: {self.top1_accuracy:.1%}  "
            f"(confident & right: {self.answered_correct}, SUGGEST: {self.suggested} "
            f"= {self.suggest_rate:.1%}, confident & wrong: {self.wrong_answer})",
            f"unrelated: {self.unrelated}  correct NONE: {self.none_rate:.1%}; "
            f"borderline not answered: {self.borderline_ok}/{self.borderline}",
        ]
        for case, res in self.failures:
            cands = ", ".join(f"{c.entry_id}={c.score:.2f}" for c in res.candidates[:3])
            lines.append(f"  FAIL {case.q!r}: expected {case.id}, got {res.kind} "
                         f"{list(res.suggestions)} [{cands}] terms={list(res.terms)}")
        return "\n".join(lines)


def evaluate(matcher: MultiLanguageMatcher, cases: list[LabelledCase]) -> Report:
    rep = Report()
    for case in cases:
        res = matcher.match(case.q, case.lang)
        if case.id == NONE_LABEL:
            if case.strict:
                rep.unrelated += 1
                ok = res.kind is MatchKind.NONE
                rep.none_correct += ok
            else:
                rep.borderline += 1
                ok = res.kind is not MatchKind.ANSWER
                rep.borderline_ok += ok
        else:
            rep.in_scope += 1
            first = res.suggestions[0] if res.suggestions else None
            ok = first == case.id
            rep.top1_correct += ok
            if res.kind is MatchKind.ANSWER:
                rep.answered_correct += ok
                rep.wrong_answer += not ok
            elif res.kind is MatchKind.SUGGEST:
                rep.suggested += 1
        if not ok:
            rep.failures.append((case, res))
    return rep
