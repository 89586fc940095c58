"""Synthetic reports: consistent tables, renderings that open as real documents, planted errors, fixtures."""

from __future__ import annotations

import importlib
import importlib.util
import json
import re
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from hypothesis import given, settings
from hypothesis import strategies as st

from xxgk import template as T
from xxgk.models import CellState, Report
from xxgk.parse.numbers import parse_cell
from xxgk.synth import (
    identity_violations,
    plant_error,
    random_report,
    render,
    render_docx,
    render_html,
    render_md,
    render_pdf,
    render_txt,
)

R = importlib.import_module("xxgk.synth.render")  # the module (the package exports the function `render`)
ROOT = Path(__file__).resolve().parent.parent
MAKE_GENERATED = ROOT / "fixtures" / "tools" / "make_generated.py"


def _load_make_generated():
    spec = importlib.util.spec_from_file_location("make_generated", MAKE_GENERATED)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# random_report
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("options", [{}, {"fmt": "2019"}, {"compressed_other": True}, {"blanks": True}])
def test_identities_hold_for_many_seeds(options):
    for seed in range(150):
        report = random_report(seed, **options)
        assert identity_violations(report) == [], seed
        assert identity_violations(report, blank_as_zero=True) == [], seed


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10**9),
    fmt=st.sampled_from([None, "2019", "2021"]),
    compressed=st.booleans(),
    blanks=st.booleans(),
)
def test_random_report_is_complete_and_consistent(seed, fmt, compressed, blanks):
    report = random_report(seed, fmt=fmt, compressed_other=compressed, blanks=blanks)
    assert identity_violations(report, blank_as_zero=True) == []
    assert report.format == T.format_for_year(report.year)
    # every expected cell is there, and its raw text parses back to the same cell
    for table in (report.table_a, report.table_b, report.table_c):
        assert {(r, c) for r, c, _ in table.iter_cells()} == set(table.expected_cells())
        for _, _, cell in table.iter_cells():
            assert parse_cell(cell.raw) == cell
            assert cell.state in (CellState.number, CellState.text_number, CellState.blank)
            if not blanks:
                assert cell.state != CellState.blank
    b = report.table_b
    assert b.compressed_other == (compressed or report.format == "2019")
    assert all(v >= 0 for _, _, c in b.iter_cells() if (v := c.value) is not None)
    # six sections in order, narrative quoting the table
    assert [s.key for s in report.sections] == list(T.SECTION_KEYS)
    overview = report.sections[0].text
    new = b.value("new", "total") or 0
    if new:
        assert f"共收到政府信息公开申请{new}件" in overview
    elif not (b.value("carried_over", "total") or 0):
        assert "未收到政府信息公开申请" in overview
    litigation = (report.table_c.value("litigation_direct", "total") or 0) + (
        report.table_c.value("litigation_after_review", "total") or 0
    )
    if litigation:
        assert f"提起行政诉讼{litigation}件" in overview
    assert re.search(r"[一二]是", report.section("problems").text)
    if report.format == "2021":
        assert "信息处理费" in report.section("other").text


def test_random_report_is_deterministic_and_varied():
    assert random_report(7) == random_report(7)
    reports = [random_report(s) for s in range(60)]
    news = [r.table_b.value("new", "total") for r in reports]
    assert 0 in news and max(news) > 300  # some with no requests, some with many
    persons = sum(r.table_b.value("new", "natural_person") for r in reports)
    assert persons > 0.6 * sum(news)  # natural persons dominate
    zeros = sum(1 for r in reports for _, _, c in r.table_b.iter_cells() if c.value == 0)
    assert zeros > 0.6 * sum(len(r.table_b.iter_cells()) for r in reports)
    assert len({r.agency for r in reports}) > 30
    fees = [r.table_a.cell("admin_fees", "amount_wan").raw for r in reports]
    assert "0" in fees and any("." in f for f in fees)


def test_2019_table_a_has_deltas_and_procurement_amounts():
    raws = [random_report(s, fmt="2019").table_a for s in range(80)]
    deltas = {t.cell(r, "delta").raw for t in raws for r in ("licensing", "other_services", "penalty", "admin_fees")}
    assert any(d.startswith("增加 ") for d in deltas) and any(d.startswith("减少 ") for d in deltas)
    amounts = [t.cell("procurement", "amount") for t in raws]
    assert any(a.unit == "万元" and a.raw.endswith(" 万元") for a in amounts)
    cell = next(t.cell(r, "delta") for t in raws for r in ("licensing", "penalty") if t.cell(r, "delta").raw.startswith("减少"))
    assert cell.value < 0


def test_agency_option_and_year_option():
    report = random_report(3, agency="青山区财政局", year=2020)
    assert report.agency == "青山区财政局" and report.year == 2020 and report.format == "2019"
    assert "青山区财政局" in report.title and "我局" in report.sections[0].text


# ---------------------------------------------------------------------------------------------
# plant_error
# ---------------------------------------------------------------------------------------------


