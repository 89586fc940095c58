"""Response models for the LLM tasks, derived from the format module; Chinese number forms normalised before validation.

A table answer is an object of rows (JSON keys = the template's row keys), each an object of columns.
A cell is a number, ``"—"`` for a printed dash/“无”/“/”, ``null`` for an empty cell, or ``"?"`` when
the model cannot read it. Strings such as ``"1,234"``, ``"１２"``, ``"12件"``, ``"26158.97万元"`` are
normalised by a before-validator (strict validation would otherwise reject them).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, create_model, model_validator

from .. import template as T
from ..models import CellState
from ..parse.numbers import parse_cell
from ..template import FormatId

DASH = "—"
UNSURE = "?"
Marker = Literal["—", "?"]


def _normalise(v: Any, integer: bool) -> Any:
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("需要数字，得到 true/false (a number, not a boolean)")
    if isinstance(v, (int, float)):
        number: int | float = v
    elif isinstance(v, str):
        s = v.strip()
        if s in (UNSURE, "？"):
            return UNSURE
        cell = parse_cell(s)
        if cell.state == CellState.blank:
            return None
        if cell.state == CellState.dash:
            return DASH
        if cell.state not in (CellState.number, CellState.text_number) or cell.value is None:
            raise ValueError(f"“{v}”不是数字 (not a number); 用数字、\"—\"、null 或 \"?\"")
        number = cell.value
    else:
        raise ValueError(f"需要数字，得到 {type(v).__name__} (a number, \"—\", null or \"?\")")
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if integer and not isinstance(number, int):
        raise ValueError(f"{v} 不是整数 (counts are whole numbers)")
    return number


def to_count(v: Any) -> Any:
    """A count cell: 12, "12", "1,234", "12件", "—", "", null, "?" → int | "—" | None | "?"."""
    return _normalise(v, integer=True)


def to_amount(v: Any) -> Any:
    """A money cell (万元): decimals allowed."""
    return _normalise(v, integer=False)


Count = Annotated[int | Marker | None, BeforeValidator(to_count)]
Amount = Annotated[float | int | Marker | None, BeforeValidator(to_amount)]
CellAnswer = int | float | str | None


class TableAnswer(BaseModel):
    """Base of the table answers: rows of columns; the identity gate (if any) runs after validation."""

    model_config = ConfigDict(extra="ignore")

    @model_validator(mode="after")
    def _identities(self, info: ValidationInfo) -> TableAnswer:
        gate = (info.context or {}).get("gate")
        if gate is not None:
            gate.check(self)  # raises ValueError naming the failing equations while re-asks remain
        return self

    def grid(self) -> dict[str, dict[str, CellAnswer]]:
        """The answer as ``{row: {column: value}}``."""
        out: dict[str, dict[str, CellAnswer]] = {}
        for row, cols in self:
            if isinstance(cols, BaseModel):
                out[row] = {c: v for c, v in cols}
        return out


def _row_model(name: str, columns: tuple[T.Label, ...], money: bool) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for col in columns:
        kind = Amount if money and col.key in T.MONEY_COLUMNS else Count
        fields[col.key] = (kind, Field(description=col.label))  # required: an omitted cell is not a blank one
    return create_model(name, __config__=ConfigDict(extra="ignore"), **fields)  # type: ignore[call-overload]


@cache
def table_a_answer(fmt: FormatId) -> type[TableAnswer]:
    """The answer model of 表二 in a format."""
    fields: dict[str, Any] = {}
    for arow in T.table_a_rows(fmt):
        model = _row_model(f"A{fmt}_{arow.row.key}", arow.columns, money=True)
        fields[arow.row.key] = (model, Field(description=f"{T.TABLE_A_BLOCK_LABEL.format(block=arow.block)} {arow.row.label}"))
    return create_model(f"TableA{fmt}Answer", __base__=TableAnswer, **fields)  # type: ignore[call-overload]


@cache
def table_b_answer(fmt: FormatId, compressed: bool = False) -> type[TableAnswer]:
    """The answer model of 表三 (25 rows, or 23 with one （六）其他处理 row)."""
    row_model = _row_model("BRow", T.B_COLUMNS, money=False)
    fields: dict[str, Any] = {}
    for brow in T.table_b_rows(fmt, compressed):
        label = f"{brow.group} {brow.row.label}".strip()
        fields[brow.key] = (row_model, Field(description=label))
    suffix = "Compressed" if compressed or fmt == "2019" else ""
    return create_model(f"TableB{fmt}{suffix}Answer", __base__=TableAnswer, **fields)  # type: ignore[call-overload]


@cache
def table_c_answer() -> type[TableAnswer]:
    """The answer model of 表四 (3 groups × 5 columns)."""
    group_model = _row_model("CGroup", T.C_COLUMNS, money=False)
    fields = {g.key: (group_model, Field(description=g.label)) for g in T.C_GROUPS}
    return create_model("TableCAnswer", __base__=TableAnswer, **fields)  # type: ignore[call-overload]


def answer_model(table: str, fmt: FormatId, compressed: bool = False) -> type[TableAnswer]:
    """The answer model of one table by name (table_a | table_b | table_c)."""
    if table == "table_a":
        return table_a_answer(fmt)
    if table == "table_b":
        return table_b_answer(fmt, compressed)
    if table == "table_c":
        return table_c_answer()
    raise KeyError(table)


class Correction(BaseModel):
    """One cell the model says the rules engine read wrongly, with the source text that shows it."""

    row: str = Field(description="行键 (row key)")
    column: str = Field(description="列键 (column key)")
    value: Annotated[int | float | Marker | None, BeforeValidator(to_amount)] = Field(description="原文中的正确值")
    evidence: str = Field("", description="原文中能看到这个数字的那一行文字")


class Corrections(BaseModel):
    """The verify task's answer: corrections only; an empty list means the reading is right."""

    model_config = ConfigDict(extra="ignore")
    corrections: list[Correction] = Field(default_factory=list)

    @model_validator(mode="after")
    def _keys_and_identities(self, info: ValidationInfo) -> Corrections:
        ctx = info.context or {}
        cells: set[tuple[str, str]] | None = ctx.get("cells")
        if cells is not None:
            bad = [f"{c.row}.{c.column}" for c in self.corrections if (c.row, c.column) not in cells]
            if bad:
                rows = sorted({r for r, _ in cells})
                cols = sorted({c for _, c in cells})
                raise ValueError(f"没有这些单元格 (unknown cells): {', '.join(bad)}; 行键只能是 {', '.join(rows)}; 列键只能是 {', '.join(cols)}")
        gate = ctx.get("gate")
        if gate is not None:
            gate.check(self)
        return self


