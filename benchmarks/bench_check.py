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


def main(n: int = 2000) -> None:
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
