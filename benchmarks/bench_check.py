"""How many reports per second the checker checks (generated reports, every rule, with and without last year)."""

from __future__ import annotations

import time

from xxgk.check import check_report


def reports(n: int):
    """Consistent generated reports, from xxgk.synth when present."""
    from xxgk.synth import plant_error, random_report

    out = []
    for seed in range(n):
        r = random_report(seed)
        out.append(plant_error(r, seed)[0] if seed % 3 == 0 else r)
    return out


def real_reports() -> list:
    """The real fixtures, extracted once by the rules engine (so the timing is the checker's alone)."""
    from pathlib import Path

    from xxgk.pipeline import extract_file

    root = Path(__file__).resolve().parent.parent / "fixtures" / "real"
    return [extract_file(p) for p in sorted(root.iterdir()) if p.suffix in (".txt", ".md", ".pdf")]


def main(n: int = 2000) -> None:
    real = real_reports()
    rounds = max(1, n // len(real))
    start = time.perf_counter()
    findings = sum(len(check_report(r)) for _ in range(rounds) for r in real)
    elapsed = time.perf_counter() - start
    done = rounds * len(real)
    print(f"check real fixtures: {len(real)} reports × {rounds} = {done} in {elapsed:.2f}s = {done / elapsed:,.0f} reports/s ({findings // rounds} findings per round)")
    batch = reports(n)
    for label, prior in (("without prior", False), ("with prior", True)):
        start = time.perf_counter()
        findings = 0
        for i, r in enumerate(batch):
            findings += len(check_report(r, batch[i - 1] if prior and i else None))
        elapsed = time.perf_counter() - start
        print(f"check {label}: {n} reports in {elapsed:.2f}s = {n / elapsed:,.0f} reports/s ({findings} findings)")


if __name__ == "__main__":
    main()
