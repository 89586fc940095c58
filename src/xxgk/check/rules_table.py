"""Arithmetic of the three tables: B1–B5 (表三), C1 (表四), A1–A3 (表二). Pure functions of a Ctx."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from .. import template as T
from ..models import Cell, CellState, Table, TableB
from ..template import FormatId
from .base import VALUE_STATES, CellRef, Ctx, Hit, close, doubtful, is_count, num, ref, table_format

Operand = tuple[str, str]  # (row key, column key)
GAP_STATES = (CellState.blank, CellState.dash)  # printed as not filled: not assessable, never 0
FEE_PLAUSIBLE_MAX_WAN = 5_000_000  # 500 亿元: above this a 万元 column was probably filled in 元
ROW_NAME = {"table_b": "行", "table_c": ""}


@dataclass
class Equation:
    """One identity evaluated on the cells: its status, both sides, and the cells behind them."""

    status: str  # ok | mismatch | gap (blank/dash operand) | doubt (unreadable/missing operand)
    name: str = ""
    fmt: FormatId = "2021"
    lhs: float = 0  # with blank or unreadable operands taken as 0 (an assumption, labelled as such)
    rhs: float = 0
    operands: list[tuple[str, str, Cell]] = field(default_factory=list)
    extraction: bool = False  # a mismatch in a low-confidence reading

    @property
    def cells(self) -> list[CellRef]:
        return [ref(self.name, r, c, cell, self.fmt) for r, c, cell in self.operands]

    @property
    def gaps(self) -> list[CellRef]:
        return [ref(self.name, r, c, cell, self.fmt) for r, c, cell in self.operands if cell.state in GAP_STATES]

    @property
    def doubts(self) -> list[CellRef]:
        return [ref(self.name, r, c, cell, self.fmt) for r, c, cell in self.operands if not cell.has_value and cell.state not in GAP_STATES]


def evaluate(
    name: str, table: Table, left: Sequence[Operand], right: Sequence[Operand], fmt: FormatId, values: dict[Operand, float]
) -> Equation:
    """Evaluate Σ left = Σ right on a table; blanks make it not assessable, unreadable cells make it doubtful.

    The common case (every operand a number, both sides equal) returns without listing the operands:
    only a failed or unassessable identity needs its cells.
    """
    try:
        lhs = sum(map(values.__getitem__, left))
        rhs = sum(map(values.__getitem__, right))
    except KeyError:  # an operand without a number: blank, dash, unreadable or missing
        lhs = sum(values.get(op, 0) for op in left)
        rhs = sum(values.get(op, 0) for op in right)
    else:
        if close(lhs, rhs):
            return Equation("ok", name, fmt, lhs, rhs)
    eq = Equation("ok", name, fmt, lhs, rhs)
    gap = doubt = False
    for row, col in (*left, *right):
        cell = table.cell(row, col)
        eq.operands.append((row, col, cell))
        if cell.value is not None and cell.state in VALUE_STATES:
            continue
        if cell.state in GAP_STATES:
            gap = True
        else:
            doubt = True
    if doubt:
        eq.status = "doubt"
    elif gap:
        eq.status = "gap"
    elif not close(eq.lhs, eq.rhs):
        eq.status = "mismatch"
        eq.extraction = doubtful(table, [cell for _, _, cell in eq.operands])
    return eq


@dataclass
class Tally:
    """Collects the equations of one rule that could not be assessed, for one summary finding each kind."""

    rule: str
    gaps: list[str] = field(default_factory=list)
    gap_cells: list[CellRef] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    doubts: list[str] = field(default_factory=list)
    doubt_cells: list[CellRef] = field(default_factory=list)

    seen: set[tuple[str, str, str]] = field(default_factory=set)  # cells already listed (CellRef equality is slow)

    def _new(self, refs: list[CellRef]) -> list[CellRef]:
        out = []
        for c in refs:
            k = (c.table, c.row, c.column)
            if k not in self.seen:
                self.seen.add(k)
                out.append(c)
        return out

    def add(self, what: str, eq: Equation) -> None:
        if eq.status == "doubt":
            self.doubts.append(what)
            self.doubt_cells.extend(self._new(eq.doubts))
        elif eq.status == "gap":
            self.gaps.append(what)
            self.gap_cells.extend(self._new(eq.gaps))
            if not close(eq.lhs, eq.rhs):
                self.assumed.append(f"{what}相差{num(abs(eq.lhs - eq.rhs))}")

    def hits(self) -> list[Hit]:
        out: list[Hit] = []
        if self.gaps:
            what = "、".join(self.gaps[:6]) + ("等" if len(self.gaps) > 6 else "")
            assumption = "；".join(self.assumed[:4]) + ("等" if len(self.assumed) > 4 else "") if self.assumed else "均成立"
            out.append(
                Hit(self.rule, "not_assessable", {"what": what, "n": len(self.gaps), "assumption": assumption}, tuple(self.gap_cells))
            )
        if self.doubts:
            out.append(Hit(self.rule, "unreadable", {"what": "、".join(self.doubts), "n": len(self.doubts)}, tuple(self.doubt_cells), kind="extraction"))
        return out


def _mismatch(rule: str, eq: Equation, **params: object) -> Hit:
    """The finding for a failed identity; a low-confidence reading makes it doubt about the extraction."""
    return Hit(
        rule,
        "mismatch",
        {**params, "lhs": num(eq.lhs), "rhs": num(eq.rhs), "diff": num(abs(eq.lhs - eq.rhs))},
        tuple(eq.cells),
        kind="extraction" if eq.extraction else "report",
    )


def _run(
    rule: str,
    name: str,
    table: Table,
    fmt: FormatId,
    items: Sequence[tuple[str, Sequence[Operand], Sequence[Operand], dict]],
    values: dict[Operand, float],
) -> list[Hit]:
    """Evaluate a list of (what, left, right, params) identities and return mismatches plus the tally."""
    hits: list[Hit] = []
    tally = Tally(rule)
    for what, left, right, params in items:
        eq = evaluate(name, table, left, right, fmt, values)
        if eq.status == "mismatch":
            hits.append(_mismatch(rule, eq, what=what, **params))
        elif eq.status != "ok":
            tally.add(what, eq)
    return hits + tally.hits()


def _col_name(col: str) -> str:
    return next((c.display for c in T.B_COLUMNS if c.key == col), col)


def _b_row_name(row: str) -> str:
    r = T.B_ROW_BY_KEY.get(row)
    return r.row.display if r else row


def b_compressed(tb: TableB, fmt: FormatId) -> bool:
    """True when （六）其他处理 is one row: the 2019 format, the flag, or only other_combined read."""
    if fmt == "2019" or tb.compressed_other:
        return True
    return "other_combined" in tb.cells and not any(k in tb.cells for k in T.B_OTHER_LEAF_KEYS)


def b_rows(tb: TableB, fmt: FormatId) -> tuple[str, ...]:
    """Numeric row keys of Table B as printed in this report."""
    return tuple(r.key for r in T.table_b_rows(fmt, b_compressed(tb, fmt)))


def _b_ready(ctx: Ctx) -> tuple[TableB, FormatId] | None:
    tb = ctx.report.table_b
    if not tb.found:
        return None
    return tb, table_format(ctx.report, tb.format)


def b1_balance(ctx: Ctx) -> list[Hit]:
    """B1: per column, 一 + 二 = 三(七)总计 + 四."""
    ready = _b_ready(ctx)
    if ready is None:
        return []
    tb, fmt = ready
    return _run("B1", "table_b", tb, fmt, _b1_items(), ctx.values("table_b"))


@lru_cache(maxsize=1)
def _b1_items() -> tuple[tuple[str, Sequence[Operand], Sequence[Operand], dict], ...]:
    return tuple(
        (f"{_col_name(c)}列", (("new", c), ("carried_over", c)), (("total", c), ("carried_forward", c)), {"col": _col_name(c)})
        for c in T.B_COLUMN_KEYS
    )


def b2_outcomes(ctx: Ctx) -> list[Hit]:
    """B2: per column, （七）总计 = Σ outcome leaves (21, 19, or 19 with the single （六） row)."""
    ready = _b_ready(ctx)
    if ready is None:
        return []
    tb, fmt = ready
    return _run("B2", "table_b", tb, fmt, _b2_items(fmt, b_compressed(tb, fmt)), ctx.values("table_b"))


@lru_cache(maxsize=8)
def _b2_items(fmt: FormatId, compressed: bool) -> tuple[tuple[str, Sequence[Operand], Sequence[Operand], dict], ...]:
    leaves = T.table_b_leaves(fmt, compressed)
    return tuple(
        (f"{_col_name(c)}列", (("total", c),), tuple((leaf, c) for leaf in leaves), {"col": _col_name(c), "n": len(leaves)})
        for c in T.B_COLUMN_KEYS
    )


def b3_applicants(ctx: Ctx) -> list[Hit]:
    """B3: every row, 总计 = Σ the six applicant columns."""
    ready = _b_ready(ctx)
    if ready is None:
        return []
    tb, fmt = ready
    return _run("B3", "table_b", tb, fmt, _b3_items(b_rows(tb, fmt)), ctx.values("table_b"))


@lru_cache(maxsize=8)
def _b3_items(rows: tuple[str, ...]) -> tuple[tuple[str, Sequence[Operand], Sequence[Operand], dict], ...]:
    return tuple(
        (f"{_b_row_name(r)}行", ((r, "total"),), tuple((r, c) for c in T.B_APPLICANT_KEYS), {"row": _b_row_name(r)})
        for r in rows
    )


def b4_counts(ctx: Ctx) -> list[Hit]:
    """B4: every numeric cell of 表三 is a whole number ≥ 0; blank or dash cells are listed as a warning."""
    ready = _b_ready(ctx)
    if ready is None:
        return []
    tb, fmt = ready
    hits: list[Hit] = []
    gaps: list[CellRef] = []
    doubts: list[CellRef] = []
    values = ctx.values("table_b")
    for row in b_rows(tb, fmt):
        for col in T.B_COLUMN_KEYS:
            v = values.get((row, col))
            if type(v) is int and v >= 0:
                continue  # the common case, without the general checks below
            cell = tb.cell(row, col)
            if cell.has_value and is_count(cell.value):  # type: ignore[arg-type]
                continue
            r = ref("table_b", row, col, cell, fmt)
            if cell.has_value:
                if not is_count(cell.value):  # type: ignore[arg-type]
                    kind = "extraction" if doubtful(tb, [cell]) else "report"
                    hits.append(Hit("B4", "not_count", {"cell": r.label, "raw": cell.raw or num(cell.value)}, (r,), kind=kind))
            elif cell.state in GAP_STATES:
                gaps.append(r)
            else:
                doubts.append(r)
    if gaps:
        names = "、".join(f"{_b_row_name(g.row)}/{_col_name(g.column)}" for g in gaps[:8])
        names += "等" if len(gaps) > 8 else ""
        hits.append(Hit("B4", "blank", {"cells": names, "n": len(gaps)}, tuple(gaps)))
    if doubts:
        names = "、".join(f"{_b_row_name(d.row)}/{_col_name(d.column)}" for d in doubts[:8])
        hits.append(Hit("B4", "unreadable", {"cells": names, "n": len(doubts)}, tuple(doubts), kind="extraction"))
    return hits


def b5_carried_forward(ctx: Ctx) -> list[Hit]:
    """B5: per column, 结转下年度 ≤ 本年新收 + 上年结转."""
    ready = _b_ready(ctx)
    if ready is None:
        return []
    tb, fmt = ready
    hits: list[Hit] = []
    for c in T.B_COLUMN_KEYS:
        cells = [tb.cell(r, c) for r in ("carried_forward", "new", "carried_over")]
        if not all(x.has_value for x in cells):
            continue
        cf, new, over = (x.value for x in cells)
        if cf > new + over and not close(cf, new + over):  # type: ignore[operator]
            refs = tuple(ref("table_b", r, c, x, fmt) for r, x in zip(("carried_forward", "new", "carried_over"), cells))
            hits.append(
                Hit("B5", "exceeds", {"col": _col_name(c), "cf": num(cf), "open": num(new + over)}, refs, kind="extraction" if doubtful(tb, cells) else "report")  # type: ignore[operator]
            )
    return hits


def _c_name(group: str) -> str:
    return next((g.display for g in T.C_GROUPS if g.key == group), group)


def c1_groups(ctx: Ctx) -> list[Hit]:
    """C1: per group of 表四, 维持 + 纠正 + 其他 + 尚未审结 = 总计; every cell a whole number ≥ 0."""
    tc = ctx.report.table_c
    if not tc.found:
        return []
    parts = [c for c in T.C_COLUMN_KEYS if c != "total"]
    items = [(_c_name(g), [(g, c) for c in parts], [(g, "total")], {"group": _c_name(g)}) for g in T.C_GROUP_KEYS]
    hits = _run("C1", "table_c", tc, "2021", items, ctx.values("table_c"))
    for g, c in T.table_c_cells():
        cell = tc.cell(g, c)
        if cell.has_value and not is_count(cell.value):  # type: ignore[arg-type]
            r = ref("table_c", g, c, cell)
            hits.append(Hit("C1", "not_count", {"cell": r.label, "raw": cell.raw or num(cell.value)}, (r,), kind="extraction" if doubtful(tc, [cell]) else "report"))
    return hits


def _a_ready(ctx: Ctx) -> FormatId | None:
    ta = ctx.report.table_a
    return table_format(ctx.report, ta.format) if ta.found else None


def a1_counts(ctx: Ctx) -> list[Hit]:
    """A1: counts of 表二 are whole numbers ≥ 0; money columns ≥ 0 (decimals allowed); 增/减 may be negative."""
    fmt = _a_ready(ctx)
    if fmt is None:
        return []
    ta = ctx.report.table_a
    hits: list[Hit] = []
    for row, col, cell in ta.iter_cells():
        if not cell.has_value or col == "delta":
            continue
        v = cell.value
        bad = (v < 0 or v != v) if col in T.MONEY_COLUMNS else not is_count(v)  # type: ignore[operator,arg-type]
        if bad:
            r = ref("table_a", row, col, cell, fmt)
            key = "negative_money" if col in T.MONEY_COLUMNS else "not_count"
            hits.append(Hit("A1", key, {"cell": r.label, "raw": cell.raw or num(v)}, (r,), kind="extraction" if doubtful(ta, [cell]) else "report"))
    return hits


def a2_issued(ctx: Ctx) -> list[Hit]:
    """A2: per document row (2021 format), 本年制发 ≤ 现行有效 + 本年废止."""
    fmt = _a_ready(ctx)
    if fmt != "2021":
        return []
    ta = ctx.report.table_a
    hits: list[Hit] = []
    for row in ("rules", "normative_docs"):
        cells = [ta.cell(row, c) for c in ("issued", "in_force", "repealed")]
        if not all(x.has_value for x in cells):
            continue
        issued, in_force, repealed = (x.value for x in cells)
        if issued > in_force + repealed and not close(issued, in_force + repealed):  # type: ignore[operator]
            refs = tuple(ref("table_a", row, c, x, fmt) for c, x in zip(("issued", "in_force", "repealed"), cells))
            name = next(a.row.display for a in T.TABLE_A[fmt] if a.row.key == row)
            hits.append(Hit("A2", "exceeds", {"row": name, "issued": num(issued), "kept": num(in_force + repealed)}, refs))  # type: ignore[operator]
    return hits


def a3_fee(ctx: Ctx) -> list[Hit]:
    """A3: a money cell of 表二 written in 元, or of implausible size for a 万元 column."""
    fmt = _a_ready(ctx)
    if fmt is None:
        return []
    ta = ctx.report.table_a
    hits: list[Hit] = []
    for row, col, cell in ta.iter_cells():
        if col not in T.MONEY_COLUMNS or not cell.has_value:
            continue
        r = ref("table_a", row, col, cell, fmt)
        v = cell.value
        printed = (cell.unit or "") + cell.raw
        if "元" in printed and "万元" not in printed and "亿元" not in printed:
            hits.append(Hit("A3", "yuan", {"cell": r.label, "raw": cell.raw, "wan": num(round(v / 10000, 4))}, (r,)))  # type: ignore[operator]
        elif v > FEE_PLAUSIBLE_MAX_WAN:  # type: ignore[operator]
            hits.append(Hit("A3", "implausible", {"cell": r.label, "value": num(v), "max": num(FEE_PLAUSIBLE_MAX_WAN)}, (r,)))
        elif isinstance(v, float) and round(v, 4) != v:
            hits.append(Hit("A3", "precision", {"cell": r.label, "raw": cell.raw or num(v)}, (r,)))
    return hits
