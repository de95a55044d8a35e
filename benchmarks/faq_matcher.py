"""FAQ matcher benchmark: accuracy on the labelled set and time per query.

Run: ``python -m benchmarks.faq_matcher``
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from bot.faq import MultiLanguageMatcher, load_all
from bot.faq.evaluation import evaluate, load_cases
from bot.faq.matcher import get_morph

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
LABELLED = ROOT / "tests" / "faq" / "labelled_questions.toml"
ROUNDS = 50


def main() -> None:
    t0 = time.perf_counter()
    get_morph()
    morph_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    books = load_all(LOCALES)
    load_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    matcher = MultiLanguageMatcher.from_books(books)
    build_s = time.perf_counter() - t0

    cases = load_cases(LABELLED)
    t0 = time.perf_counter()
    report = evaluate(matcher, cases)  # also the warm-up (fills lemma / token caches)
    cold_s = time.perf_counter() - t0

    timings: list[float] = []
    for _ in range(ROUNDS):
        for case in cases:
            start = time.perf_counter_ns()
            matcher.match(case.q, case.lang)
            timings.append((time.perf_counter_ns() - start) / 1000.0)
    timings.sort()
    p99 = timings[min(len(timings) - 1, int(len(timings) * 0.99))]

    print("FAQ matcher benchmark")
    print(f"  entries: {len(books['ru'])} per language ({', '.join(sorted(books))})")
    print(f"  labelled questions: {len(cases)} "
          f"(in-scope {report.in_scope}, unrelated {report.unrelated}, "
          f"borderline {report.borderline})")
    print(f"  top-1 accuracy (in-scope):       {report.top1_accuracy:.1%}")
    print(f"    confident & right:             {report.answered_correct}/{report.in_scope}")
    print(f"    confident & wrong:             {report.wrong_answer}/{report.in_scope}")
    print(f"  in-scope SUGGEST rate:           {report.suggest_rate:.1%}")
    print(f"  correct NONE (unrelated):        {report.none_rate:.1%}")
    print(f"  borderline never answered:       {report.borderline_ok}/{report.borderline}")
    print(f"  time per query, warm: mean {statistics.fmean(timings):.1f} µs, "
          f"p50 {timings[len(timings) // 2]:.1f} µs, p99 {p99:.1f} µs "
          f"({len(timings)} queries)")
    print(f"  first pass over the set (cold caches): {cold_s * 1e3 / len(cases):.2f} ms/query")
    print(f"  index build time (both languages):     {build_s * 1e3:.1f} ms")
    print(f"  content load + validation:             {load_s * 1e3:.1f} ms")
    print(f"  pymorphy3 MorphAnalyzer construction:  {morph_s * 1e3:.1f} ms")
    if report.failures:
        print("\nNot right:")
        print("\n".join(report.summary().splitlines()[2:]))


if __name__ == "__main__":
    main()