def test_plant_error_breaks_an_identity():
    for seed in range(150):
        report = random_report(seed, compressed_other=seed % 4 == 0)
        bad, (table, row, col) = plant_error(report, seed)
        assert table in ("table_b", "table_c")
        assert bad.tables[table].cell(row, col).value != report.tables[table].cell(row, col).value
        assert identity_violations(bad), seed
        # exactly one cell changed, the original untouched
        changed = [
            (t, r, c)
            for t in ("table_a", "table_b", "table_c")
            for r, c, cell in report.tables[t].iter_cells()
            if bad.tables[t].cell(r, c) != cell
        ]
        assert changed == [(table, row, col)]
        assert identity_violations(report) == []


def test_plant_error_with_blanks_breaks_an_identity_under_blank_as_zero():
    for seed in range(60):
        bad, _ = plant_error(random_report(seed, blanks=True), seed)
        assert identity_violations(bad, blank_as_zero=True), seed


# ---------------------------------------------------------------------------------------------
# Table layout
# ---------------------------------------------------------------------------------------------


def _origins(grid):
    return {c.text: c for row in grid for c in row if c is not None and c.role != "value"}


def test_table_b_layout_follows_the_template():
    grid = R.table_b_grid(random_report(1, fmt="2021"))
    assert len(grid) == 3 + 25 and all(len(row) == 10 for row in grid)
    labels = _origins(grid)
    assert (labels[T.TABLE_B_NOTE].rowspan, labels[T.TABLE_B_NOTE].colspan) == (3, 3)
    assert labels["申请人情况"].colspan == 7 and labels["法人或其他组织"].colspan == 5
    assert labels["自然人"].rowspan == 2 and labels["总计"].rowspan == 2
    assert labels["三、本年度办理结果"].rowspan == 22  # 21 leaves and （七）总计, as in the template docx
    assert labels["（三）不予公开"].rowspan == 8 and labels["（六）其他处理"].rowspan == 3
    grid19 = R.table_b_grid(random_report(1, fmt="2019"))
    assert len(grid19) == 3 + 23
    labels19 = _origins(grid19)
    assert labels19["三、本年度办理结果"].rowspan == 20
    assert (labels19["（六）其他处理"].rowspan, labels19["（六）其他处理"].colspan) == (1, 2)


def test_table_a_and_c_layout():
    a = R.table_a_grid(random_report(2, fmt="2021"))
    assert len(a) == 14 and _origins(a)["本年收费金额（单位：万元）"].colspan == 3
    a19 = R.table_a_grid(random_report(2, fmt="2019"))
    assert len(a19) == 18 and _origins(a19)["采购总金额"].colspan == 2
    c = R.table_c_grid(random_report(2))
    assert len(c) == 4 and len(c[3]) == 15 and _origins(c)["行政诉讼"].colspan == 10


# ---------------------------------------------------------------------------------------------
# Renderers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report() -> Report:
    return random_report(120)  # many requests: every column has numbers


def test_txt_prints_tab_rows_with_empty_slots_for_merged_cells(report, tmp_path):
    source = render_txt(report, tmp_path / "r.txt")
    assert source.kind == "txt" and source.path == "r.txt"
    lines = (tmp_path / "r.txt").read_text(encoding="utf-8").splitlines()
    assert report.title in lines and "三、收到和处理政府信息公开申请情况" in lines
    b = report.table_b
    row = next(line.split("\t") for line in lines if line.startswith("一、本年新收"))
    assert row[1:3] == ["", ""] and row[3:] == [b.cell("new", c).raw for c in T.B_COLUMN_KEYS]
    row = next(line.split("\t") for line in lines if "1.属于国家秘密" in line)
    assert row[:3] == ["", "（三）不予公开", "1.属于国家秘密"]
    c_values = next(line.split("\t") for line in lines if re.fullmatch(r"(\d+\t){14}\d+", line))
    assert c_values == [report.table_c.cell(g, c).raw for g, c in T.table_c_cells()]


def test_blank_cells_render_as_empty_cells(tmp_path):
    report = random_report(202, year=2020, blanks=True)
    render_txt(report, tmp_path / "r.txt")
    text = (tmp_path / "r.txt").read_text(encoding="utf-8")
    row = next(line.split("\t") for line in text.splitlines() if line.startswith("四、结转下年度"))
    assert row[3:] == [report.table_b.cell("carried_forward", c).raw for c in T.B_COLUMN_KEYS]
    assert any(report.table_b.cell(r, c).state == CellState.blank for r in report.table_b.row_keys() for c in T.B_COLUMN_KEYS)


