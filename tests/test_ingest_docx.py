"""Reading Word reports: body order, merged cells both ways, layout tables, refused files."""

from __future__ import annotations

import copy
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from xxgk.document import Grid, Line, Span
from xxgk.errors import CorruptFile, EncryptedFile, UnsupportedFileType
from xxgk.ingest import ingest
from xxgk.ingest.docx import CFB_MAGIC
from xxgk.template import TABLE_B_NOTE, table_b_rows

TEMPLATE = Path(__file__).resolve().parent.parent / "fixtures" / "template" / "template2021.docx"


def grids(doc) -> list[Grid]:
    return [b for b in doc.blocks() if isinstance(b, Grid)]


def table_c_docx(path: Path) -> Path:
    """A small report: a heading, Table C with merges both ways, a paragraph after it."""
    d = docx.Document()
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    t = d.add_table(rows=4, cols=6)
    t.cell(0, 0).merge(t.cell(0, 2)).text = "行政复议"  # horizontal: gridSpan 3
    t.cell(0, 3).merge(t.cell(0, 5)).text = "行政诉讼"
    t.cell(1, 0).merge(t.cell(2, 0)).text = "结果维持"  # vertical: vMerge restart / continue
    t.cell(1, 1).merge(t.cell(2, 2)).text = "结果纠正"  # both ways: a 2 × 2 block
    t.cell(1, 3).merge(t.cell(1, 5)).text = "未经复议直接起诉"
    for col, text in zip(range(3, 6), ("结果维持", "结果纠正", "总计")):
        t.cell(2, col).text = text
    for col in range(6):
        t.cell(3, col).text = str(col)
    d.add_paragraph("五、存在的主要问题及改进情况")
    d.save(path)
    return path


def test_paragraphs_and_tables_come_in_body_order(tmp_path: Path) -> None:
    doc = ingest(table_c_docx(tmp_path / "report.docx"))

    assert doc.kind == "docx"
    kinds = [type(b).__name__ for b in doc.blocks()]
    assert kinds == ["Line", "Grid", "Line"]
    assert doc.blocks()[0].text == "四、政府信息公开行政复议、行政诉讼情况"
    assert doc.blocks()[2].text == "五、存在的主要问题及改进情况"
    assert doc.blocks()[2].index == 1 + 1 + 4  # a grid counts one index per row


def test_merged_cells_are_anchored_once_with_spans(tmp_path: Path) -> None:
    (grid,) = grids(ingest(table_c_docx(tmp_path / "report.docx")))

    # python-docx's row.cells would repeat 行政复议 three times; the grid holds it once.
    assert grid.rows == [
        ["行政复议", "", "", "行政诉讼", "", ""],
        ["结果维持", "结果纠正", "", "未经复议直接起诉", "", ""],
        ["", "", "", "结果维持", "结果纠正", "总计"],
        ["0", "1", "2", "3", "4", "5"],
    ]
    assert sorted(grid.spans, key=lambda s: (s.row, s.col)) == [
        Span(row=0, col=0, rowspan=1, colspan=3),
        Span(row=0, col=3, rowspan=1, colspan=3),
        Span(row=1, col=0, rowspan=2, colspan=1),
        Span(row=1, col=1, rowspan=2, colspan=2),
        Span(row=1, col=3, rowspan=1, colspan=3),
    ]
    assert grid.filled()[2][:3] == ["结果维持", "结果纠正", "结果纠正"]


