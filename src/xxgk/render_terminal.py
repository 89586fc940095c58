"""Print an extracted Report as readable terminal tables (used by the CLI)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from . import template as T
from .models import Cell, CellState, Report

SECTION_TITLE = {s.key: s.label for s in T.SECTIONS}


def cell_text(cell: Cell) -> Text:
    """How a cell shows in the terminal: blank as ·, unreadable as ? in red, text numbers in yellow."""
    if cell.state == CellState.number:
        return Text(_fmt(cell.value))
    if cell.state == CellState.text_number:
        return Text(cell.raw.strip() or _fmt(cell.value), style="yellow")
    if cell.state == CellState.blank:
        return Text("·", style="dim")
    if cell.state == CellState.dash:
        return Text(cell.raw.strip() or "—", style="dim")
    if cell.state == CellState.unreadable:
        return Text("?", style="bold red")
    return Text("缺", style="red")


def _fmt(v: int | float | None) -> str:
    if v is None:
        return ""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def print_report(report: Report, console: Console) -> None:
    """Title, sections found, the three tables and the notes."""
    src = report.source.path if report.source else "?"
    console.print(f"[bold]{report.title or '(无标题)'}[/bold]  [dim]{src}[/dim]")
    console.print(
        f"机关: {report.agency or '?'}   年度: {report.year or '?'}   格式: {report.format or '?'}"
        + ("   表三（六）为单行" if report.table_b.compressed_other and report.table_b.format == "2021" else "")
    )
    found = {s.key for s in report.sections}
    console.print(
        "章节: "
        + "  ".join(
            f"[green]{n}✓[/green]" if k in found else f"[red]{n}✗[/red]" for n, k in zip(T.SECTION_NUMERALS, T.SECTION_KEYS, strict=True)
        )
    )
    _table_a(report, console)
    _table_b(report, console)
    _table_c(report, console)
    notes = [*report.notes, *report.table_a.notes, *report.table_b.notes, *report.table_c.notes]
    for n in notes:
        console.print(f"[dim]注: {n}[/dim]")
    console.print()


def _title(name: str, conf: float, found: bool) -> str:
    if not found:
        return f"{name}（未找到）"
    style = "green" if conf >= 0.99 else "yellow" if conf >= 0.9 else "red"
    return f"{name}  [{style}]置信度 {conf:.2f}[/{style}]"


def _table_a(report: Report, console: Console) -> None:
    ta = report.table_a
    t = RichTable(title=_title("表二 主动公开政府信息情况", ta.confidence, ta.found), title_justify="left", show_lines=False)
    t.add_column("信息内容")
    t.add_column("值")
    if ta.found:
        for arow in T.table_a_rows(ta.format or "2021"):
            parts = Text()
            for i, col in enumerate(arow.columns):
                if i:
                    parts.append("   ")
                parts.append(f"{col.display} ", style="dim")
                parts.append_text(cell_text(ta.cell(arow.row.key, col.key)))
            t.add_row(arow.row.label, parts)
    console.print(t)


def _table_b(report: Report, console: Console) -> None:
    tb = report.table_b
    t = RichTable(title=_title("表三 收到和处理政府信息公开申请情况", tb.confidence, tb.found), title_justify="left")
    t.add_column("")
    for c in ("自然人", "商业企业", "科研机构", "社会公益", "法律服务", "其他", "总计"):
        t.add_column(c, justify="right", no_wrap=True)
    if tb.found:
        for br in T.table_b_rows(tb.format or "2021", tb.compressed_other):
            label = ("  " if br.group else "") + br.row.display
            t.add_row(label, *(cell_text(tb.cell(br.key, c)) for c in T.B_COLUMN_KEYS))
    console.print(t)


def _table_c(report: Report, console: Console) -> None:
    tc = report.table_c
    t = RichTable(title=_title("表四 行政复议、行政诉讼情况", tc.confidence, tc.found), title_justify="left")
    t.add_column("")
    for c in T.C_COLUMNS:
        t.add_column(c.display, justify="right")
    if tc.found:
        for g in T.C_GROUPS:
            t.add_row(g.label, *(cell_text(tc.cell(g.key, c)) for c in T.C_COLUMN_KEYS))
    console.print(t)
