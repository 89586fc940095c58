"""Word (.docx) files as a one-page Document: paragraphs as ``Line``s, tables as ``Grid``s, in body order.

The body XML is walked directly (python-docx opens the package) because ``row.cells`` repeats a
merged cell once per slot it covers: here a horizontal merge (``w:gridSpan``) and a vertical merge
(``w:vMerge`` restart / continue) become one anchor and one ``Span``. A table that holds other
tables, or a single cell, is page layout: its content is read as if it were body content. Old
binary ``.doc``, RTF and encrypted files are recognised and refused with a clear message.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from lxml import etree

from ..document import Block, Document, Line, Page, Span
from ..errors import CorruptFile, EncryptedFile, UnsupportedFileType
from .html import LAYOUT_CELL_CHARS, compact

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Elements that only wrap content (content controls, custom XML, smart tags, tracked insertions).
WRAPPERS = frozenset({W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo",
                      W + "hyperlink", W + "fldSimple", W + "r", W + "dir", W + "bdo"})
# Content that is not shown: deleted text, the fallback copy of alternate content, ruby annotations.
SKIPPED = frozenset({W + "del", W + "moveFrom", MC + "Fallback", W + "rt", W + "pPr", W + "rPr", W + "sdtPr",
                     W + "instrText", W + "delText"})
SPACES = re.compile(r"[^\S\t]+")


def _val(el: etree._Element | None, default: str | None = None) -> str | None:
    return default if el is None else el.get(W + "val", default)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def refuse_non_docx(path: str | Path, data: bytes) -> None:
    """Raise a clear error for files that are not a readable .docx package."""
    if data.startswith(CFB_MAGIC):
        if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
            raise EncryptedFile("Word 文件已加密，请先取消密码后另存为 .docx (password-protected document)", path)
        raise UnsupportedFileType(
            "这是旧版 Word (.doc) 或其他 OLE 格式文件，请用 Word 或 WPS 另存为 .docx 后再读取 (legacy .doc: save as .docx)",
            path,
        )
    if data.lstrip().startswith(b"{\\rtf"):
        raise UnsupportedFileType("这是 RTF 文件，请用 Word 或 WPS 另存为 .docx 后再读取 (RTF: save as .docx)", path)
    if not data.startswith(b"PK"):
        raise CorruptFile("文件已损坏或不是有效的 .docx 文件 (not a .docx package)", path)
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise CorruptFile(f"文件已损坏，无法解压 (damaged .docx: {exc})", path) from exc
    if "word/document.xml" not in names and any(n.startswith(("xl/", "ppt/")) for n in names):
        raise UnsupportedFileType("这是 Excel 或 PowerPoint 文件，不是 Word 文档 (not a Word document)", path)


def inline_text(el: etree._Element, boxes: list[etree._Element]) -> str:
    """The visible text of a paragraph's content; text boxes found inside are appended to ``boxes``."""
    out: list[str] = []
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIPPED:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "txbxContent":
            boxes.append(child)
        else:
            out.append(inline_text(child, boxes))
    return "".join(out)


def paragraph_text(p: etree._Element) -> str:
    """A paragraph's text on one line, for table cells (line breaks dropped: labels wrap)."""
    return SPACES.sub(" ", inline_text(p, []).replace("\n", "").replace("\t", " ")).strip()


def paragraph_lines(p: etree._Element) -> list[Block]:
    """A body paragraph as Lines: one per manual line break, then the text of any text boxes in it."""
    boxes: list[etree._Element] = []
    text = inline_text(p, boxes)
    lines: list[Block] = []
    for part in text.split("\n"):
        part = SPACES.sub(" ", part).strip()
        if part:
            lines.append(Line(text=part, cells=part.split("\t") if "\t" in part else None))
    for box in boxes:
        lines.extend(body_blocks(box))
    return lines


def _children(el: etree._Element, tag: str) -> list[etree._Element]:
    """Children with ``tag``, looking through content controls and custom XML wrappers."""
    out: list[etree._Element] = []
    for child in el:
        if child.tag == tag:
            out.append(child)
        elif child.tag in (W + "sdt", W + "sdtContent", W + "customXml"):
            out.extend(_children(child, tag))
    return out


def cell_text(tc: etree._Element) -> str:
    """A cell's text: its paragraphs joined with nothing (a label wrapped over lines is one label)."""
    return "".join(paragraph_text(p) for p in tc.iter(W + "p"))


def _is_layout(tbl: etree._Element, cells: list[etree._Element]) -> bool:
    if any(True for _ in tbl.iterdescendants(W + "tbl")):
        return True
    if len(cells) <= 1:
        return True
    return any(
        len(list(tc.iter(W + "p"))) >= 2 and len(cell_text(tc)) > LAYOUT_CELL_CHARS for tc in cells
    )


