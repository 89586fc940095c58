"""Pydantic models of an extracted report: cells with evidence, the three tables, the six sections.

JSON keys are the FORMAT.md keys (see ``xxgk.template``). A blank cell is never 0: it has
``state="blank"`` and ``value=None``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import template as T
from .template import FormatId

SCHEMA_VERSION = "1"


class CellState(StrEnum):
    """What a cell's printed text is."""

    number = "number"  # a plain number: "0", "1,234", "１２"
    blank = "blank"  # nothing printed (or &nbsp;): not 0
    dash = "dash"  # "/", "—", "-", "无", "不适用": explicitly not applicable
    text_number = "text_number"  # a number with words: "22（其中修订 16 件）", "26158.97 万元", "增加 2 个"
    unreadable = "unreadable"  # the engine could not decide the value; see ``reason``
    missing = "missing"  # the cell was not found in the document at all


Engine = Literal["rules", "llm", "ocr", "gold", "manual"]
LOW_CONFIDENCE = 0.9  # a cell, word or table read with less is doubted: marked for review or a second reading


class Box(BaseModel):
    """A rectangle on a page, in PDF points from the top-left (pdfplumber's convention)."""

    model_config = ConfigDict(frozen=True)
    x0: float
    top: float
    x1: float
    bottom: float


class Source(BaseModel):
    """Where a value was read: file, page, line and/or box, and by which engine."""

    file: str | None = None
    page: int | None = None  # 1-based
    line: int | None = None  # 1-based line number in the ingested Document
    box: Box | None = None
    engine: Engine = "rules"


class Cell(BaseModel):
    """One table cell: the value, the text it came from, and how sure we are."""

    value: int | float | None = None
    raw: str = ""
    state: CellState = CellState.missing
    unit: str | None = None  # "万元", "元", "个", "件" where printed
    note: str | None = None  # parenthetical text, e.g. "其中修订 16 件"
    reason: str | None = None  # why unreadable / missing
    confidence: float | None = None  # OCR or engine confidence 0..1 where known
    source: Source | None = None

    @property
    def has_value(self) -> bool:
        return self.value is not None and self.state in (CellState.number, CellState.text_number)

    @model_validator(mode="after")
    def _value_matches_state(self) -> Cell:
        if self.state in (CellState.blank, CellState.dash, CellState.missing) and self.value is not None:
            raise ValueError(f"a {self.state.value} cell has no value (got {self.value!r})")
        if self.state in (CellState.number, CellState.text_number) and self.value is None:
            raise ValueError(f"a {self.state.value} cell needs a value")
        return self


CellGrid = dict[str, dict[str, Cell]]
_NO_ROW: dict[str, Cell] = {}


def _missing_cell() -> Cell:
    """A cell that is not in the table (a fresh copy: callers may annotate it). Built without re-validation."""
    return Cell.model_construct(state=CellState.missing, reason="not in the table")


class Location(BaseModel):
    """Where a section or table starts and ends in the Document (1-based, inclusive)."""

    page_start: int | None = None
    page_end: int | None = None
    line_start: int | None = None
    line_end: int | None = None


class Table(BaseModel):
    """Common parts of the three tables: cells by row key then column key, confidence, notes."""

    found: bool = True
    cells: CellGrid = Field(default_factory=dict)
    confidence: float = 1.0  # 0..1: how much the engine trusts its reading (later engines act below ~0.9)
    notes: list[str] = Field(default_factory=list)  # what the parser noticed (Chinese or English)
    location: Location | None = None
    engine: Engine = "rules"

    def cell(self, row: str, column: str) -> Cell:
        """The cell at (row, column); a ``missing`` cell when absent."""
        return self.cells.get(row, _NO_ROW).get(column) or _missing_cell()

    def value(self, row: str, column: str) -> int | float | None:
        c = self.cell(row, column)
        return c.value if c.has_value else None

    def iter_cells(self) -> list[tuple[str, str, Cell]]:
        return [(r, c, cell) for r, cols in self.cells.items() for c, cell in cols.items()]


