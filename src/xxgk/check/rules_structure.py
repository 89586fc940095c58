"""Structure of a report: S1 six sections in order, S2 template version, S3 tables readable, S6 信息处理费 stated."""

from __future__ import annotations

import re

from .. import template as T
from ..models import CellState, Table
from .base import LOW_CONFIDENCE, Ctx, Hit, table_format
from .rules_table import b_compressed

# §六 states the 信息处理费 (an amount or that none was charged); seeds word it in several ways.
FEE_STATEMENT = re.compile(r"信息处理费|处理费|信息公开收费|收取[^。；]{0,12}费|收费情况|不存在[^。；]{0,10}收费")


def _section_name(key: str) -> str:
    i = T.SECTION_KEYS.index(key)
    return f"{T.SECTION_NUMERALS[i]}、{T.SECTIONS[i].label}"


def s1_sections(ctx: Ctx) -> list[Hit]:
    """S1: sections 一…六 are all present, in order; a heading inferred from content is noted."""
    sections = ctx.report.sections
    if not sections:
        return [Hit("S1", "none", {}, kind="extraction")]
    keys = [s.key for s in sections if s.key in T.SECTION_KEYS]
    hits: list[Hit] = []
    missing = [k for k in T.SECTION_KEYS if k not in keys]
    if missing:
        hits.append(Hit("S1", "missing", {"sections": "、".join(_section_name(k) for k in missing), "n": len(missing)}))
    order = [T.SECTION_KEYS.index(k) for k in dict.fromkeys(keys)]
    if order != sorted(order):
        printed = "、".join(T.SECTION_NUMERALS[i] for i in order)
        hits.append(Hit("S1", "order", {"order": printed}))
    inferred = [s.key for s in sections if s.key in T.SECTION_KEYS and not s.found]
    if inferred:
        hits.append(Hit("S1", "inferred", {"sections": "、".join(_section_name(k) for k in dict.fromkeys(inferred))}))
    return hits


def s2_template(ctx: Ctx) -> list[Hit]:
    """S2: the tables use the format of the report's year; a compressed （六） in a 2021+ report is a warning."""
    year = ctx.year
    expected = T.format_for_year(year)
    if year is None:
        return [Hit("S2", "no_year", {})]
    if expected is None:
        return [Hit("S2", "no_format", {"year": year})]
    hits: list[Hit] = []
    used = {name: t.format for name, t in (("表二", ctx.report.table_a), ("表三", ctx.report.table_b)) if t.found and t.format}
    if not used and ctx.report.format:
        used = {"报告": ctx.report.format}
    for name, fmt in used.items():
        if fmt != expected:
            hits.append(Hit("S2", "wrong", {"table": name, "year": year, "used": fmt, "expected": expected}))
    tb = ctx.report.table_b
    if tb.found and expected == "2021" and table_format(ctx.report, tb.format) == "2021" and b_compressed(tb, "2021"):
        hits.append(Hit("S2", "compressed", {"year": year}))
    return hits


_UNREAD = (CellState.unreadable, CellState.missing)


def _unreadable(table: Table) -> bool:
    """No cell of the table was read (all unreadable or missing, or none at all)."""
    return not any(c.state not in _UNREAD for cols in table.cells.values() for c in cols.values())


def s3_tables(ctx: Ctx) -> list[Hit]:
    """S3: the three tables are present as text and machine-readable; low-confidence readings are noted."""
    hits: list[Hit] = []
    for name, table in ctx.report.tables.items():
        label = T.TABLE_NAMES[name]
        if not table.found:
            hits.append(Hit("S3", "missing", {"table": label}))
        elif _unreadable(table):
            hits.append(Hit("S3", "unreadable", {"table": label}))
        elif table.confidence < LOW_CONFIDENCE:
            hits.append(Hit("S3", "low_confidence", {"table": label, "confidence": f"{table.confidence:.2f}"}, kind="extraction"))
    return hits


def s6_fee_statement(ctx: Ctx) -> list[Hit]:
    """S6: from 2021 on, §六 states the 信息处理费 collected (an amount, or none)."""
    if ctx.year is None or ctx.year < 2021:
        return []
    other = ctx.report.section("other")
    if other is None:
        return []  # S1 reports the missing section
    if FEE_STATEMENT.search(other.text):
        return []
    elsewhere = next((s.key for s in ctx.report.sections if s.key != "other" and "信息处理费" in s.text), None)
    if elsewhere:
        return [Hit("S6", "elsewhere", {"section": _section_name(elsewhere)}, section="other")]
    return [Hit("S6", "absent", {}, section="other")]
