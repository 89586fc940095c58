"""Extraction throughput per input kind (documents per second, seconds per PDF page), one core.

Run: python benchmarks/bench_extract.py [--repeat N]
Uses fixtures/generated (every kind) and fixtures/real.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from xxgk.ingest import SUFFIX_KINDS
from xxgk.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent / "fixtures"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=3, help="runs per file (the median is kept)")
    args = ap.parse_args()
    files = sorted(p for d in ("generated", "real") for p in (ROOT / d).glob("*") if p.suffix.lower() in SUFFIX_KINDS)
    per_kind: dict[str, list[float]] = defaultdict(list)
    pages: dict[str, int] = defaultdict(int)
    for f in files:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            report = extract_file(f)
            times.append(time.perf_counter() - t0)
        kind = SUFFIX_KINDS[f.suffix.lower()]
        per_kind[kind].append(statistics.median(times))
        pages[kind] += report.source.pages or 1 if report.source else 1
    print(f"{'kind':6} {'files':>5} {'docs/s':>8} {'ms/doc':>8} {'s/page':>8}")
    for kind, ts in sorted(per_kind.items()):
        total = sum(ts)
        print(f"{kind:6} {len(ts):5d} {len(ts) / total:8.1f} {1000 * total / len(ts):8.1f} {total / max(pages[kind], 1):8.3f}")


if __name__ == "__main__":
    main()