class TableA(Table):
    """表二 主动公开政府信息情况: rows and columns of the report's format."""

    kind: Literal["table_a"] = "table_a"
    format: FormatId | None = None

    def expected_cells(self) -> list[tuple[str, str]]:
        return T.table_a_cells(self.format or "2021")


class TableB(Table):
    """表三 收到和处理政府信息公开申请情况: 25 rows × 7 columns (23 with one （六）其他处理 row)."""

    kind: Literal["table_b"] = "table_b"
    format: FormatId | None = None
    compressed_other: bool = False  # a single （六）其他处理 row (2019 format, or a 2021+ report printing it)

    @model_validator(mode="after")
    def _2019_is_compressed(self) -> TableB:
        # the 2019 format always prints one （六）其他处理 row
        if self.format == "2019":
            self.compressed_other = True
        return self

    def row_keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in T.table_b_rows(self.format or "2021", self.compressed_other))

    def expected_cells(self) -> list[tuple[str, str]]:
        return [(r, c) for r in self.row_keys() for c in T.B_COLUMN_KEYS]


class TableC(Table):
    """表四 政府信息公开行政复议、行政诉讼情况: 3 groups × 5 columns."""

    kind: Literal["table_c"] = "table_c"

    def expected_cells(self) -> list[tuple[str, str]]:
        return T.table_c_cells()


class Section(BaseModel):
    """One of the six sections: heading as printed, body text, and where it is."""

    key: str  # overview | proactive | requests | review_litigation | problems | other
    number: str | None = None  # the numeral printed ("一" … "六"), None if the heading had none
    heading: str = ""  # heading as printed
    text: str = ""  # body text, tables excluded where they could be told apart
    location: Location | None = None
    found: bool = True  # False when inferred (e.g. heading missing, body recognised by content)


class SourceFile(BaseModel):
    """The input file the report was read from."""

    path: str
    kind: str  # txt | md | html | docx | pdf | image
    sha256: str | None = None
    pages: int | None = None
    encoding: str | None = None


class Report(BaseModel):
    """One 政府信息公开工作年度报告, as extracted."""

    model_config = ConfigDict(extra="forbid")

    schema_version: str = SCHEMA_VERSION
    source: SourceFile | None = None
    title: str | None = None
    agency: str | None = None
    year: int | None = None
    format: FormatId | None = None  # the table format detected
    sections: list[Section] = Field(default_factory=list)
    table_a: TableA = Field(default_factory=lambda: TableA(found=False))
    table_b: TableB = Field(default_factory=lambda: TableB(found=False))
    table_c: TableC = Field(default_factory=lambda: TableC(found=False))
    notes: list[str] = Field(default_factory=list)  # document-level extraction notes
    engine: Engine = "rules"
    extra: dict[str, Any] = Field(default_factory=dict)  # usage, timings, engine details

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)

    @property
    def tables(self) -> dict[str, Table]:
        return {"table_a": self.table_a, "table_b": self.table_b, "table_c": self.table_c}


def report_json_schema() -> dict[str, Any]:
    """The JSON Schema of ``Report`` with the template's row and column keys documented."""
    schema = Report.model_json_schema()
    schema["$comment"] = (
        "Cells are tables.<table>.cells[<row key>][<column key>]. Keys: "
        + "; ".join(
            [
                "table_a 2021: " + ", ".join(f"{r}.{c}" for r, c in T.table_a_cells("2021")),
                "table_a 2019: " + ", ".join(f"{r}.{c}" for r, c in T.table_a_cells("2019")),
                "table_b rows: " + ", ".join(r.key for r in T.TABLE_B["2021"]) + ", other_combined",
                "table_b columns: " + ", ".join(T.B_COLUMN_KEYS),
                "table_c groups: " + ", ".join(T.C_GROUP_KEYS) + "; columns: " + ", ".join(T.C_COLUMN_KEYS),
                "sections: " + ", ".join(T.SECTION_KEYS),
            ]
        )
    )
    return schema
