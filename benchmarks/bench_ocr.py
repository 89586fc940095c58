"""OCR speed and accuracy on the scan fixtures: seconds per page (single, --workers N) and cell accuracy.

Run: python benchmarks/bench_ocr.py [--workers 1 2] [--files s01 s02 …] [--no-accuracy]

Every run starts from an empty OCR cache (a temporary XXGK_CACHE_DIR), so it measures OCR, not the
cache; a last pass reruns the first configuration from the warm cache. Pages counted are the pages
that went through OCR. Cell accuracy is against each scan's gold (tables not on the scanned pages
are not scored); the misses are listed with their OCR confidence and whether the checker caught them.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "scans"


def ocr_pages(report: object) -> int:
    import re

    notes = getattr(report, "notes", [])
    for n in notes:
        m = re.match(r"全部(\d+)页经OCR识别", n)
        if m:
            return int(m.group(1))
        m = re.match(r"第([\d、]+)页经OCR识别", n)
        if m:
            return len(m.group(1).split("、"))
    return 0


def run(files: list[dict[str, object]], workers: int, cache: str, score_it: bool) -> tuple[float, int, list[str]]:
    """Read every file; per file a line (and its misses), then cell accuracy per degradation level."""
    os.environ["XXGK_CACHE_DIR"] = cache
    from xxgk.check import check_report
    from xxgk.evaluate.score import score
    from xxgk.ingest.image import set_workers
    from xxgk.models import Report
    from xxgk.pipeline import extract_file

    set_workers(workers)
    total_t, total_pages, lines = 0.0, 0, []
    levels: dict[str, list[int]] = {}  # level -> [correct, cells]
    for e in files:
        path = ROOT / str(e["file"])
        t0 = time.perf_counter()
        report = extract_file(path)
        dt = time.perf_counter() - t0
        pages = ocr_pages(report)
        total_t += dt
        total_pages += pages
        line = f"  {e['file']:<16} {str(e['level']):<6} {pages:2d} p  {dt / max(pages, 1):5.2f} s/page"
        if score_it:
            gold = Report.model_validate_json((ROOT / str(e["gold"])).read_text(encoding="utf-8"))
            s = score(gold, report)
            findings = [f for f in check_report(report) if f.severity == "error"]
            line += f"  cells {s.correct}/{s.cells} ({100 * s.accuracy:.1f}%)"
            tally = levels.setdefault(str(e["level"]), [0, 0])
            tally[0] += s.correct
            tally[1] += s.cells
            for d in s.diffs:
                t, row, col = d.path.split(".")
                cell = report.tables[t].cell(row, col)
                caught = sorted({f.rule for f in findings if any(c.table == t and c.row == row and c.column == col for c in f.cells)})
                line += f"\n      miss {d.path}: gold {d.gold} got {d.got} ({d.verdict}; conf {cell.confidence}; checker {caught or '-'})"
        lines.append(line)
    if levels:
        per = "  ".join(f"{k} {c}/{n} ({100 * c / max(n, 1):.1f}%)" for k, (c, n) in levels.items())
        lines.append(f"  cells per level: {per}")
    return total_t, total_pages, lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--files", nargs="*", help="name prefixes (s01 …); default every scan")
    ap.add_argument("--no-accuracy", action="store_true")
    args = ap.parse_args()
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    files = [e for e in manifest if not args.files or any(str(e["file"]).startswith(p) for p in args.files)]
    first_cache = None
    for w in args.workers:
        cache = tempfile.mkdtemp(prefix="xxgk-bench-ocr-")
        first_cache = first_cache or cache
        t, pages, lines = run(files, w, cache, not args.no_accuracy and w == args.workers[0])
        print(f"workers={w}: {pages} pages in {t:.1f} s = {t / max(pages, 1):.2f} s/page")
        print("\n".join(lines))
    if first_cache:
        t, pages, _ = run(files, args.workers[0], first_cache, False)
        print(f"cached rerun: {pages} pages in {t:.1f} s = {t / max(pages, 1):.3f} s/page")


if __name__ == "__main__":
    main()
