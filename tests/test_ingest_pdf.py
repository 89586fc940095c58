"""Reading text-layer PDFs: a reviewer drops a report PDF in and gets lines and clean table grids."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from reportlab.lib import colors, pdfencrypt
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from xxgk.document import Document, Grid
from xxgk.errors import CorruptFile, EncryptedFile, NeedsOCR
from xxgk.ingest import ingest
from xxgk.ingest.pdf import read_pdf
from xxgk.parse.tables import parse_tables

# The real reports; the lead may repoint this at fixtures/real/.
REAL_PDFS = Path(__file__).resolve().parent.parent / "fixtures" / "real"
HZQ2023 = REAL_PDFS / "hzq2023.pdf"
HZQ2024 = REAL_PDFS / "hzq2024.pdf"
HUAIAN2024 = REAL_PDFS / "huaian2024.pdf"

WQY = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT = "WQY"

B_ROWS = [
    ("一、本年新收政府信息公开申请数量", [21, 0, 0, 0, 0, 0, 21]),
    ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
    ("（一）予以公开", [5, 0, 0, 0, 0, 0, 5]),
    ("（二）部分公开（区分处理的，只计这一情形，不计其他情形）", [4, 0, 0, 0, 0, 0, 4]),
    ("1.属于国家秘密", [1, 0, 0, 0, 0, 0, 1]),
    ("2.其他法律行政法规禁止公开", [0, 0, 0, 0, 0, 0, 0]),
    ("3.危及“三安全一稳定”", [0, 0, 0, 0, 0, 0, 0]),
    ("4.保护第三方合法权益", [0, 0, 0, 0, 0, 0, 0]),
    ("5.属于三类内部事务信息", [0, 0, 0, 0, 0, 0, 0]),
    ("6.属于四类过程性信息", [1, 0, 0, 0, 0, 0, 1]),
    ("7.属于行政执法案卷", [1, 0, 0, 0, 0, 0, 1]),
    ("8.属于行政查询事项", [0, 0, 0, 0, 0, 0, 0]),
    ("1.本机关不掌握相关政府信息", [6, 0, 0, 0, 0, 0, 6]),
    ("2.没有现成信息需要另行制作", [3, 0, 0, 0, 0, 0, 3]),
    ("3.补正后申请内容仍不明确", [0, 0, 0, 0, 0, 0, 0]),
    ("1.信访举报投诉类申请", [0, 0, 0, 0, 0, 0, 0]),
    ("2.重复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("3.要求提供公开出版物", [0, 0, 0, 0, 0, 0, 0]),
    ("4.无正当理由大量反复申请", [0, 0, 0, 0, 0, 0, 0]),
    ("5.要求行政机关确认或重新出具已获取信息", [0, 0, 0, 0, 0, 0, 0]),
    ("1.申请人无正当理由逾期不补正", [0, 0, 0, 0, 0, 0, 0]),
    ("2.申请人逾期未缴纳费用", [0, 0, 0, 0, 0, 0, 0]),
    ("3.其他", [0, 0, 0, 0, 0, 0, 0]),
    ("（七）总计", [21, 0, 0, 0, 0, 0, 21]),
    ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
]


@pytest.fixture(scope="module", autouse=True)
def cjk_font() -> None:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, WQY, subfontIndex=0))


def _footer(c: canvas.Canvas, doc: SimpleDocTemplate) -> None:
    c.setFont(FONT, 10)
    c.drawCentredString(A4[0] / 2, 30, f"— {doc.page} —")


def report_with_table_b(intro_paragraphs: int = 14) -> bytes:
    """A report whose ruled Table B starts on page 1 and runs on to page 2, with page footers."""
    body = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20)
    story: list = [Paragraph("某某区人民政府2023年政府信息公开工作年度报告", body)]
    story += [Paragraph("（一）主动公开情况。本年度通过政府门户网站主动公开政府信息一千余条，内容涵盖各领域。", body)] * intro_paragraphs
    story += [Paragraph("三、收到和处理政府信息公开申请情况", body), Spacer(1, 6)]
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9, leading=11)
    header = [
        ["", "申请人情况", "", "", "", "", "", ""],
        ["", "自然人", "法人或其他组织", "", "", "", "", "总计"],
        ["", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""],
    ]
    # labels are Paragraphs so that the long one wraps inside its narrow cell
    data = header + [[Paragraph(label, cell), *map(str, nums)] for label, nums in B_ROWS]
    table = Table(data, colWidths=[150] + [40] * 7, repeatRows=0)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                ("SPAN", (1, 0), (7, 0)),
                ("SPAN", (2, 1), (6, 1)),
                ("SPAN", (1, 1), (1, 2)),
                ("SPAN", (7, 1), (7, 2)),
                ("SPAN", (0, 0), (0, 2)),
            ]
        )
    )
    story += [table, Paragraph("四、政府信息公开行政复议、行政诉讼情况", body)]
    buf = io.BytesIO()
    SimpleDocTemplate(buf, pagesize=A4).build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buf.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read(path: Path) -> Document:
    return read_pdf(path, path.read_bytes())


def grids(doc: Document) -> list[Grid]:
    return [b for b in doc.blocks() if isinstance(b, Grid)]


def row_of(grid: Grid, label: str) -> list[str]:
    return next(r for r in grid.rows if any(c.replace(" ", "").startswith(label) for c in r))


def numbers(row: list[str]) -> list[str]:
    return [c for c in row if c.strip().isdigit()]


# ---------------------------------------------------------------- a generated report


def test_table_b_crossing_a_page_break_is_one_grid(tmp_path: Path) -> None:
    path = write(tmp_path, "report.pdf", report_with_table_b())
    doc = read(path)

    assert len(doc.pages) == 2
    [grid] = grids(doc)
    assert grid.page == 1 and grid.pages is not None and set(grid.pages) == {1, 2}
    assert len(grid.rows) == 3 + len(B_ROWS) and grid.n_cols == 8
    for label, nums in B_ROWS:
        assert numbers(row_of(grid, label)) == [str(n) for n in nums], label
    assert any("合并" in n for n in doc.notes)
    # the merged header cells are spans, not repeated text
    assert grid.rows[0][1] == "申请人情况" and grid.rows[0][2] == ""
    assert any(s.row == 0 and s.col == 1 and s.colspan == 7 for s in grid.spans)
    assert grid.filled()[0][7] == "申请人情况"
    assert grid.boxes is not None and grid.boxes[3][1] is not None


def test_wrapped_label_in_a_cell_reads_as_one_label(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "report.pdf", report_with_table_b()))
    [grid] = grids(doc)
    labels = [r[0] for r in grid.rows]

    assert "（二）部分公开（区分处理的，只计这一情形，不计其他情形）" in labels
    assert "5.要求行政机关确认或重新出具已获取信息" in labels


def test_page_footers_are_dropped_and_noted(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "report.pdf", report_with_table_b()))

    assert "—" not in doc.text()
    assert [n for n in doc.notes if "页码" in n] == [
        "第1页：删除页码“— 1 —” (dropped page number)",
        "第2页：删除页码“— 2 —” (dropped page number)",
    ]


def ruled_page_with_page_numbers() -> bytes:
    """A ruled table whose label cell carries a stray page number, dash cells, and margin page numbers."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 10)
    c.drawCentredString(A4[0] / 2, 820, "第 7 页")
    c.drawString(60, 640, "（四）无法提供情况")
    xs, ys = [60, 220, 300, 380], [620, 560, 530]  # PDF y grows upwards
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for y in ys:
        c.line(xs[0], y, xs[-1], y)
    c.drawString(65, 605, "（四）无")
    c.drawString(65, 590, "- 4 -")
    c.drawString(65, 575, "法提供")
    c.drawString(250, 590, "10")
    c.drawString(330, 590, "12")
    c.drawString(65, 540, "-")
    c.drawString(250, 540, "5")
    c.drawString(330, 540, "-")
    c.drawCentredString(A4[0] / 2, 40, "7")
    c.save()
    return buf.getvalue()


