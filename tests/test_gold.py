"""The hand-labelled gold of the 11 real documents: complete, up to date, and faithful to the sources.

Gold keeps each source's own numbers, including its arithmetic errors (hzq2023 Table C) and its blank
cells (seed003), so these tests pin those facts down as well as the headline numbers.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from xxgk import template as T
from xxgk.models import CellState, Report

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "fixtures" / "real"
LABELS = REAL / "labels"


def _load_builder():
    path = ROOT / "fixtures" / "tools" / "build_gold.py"
    spec = importlib.util.spec_from_file_location("build_gold", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_gold", module)
    spec.loader.exec_module(module)
    return module


bg = _load_builder()

DOCUMENTS = {
    "seed000": "txt",
    "seed001": "txt",
    "seed002": "txt",
    "seed003": "txt",
    "seed004": "txt",
    "hzq2023": "pdf",
    "hzq2024": "pdf",
    "huaian2024": "pdf",
    "shuyang2025": "txt",
    "kewei2024": "md",
    "shoffice2025": "md",
}
# Documents whose Table B satisfies B1 in every column as printed (kewei: 结转 总计 blank; seed003: blanks).
B1_CONSISTENT = ["seed000", "seed001", "seed002", "seed004", "hzq2023", "hzq2024", "huaian2024", "shuyang2025",
                 "shoffice2025"]


@pytest.fixture(scope="module")
def gold() -> dict[str, Report]:
    return {name: bg.load_labels(LABELS / f"{name}.txt") for name in DOCUMENTS}


def test_every_document_has_input_label_and_gold():
    assert sorted(p.stem for p in LABELS.glob("*.txt")) == sorted(DOCUMENTS)
    for name, ext in DOCUMENTS.items():
        assert (REAL / f"{name}.{ext}").is_file(), name
        assert (REAL / f"{name}.gold.json").is_file(), name


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_label_file_builds_and_names_its_input(gold, name):
    report = gold[name]
    assert report.source is not None
    assert report.source.path == f"{name}.{DOCUMENTS[name]}"
    assert report.source.kind == DOCUMENTS[name]
    assert report.engine == "gold"
    assert report.format == T.format_for_year(report.year)


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_gold_json_is_up_to_date(gold, name):
    on_disk = (REAL / f"{name}.gold.json").read_text(encoding="utf-8")
    assert on_disk == bg.render(gold[name]), "run: python fixtures/tools/build_gold.py"
    assert Report.model_validate_json(on_disk) == gold[name]


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_every_expected_cell_is_labelled(gold, name):
    report = gold[name]
    for table in report.tables.values():
        if not table.found:
            assert not table.cells
            continue
        expected = set(table.expected_cells())
        present = {(r, c) for r, c, _ in table.iter_cells()}
        assert present == expected
        for _, _, cell in table.iter_cells():
            assert cell.state != CellState.missing
            assert cell.source is not None and cell.source.engine == "gold"
            if cell.state == CellState.unreadable:
                assert cell.reason


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_six_sections_in_order(gold, name):
    sections = gold[name].sections
    assert [s.key for s in sections] == list(T.SECTION_KEYS)
    for s in sections:
        assert s.found == bool(s.heading)
        if s.heading:
            assert s.number is not None and s.heading.startswith(s.number + "、")


@pytest.mark.parametrize("name", B1_CONSISTENT)
def test_b1_holds_where_the_source_is_consistent(gold, name):
    b = gold[name].table_b
    for col in T.B_COLUMN_KEYS:
        new, carried = b.value("new", col), b.value("carried_over", col)
        total, forward = b.value("total", col), b.value("carried_forward", col)
        assert None not in (new, carried, total, forward), (name, col)
        assert new + carried == total + forward, (name, col)


@pytest.mark.parametrize("name", B1_CONSISTENT + ["kewei2024"])
def test_b2_b3_hold_where_the_source_is_consistent(gold, name):
    b = gold[name].table_b
    leaves = T.table_b_leaves(b.format or "2021", b.compressed_other)
    for col in T.B_COLUMN_KEYS:
        assert sum(b.value(leaf, col) for leaf in leaves) == b.value("total", col), (name, col)
    for row in b.row_keys():
        if b.value(row, "total") is None:
            continue
        assert sum(b.value(row, c) for c in T.B_APPLICANT_KEYS) == b.value(row, "total"), (name, row)


def test_huaian2024_headline_numbers(gold):
    r = gold["huaian2024"]
    assert r.agency == "淮安市人民政府" and r.year == 2024
    assert r.table_b.value("new", "total") == 3119
    assert r.table_b.value("carried_over", "total") == 34
    assert r.table_b.value("total", "total") == 3050
    assert r.table_b.value("carried_forward", "total") == 103
    assert r.table_c.value("review", "total") == 351
    assert r.table_c.value("litigation_direct", "total") + r.table_c.value("litigation_after_review", "total") == 46
    fee = r.table_a.cell("admin_fees", "amount_wan")
    assert fee.value == 96171.6 and fee.state == CellState.number


def test_hzq2023_keeps_the_source_error_in_table_c(gold):
    c = gold["hzq2023"].table_c
    review = [c.value("review", k) for k in T.C_COLUMN_KEYS]
    assert review == [10, 1, 0, 0, 0]
    assert sum(review[:4]) != review[4]  # printed total 0: C1 fails in the source, and gold keeps it
    after = [c.value("litigation_after_review", k) for k in T.C_COLUMN_KEYS]
    assert after == [5, 0, 0, 0, 0]


@pytest.mark.parametrize("name", ["hzq2023", "hzq2024"])
def test_hzq_compressed_other_row(gold, name):
    b = gold[name].table_b
    assert b.compressed_other and b.format == "2021"
    assert "other_combined" in b.cells
    assert not set(T.B_OTHER_LEAF_KEYS) & set(b.cells)
    assert len(b.row_keys()) == 23


def test_hzq_headline_numbers(gold):
    b23, b24 = gold["hzq2023"].table_b, gold["hzq2024"].table_b
    assert (b23.value("new", "total"), b23.value("total", "total"), b23.value("carried_forward", "total")) == (21, 21, 0)
    assert (b24.value("new", "total"), b24.value("total", "total"), b24.value("carried_forward", "total")) == (95, 95, 0)
    # X1 across the pair
    for col in T.B_COLUMN_KEYS:
        assert b24.value("carried_over", col) == b23.value("carried_forward", col)
    c24 = gold["hzq2024"].table_c
    assert [c24.value(g, "total") for g in T.C_GROUP_KEYS] == [2, 1, 3]


def test_seed003_blank_cells_stay_blank(gold):
    r = gold["seed003"]
    assert r.format == "2019" and r.year == 2020
    b = r.table_b
    assert b.value("new", "natural_person") == 17 and b.value("new", "total") == 17
    for row in ("carried_over", "total", "carried_forward", "partial", "other_combined"):
        for col in T.B_COLUMN_KEYS:
            cell = b.cell(row, col)
            assert cell.state == CellState.blank and cell.value is None, (row, col)
    assert b.cell("new", "commercial").state == CellState.blank
    # Table C: headers only, 15 blank cells — not zeros
    cells = [cell for _, _, cell in r.table_c.iter_cells()]
    assert len(cells) == 15 and all(c.state == CellState.blank and c.value is None for c in cells)
    # text cells of the 2019 Table A
    delta = r.table_a.cell("admin_fees", "delta")
    assert (delta.value, delta.unit, delta.raw) == (2, "个", "增加 2 个")
    amount = r.table_a.cell("procurement", "amount")
    assert (amount.value, amount.unit) == (26158.97, "万元")
    assert r.table_a.value("admin_fees", "prev_items") == 16
    assert r.table_a.value("procurement", "projects") == 2392


def test_kewei2024_detached_rows(gold):
    b = gold["kewei2024"].table_b
    assert b.value("new", "total") == 34 and b.value("carried_over", "total") == 2
    assert b.value("total", "total") == 35
    assert b.value("other_no_correction", "total") == 10
    assert b.value("unable_need_create", "total") == 6
    assert b.cell("carried_forward", "total").state == CellState.blank  # blank in the extraction
    assert b.value("carried_forward", "natural_person") == 1
    assert gold["kewei2024"].table_a.value("normative_docs", "in_force") == 55
    assert gold["kewei2024"].section("problems").heading == ""


def test_shoffice2025_ambiguous_table_a(gold):
    r = gold["shoffice2025"]
    a = r.table_a
    issued = a.cell("rules", "issued")
    assert (issued.value, issued.note) == (22, "其中修订 16 件")
    assert a.value("normative_docs", "issued") == 34
    assert (a.value("rules", "in_force"), a.value("normative_docs", "in_force")) == (235, 189)
    for row in ("rules", "normative_docs"):
        assert a.cell(row, "repealed").state == CellState.unreadable
    b = r.table_b
    assert [b.value(k, "total") for k in ("new", "carried_over", "total", "carried_forward")] == [1295, 189, 1191, 293]
    c = r.table_c
    assert [c.value(g, "total") for g in T.C_GROUP_KEYS] == [55, 12, 22]
    problems = r.section("problems")
    assert problems.heading == "" and not problems.found and problems.text.startswith("（一）2024")


def test_shuyang2025_keeps_ocr_name_and_maps_mini_tables(gold):
    r = gold["shuyang2025"]
    assert "沐阳" in r.title and r.agency == "沐阳县人民政府"
    b = r.table_b
    assert [b.value(k, "total") for k in ("new", "carried_over", "total", "carried_forward")] == [713, 36, 718, 31]
    assert b.value("new", "natural_person") + b.value("carried_over", "natural_person") == 741
    assert b.value("other_no_fee", "total") == 7 and b.value("other_other", "total") == 143
    assert r.table_a.cell("admin_fees", "amount_wan").value == 4068.208
    assert [r.table_c.value(g, "total") for g in T.C_GROUP_KEYS] == [61, 3, 10]


def test_zero_reports_are_zero_not_blank(gold):
    for name in ("seed000", "seed001", "seed002", "seed004"):
        for table in gold[name].tables.values():
            for r, c, cell in table.iter_cells():
                assert cell.state == CellState.number, (name, r, c)
    assert gold["seed000"].table_a.value("licensing", "decisions") == 3


# --- the label format itself -------------------------------------------------------------------

_MINIMAL = """\
file: x.txt
agency: 某局
year: 2024
title: t
format: 2021
compressed_other: no
[sections]
overview | 一、总体情况 | 正文
[table_a] absent
[table_b] absent
[table_c]
review: 1 "0" _ - ?"不清楚 的 原因"
litigation_direct: 0 0 0 0 0
litigation_after_review: 0 0 0 0 0
"""


def test_label_tokens():
    r = bg.parse_labels(_MINIMAL)
    cells = r.table_c.cells["review"]
    assert [cells[k].state for k in T.C_COLUMN_KEYS] == [
        CellState.number, CellState.number, CellState.blank, CellState.dash, CellState.unreadable]
    assert cells["total"].reason == "不清楚 的 原因"
    assert not r.table_a.found and not r.table_b.found


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: s.replace("litigation_direct: 0 0 0 0 0\n", ""),  # a missing row
        lambda s: s.replace("litigation_direct: 0 0 0 0 0", "litigation_direct: 0 0 0 0"),  # a short row
        lambda s: s.replace("review: 1", "reviews: 1"),  # an unknown row
        lambda s: s.replace('"0"', "零"),  # not a number and not quoted
        lambda s: s.replace("year: 2024\n", ""),  # a missing header
        lambda s: s.replace("[table_a] absent\n", ""),  # a table neither labelled nor marked absent
    ],
)
def test_incomplete_labels_are_rejected(edit):
    with pytest.raises(bg.LabelError):
        bg.parse_labels(edit(_MINIMAL))


def _source_text(name: str) -> str:
    path = REAL / f"{name}.{DOCUMENTS[name]}"
    if path.suffix == ".pdf":
        import shutil
        import subprocess

        if not shutil.which("pdftotext"):
            pytest.skip("pdftotext not installed")
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout
    else:
        text = path.read_text(encoding="utf-8")
    return "".join(text.split())


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_titles_headings_and_section_openings_occur_in_the_source(gold, name):
    source = _source_text(name)
    report = gold[name]
    assert "".join((report.title or "").split()) in source
    for s in report.sections:
        for piece in (s.heading, s.text):
            assert "".join(piece.split()) in source, (s.key, piece)
