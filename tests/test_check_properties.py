"""Properties of the checker: consistent reports pass, any single-cell change is caught, nothing makes it raise."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_check_factory import consistent_report, plant_error

from xxgk import template as T
from xxgk.check import check_report, check_reports
from xxgk.models import Cell, CellState, Report, Section, TableA, TableB, TableC

ERROR_RULES = {"B1", "B2", "B3", "B4", "C1"}


def names_cell(findings, table: str, row: str, col: str) -> bool:
    """True when some error names the changed cell's row or column in that table."""
    return any(
        f.severity == "error" and any(c.table == table and (c.row == row or c.column == col) for c in f.cells) for f in findings
    )


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 10**9), year=st.sampled_from([2019, 2020, 2021, 2022, 2023, 2024, 2025]), compressed=st.booleans())
def test_consistent_reports_pass_every_rule(seed: int, year: int, compressed: bool) -> None:
    findings = check_report(consistent_report(seed, year=year, compressed=compressed))
    assert [f for f in findings if f.severity == "error"] == []


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**9), change=st.integers(0, 10**9))
def test_any_single_cell_change_is_caught_naming_its_row_or_column(seed: int, change: int) -> None:
    bad, (table, row, col) = plant_error(consistent_report(seed), random.Random(change))
    assert names_cell(check_report(bad), table, row, col), (table, row, col)


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 10**9), value=st.integers(-5, 10**6) | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_any_value_change_of_any_cell_of_b_or_c_is_an_error(seed: int, value: int | float) -> None:
    report = consistent_report(seed)
    rng = random.Random(seed)
    table = rng.choice(["table_b", "table_c"])
    row, col, cell = rng.choice(report.tables[table].iter_cells())
    if value == cell.value:
        return
    report.tables[table].cells[row][col] = Cell(value=value, raw=str(value), state=CellState.number)
    assert names_cell(check_report(report), table, row, col)


# ------------------------------------------------------------------------------- arbitrary models


def cells_strategy(rows: list[str], cols: list[str]) -> st.SearchStrategy[dict[str, dict[str, Cell]]]:
    numbers = st.integers(-10**12, 10**12) | st.floats(allow_nan=True, allow_infinity=True)
    cell = st.one_of(
        st.builds(lambda v: Cell(value=v, raw=str(v), state=CellState.number), numbers),
        st.builds(lambda v, u: Cell(value=v, raw=f"{v}{u}", unit=u, state=CellState.text_number), numbers, st.sampled_from([None, "元", "万元", "个"])),
        st.sampled_from([Cell(state=CellState.blank), Cell(raw="—", state=CellState.dash), Cell(state=CellState.missing), Cell(raw="?", state=CellState.unreadable)]),
        st.builds(lambda v: Cell(value=v, raw="?", state=CellState.unreadable), numbers),
    )
    row = st.dictionaries(st.sampled_from(cols + ["junk"]), cell, max_size=len(cols) + 1)
    return st.dictionaries(st.sampled_from(rows + ["junk_row"]), row, max_size=len(rows) + 1)


B_ROWS = [r.key for r in T.TABLE_B["2021"]] + ["other_combined"]
A_ROWS = sorted({a.row.key for f in T.FORMATS for a in T.TABLE_A[f]})
A_COLS = sorted({c.key for f in T.FORMATS for a in T.TABLE_A[f] for c in a.columns})
texts = st.text(alphabet=st.sampled_from(list("0123456789 年件条元%（）()XＸ未收到申请行政复议诉讼新收受理办结结转下年度本局办信息处理费统计期限月日，。")), max_size=120)
sections = st.lists(
    st.builds(lambda k, t, found: Section(key=k, text=t, found=found), st.sampled_from([*T.SECTION_KEYS, "junk"]), texts, st.booleans()),
    max_size=8,
)
reports = st.builds(
    lambda year, fmt, a, b, c, secs, title, agency, found, conf, compressed: Report(
        year=year,
        format=fmt,
        title=title,
        agency=agency,
        sections=secs,
        table_a=TableA(found=found[0], cells=a, format=fmt, confidence=conf),
        table_b=TableB(found=found[1], cells=b, format=fmt, confidence=conf, compressed_other=compressed),
        table_c=TableC(found=found[2], cells=c, confidence=conf),
    ),
    st.none() | st.integers(1990, 2100),
    st.none() | st.sampled_from(T.FORMATS),
    cells_strategy(A_ROWS, A_COLS),
    cells_strategy(B_ROWS, list(T.B_COLUMN_KEYS)),
    cells_strategy(list(T.C_GROUP_KEYS), list(T.C_COLUMN_KEYS)),
    sections,
    st.none() | texts,
    st.none() | st.sampled_from(["某区财政局", "某市人民政府", "", "本办"]),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
    st.floats(0, 1),
    st.booleans(),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(report=reports, prior=st.none() | reports)
def test_the_checker_never_raises_on_arbitrary_models(report: Report, prior: Report | None) -> None:
    for f in check_report(report, prior):
        assert f.severity in ("error", "warning", "info") and f.message
    check_reports([report], [prior] if prior else [])


def test_a_report_with_no_tables_and_no_text_only_gets_structure_findings() -> None:
    findings = check_report(Report(year=2024))
    assert {f.rule for f in findings} <= {"S1", "S3"}
    assert [f.kind for f in findings if f.rule == "S1"] == ["extraction"]
