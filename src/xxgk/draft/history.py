"""Generated agency histories: consecutive years of one agency's reports, carry-over consistent across years (X1).

Built on ``xxgk.synth.random_report``; each year's 上年结转 is set to last year's 结转下年度 and Table B is
rebalanced so every identity (B1, B2, B3, B5) still holds.
"""

from __future__ import annotations

import random

from .. import template as T
from ..models import Report


def _set(report: Report, row: str, col: str, value: int) -> None:
    from ..synth.reports import number_cell

    report.table_b.cells.setdefault(row, {})[col] = number_cell(value)


def _val(report: Report, row: str, col: str) -> int:
    v = report.table_b.value(row, col)
    return int(v) if v is not None else 0


def carry_over_from(report: Report, prior: Report) -> Report:
    """``report`` with 上年结转 = ``prior``'s 结转下年度 per column, the outcome rows rebalanced to keep B1/B2."""
    b = report.table_b
    leaves = [r.key for r in T.table_b_rows(b.format or "2021", b.compressed_other) if r.leaf]
    for col in T.B_APPLICANT_KEYS:
        want = _val(prior, "carried_forward", col)
        diff = want - _val(report, "carried_over", col)
        if not diff:
            continue
        _set(report, "carried_over", col, want)
        new, cf = _val(report, "new", col), _val(report, "carried_forward", col)
        cf = min(cf, new + want)
        _set(report, "carried_forward", col, cf)
        total = new + want - cf
        done = sum(_val(report, leaf, col) for leaf in leaves)
        delta = total - done
        # put the difference on the largest outcome (or 予以公开) and take from the largest when negative
        while delta:
            leaf = max(leaves, key=lambda k: _val(report, k, col)) if delta < 0 else ("granted" if "granted" in leaves else leaves[0])
            have = _val(report, leaf, col)
            step = max(delta, -have)
            _set(report, leaf, col, have + step)
            delta -= step
        _set(report, "total", col, total)
    for row in [r.key for r in T.table_b_rows(b.format or "2021", b.compressed_other)]:
        if row in b.cells:
            _set(report, row, "total", sum(_val(report, row, c) for c in T.B_APPLICANT_KEYS))
    return report


def agency_history(seed: int, years: tuple[int, ...] = (2021, 2022, 2023, 2024), agency: str | None = None) -> list[Report]:
    """Reports of one agency for consecutive ``years`` (oldest first), X1-consistent, each with its own §五."""
    from ..synth import random_report
    from ..synth.reports import agency_names

    rng = random.Random(seed)
    agency = agency or rng.choice([a for a in agency_names() if not a.endswith(("镇人民政府", "街道办事处"))])
    out: list[Report] = []
    for i, y in enumerate(years):
        r = random_report(seed * 100 + i, year=y, agency=agency)
        if out:
            r = carry_over_from(r, out[-1])
            _renarrate(r, seed * 100 + i)
        out.append(r)
    return out


def _renarrate(report: Report, seed: int) -> None:
    """Rewrite §一 from the rebalanced tables so the narrative quotes them (synth's own narrator)."""
    try:
        from ..synth.reports import _overview, self_name
    except ImportError:  # pragma: no cover - synth without its narrator: keep the text
        return
    s = report.section("overview")
    if s is not None and report.agency:
        s.text = _overview(random.Random(seed), report, self_name(report.agency))