class SectionSpan(BaseModel):
    """Where one of the six sections starts: its key and the heading line as printed."""

    key: Literal["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    heading: str = Field(description="原文中的标题行，逐字照抄")


class SectionsAnswer(BaseModel):
    """The sections task's answer: the headings in document order."""

    sections: list[SectionSpan] = Field(default_factory=list)


class Claim(BaseModel):
    """A number the narrative states about the tables (e.g. 本年新收申请 120 件)."""

    text: str = Field(description="原文句子，逐字照抄")
    value: Annotated[int | float | None, BeforeValidator(to_amount)] = Field(description="句中的数字")
    cell: str | None = Field(None, description="对应的单元格 table.row.column，例如 table_b.new.total；没有则 null")


class ClaimsAnswer(BaseModel):
    """The claims task's answer."""

    claims: list[Claim] = Field(default_factory=list)


class Probe(BaseModel):
    """The tiny answer ``xxgk llm check`` asks for."""

    answer: Annotated[int, BeforeValidator(to_count)]


GateCheck = Callable[[BaseModel], None]

__all__ = [
    "DASH",
    "UNSURE",
    "Amount",
    "Claim",
    "ClaimsAnswer",
    "Correction",
    "Corrections",
    "Count",
    "Probe",
    "SectionSpan",
    "SectionsAnswer",
    "TableAnswer",
    "answer_model",
    "table_a_answer",
    "table_b_answer",
    "table_c_answer",
    "to_amount",
    "to_count",
]
