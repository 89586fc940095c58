"""What the rules share: the Finding a reviewer reads, the Hit a rule returns, the context a rule sees."""

from __future__ import annotations

import math
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, Field

from .. import template as T
from ..models import LOW_CONFIDENCE, Cell, CellState, Report, Source, Table  # LOW_CONFIDENCE: a failure in a doubted reading is doubt about the extraction
from ..template import FormatId

Severity = Literal["error", "warning", "info"]
Kind = Literal["report", "extraction"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}


class CellRef(BaseModel):
    """One cell a finding concerns: keys, Chinese label, what was read, and where."""

    table: str
    row: str
    column: str
    label: str  # "表三 （七）总计/科研机构"
    year: int | None = None  # set when the cell belongs to another year's report (X rules)
    raw: str = ""
    value: int | float | None = None
    state: str = CellState.missing.value
    source: Source | None = None


class Finding(BaseModel):
    """One problem (or note) about one report: rule, severity, kind, Chinese message, cells, location."""

    rule: str
    severity: Severity
    kind: Kind = "report"  # "report": a defect of the report itself; "extraction": doubt about our reading
    message: str
    cells: list[CellRef] = Field(default_factory=list)
    where: str | None = None  # "第2页 第41行", from the cells' sources
    section: str | None = None  # section key for text findings
    key: str = ""  # which message of the rule (mismatch, not_assessable, …)
    params: dict[str, Any] = Field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    """What a rule function returns: the rule, its message key and parameters; the catalogue renders it."""

    rule: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    cells: tuple[CellRef, ...] = ()
    kind: Kind = "report"
    section: str | None = None


@dataclass(frozen=True)
class Ctx:
    """The report under check, last year's report if known, and the format the tables are read in."""

    report: Report
    prior: Report | None = None
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # per-check caches of the rules

    def values(self, name: str) -> dict[tuple[str, str], float]:
        """The numbers of one table by (row, column), read once per check: the cells that hold a value."""
        key = f"values:{name}"
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = table_values(self.report.tables[name])
        return got

    @property
    def year(self) -> int | None:
        return self.report.year

    @property
    def fmt(self) -> FormatId:
        return table_format(self.report, self.report.table_b.format)


VALUE_STATES = (CellState.number, CellState.text_number)  # states whose cell holds a number


def table_values(table: Table) -> dict[tuple[str, str], float]:
    """The cells of a table that hold a number, as {(row, column): value}."""
    return {
        (r, c): cell.value
        for r, cols in table.cells.items()
        for c, cell in cols.items()
        if cell.value is not None and cell.state in VALUE_STATES
    }


def table_format(report: Report, table_fmt: FormatId | None) -> FormatId:
    """The format a table is read in: the table's own, else the report's, else the year's, else 2021."""
    return table_fmt or report.format or T.format_for_year(report.year) or "2021"


def num(v: float | int | None) -> str:
    """A number as a reviewer writes it: 12, 96171.6, never 12.0."""
    if v is None:
        return "空"
    if isinstance(v, float):
        if not math.isfinite(v):
            return str(v)
        if v.is_integer():
            return str(int(v))
        return f"{v:.6f}".rstrip("0").rstrip(".")
    return str(v)


def is_count(v: float | int) -> bool:
    """True for a whole number ≥ 0."""
    if isinstance(v, float):
        return math.isfinite(v) and v.is_integer() and v >= 0
    return v >= 0


def close(a: float, b: float) -> bool:
    """Equality of two read numbers, tolerant of float noise only."""
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@lru_cache(maxsize=4096)
def label_of(table: str, row: str, column: str, fmt: FormatId = "2021") -> str:
    """The Chinese name of a cell for messages; the keys themselves when the template does not know them."""
    try:
        return T.cell_label(table, row, column, fmt).text
    except (KeyError, StopIteration):
        return f"{T.TABLE_NAMES.get(table, table)} {row}/{column}"


def ref(table: str, row: str, column: str, cell: Cell, fmt: FormatId = "2021", year: int | None = None) -> CellRef:
    """A CellRef for a cell of a report (built without re-validation: every field comes from a valid Cell)."""
    return CellRef.model_construct(
        table=table,
        row=row,
        column=column,
        label=label_of(table, row, column, fmt),
        year=year,
        raw=cell.raw,
        value=cell.value,
        state=cell.state.value,
        source=cell.source,
    )


def doubtful(table: Table, cells: list[Cell]) -> bool:
    """True when an arithmetic failure here is more likely our reading than the report."""
    return table.confidence < LOW_CONFIDENCE or any(c.confidence is not None and c.confidence < LOW_CONFIDENCE for c in cells)


def where(cells: list[CellRef] | tuple[CellRef, ...]) -> str | None:
    """Where the first located cell sits in the source, in Chinese: 第2页 第41行."""
    for c in cells:
        s = c.source
        if s is None:
            continue
        parts = []
        if s.file:
            parts.append(s.file.rsplit("/", 1)[-1])
        if s.page is not None:
            parts.append(f"第{s.page}页")
        if s.line is not None:
            parts.append(f"第{s.line}行")
        if parts:
            return " ".join(parts)
    return None