def test_page_numbers_inside_a_table_and_in_the_margins_are_dropped(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "numbers.pdf", ruled_page_with_page_numbers()))
    [grid] = grids(doc)

    assert grid.rows == [["（四）无法提供", "10", "12"], ["-", "5", "-"]]  # dash cells are values, kept
    assert [line.text for line in doc.lines()] == ["（四）无法提供情况"]
    assert sorted(n for n in doc.notes if "页码" in n) == [
        "第1页：删除页码“- 4 -” (dropped page number)",
        "第1页：删除页码“7” (dropped page number)",
        "第1页：删除页码“第 7 页” (dropped page number)",
    ]


def test_blocks_keep_reading_order_and_words_have_boxes(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "report.pdf", report_with_table_b()))
    doc.renumber()
    kinds = [("grid" if isinstance(b, Grid) else b.text) for b in doc.blocks()]

    heading = kinds.index("三、收到和处理政府信息公开申请情况")
    assert kinds[heading + 1] == "grid"
    assert kinds[heading + 2] == "四、政府信息公开行政复议、行政诉讼情况"
    title = doc.lines()[0]
    assert title.text == "某某区人民政府2023年政府信息公开工作年度报告"
    assert title.box is not None and title.words and all(w.box.x1 > w.box.x0 for w in title.words)
    # no table text leaks out as lines
    assert not any("本年新收" in line.text for line in doc.lines())


