"""Write a Report as a document laid out like a real annual report: txt, md, HTML, DOCX or PDF.

All five kinds share one layout of each table (``table_grids``): the official template's rows and
columns with every header row, group label and merged cell (FORMAT.md §2, the 2021 template docx).
A blank cell prints as an empty cell, any other cell as its ``raw`` text, so a parser reading the
file must give back the cells of the Report it was rendered from.
"""

from __future__ import annotations

import html
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from .. import template as T
from ..models import CellState, Report, SourceFile, Table

FONT_PATH = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_NAME = "WQY"

# ---------------------------------------------------------------------------------------------
# The layout of the tables, shared by every renderer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridCell:
    """The top-left cell of a merged area (or a plain cell): its text, spans and what it is."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "label"  # note | header | group | label | value


# A table as rows of equal length; None marks a position covered by a merged cell.
Grid = list[list[GridCell | None]]


class _GridBuilder:
    def __init__(self, n_cols: int) -> None:
        self.n_cols = n_cols
        self.rows: Grid = []
        self._covered: set[tuple[int, int]] = set()

    def row(self, cells: list[GridCell]) -> None:
        """Append a row: cells fill the positions not covered by spans from rows above."""
        r = len(self.rows)
        out: list[GridCell | None] = []
        it = iter(cells)
        for c in range(self.n_cols):
            if (r, c) in self._covered:
                out.append(None)
                continue
            cell = next(it)
            out.append(cell)
            self._covered.update(
                (r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan) if dr or dc
            )
        if next(it, None) is not None:
            raise ValueError(f"row {r}: more cells than columns")
        self.rows.append(out)


def _text(table: Table, row: str, col: str) -> str:
    cell = table.cells.get(row, {}).get(col)
    if cell is None or cell.state in (CellState.blank, CellState.missing):
        return ""
    return cell.raw


def _value(table: Table, row: str, col: str, colspan: int = 1) -> GridCell:
    return GridCell(_text(table, row, col), colspan=colspan, role="value")


def table_a_grid(report: Report) -> Grid:
    """表二: blocks 第二十条第（x）项, each with its 信息内容 header row; 4 columns."""
    table = report.table_a
    fmt = table.format or report.format or "2021"
    g = _GridBuilder(4)
    for block, arows_iter in groupby(T.table_a_rows(fmt), key=lambda a: a.block):
        arows = list(arows_iter)
        cols = arows[0].columns
        spans = {1: (3,), 2: (1, 2), 3: (1, 1, 1)}[len(cols)]
        g.row([GridCell(T.TABLE_A_BLOCK_LABEL.format(block=block), colspan=4, role="group")])
        g.row([GridCell(T.TABLE_A_HEADER, role="header")]
              + [GridCell(c.label, colspan=s, role="header") for c, s in zip(cols, spans, strict=True)])
        for a in arows:
            g.row([GridCell(a.row.label)] + [_value(table, a.row.key, c.key, s) for c, s in zip(cols, spans, strict=True)])
    return g.rows


def table_b_grid(report: Report) -> Grid:
    """表三: the 勾稽 note, 申请人情况 / 法人或其他组织 headers, 三、本年度办理结果 and group labels; 10 columns."""
    table = report.table_b
    fmt = table.format or report.format or "2021"
    rows = T.table_b_rows(fmt, table.compressed_other)
    keys = [r.key for r in rows]
    n_results = keys.index("total") - keys.index("granted") + 1
    group_sizes = {grp: sum(1 for r in rows if r.group == grp) for grp in {r.group for r in rows if r.group}}

    g = _GridBuilder(10)
    g.row([GridCell(T.TABLE_B_NOTE, rowspan=3, colspan=3, role="note"), GridCell("申请人情况", colspan=7, role="header")])
    g.row([GridCell(T.B_COLUMNS[0].label, rowspan=2, role="header"),
           GridCell(T.B_LEGAL_PERSON_GROUP, colspan=5, role="header"),
           GridCell(T.B_COLUMNS[6].label, rowspan=2, role="header")])
    g.row([GridCell(c.label, role="header") for c in T.B_COLUMNS[1:6]])
    seen_groups: set[str] = set()
    for r in rows:
        values = [_value(table, r.key, c) for c in T.B_COLUMN_KEYS]
        if r.key in ("new", "carried_over", "carried_forward"):
            g.row([GridCell(r.row.label, colspan=3), *values])
            continue
        head: list[GridCell] = []
        if r.key == "granted":
            head.append(GridCell(T.B_GROUPS[0].label, rowspan=n_results, role="group"))
        if r.group:
            if r.group not in seen_groups:
                seen_groups.add(r.group)
                head.append(GridCell(r.group, rowspan=group_sizes[r.group], role="group"))
            head.append(GridCell(r.row.label))
        else:
            head.append(GridCell(r.row.label, colspan=2))
        g.row([*head, *values])
    return g.rows


def table_c_grid(report: Report) -> Grid:
    """表四: 行政复议 (5 columns) and 行政诉讼 (未经复议直接起诉, 复议后起诉: 5 each); 15 columns, one data row."""
    table = report.table_c
    g = _GridBuilder(15)
    g.row([GridCell(T.C_GROUPS[0].label, colspan=5, role="header"), GridCell(T.C_LITIGATION, colspan=10, role="header")])
    g.row([GridCell(c.label, rowspan=2, role="header") for c in T.C_COLUMNS]
          + [GridCell(grp.label, colspan=5, role="header") for grp in T.C_GROUPS[1:]])
    g.row([GridCell(c.label, role="header") for _ in T.C_GROUPS[1:] for c in T.C_COLUMNS])
    g.row([_value(table, grp, c) for grp in T.C_GROUP_KEYS for c in T.C_COLUMN_KEYS])
    return g.rows


TABLE_OF_SECTION: dict[str, Callable[[Report], Grid]] = {
    "proactive": table_a_grid,
    "requests": table_b_grid,
    "review_litigation": table_c_grid,
}


def table_grids(report: Report) -> dict[str, Grid]:
    """The layout of the three tables, by the key of the section that holds each."""
    return {key: build(report) for key, build in TABLE_OF_SECTION.items()}


def _blocks(report: Report) -> Iterator[tuple[str, str | Grid]]:
    """The document in reading order: ("title"|"heading"|"para", text) and ("table", grid)."""
    if report.title:
        yield "title", report.title
    for s in report.sections:
        yield "heading", s.heading
        for para in s.text.split("\n"):
            if para.strip():
                yield "para", para
        if s.key in TABLE_OF_SECTION:
            yield "table", TABLE_OF_SECTION[s.key](report)


def _row_texts(row: list[GridCell | None]) -> list[str]:
    return [c.text if c is not None else "" for c in row]


# ---------------------------------------------------------------------------------------------
# txt, md
# ---------------------------------------------------------------------------------------------


def render_txt(report: Report, path: str | Path) -> SourceFile:
    """Plain text like seeds 000/003: tables tab-separated, merged cells as empty tab slots."""
    lines: list[str] = ["", ""]
    for kind, item in _blocks(report):
        if kind == "table":
            assert isinstance(item, list)
            lines += ["\t".join(_row_texts(row)) for row in item]
        else:
            lines.append(str(item))
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")
    return SourceFile(path=Path(path).name, kind="txt", encoding="utf-8")


def render_md(report: Report, path: str | Path, *, heading_marks: bool = True) -> SourceFile:
    """Markdown: headings (``#`` optional), paragraphs, one pipe row per table row after a header separator."""
    lines: list[str] = []
    for kind, item in _blocks(report):
        if kind == "table":
            assert isinstance(item, list)
            for i, row in enumerate(item):
                lines.append("| " + " | ".join(t.replace("|", "\\|") for t in _row_texts(row)) + " |")
                if i == 0:
                    lines.append("|" + "---|" * len(row))
        elif kind == "title":
            lines.append(("# " if heading_marks else "") + str(item))
        elif kind == "heading":
            lines.append(("## " if heading_marks else "") + str(item))
        else:
            lines.append(str(item))
        lines.append("")
    Path(path).write_text("\n".join(lines), encoding="utf-8")
    return SourceFile(path=Path(path).name, kind="md", encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# HTML
# ---------------------------------------------------------------------------------------------

_HTML_STYLE = """
body { font-family: "Microsoft YaHei", SimSun, sans-serif; margin: 0; }
.top-nav { background: #1d5fa8; } .top-nav a { color: #fff; padding: 0 16px; line-height: 40px; }
.position { width: 1000px; margin: 10px auto; font-size: 14px; }
.article { width: 1000px; margin: 0 auto; } .article h1 { text-align: center; font-size: 24px; }
.article-info { text-align: center; color: #666; font-size: 14px; }
.article-content p { text-indent: 2em; line-height: 2; font-size: 16px; }
.article-content table { border-collapse: collapse; margin: 0 auto; }
.article-content td { border: 1px solid #000; padding: 4px; text-align: center; font-size: 14px; }
.footer { background: #eee; text-align: center; font-size: 12px; padding: 20px; margin-top: 30px; }
"""


def _html_table(grid: Grid) -> str:
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" width="100%">', "<tbody>"]
    for row in grid:
        cells = []
        for c in row:
            if c is None:
                continue
            attrs = "".join(
                f' {name}="{n}"' for name, n in (("rowspan", c.rowspan), ("colspan", c.colspan)) if n > 1
            )
            body = f"<p>{html.escape(c.text)}</p>" if c.role != "value" else html.escape(c.text)
            cells.append(f"<td{attrs}>{body}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def render_html(report: Report, path: str | Path, encoding: str = "utf-8") -> SourceFile:
    """A government-site page: nav bar, breadcrumb, article with real ``<table>``s (rowspan/colspan), footer, scripts."""
    agency = html.escape(report.agency or "")
    year = report.year or 2024
    body: list[str] = []
    for kind, item in _blocks(report):
        if kind == "title":
            continue
        if kind == "table":
            assert isinstance(item, list)
            body.append(_html_table(item))
        elif kind == "heading":
            body.append(f'<p style="text-indent:2em"><strong>{html.escape(str(item))}</strong></p>')
        else:
            body.append(f"<p>{html.escape(str(item))}</p>")
    title = html.escape(report.title or "")
    page = f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="{encoding}">
<meta name="ArticleTitle" content="{title}">
<meta name="ContentSource" content="{agency}">
<title>{title}_{agency}</title>
<style>{_HTML_STYLE}</style>
<script type="text/javascript">
var siteName = "{agency}门户网站";
function doZoom(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</head>
<body>
<div class="top-nav" id="nav">
<a href="/">首页</a><a href="/zwgk/">政务公开</a><a href="/zwfw/">政务服务</a><a href="/hdjl/">互动交流</a><a href="/zjxx/">走进{agency}</a>
</div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政府信息公开</a> &gt; <a href="/zwgk/ndbg/">政府信息公开年报</a></div>
<div class="article">
<h1>{title}</h1>
<div class="article-info">发布时间：{year + 1}-01-{15 + (year % 10):02d}　来源：{agency}　【字体：<a href="javascript:doZoom(18)">大</a> <a href="javascript:doZoom(16)">中</a> <a href="javascript:doZoom(14)">小</a>】</div>
<div class="article-content" id="zoom">
{chr(10).join(body)}
</div>
</div>
<div class="footer">
<p>主办单位：{agency}　联系电话：0000-12345678</p>
<p>网站标识码：0000000000　备案号：某ICP备00000000号-1</p>
</div>
<script type="text/javascript">
(function() {{ var hm = document.createElement("script"); hm.src = "/js/stat.js"; document.body.appendChild(hm); }})();
</script>
</body>
</html>
"""
    Path(path).write_bytes(page.encode(encoding, errors="xmlcharrefreplace"))
    return SourceFile(path=Path(path).name, kind="html", encoding=encoding)


# ---------------------------------------------------------------------------------------------
# DOCX
# ---------------------------------------------------------------------------------------------


def _fixed_zip_times(path: Path) -> None:
    """Rewrite a zip with fixed member times, so the same report always gives the same bytes."""
    src = io.BytesIO(path.read_bytes())
    out = io.BytesIO()
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(fixed, zin.read(info.filename))
    path.write_bytes(out.getvalue())


def render_docx(report: Report, path: str | Path) -> SourceFile:
    """A Word document: title, headings, paragraphs and real tables with merged cells (both directions)."""
    import datetime

    from docx import Document as DocxDocument
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    doc = DocxDocument()
    normal = doc.styles["Normal"]
    normal.font.name = "仿宋_GB2312"
    normal.font.size = Pt(16)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "仿宋_GB2312")
    fixed = datetime.datetime(2000, 1, 1)
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.title = report.title or ""
    doc.core_properties.author = report.agency or ""

    for kind, item in _blocks(report):
        if kind == "table":
            assert isinstance(item, list)
            grid = item
            table = doc.add_table(rows=len(grid), cols=len(grid[0]))
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(grid):
                for c, cell in enumerate(row):
                    if cell is None:
                        continue
                    target = table.cell(r, c)
                    if cell.rowspan > 1 or cell.colspan > 1:
                        target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
                    target.text = cell.text
                    for p in target.paragraphs:
                        if cell.role != "label":
                            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        for run in p.runs:
                            run.font.size = Pt(10.5)
            continue
        p = doc.add_paragraph()
        run = p.add_run(str(item))
        if kind == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(22)
        elif kind == "heading":
            run.bold = True
            p.paragraph_format.first_line_indent = Pt(32)
        else:
            p.paragraph_format.first_line_indent = Pt(32)
    doc.save(str(path))
    _fixed_zip_times(Path(path))
    return SourceFile(path=Path(path).name, kind="docx")


# ---------------------------------------------------------------------------------------------
# PDF
# ---------------------------------------------------------------------------------------------

# A4 with the margins of 党政机关公文格式 (GB/T 9704): top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
_MM = 72 / 25.4
_MARGINS = {"top": 37 * _MM, "bottom": 35 * _MM, "left": 28 * _MM, "right": 26 * _MM}
_TABLE_FONT = 10.5  # 五号
_BODY_FONT = 16.0  # 三号
_PAD = 3.0
_VPAD = 5.0  # Word's table rows are about 0.8 cm high


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, FONT_PATH, subfontIndex=0))


def _col_widths(n_cols: int, width: float, wrap_labels: bool) -> list[float]:
    if n_cols == 10:  # Table B: vertical label, group label, row label, 7 numbers
        labels = [24.0, 62.0, 132.0] if wrap_labels else [62.0, 62.0, 134.0]
        rest = (width - sum(labels)) / 7
        return labels + [rest] * 7
    if n_cols == 4:  # Table A
        first = width * 0.28
        return [first] + [(width - first) / 3] * 3
    return [width / n_cols] * n_cols


def _label_styles() -> dict[str, object]:
    from reportlab.lib.enums import TA_CENTER, TA_LEFT
    from reportlab.lib.styles import ParagraphStyle

    centered = ParagraphStyle("tc", fontName=FONT_NAME, fontSize=_TABLE_FONT, leading=_TABLE_FONT * 1.25,
                              alignment=TA_CENTER, wordWrap="CJK")
    return {"label": ParagraphStyle("tl", parent=centered, alignment=TA_LEFT), "other": centered}


def _pdf_table(grid: Grid, widths: list[float], wrap_labels: bool) -> object:
    """A reportlab Table of the grid: ruled, spans as SPAN, labels as wrapped Paragraphs (or shrunk to one line)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Paragraph, Table, TableStyle

    styles = _label_styles()
    style: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), _TABLE_FONT),
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), _VPAD),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _VPAD),
    ]
    data: list[list[object]] = []
    for r, row in enumerate(grid):
        out: list[object] = []
        for c, cell in enumerate(row):
            if cell is None:
                out.append("")
                continue
            if cell.rowspan > 1 or cell.colspan > 1:
                style.append(("SPAN", (c, r), (c + cell.colspan - 1, r + cell.rowspan - 1)))
            avail = sum(widths[c:c + cell.colspan]) - 2 * _PAD
            if cell.role == "value" or not cell.text:
                out.append(cell.text)
                if cell.text and stringWidth(cell.text, FONT_NAME, _TABLE_FONT) > avail:
                    style.append(("FONTSIZE", (c, r), (c, r), avail / stringWidth(cell.text, FONT_NAME, 1)))
            elif wrap_labels:
                out.append(Paragraph(xml_escape(cell.text), styles["label" if cell.role == "label" else "other"]))
            else:
                size = min(_TABLE_FONT, avail / max(1.0, stringWidth(cell.text, FONT_NAME, 1)))
                out.append(cell.text)
                style.append(("FONTSIZE", (c, r), (c, r), size))
                if cell.role == "label":
                    style.append(("ALIGN", (c, r), (c, r), "LEFT"))
        data.append(out)
    return Table(data, colWidths=widths, style=TableStyle(style), repeatRows=0)