def test_line_breaks_tabs_and_wrapped_cell_labels(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("某某局")
    p.add_run().add_break()
    p.add_run("2024年1月20日")
    d.add_paragraph("规章\t0\t0\t0")
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "商业"
    t.cell(0, 0).add_paragraph("企业")  # a label wrapped over two paragraphs is one label
    t.cell(0, 1).text = "\u3000\u3000"  # ideographic spaces only: a blank cell
    t.cell(1, 0).text = "自然人"
    t.cell(1, 1).text = "12"
    path = tmp_path / "r.docx"
    d.save(path)

    doc = ingest(path)

    lines = doc.lines()
    assert [ln.text for ln in lines[:2]] == ["某某局", "2024年1月20日"]
    assert lines[2].cells == ["规章", "0", "0", "0"]
    assert grids(doc)[0].rows == [["商业企业", ""], ["自然人", "12"]]


def test_a_layout_table_wrapping_the_report_is_read_through(tmp_path: Path) -> None:
    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    cell = outer.cell(0, 0)
    cell.paragraphs[0].text = "二、主动公开政府信息情况"
    inner = cell.add_table(rows=2, cols=4)
    for col, text in enumerate(("信息内容", "本年制发件数", "本年废止件数", "现行有效件数")):
        inner.cell(0, col).text = text
    for col, text in enumerate(("规章", "1", "0", "11")):
        inner.cell(1, col).text = text
    cell.add_paragraph("三、收到和处理政府信息公开申请情况")
    path = tmp_path / "layout.docx"
    d.save(path)

    doc = ingest(path)

    blocks = doc.blocks()
    assert [type(b).__name__ for b in blocks] == ["Line", "Grid", "Line"]
    assert blocks[1].rows[1] == ["规章", "1", "0", "11"]


def test_content_controls_do_not_hide_paragraphs(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("一、总体情况")
    sdt = p._p.makeelement(qn("w:sdt"), {})
    content = p._p.makeelement(qn("w:sdtContent"), {})
    sdt.append(content)
    p._p.addprevious(sdt)
    content.append(copy.deepcopy(p._p))
    p._p.getparent().remove(p._p)
    path = tmp_path / "sdt.docx"
    d.save(path)

    assert [ln.text for ln in ingest(path).lines()] == ["一、总体情况"]


def test_the_official_blank_template() -> None:
    doc = ingest(TEMPLATE)

    a, b, c = grids(doc)
    headings = [ln.text for ln in doc.lines()]
    assert "三、收到和处理政府信息公开申请情况" in headings and "（文字描述）" in headings

    assert a.rows[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert Span(row=0, col=0, colspan=4) in a.spans  # 第二十条第（一）项 across the table

    assert len(b.rows) == 28 and b.n_cols == 10
    assert b.rows[0][0] == TABLE_B_NOTE and b.rows[0][3] == "申请人情况"
    assert b.rows[1][3:] == ["自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert b.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert Span(row=0, col=0, rowspan=3, colspan=3) in b.spans  # the 勾稽 note
    assert Span(row=0, col=3, rowspan=1, colspan=7) in b.spans  # 申请人情况
    assert Span(row=1, col=4, rowspan=1, colspan=5) in b.spans  # 法人或其他组织
    assert Span(row=1, col=9, rowspan=2, colspan=1) in b.spans  # 总计
    assert Span(row=5, col=0, rowspan=22, colspan=1) in b.spans  # 三、本年度办理结果, vertical
    assert Span(row=7, col=1, rowspan=8, colspan=1) in b.spans  # （三）不予公开 over its 8 leaves
    # The 25 data rows, each named by its most specific label, in the official order.
    labels = [[t for t in row[:3] if t][-1] for row in b.rows[3:]]
    assert labels == [r.row.label for r in table_b_rows("2021")]
    assert all(t == "" for row in b.rows[3:] for t in row[3:])  # a blank template has no numbers

    assert c.n_cols == 15 and c.rows[0][0] == "行政复议" and c.rows[0][5] == "行政诉讼"
    assert c.rows[2][5:10] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def test_a_damaged_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "坏文件.docx"
    path.write_bytes(table_c_docx(tmp_path / "good.docx").read_bytes()[:3000])

    with pytest.raises(CorruptFile) as err:
        ingest(path)
    assert "坏文件.docx" in str(err.value)


def test_a_text_file_named_docx_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_text("这不是 Word 文件", encoding="utf-8")

    with pytest.raises(CorruptFile):
        ingest(path)


def test_an_encrypted_docx_is_refused(tmp_path: Path) -> None:
    # Office writes an encrypted .docx as an OLE compound file with EncryptionInfo / EncryptedPackage streams.
    path = tmp_path / "加密.docx"
    path.write_bytes(CFB_MAGIC + b"\x00" * 504 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512)

    with pytest.raises(EncryptedFile) as err:
        ingest(path)
    assert "加密.docx" in str(err.value)


def test_an_old_binary_doc_asks_for_docx(tmp_path: Path) -> None:
    path = tmp_path / "年报.doc"
    path.write_bytes(CFB_MAGIC + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512)

    with pytest.raises(UnsupportedFileType) as err:
        ingest(path)
    assert ".docx" in err.value.message and "年报.doc" in str(err.value)


def test_rtf_named_doc_asks_for_docx(tmp_path: Path) -> None:
    path = tmp_path / "年报.doc"
    path.write_bytes(b"{\\rtf1\\ansi\\ansicpg936 \\'c4\\'ea}")

    with pytest.raises(UnsupportedFileType):
        ingest(path)


def test_table_text_is_not_duplicated_in_document_text(tmp_path: Path) -> None:
    doc = ingest(table_c_docx(tmp_path / "report.docx"))

    assert doc.text().count("行政复议") == 2  # the heading and the one anchor
    assert isinstance(doc.blocks()[0], Line)