def test_space_aligned_numbers_are_separate_words(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 10)
    c.drawString(60, 700, "一、本年新收政府信息公开申请数量")
    for i, n in enumerate(["21", "0", "0", "0", "0", "0", "21"]):
        c.drawString(260 + 40 * i, 700, n)
    # letter-spaced CJK: a gap wider than the word tolerance but well under half a character
    c.setFont(FONT, 12)
    for i, ch in enumerate("总计"):
        c.drawString(60 + i * 16, 650, ch)
    c.save()
    doc = read(write(tmp_path, "aligned.pdf", buf.getvalue()))
    row, total = doc.lines()

    assert [w.text for w in row.words] == ["一、本年新收政府信息公开申请数量", "21", "0", "0", "0", "0", "0", "21"]
    assert row.text == "一、本年新收政府信息公开申请数量 21 0 0 0 0 0 21"
    assert len(total.words) == 2 and total.text == "总计"


def test_fake_bold_duplicates_are_removed(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 14)
    c.drawString(60, 700, "一、总体情况")
    c.drawString(60.3, 700, "一、总体情况")  # overprinted a hair to the right: fake bold
    c.save()
    doc = read(write(tmp_path, "bold.pdf", buf.getvalue()))

    assert [line.text for line in doc.lines()] == ["一、总体情况"]


# ---------------------------------------------------------------- PDFs that cannot be read as text


def image_page(c: canvas.Canvas) -> None:
    from PIL import Image

    img = Image.new("RGB", (400, 560), "white")
    c.drawInlineImage(img, 20, 20, width=A4[0] - 40, height=A4[1] - 40)
    c.showPage()


def test_scanned_pdf_needs_ocr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    image_page(c)
    image_page(c)
    c.save()
    path = write(tmp_path, "scan.pdf", buf.getvalue())

    with pytest.raises(NeedsOCR) as err:
        read(path)
    assert err.value.pages == [1, 2]
    assert "没有可用的文字层" in err.value.message and "OCR" in err.value.message
    assert err.value.path == str(path)


def test_empty_page_pdf_needs_ocr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.showPage()
    c.save()
    with pytest.raises(NeedsOCR):
        read(write(tmp_path, "blank.pdf", buf.getvalue()))


def cid_only_pdf() -> bytes:
    """A PDF whose font has no ToUnicode map: every glyph comes out as (cid:NNN)."""
    content = b"BT /F1 24 Tf 72 700 Td <01230456012304560123045601230456> Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >>"
        b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type0 /BaseFont /Foo /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Foo /CIDSystemInfo << /Registry (Adobe)"
        b" /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>",
        b"<< /Type /FontDescriptor /FontName /Foo /Flags 4 /FontBBox [0 0 1000 1000] /ItalicAngle 0"
        b" /Ascent 800 /Descent -200 /CapHeight 700 /StemV 80 >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_cid_glyph_text_layer_needs_ocr(tmp_path: Path) -> None:
    with pytest.raises(NeedsOCR) as err:
        read(write(tmp_path, "cid.pdf", cid_only_pdf()))
    assert err.value.pages == [1]