def _fitting_prefix(text: str, width: float, height: float, wrap_labels: bool) -> int:
    """How many characters of a label fit in a cell of this size (all of them, or as many lines as fit)."""
    from reportlab.platypus import Paragraph

    if not wrap_labels:
        return len(text) if height >= _TABLE_FONT * 1.2 + 2 * _VPAD else 0
    style = _label_styles()["other"]
    k = len(text)
    while k > 0 and Paragraph(xml_escape(text[:k]), style).wrap(width - 2 * _PAD, 1e6)[1] + 2 * _VPAD > height:
        k -= 1
    return k


def _split_grid(grid: Grid, n: int, heights: list[float], widths: list[float], wrap_labels: bool) -> tuple[Grid, Grid]:
    """The grid cut before row n: spans crossing the cut end above it and continue below, their text divided."""
    top: Grid = [list(row) for row in grid[:n]]
    bottom: Grid = [list(row) for row in grid[n:]]
    for r in range(n):
        for c, cell in enumerate(grid[r]):
            if cell is None or r + cell.rowspan <= n:
                continue
            k = _fitting_prefix(cell.text, sum(widths[c:c + cell.colspan]), sum(heights[r:n]), wrap_labels)
            top[r][c] = GridCell(cell.text[:k], n - r, cell.colspan, cell.role)
            bottom[0][c] = GridCell(cell.text[k:], r + cell.rowspan - n, cell.colspan, cell.role)
    return top, bottom