def test_md_prints_pipe_tables(report, tmp_path):
    render_md(report, tmp_path / "r.md")
    lines = (tmp_path / "r.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# " + report.title and "## 二、主动公开政府信息情况" in lines
    table_rows = [line for line in lines if line.startswith("|")]
    assert sum(1 for line in table_rows if line.startswith("|---")) == 3
    assert len(table_rows) == 14 + 28 + 4 + 3
    assert any(line.startswith("| 三、本年度办理结果 | （一）予以公开 |") for line in table_rows)
    render_md(report, tmp_path / "p.md", heading_marks=False)
    assert (tmp_path / "p.md").read_text(encoding="utf-8").splitlines()[0] == report.title


def test_html_has_page_chrome_and_real_tables(report, tmp_path):
    source = render_html(report, tmp_path / "r.html")
    assert source.encoding == "utf-8"
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in page
    assert "<script" in page and 'class="top-nav"' in page and 'class="footer"' in page
    assert page.count("<table") == 3
    assert re.search(r'<td rowspan="22"><p>三、本年度办理结果</p></td>', page)
    assert re.search(r'<td rowspan="8"><p>（三）不予公开</p></td>', page)
    assert re.search(r'<td rowspan="3" colspan="3"><p>（本列数据的勾稽关系为', page)
    assert '<td colspan="5"><p>法人或其他组织</p></td>' in page


def test_gbk_html_decodes_as_gb18030_not_utf8(report, tmp_path):
    source = render_html(report, tmp_path / "g.html", encoding="gbk")
    data = (tmp_path / "g.html").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gb18030")
    assert '<meta charset="gbk">' in text and "本年新收" in text and report.title in text
    assert source.encoding == "gbk"


def test_docx_has_tables_merged_both_ways(report, tmp_path):
    render_docx(report, tmp_path / "r.docx")
    doc = DocxDocument(str(tmp_path / "r.docx"))
    assert len(doc.tables) == 3
    b = doc.tables[1]
    assert len(b.rows) == 28 and len(b.columns) == 10
    # vertical: 三、本年度办理结果 covers rows 5…26 of column 0
    assert b.cell(5, 0)._tc is b.cell(26, 0)._tc is not b.cell(27, 0)._tc
    assert b.cell(5, 0).text == "三、本年度办理结果"
    # horizontal and both: the note covers 3 × 3
    assert b.cell(0, 0)._tc is b.cell(0, 2)._tc and b.cell(2, 0).text == T.TABLE_B_NOTE
    assert b.cell(3, 0)._tc is b.cell(3, 2)._tc  # 一、本年新收… spans the three label columns
    assert [b.cell(3, c).text for c in range(3, 10)] == [report.table_b.cell("new", k).raw for k in T.B_COLUMN_KEYS]
    assert not any("本年新收" in p.text for p in doc.paragraphs)  # the label is in the table, not the text
    assert doc.paragraphs[0].text == report.title


def test_pdf_splits_table_b_across_pages_with_footers(report, tmp_path):
    source = render_pdf(report, tmp_path / "r.pdf")
    with pdfplumber.open(tmp_path / "r.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert source.pages == len(texts) > 1
    first = next(i for i, t in enumerate(texts) if "本年新收" in t)
    last = next(i for i, t in enumerate(texts) if "四、结转下年度继续办理" in t)
    assert last > first  # Table B crosses a page break
    assert all(f"— {i + 1} —" in t for i, t in enumerate(texts))
    assert report.table_b.cell("total", "total").raw in " ".join(texts)


def test_pdf_without_wrapping_or_footer(report, tmp_path):
    render_pdf(report, tmp_path / "p.pdf", wrap_labels=False, footer=False)
    with pdfplumber.open(tmp_path / "p.pdf") as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    joined = "\n".join(texts)
    assert "— 1 —" not in joined
    assert any("1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请" in t for t in texts)


def test_render_picks_by_suffix(report, tmp_path):
    for name, kind in (("a.txt", "txt"), ("a.md", "md"), ("a.htm", "html"), ("a.docx", "docx"), ("a.pdf", "pdf")):
        assert render(report, tmp_path / name).kind == kind
    assert render(report, tmp_path / "b.html", encoding="gbk").encoding == "gbk"
    with pytest.raises(ValueError):
        render(report, tmp_path / "a.rtf")


# ---------------------------------------------------------------------------------------------
# Generated fixtures
# ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_make_generated_is_deterministic(tmp_path):
    """Two runs give the same bytes; the committed fixtures count as the first run when present."""
    make = _load_make_generated()
    committed = ROOT / "fixtures" / "generated"
    entries = make.generate(tmp_path / "run")
    if (committed / "manifest.json").exists():
        earlier = committed
        assert json.loads((committed / "manifest.json").read_text(encoding="utf-8")) == entries, "re-run make_generated.py"
    else:
        earlier = tmp_path / "again"
        make.generate(earlier)
    golds = sorted(p.name for p in (tmp_path / "run").glob("*.gold.json"))
    assert len(golds) == len(entries) >= 50
    for name in golds:
        assert (earlier / name).read_bytes() == (tmp_path / "run" / name).read_bytes(), name
    for entry in entries:  # renderers are deterministic too (fixed zip times, invariant PDFs)
        assert (earlier / entry["file"]).read_bytes() == (tmp_path / "run" / entry["file"]).read_bytes(), entry["file"]
    assert {e["kind"] for e in entries} == {"txt", "md", "html", "docx", "pdf"}
    for entry in entries:
        gold = Report.model_validate_json((tmp_path / "run" / entry["gold"]).read_text(encoding="utf-8"))
        assert gold.source.path == entry["file"] and gold.source.kind == entry["kind"]
        assert identity_violations(gold) == []
    assert sum(p.stat().st_size for p in (tmp_path / "run").iterdir()) < 3.2e6
