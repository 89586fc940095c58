"""A self-contained HTML review page: a summary over all reports, then each report's tables with the
offending cells highlighted and its findings beside them."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from .. import template as T
from ..models import Cell, CellState, Report, Table
from .base import SEVERITY_ORDER, Finding, num, table_format
from .rules_table import b_rows
from .run import ReportCheck

SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}
KIND_NAMES = {"report": "报告问题", "extraction": "抽取存疑"}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em;border-bottom:2px solid #ccc}h3{font-size:1em}
table{border-collapse:collapse;margin:.4em 0 1em}td,th{border:1px solid #bbb;padding:2px 6px;font-size:.85em}
th{background:#f2f2f2;font-weight:normal}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.error{background:#f8c4c4;outline:2px solid #c00}td.warning{background:#fde9b0}td.info{background:#dde9f7}
td.blank{color:#999}.report{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:1.5em}
.findings li{margin:.3em 0;font-size:.9em}.sev{display:inline-block;min-width:2.5em;padding:0 4px;border-radius:3px;color:#fff}
.sev.error{background:#c00}.sev.warning{background:#c80}.sev.info{background:#48a}.rule{font-family:monospace;font-weight:bold}
.muted{color:#777;font-size:.85em}.ok{color:#080}
"""


def _cell_marks(findings: Sequence[Finding]) -> dict[tuple[str, str, str], tuple[str, list[str]]]:
    """Worst severity and rule ids per (table, row, column) of this year's report."""
    marks: dict[tuple[str, str, str], tuple[str, list[str]]] = {}
    for f in findings:
        for c in f.cells:
            if c.year is not None:
                continue  # a cell of last year's report
            key = (c.table, c.row, c.column)
            sev, rules = marks.get(key, ("info", []))
            worst = min(sev, f.severity, key=lambda s: SEVERITY_ORDER[s])
            marks[key] = (worst, [*rules, f.rule] if f.rule not in rules else rules)
    return marks


def _td(name: str, row: str, col: str, cell: Cell, marks: dict) -> str:
    text = cell.raw.strip() if cell.raw.strip() else (num(cell.value) if cell.has_value else "")
    classes = ["n"]
    if cell.state in (CellState.blank, CellState.missing):
        classes.append("blank")
        text = text or ("空" if cell.state == CellState.blank else "缺")
    title = ""
    if (name, row, col) in marks:
        sev, rules = marks[(name, row, col)]
        classes.append(sev)
        title = f' title="{escape(" ".join(rules))}"'
    return f'<td class="{" ".join(classes)}"{title}>{escape(text)}</td>'


def _grid(name: str, table: Table, rows: Sequence[tuple[str, str]], cols: Sequence[tuple[str, str]], marks: dict) -> str:
    head = "".join(f"<th>{escape(label)}</th>" for _, label in cols)
    body = "".join(
        f"<tr><th>{escape(label)}</th>" + "".join(_td(name, r, c, table.cell(r, c), marks) for c, _ in cols) + "</tr>"
        for r, label in rows
    )
    return f"<table><tr><th></th>{head}</tr>{body}</table>"


def _tables(report: Report, marks: dict) -> str:
    parts: list[str] = []
    ta, tb, tc = report.table_a, report.table_b, report.table_c
    if ta.found:
        fmt = table_format(report, ta.format)
        body = "".join(
            _grid("table_a", ta, [(a.row.key, a.row.display)], [(c.key, c.display) for c in a.columns], marks) for a in T.TABLE_A[fmt]
        )
        parts.append(f"<h3>{T.TABLE_NAMES['table_a']}</h3>{body}")
    if tb.found:
        fmt = table_format(report, tb.format)
        rows = [(r, T.B_ROW_BY_KEY[r].row.display) for r in b_rows(tb, fmt)]
        parts.append(f"<h3>{T.TABLE_NAMES['table_b']}</h3>" + _grid("table_b", tb, rows, [(c.key, c.display) for c in T.B_COLUMNS], marks))
    if tc.found:
        rows = [(g.key, g.display) for g in T.C_GROUPS]
        parts.append(f"<h3>{T.TABLE_NAMES['table_c']}</h3>" + _grid("table_c", tc, rows, [(c.key, c.display) for c in T.C_COLUMNS], marks))
    missing = [T.TABLE_NAMES[n] for n, t in report.tables.items() if not t.found]
    if missing:
        parts.append(f'<p class="muted">未找到：{escape("、".join(missing))}</p>')
    return "".join(parts)


def _findings(findings: Sequence[Finding]) -> str:
    if not findings:
        return '<p class="ok">未发现问题</p>'
    items = []
    for f in findings:
        where = f' <span class="muted">{escape(f.where)}</span>' if f.where else ""
        kind = f' <span class="muted">[{KIND_NAMES[f.kind]}]</span>' if f.kind == "extraction" else ""
        items.append(
            f'<li><span class="sev {f.severity}">{SEVERITY_NAMES[f.severity]}</span> '
            f'<span class="rule">{escape(f.rule)}</span> {escape(f.message)}{kind}{where}</li>'
        )
    return f'<ul class="findings">{"".join(items)}</ul>'


def review_page(checks: Sequence[ReportCheck], problems: Sequence[tuple[str, str]] = (), title: str = "政府信息公开工作年度报告 校验结果") -> str:
    """The review page for a batch: summary table, then each report's tables and findings side by side."""
    rows = "".join(
        f'<tr><td><a href="#r{i}">{escape(c.name)}</a></td><td>{escape(c.agency or "")}</td><td>{c.year or ""}</td>'
        f'<td class="n{" error" if c.errors else ""}">{c.errors}</td><td class="n{" warning" if c.warnings else ""}">{c.warnings}</td>'
        f'<td class="n">{c.infos}</td><td>{escape(c.prior or "")}</td></tr>'
        for i, c in enumerate(checks)
    )
    bad = "".join(f"<tr><td>{escape(p)}</td><td colspan=6>{escape(m)}</td></tr>" for p, m in problems)
    summary = (
        "<table><tr><th>报告</th><th>机构</th><th>年度</th><th>错误</th><th>警告</th><th>提示</th><th>对照上年</th></tr>"
        f"{rows}{bad}</table>"
    )
    sections = []
    for i, c in enumerate(checks):
        tables = _tables(c.report, _cell_marks(c.findings)) if c.report is not None else ""
        sections.append(
            f'<h2 id="r{i}">{escape(c.name)}</h2><p class="muted">{escape(c.agency or "")} {c.year or ""}年度 · '
            f"错误 {c.errors} · 警告 {c.warnings} · 提示 {c.infos}</p>"
            f'<div class="report"><div>{tables}</div><div>{_findings(c.findings)}</div></div>'
        )
    return (
        f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><h1>{escape(title)}</h1>{summary}{''.join(sections)}</body></html>"
    )