def _header_rows(grid: Grid) -> int:
    """Rows before the first data row (a row holding a value cell)."""
    return next((i for i, row in enumerate(grid) if any(c is not None and c.role == "value" for c in row)), 0)


def _grid_flowable(grid: Grid, widths: list[float], wrap_labels: bool, splittable: bool) -> object:
    from reportlab.platypus import Flowable

    class GridTable(Flowable):  # type: ignore[misc]
        """A ruled table that splits across pages inside merged cells, as Word does (reportlab will not)."""

        def __init__(self, grid: Grid) -> None:
            super().__init__()
            self.grid = grid
            self.table = _pdf_table(grid, widths, wrap_labels)

        def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
            self.width, self.height = self.table.wrap(avail_width, avail_height)  # type: ignore[attr-defined]
            return self.width, self.height

        def draw(self) -> None:
            self.table.drawOn(self.canv, 0, 0)  # type: ignore[attr-defined]

        def split(self, avail_width: float, avail_height: float) -> list[object]:
            if not splittable:
                return []
            self.wrap(avail_width, avail_height)
            heights: list[float] = list(self.table._rowHeights)  # type: ignore[attr-defined]
            n, used = 0, 0.0
            while n < len(heights) and used + heights[n] <= avail_height:
                used += heights[n]
                n += 1
            if n >= len(heights):
                return [self]
            while n > _header_rows(self.grid):
                top, bottom = _split_grid(self.grid, n, heights, widths, wrap_labels)
                first = GridTable(top)
                if first.wrap(avail_width, avail_height)[1] <= avail_height:
                    return [first, GridTable(bottom)]
                n -= 1
            return []

    return GridTable(grid)


