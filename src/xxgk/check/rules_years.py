"""Across years, against last year's report: X1 上年结转 = 结转下年度, X2 现行有效 carry-over, X3 §五 repeated."""

from __future__ import annotations

import re
import unicodedata

from .. import template as T
from ..models import Report
from .base import Ctx, Hit, close, num, ref, table_format

SHINGLE = 8  # characters per shingle of the §五 overlap measure
OVERLAP_THRESHOLD = 0.5  # share of this year's shingles found in last year's §五
REPEATED_PASSAGES = 2  # or this many passages (≥ MIN_PASSAGE characters) repeated verbatim
MIN_PASSAGE = 20
_NOISE = re.compile(r"[\s\W_]+")


def _prior_ok(ctx: Ctx) -> tuple[Report, list[Hit]] | None:
    """Last year's report if it is one; a note when its year is not Y−1."""
    prior = ctx.prior
    if prior is None:
        return None
    if ctx.year is not None and prior.year is not None and prior.year != ctx.year - 1:
        return prior, [Hit("X1", "not_prior_year", {"year": ctx.year, "prior": prior.year})]
    return prior, []


def x1_carry_over(ctx: Ctx) -> list[Hit]:
    """X1: per column, this year's 上年结转 = last year's 结转下年度 (holds across the 2020→2021 format change)."""
    found = _prior_ok(ctx)
    if found is None:
        return []
    prior, notes = found
    if notes:
        return notes
    tb, pb = ctx.report.table_b, prior.table_b
    if not (tb.found and pb.found):
        return []
    fmt, pfmt = table_format(ctx.report, tb.format), table_format(prior, pb.format)
    hits: list[Hit] = []
    gaps: list[str] = []
    gap_cells = []
    for col in T.B_COLUMN_KEYS:
        now, before = tb.cell("carried_over", col), pb.cell("carried_forward", col)
        refs = (ref("table_b", "carried_over", col, now, fmt), ref("table_b", "carried_forward", col, before, pfmt, year=prior.year))
        name = next(c.display for c in T.B_COLUMNS if c.key == col)
        if not (now.has_value and before.has_value):
            gaps.append(name)
            gap_cells.extend(r for r, c in zip(refs, (now, before)) if not c.has_value)
            continue
        if not close(now.value, before.value):  # type: ignore[arg-type]
            kind = "extraction" if min(tb.confidence, pb.confidence) < 0.9 else "report"
            hits.append(
                Hit("X1", "mismatch", {"col": name, "now": num(now.value), "prior": num(before.value), "prior_year": prior.year or "上年"}, refs, kind=kind)
            )
    if gaps:
        hits.append(Hit("X1", "not_assessable", {"what": "、".join(gaps)}, tuple(gap_cells)))
    return hits


def x2_in_force(ctx: Ctx) -> list[Hit]:
    """X2: 现行有效 ≈ last year's 现行有效 + 本年制发 − 本年废止 (both years in the 2021 format)."""
    found = _prior_ok(ctx)
    if found is None or found[1]:
        return []
    prior = found[0]
    ta, pa = ctx.report.table_a, prior.table_a
    if not (ta.found and pa.found) or table_format(ctx.report, ta.format) != "2021" or table_format(prior, pa.format) != "2021":
        return []
    hits: list[Hit] = []
    for row in ("rules", "normative_docs"):
        cells = [ta.cell(row, "in_force"), pa.cell(row, "in_force"), ta.cell(row, "issued"), ta.cell(row, "repealed")]
        if not all(c.has_value for c in cells):
            continue
        now, before, issued, repealed = (c.value for c in cells)
        expected = before + issued - repealed  # type: ignore[operator]
        if not close(now, expected):  # type: ignore[arg-type]
            refs = (
                ref("table_a", row, "in_force", cells[0]),
                ref("table_a", row, "in_force", cells[1], year=prior.year),
                ref("table_a", row, "issued", cells[2]),
                ref("table_a", row, "repealed", cells[3]),
            )
            name = next(a.row.display for a in T.TABLE_A["2021"] if a.row.key == row)
            hits.append(
                Hit(
                    "X2",
                    "mismatch",
                    {"row": name, "now": num(now), "prior": num(before), "issued": num(issued), "repealed": num(repealed), "expected": num(expected)},
                    refs,
                )
            )
    return hits


def _plain(text: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", text))


def _shingles(text: str) -> set[str]:
    t = _plain(text)
    return {t[i : i + SHINGLE] for i in range(max(0, len(t) - SHINGLE + 1))}


def overlap(text: str, prior_text: str) -> tuple[float, list[str]]:
    """Share of this text's 8-character shingles found in last year's text, and the passages repeated verbatim.

    A passage is a maximal run of this text covered by shared shingles, at least MIN_PASSAGE characters long
    (punctuation and spaces ignored, so line breaks and a changed comma do not hide a copy).
    """
    t = _plain(text)
    before = _shingles(prior_text)
    starts = [i for i in range(max(0, len(t) - SHINGLE + 1)) if t[i : i + SHINGLE] in before]
    total = max(0, len(t) - SHINGLE + 1)
    if total == 0:
        return 0.0, []
    covered = [False] * len(t)
    for i in starts:
        covered[i : i + SHINGLE] = [True] * SHINGLE
    passages: list[str] = []
    run = 0
    for i, c in enumerate([*covered, False]):
        if c:
            run += 1
            continue
        if run >= MIN_PASSAGE:
            passages.append(t[i - run : i])
        run = 0
    return len(set(t[i : i + SHINGLE] for i in starts)) / len(_shingles(text)), passages


def x3_repeated_text(ctx: Ctx) -> list[Hit]:
    """X3: §五 is not last year's §五 again (内容雷同)."""
    found = _prior_ok(ctx)
    if found is None or found[1]:
        return []
    now, before = ctx.report.section("problems"), found[0].section("problems")
    if now is None or before is None or not now.text.strip() or not before.text.strip():
        return []
    ratio, repeated = overlap(now.text, before.text)
    if ratio < OVERLAP_THRESHOLD and len(repeated) < REPEATED_PASSAGES:
        return []
    sample = "；".join(p[:24] + ("…" if len(p) > 24 else "") for p in repeated[:2]) or "无"
    return [
        Hit(
            "X3",
            "repeated",
            {
                "ratio": f"{ratio:.0%}",
                "threshold": f"{OVERLAP_THRESHOLD:.0%}",
                "n": SHINGLE,
                "passages": len(repeated),
                "min_passages": REPEATED_PASSAGES, "min_len": MIN_PASSAGE,
                "sample": sample,
                "prior_year": found[0].year or "上年",
            },
            section="problems",
        )
    ]
