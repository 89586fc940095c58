"""A small factory of consistent reports for the checker's tests (until ``xxgk.synth`` exists), and its own tests."""

from __future__ import annotations

import random

from xxgk import template as T
from xxgk.models import Cell, CellState, Report, Section, Source, TableA, TableB, TableC

Numbers = dict[str, dict[str, int]]


def num_cell(v: int | float, line: int | None = None) -> Cell:
    """A printed number, with a source line when given."""
    return Cell(value=v, raw=str(v), state=CellState.number, source=Source(line=line) if line else None)


def blank_cell() -> Cell:
    return Cell(raw="", state=CellState.blank)


def table_b_numbers(rng: random.Random, fmt: str = "2021", compressed: bool = False, scale: int = 6) -> Numbers:
    """Consistent 表三 numbers: leaves per applicant, totals, and 新收/上年结转/结转 that balance."""
    rows = [r.key for r in T.table_b_rows(fmt, compressed)]  # type: ignore[arg-type]
    leaves = T.table_b_leaves(fmt, compressed)  # type: ignore[arg-type]
    grid: Numbers = {r: {} for r in rows}
    for c in T.B_APPLICANT_KEYS:
        busy = rng.random() < 0.6
        for leaf in leaves:
            grid[leaf][c] = rng.randint(0, scale) if busy and rng.random() < 0.4 else 0
        total = sum(grid[leaf][c] for leaf in leaves)
        forward = rng.randint(0, 3) if busy else 0
        over = rng.randint(0, total + forward)
        grid["total"][c] = total
        grid["carried_forward"][c] = forward
        grid["carried_over"][c] = over
        grid["new"][c] = total + forward - over
    for r in rows:
        grid[r]["total"] = sum(grid[r][c] for c in T.B_APPLICANT_KEYS)
    return grid


def table_c_numbers(rng: random.Random) -> Numbers:
    grid: Numbers = {}
    for g in T.C_GROUP_KEYS:
        parts = {c: (rng.randint(0, 5) if rng.random() < 0.4 else 0) for c in T.C_COLUMN_KEYS if c != "total"}
        grid[g] = {**parts, "total": sum(parts.values())}
    return grid


def table_a_numbers(rng: random.Random, fmt: str) -> Numbers:
    grid: Numbers = {}
    for arow in T.TABLE_A[fmt]:  # type: ignore[index]
        cols = [c.key for c in arow.columns]
        if "issued" in cols:
            issued = rng.randint(0, 5)
            grid[arow.row.key] = {"issued": issued, "repealed": rng.randint(0, 3), "in_force": issued + rng.randint(0, 40)}
        else:
            grid[arow.row.key] = {c: rng.randint(0, 500) for c in cols}
    return grid


def grid_cells(numbers: Numbers, line0: int = 40) -> dict[str, dict[str, Cell]]:
    """Number cells for a grid, each row on its own source line."""
    return {r: {c: num_cell(v, line0 + i) for c, v in cols.items()} for i, (r, cols) in enumerate(numbers.items())}


def sections_for(year: int, b: Numbers, fee_yuan: int = 0) -> list[Section]:
    """Six sections whose narrative agrees with the tables."""
    new, over, total, forward = (b[r]["total"] for r in ("new", "carried_over", "total", "carried_forward"))
    texts = [
        f"本报告所列数据的统计期限自{year}年1月1日至{year}年12月31日止。{year}年，本机关本年新收政府信息公开申请{new}件，"
        f"上年结转政府信息公开申请{over}件，办结{total}件，结转下年度继续办理{forward}件。",
        "主动公开情况见下表。",
        "依申请公开情况见下表。",
        "复议诉讼情况见下表。",
        f"{year}年存在的主要问题是公开内容不够深入。下一步将逐项细化公开目录并明确责任处室和完成时限。",
        f"本年度收取信息处理费{fee_yuan}元。",
    ]
    return [
        Section(key=k, number=n, heading=s.label, text=t)
        for k, n, s, t in zip(T.SECTION_KEYS, T.SECTION_NUMERALS, T.SECTIONS, texts)
    ]


def consistent_report(seed: int, year: int | None = None, compressed: bool | None = None, agency: str = "某区财政局") -> Report:
    """A report whose tables, narrative and structure satisfy every rule."""
    rng = random.Random(seed)
    year = year if year is not None else rng.choice([2020, 2021, 2022, 2023, 2024])
    fmt = T.format_for_year(year) or "2021"
    if compressed is None:
        compressed = fmt == "2021" and rng.random() < 0.2
    compressed = compressed or fmt == "2019"
    b = table_b_numbers(rng, fmt, compressed)
    report = Report(
        title=f"{agency}{year}年政府信息公开工作年度报告",
        agency=agency,
        year=year,
        format=fmt,  # type: ignore[arg-type]
        sections=sections_for(year, b),
        table_a=TableA(format=fmt, cells=grid_cells(table_a_numbers(rng, fmt), 20)),  # type: ignore[arg-type]
        table_b=TableB(format=fmt, compressed_other=compressed and fmt == "2021", cells=grid_cells(b, 40)),  # type: ignore[arg-type]
        table_c=TableC(cells=grid_cells(table_c_numbers(rng), 80)),
    )
    return report


def numeric_cells(report: Report) -> list[tuple[str, str, str]]:
    """Every (table, row, column) of 表三 and 表四 that holds a number."""
    return [(name, r, c) for name in ("table_b", "table_c") for r, c, cell in report.tables[name].iter_cells() if cell.has_value]


def plant_error(report: Report, rng: random.Random) -> tuple[Report, tuple[str, str, str]]:
    """A copy of the report with one numeric cell of 表三 or 表四 changed; and which cell."""
    bad = report.model_copy(deep=True)
    table, row, col = rng.choice(numeric_cells(bad))
    cell = bad.tables[table].cells[row][col]
    delta = rng.choice([-3, -2, -1, 1, 2, 5, 10])
    new_value = cell.value + delta  # type: ignore[operator]
    if rng.random() < 0.1:
        new_value = cell.value + 0.5  # type: ignore[operator]
    bad.tables[table].cells[row][col] = num_cell(new_value, cell.source.line if cell.source else None)
    return bad, (table, row, col)


# ------------------------------------------------------------------------------- the factory's own tests


def test_factory_tables_balance_like_a_real_report() -> None:
    report = consistent_report(7, year=2024, compressed=False)
    b = report.table_b
    for c in T.B_COLUMN_KEYS:
        assert b.value("new", c) + b.value("carried_over", c) == b.value("total", c) + b.value("carried_forward", c)
        assert b.value("total", c) == sum(b.value(leaf, c) for leaf in T.table_b_leaves("2021"))
    assert len(b.cells) == 25
    assert len(consistent_report(7, year=2020).table_b.cells) == 23


def test_plant_error_changes_exactly_one_cell() -> None:
    report = consistent_report(3)
    bad, (table, row, col) = plant_error(report, random.Random(1))
    changed = [
        (name, r, c)
        for name in ("table_b", "table_c")
        for r, c, cell in bad.tables[name].iter_cells()
        if cell.value != report.tables[name].cells[r][c].value
    ]
    assert changed == [(table, row, col)]
