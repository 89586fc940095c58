"""The row/column guide and answer skeleton a prompt shows the model, generated from the format module (never typed twice)."""

from __future__ import annotations

import json

from .. import template as T
from ..models import Table
from ..template import FormatId

CELL_RULES = (
    "每个单元格填：原文中的数字（整数；表二收费金额可带小数，单位万元）；"
    "原文印的是“—”“/”“无”等填 \"—\"；原文该格为空填 null；看不清或无法确定填 \"?\"。"
    "不要推算、不要补零、不要凑平。"
)


def table_guide(table: str, fmt: FormatId, compressed: bool = False) -> str:
    """The keys of a table and the labels they stand for, in printed order."""
    lines: list[str] = []
    if table == "table_a":
        lines.append(f"表二 主动公开政府信息情况（{fmt} 版格式）。行键 ← 表中标签；每行的列键 ← 表头：")
        for arow in T.table_a_rows(fmt):
            cols = "；".join(f"{c.key} ← {c.label}" for c in arow.columns)
            lines.append(f"- {arow.row.key} ← {T.TABLE_A_BLOCK_LABEL.format(block=arow.block)} {arow.row.label}：{cols}")
    elif table == "table_b":
        lines.append(f"表三 收到和处理政府信息公开申请情况（{fmt} 版格式）。行键 ← 表中标签（按表中顺序）：")
        for brow in T.table_b_rows(fmt, compressed):
            group = f"{brow.group} 之下 " if brow.group else ""
            lines.append(f"- {brow.key} ← {group}{brow.row.label}")
        cols = "；".join(
            f"{c.key} ← {c.label}" + (f"（{T.B_LEGAL_PERSON_GROUP}）" if c.key in T.B_APPLICANT_KEYS[1:] else "") for c in T.B_COLUMNS
        )
        lines.append(f"每行都有 7 列，列键 ← 表头：{cols}")
        lines.append(f"表中“{T.B_GROUPS[0].label}”“（三）不予公开”等分组标题本身没有数字，不是行。")
    elif table == "table_c":
        lines.append("表四 政府信息公开行政复议、行政诉讼情况。行键 ← 组：")
        for g in T.C_GROUPS:
            lines.append(f"- {g.key} ← {g.label}" + ("（行政诉讼）" if g.key != "review" else ""))
        lines.append("每组 5 列，列键 ← 表头：" + "；".join(f"{c.key} ← {c.label}" for c in T.C_COLUMNS))
        lines.append("表四常被压成一行 15 个数：依次为 行政复议 5 个、未经复议直接起诉 5 个、复议后起诉 5 个。")
    else:
        raise KeyError(table)
    lines.append(CELL_RULES)
    return "\n".join(lines)


def answer_skeleton(table: str, fmt: FormatId, compressed: bool = False) -> str:
    """The JSON shape of the answer with every key and null values (the model fills the values)."""
    if table == "table_a":
        shape = {a.row.key: {c.key: None for c in a.columns} for a in T.table_a_rows(fmt)}
    elif table == "table_b":
        shape = {r.key: {c: None for c in T.B_COLUMN_KEYS} for r in T.table_b_rows(fmt, compressed)}
    elif table == "table_c":
        shape = {g: {c: None for c in T.C_COLUMN_KEYS} for g in T.C_GROUP_KEYS}
    else:
        raise KeyError(table)
    return json.dumps(shape, ensure_ascii=False)


def reading_text(table_name: str, table: Table) -> str:
    """The rules engine's reading of a table as lines ``row.column = value`` (dash, blank, ? for unreadable)."""
    lines: list[str] = []
    for row, col in table.expected_cells():  # type: ignore[attr-defined]
        cell = table.cell(row, col)
        if cell.has_value:
            shown = f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)
        elif cell.state.value == "dash":
            shown = '"—"'
        elif cell.state.value == "blank":
            shown = "null"
        else:
            shown = '"?"'
        lines.append(f"{row}.{col} = {shown}")
    return "\n".join(lines)