def render_pdf(report: Report, path: str | Path, *, wrap_labels: bool = True, footer: bool = True) -> SourceFile:
    """A4 text-layer PDF (WQY font): ruled tables, wrapped labels, Table B across a page break, ``— n —`` footers."""
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    _register_font()
    title_style = ParagraphStyle("title", fontName=FONT_NAME, fontSize=22, leading=34, alignment=TA_CENTER,
                                 wordWrap="CJK", spaceAfter=18)
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=_BODY_FONT, leading=28, firstLineIndent=2 * _BODY_FONT,
                          wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, spaceBefore=4)

    doc = SimpleDocTemplate(
        str(path), pagesize=A4, title=report.title or "", author=report.agency or "", invariant=1,
        topMargin=_MARGINS["top"], bottomMargin=_MARGINS["bottom"],
        leftMargin=_MARGINS["left"], rightMargin=_MARGINS["right"],
    )
    story: list[object] = []
    for kind, item in _blocks(report):
        if kind == "table":
            assert isinstance(item, list)
            widths = _col_widths(len(item[0]), doc.width, wrap_labels)
            splittable = len(item[0]) == 10  # Table B crosses a page break; A and C move to the next page whole
            story += [Spacer(1, 6), _grid_flowable(item, widths, wrap_labels, splittable), Spacer(1, 10)]
        elif kind == "title":
            story.append(Paragraph(xml_escape(str(item)), title_style))
        else:
            story.append(Paragraph(xml_escape(str(item)), heading if kind == "heading" else body))

    pages = [0]

    def on_page(canvas: object, document: object) -> None:
        pages[0] = canvas.getPageNumber()  # type: ignore[attr-defined]
        if footer:
            canvas.saveState()  # type: ignore[attr-defined]
            canvas.setFont(FONT_NAME, 14)  # type: ignore[attr-defined]
            canvas.drawCentredString(A4[0] / 2, 20 * _MM, f"— {pages[0]} —")  # type: ignore[attr-defined]
            canvas.restoreState()  # type: ignore[attr-defined]

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return SourceFile(path=Path(path).name, kind="pdf", pages=pages[0])


# ---------------------------------------------------------------------------------------------
# By suffix
# ---------------------------------------------------------------------------------------------


def render(report: Report, path: str | Path, **options: object) -> SourceFile:
    """Render by the file suffix: .txt, .md, .html/.htm, .docx, .pdf (options go to that renderer)."""
    suffix = Path(path).suffix.lower()
    renderers: dict[str, Callable[..., SourceFile]] = {
        ".txt": render_txt, ".md": render_md, ".html": render_html, ".htm": render_html,
        ".docx": render_docx, ".pdf": render_pdf,
    }
    if suffix not in renderers:
        raise ValueError(f"no renderer for {suffix!r} (txt, md, html, docx, pdf)")
    return renderers[suffix](report, path, **options)