def test_readable_pages_are_kept_beside_a_scanned_page(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    image_page(c)  # a scanned cover with the seal
    c.setFont(FONT, 10)
    c.drawString(60, 700, "一、本年新收政府信息公开申请数量")
    for i, n in enumerate(["21", "0", "0", "0", "0", "0", "21"]):
        c.drawString(260 + 40 * i, 700, n)
    c.showPage()
    c.save()
    doc = read(write(tmp_path, "cover.pdf", buf.getvalue()))

    assert [p.number for p in doc.pages] == [1, 2] and doc.pages[0].blocks == []
    assert "本年新收" in doc.text()
    assert any("第1页没有可用的文字层" in n for n in doc.notes)


def test_a_scanned_table_page_still_needs_ocr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(60, 700, "一、总体情况")
    c.showPage()
    image_page(c)  # the tables are only in the picture
    c.save()
    with pytest.raises(NeedsOCR) as err:
        read(write(tmp_path, "half.pdf", buf.getvalue()))
    assert err.value.pages == [2]


def test_a_blank_last_page_is_no_reason_for_ocr(tmp_path: Path) -> None:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont(FONT, 12)
    c.drawString(60, 700, "六、其他需要报告的事项")
    c.showPage()
    c.showPage()
    c.save()
    doc = read(write(tmp_path, "tail.pdf", buf.getvalue()))

    assert doc.text() == "六、其他需要报告的事项"
    assert "第2页为空白页 (blank pages)" in doc.notes


def test_damaged_pdf_is_a_clear_error(tmp_path: Path) -> None:
    good = report_with_table_b()
    garbage = b"%PDF-1.7\n" + b"\x00\xff not a pdf " * 50
    for name, data in [("garbage.pdf", garbage), ("cut.pdf", good[: len(good) // 5])]:
        path = write(tmp_path, name, data)
        with pytest.raises(CorruptFile) as err:
            read(path)
        assert err.value.path == str(path) and "损坏" in err.value.message


def test_password_protected_pdf_is_a_clear_error(tmp_path: Path) -> None:
    buf = io.BytesIO()
    enc = pdfencrypt.StandardEncryption("secret", ownerPassword="owner", strength=128)
    c = canvas.Canvas(buf, pagesize=A4, encrypt=enc)
    c.setFont(FONT, 12)
    c.drawString(60, 700, "一、总体情况")
    c.save()
    path = write(tmp_path, "locked.pdf", buf.getvalue())

    with pytest.raises(EncryptedFile) as err:
        read(path)
    assert err.value.path == str(path) and "密码" in err.value.message


# ---------------------------------------------------------------- the real reports

real = pytest.mark.skipif(not HZQ2023.exists(), reason="real PDFs not available")


@real
def test_hzq2023_table_b_comes_out_clean() -> None:
    doc = ingest(HZQ2023)
    table_b = next(g for g in grids(doc) if any("本年新收" in c for r in g.rows for c in r))

    assert table_b.n_cols == 10 and table_b.pages is not None and set(table_b.pages) == {3, 4}
    assert numbers(row_of(table_b, "一、本年新收")) == ["21", "0", "0", "0", "0", "0", "21"]
    assert numbers(row_of(table_b, "四、结转下年度")) == ["0"] * 7
    leaves = [r for r in table_b.rows if len(numbers(r)) == 7]
    assert len(leaves) == 23  # compressed （六）其他处理: 25 rows less the 3 sub-rows, plus the single row
    assert "三、本年度办理结果" in [r[0] for r in table_b.rows]
    # the page number printed between the two halves of Table B is gone
    assert "-3-" not in doc.text().replace(" ", "")
    assert any("“- 3 -”" in n for n in doc.notes)


@real
def test_hzq2023_table_c_keeps_the_source_arithmetic() -> None:
    doc = ingest(HZQ2023)
    table_c = next(g for g in grids(doc) if g.n_cols == 15)

    assert table_c.rows[-1] == ["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]


@real
def test_hzq2023_table_a_joins_across_pages_without_text_boxes() -> None:
    doc = ingest(HZQ2023)
    table_a = grids(doc)[0]

    assert table_a.n_cols == 4 and table_a.rows[0][0] == "第二十条第（一）项"
    assert numbers(row_of(table_a, "行政许可")) == ["550"]
    assert numbers(row_of(table_a, "行政事业性收费")) == [] and row_of(table_a, "行政事业性收费")[1] == "7730.28"
    # the body text above the table (drawn on white strips) stays text
    assert any(line.text.startswith("（五）政府信息公开监督保障情况") for line in doc.lines())


@real
def test_hzq2024_and_huaian2024_tables() -> None:
    hzq = ingest(HZQ2024)
    b = next(g for g in grids(hzq) if g.n_cols == 10)
    assert numbers(row_of(b, "一、本年新收")) == ["95", "0", "0", "0", "0", "0", "95"]
    c = next(g for g in grids(hzq) if g.n_cols == 15)
    assert c.rows[-1] == ["1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3"]

    huaian = ingest(HUAIAN2024)
    b = next(g for g in grids(huaian) if g.n_cols == 10)  # two pages a few points apart still align
    assert numbers(row_of(b, "一、本年新收")) == ["3001", "53", "0", "0", "61", "4", "3119"]
    assert numbers(row_of(b, "（七）总计")) == ["2932", "53", "0", "0", "61", "4", "3050"]
    assert numbers(row_of(b, "四、结转下年度")) == ["103", "0", "0", "0", "0", "0", "103"]
    c = next(g for g in grids(huaian) if g.n_cols == 15)
    assert c.rows[-1][:5] == ["72", "64", "178", "37", "351"]
    assert "规章" in [r[0] for r in grids(huaian)[0].rows]


@real
def test_real_reports_read_fast_enough() -> None:
    pages, start = 0, time.perf_counter()
    for path in (HZQ2023, HZQ2024, HUAIAN2024):
        pages += len(read(path).pages)
    assert (time.perf_counter() - start) / pages < 0.5


def unruled_table_c(values: dict[int, str], shift: float = 0.0) -> bytes:
    """Table C drawn as free text (no ruling lines, so no grid): headers on two lines, a value row
    with only the cells in ``values`` (column index → text) printed, ``shift`` points right of centre."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setFont("WQY", 14)
    c.drawString(60, 780, "四、政府信息公开行政复议、行政诉讼情况")
    c.setFont("WQY", 9)
    c.drawString(120, 750, "行政复议")
    c.drawString(380, 750, "行政诉讼")
    c.drawString(250, 735, "未经复议直接起诉")
    c.drawString(420, 735, "复议后起诉")
    tops = ["结果", "结果", "其他", "尚未", "总计"] * 3
    bottoms = ["维持", "纠正", "结果", "审结", ""] * 3
    xs = [50 + 33 * k for k in range(15)]
    for x, a, b in zip(xs, tops, bottoms):
        c.drawString(x, 718, a)
        if b:
            c.drawString(x, 706, b)
    for k, v in values.items():
        c.drawString(xs[k] + 4 + shift, 688, v)
    c.setFont("WQY", 12)
    c.drawString(60, 650, "五、政府信息公开工作存在的主要问题及改进情况")
    c.drawString(60, 630, "本年度无重大问题。")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_unruled_table_c_with_blank_cells_reads_each_value_under_its_header(tmp_path: Path) -> None:
    doc = read(write(tmp_path, "c.pdf", unruled_table_c({1: "2", 4: "3", 8: "1", 9: "4", 14: "0"})))
    c = parse_tables(doc).table_c
    got = [(cell.state.value, cell.value) for row in c.cells.values() for cell in row.values()]
    want = [("number", int(v)) if v else ("blank", None) for v in ["", "2", "", "", "3", "", "", "", "1", "4", "", "", "", "", "0"]]
    assert got == want
    assert "表四有空白单元格，按表头各列的位置对应数值" in c.notes


def test_unruled_table_c_value_between_two_columns_is_not_guessed(tmp_path: Path) -> None:
    # "5" printed half a column right of the first header: under neither column
    doc = read(write(tmp_path, "c.pdf", unruled_table_c({0: "5", 6: "1"}, shift=16.0)))
    c = parse_tables(doc).table_c
    assert {cell.state.value for row in c.cells.values() for cell in row.values()} == {"unreadable"}
