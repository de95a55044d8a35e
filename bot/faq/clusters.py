"""Unanswered questions that say the same thing, grouped so staff attach them with one tap.

Questions are already grouped by their normalised terms (``FaqLibrary.normalized``: the same
words in any order, form or case). Clusters join groups whose terms mostly overlap, e.g.
"сколько стоит анализ" and "сколько стоит анализ на igg": greedy, most asked first, each group
joins the first cluster whose head shares at least ``similarity`` of their terms (Jaccard).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from storage import QuestionGroup

__all__ = ["Cluster", "cluster_groups"]

DEFAULT_SIMILARITY = 0.5


@dataclass
class Cluster:
    head: QuestionGroup
    groups: list[QuestionGroup] = field(default_factory=list)

    @property
    def key(self) -> str:
        """A short stable id for buttons (fits callback data): the head's terms, hashed."""
        return hashlib.sha1(self.head.normalized.encode()).hexdigest()[:10]

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({lang for g in self.groups for lang in g.languages}))

    @property
    def normalized_keys(self) -> list[str]:
        return [g.normalized for g in self.groups]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def cluster_groups(
    groups: Sequence[QuestionGroup], similarity: float = DEFAULT_SIMILARITY
) -> list[Cluster]:
    """Clusters, most asked first (``groups`` as ``QuestionsRepo.top_unanswered`` gives them)."""
    clusters: list[tuple[frozenset[str], Cluster]] = []
    for group in groups:
        terms = frozenset(group.normalized.split())
        for head_terms, cluster in clusters:
            if _jaccard(terms, head_terms) >= similarity:
                cluster.groups.append(group)
                break
        else:
            clusters.append((terms, Cluster(head=group, groups=[group])))
    result = [cluster for _, cluster in clusters]
    result.sort(key=lambda c: -c.count)
    return result