def table_grid(rows: list[etree._Element]) -> Block:
    """A Word table as a Grid: gridSpan and vMerge turned into anchors and spans."""
    anchors: dict[tuple[int, int], str] = {}
    extent: dict[tuple[int, int], list[int]] = {}  # anchor -> [rowspan, colspan]
    open_at: dict[int, tuple[int, int]] = {}  # grid column -> the anchor a vMerge continue extends
    n_cols = 0
    for r, tr in enumerate(rows):
        tr_pr = tr.find(W + "trPr")
        col = int(_val(tr_pr.find(W + "gridBefore") if tr_pr is not None else None, "0") or 0)
        for tc in _children(tr, W + "tc"):
            tc_pr = tc.find(W + "tcPr")
            span = max(1, int(_val(tc_pr.find(W + "gridSpan") if tc_pr is not None else None, "1") or 1))
            vmerge_el = tc_pr.find(W + "vMerge") if tc_pr is not None else None
            vmerge = None if vmerge_el is None else _val(vmerge_el, "continue")
            anchor = open_at.get(col)
            if vmerge == "continue" and anchor is not None and anchor[0] == r - extent[anchor][0]:
                extent[anchor][0] += 1
            else:
                anchors[(r, col)] = cell_text(tc)
                extent[(r, col)] = [1, span]
                open_at[col] = (r, col)
            col += span
            n_cols = max(n_cols, col)
    spans = [Span(row=r, col=c, rowspan=rs, colspan=cs) for (r, c), (rs, cs) in extent.items() if rs > 1 or cs > 1]
    return compact(anchors, spans, len(rows), n_cols)


def table_blocks(tbl: etree._Element) -> list[Block]:
    """A Word table as one Grid, or, for a layout table, the blocks of its cells' content."""
    rows = _children(tbl, W + "tr")
    cells = [tc for tr in rows for tc in _children(tr, W + "tc")]
    if _is_layout(tbl, cells):
        return [b for tc in cells for b in body_blocks(tc)]
    grid = table_grid(rows)
    return [grid] if any(t for r in grid.rows for t in r) else []


def body_blocks(container: etree._Element) -> list[Block]:
    """Paragraphs and tables of a body, cell or text box, in order."""
    blocks: list[Block] = []
    for child in container:
        tag = child.tag
        if tag == W + "p":
            blocks.extend(paragraph_lines(child))
        elif tag == W + "tbl":
            blocks.extend(table_blocks(child))
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "ins", MC + "AlternateContent", MC + "Choice"):
            blocks.extend(body_blocks(child))
    return blocks


def _main_body(data: bytes) -> etree._Element | None:
    """``<w:body>`` of the main document part, read as python-docx reads it (its package reader and
    XML parser) without loading the other parts: styles.xml alone is often hundreds of kB, and
    parsing it took most of the time of opening a .docx. None when anything is unusual; the
    caller then opens the file with python-docx as before (and gets its errors)."""
    import docx  # noqa: F401  (registers python-docx's element classes with its XML parser)
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.pkgreader import PackageReader
    from docx.oxml.document import CT_Document
    from docx.oxml.parser import parse_xml

    reader = PackageReader.from_file(io.BytesIO(data))  # zip, content types, relationship graph
    pkg_rels = [srel for source, srel in reader.iter_srels() if source == "/"]
    main = [srel for srel in pkg_rels if srel.reltype == RT.OFFICE_DOCUMENT]
    if len(main) != 1 or main[0].is_external or len({srel.rId for srel in pkg_rels}) != len(pkg_rels):
        return None
    for partname, content_type, _reltype, blob in reader.iter_sparts():
        if partname == main[0].target_partname:
            if content_type != CT.WML_DOCUMENT_MAIN:
                return None
            root = parse_xml(blob)
            return root.body if isinstance(root, CT_Document) else None
    return None


def read_docx(path: str | Path, data: bytes) -> Document:
    """Read a .docx file into a one-page Document of lines and grids."""
    refuse_non_docx(path, data)
    import docx

    try:
        body = _main_body(data)
    except Exception:  # a damaged package: python-docx below says what is wrong
        body = None
    if body is None:
        try:
            body = docx.Document(io.BytesIO(data)).element.body
        except Exception as exc:  # python-docx raises several types for damaged packages
            raise CorruptFile(f"文件已损坏或不是有效的 Word 文档 (cannot open .docx: {exc})", path) from exc
    blocks = body_blocks(body)
    return Document(path=str(path), kind="docx", pages=[Page(number=1, blocks=blocks)])
