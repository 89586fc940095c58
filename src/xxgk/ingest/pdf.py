"""Read a PDF with a text layer into a Document: lines of words with boxes, ruled tables as Grids.

Per page: fake-bold duplicates are removed, page-number lines are dropped (also inside tables),
ruled tables found by pdfplumber become ``Grid`` blocks (merged cells as spans) and every other
character ends up in a ``Line``. A table that ends one page and continues at the top of the next
is joined into one Grid. Pages without a usable text layer raise ``NeedsOCR`` unless the readable
pages still hold the tables.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfplumber.utils import extract_words

from ..document import Document, Grid, Line, Page, Span, Word
from ..errors import CorruptFile, EncryptedFile, InputError, NeedsOCR
from ..models import Box

Char = dict[str, Any]
OCRPages = Callable[[Path, bytes, list[int]], tuple[dict[int, Page], list[str]]]  # page numbers → pages read, notes

# Words: chars closer than this (points) stay one word; table columns are far wider apart.
WORD_SETTINGS: dict[str, Any] = {"x_tolerance": 3, "y_tolerance": 3, "keep_blank_chars": False}
# Ruled tables only: text-aligned "tables" are left to the parser as lines.
TABLE_SETTINGS: dict[str, Any] = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
EDGE_TOL = 2.5  # points: cell edges closer than this are the same grid line
JOIN_TOL = 4.0  # points: column edges of a table continued on the next page
MARGIN = 0.1  # share of page height at top and bottom where bare page numbers sit
BAD_SHARE = 0.3  # share of garbage glyphs that makes a text layer unusable
MAX_COLS = 40  # more columns than this is not a report table but a failed detection

_DASH = "-—–－―~～一_"
_PAGE_DASHED = re.compile(rf"^[{_DASH}]+\d{{1,4}}[{_DASH}]+$")
_PAGE_WORDED = re.compile(r"^第\d{1,4}页(共\d{1,4}页)?$|^\d{1,4}/\d{1,4}$|^[Pp]age\d{1,4}(of\d{1,4})?$")
_PAGE_BARE = re.compile(r"^\d{1,4}$")
_CID = re.compile(r"^\(cid:\d+\)$")


def _is_cjk(ch: str) -> bool:
    """CJK ideographs and full-width punctuation: no spaces between them."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F  # CJK punctuation
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or ch in "“”‘’—…·"
    )


def _is_garbage(text: str) -> bool:
    """A glyph without a real code point: ``(cid:NNN)``, private use or U+FFFD."""
    if _CID.match(text):
        return True
    return any(0xE000 <= ord(c) <= 0xF8FF or c == "\ufffd" for c in text)


def _box(obj: dict[str, Any] | tuple[float, float, float, float]) -> Box:
    if isinstance(obj, tuple):
        x0, top, x1, bottom = obj
        return Box(x0=round(x0, 2), top=round(top, 2), x1=round(x1, 2), bottom=round(bottom, 2))
    return Box(x0=round(obj["x0"], 2), top=round(obj["top"], 2), x1=round(obj["x1"], 2), bottom=round(obj["bottom"], 2))


def _union(boxes: list[Box]) -> Box:
    return Box(
        x0=min(b.x0 for b in boxes),
        top=min(b.top for b in boxes),
        x1=max(b.x1 for b in boxes),
        bottom=max(b.bottom for b in boxes),
    )


# ---------------------------------------------------------------- words and lines


def _words(chars: list[Char]) -> list[dict[str, Any]]:
    """Words (with their chars) from a list of chars."""
    if not chars:
        return []
    return [w for w in extract_words(chars, return_chars=True, **WORD_SETTINGS) if w["text"].strip()]


def _group_lines(words: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Words grouped into lines by vertical centre, tolerant of mixed font sizes on one baseline."""
    rows: list[tuple[float, float, list[dict[str, Any]]]] = []  # (centre, height, words)
    for w in sorted(words, key=lambda w: (w["top"] + w["bottom"]) / 2):
        c, h = (w["top"] + w["bottom"]) / 2, max(w["bottom"] - w["top"], 1.0)
        if rows and abs(c - rows[-1][0]) <= 0.5 * min(h, rows[-1][1]):
            rc, rh, ws = rows[-1]
            ws.append(w)
            rows[-1] = ((rc * (len(ws) - 1) + c) / len(ws), rh, ws)
        else:
            rows.append((c, h, [w]))
    return [sorted(ws, key=lambda w: w["x0"]) for _, _, ws in rows]


def _size(w: dict[str, Any]) -> float:
    return max(w["bottom"] - w["top"], 1.0)


def _join_words(ws: list[dict[str, Any]]) -> str:
    """One line's text: CJK split by a small gap is rejoined, a wide gap becomes one space."""
    out = ws[0]["text"]
    for a, b in zip(ws, ws[1:]):
        gap = b["x0"] - a["x1"]
        tight = gap < 0.5 * min(_size(a), _size(b))
        out += ("" if tight and _is_cjk(a["text"][-1]) and _is_cjk(b["text"][0]) else " ") + b["text"]
    return out


def _join_lines(texts: list[str]) -> str:
    """Wrapped text (in a cell): no space where either side of the break is CJK."""
    out = ""
    for t in texts:
        if out and not (_is_cjk(out[-1]) or _is_cjk(t[0])):
            out += " "
        out += t
    return out


def _make_line(ws: list[dict[str, Any]]) -> Line:
    boxes = [_box(w) for w in ws]
    return Line(
        text=_join_words(ws),
        box=_union(boxes),
        words=[Word(text=w["text"], box=b) for w, b in zip(ws, boxes)],
    )


def _cell_text(chars: list[Char]) -> str:
    return _join_lines([_join_words(ws) for ws in _group_lines(_words(chars))])


# ---------------------------------------------------------------- page numbers


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _compact(run: list[dict[str, Any]]) -> bool:
    """Words set close together, as one printed token (``- 3 -``), not cells of a table row."""
    return all(b["x0"] - a["x1"] < _size(a) for a, b in zip(run, run[1:]))


def _page_number_words(
    lines: list[list[dict[str, Any]]], height: float, tables: list[Box]
) -> list[tuple[list[dict[str, Any]], str]]:
    """Runs of words that are a printed page number, with their text.

    A dashed number (``— 5 —``, ``-3-``) is dropped anywhere, even in the middle of a table or a
    line; ``第 3 页``, ``3/7`` or a bare number only when it is alone on a line in the top or
    bottom margin, outside any table (a table's last row may reach into the margin).
    """
    found: list[tuple[list[dict[str, Any]], str]] = []
    for ws in lines:
        top, bottom = min(w["top"] for w in ws), max(w["bottom"] for w in ws)
        in_margin = bottom < height * MARGIN or top > height * (1 - MARGIN)
        in_table = any(b.top <= top and bottom <= b.bottom for b in tables)
        whole = _flat(" ".join(w["text"] for w in ws))
        if in_margin and not in_table and (_PAGE_WORDED.match(whole) or _PAGE_BARE.match(whole)):
            found.append((ws, _join_words(ws)))
            continue
        i = 0
        while i < len(ws):
            for n in (3, 2, 1):
                run = ws[i : i + n]
                if len(run) < n or not _compact(run) or not _PAGE_DASHED.match(_flat("".join(w["text"] for w in run))):
                    continue
                # a dashed number glued to other text is content (e.g. a range), not a footer
                before = ws[i - 1]["x1"] if i else None
                after = ws[i + n]["x0"] if i + n < len(ws) else None
                em = _size(run[0])
                if (before is None or run[0]["x0"] - before > em) and (after is None or after - run[-1]["x1"] > em):
                    found.append((run, _join_words(run)))
                    i += n - 1
                    break
            i += 1
    return found


# ---------------------------------------------------------------- tables


@dataclass
class _Piece:
    """The part of a ruled table on one page: its cells (page coordinates) and their texts."""

    page: int
    bbox: Box
    cells: list[tuple[Box, str]]
    xs: list[float] = field(default_factory=list)  # distinct column edges


def _cluster(values: list[float], tol: float = EDGE_TOL) -> list[float]:
    """Distinct positions: values closer than ``tol`` are one edge (their mean)."""
    groups: list[list[float]] = []
    for v in sorted(values):
        if groups and v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [sum(g) / len(g) for g in groups]


def _index(edges: list[float], v: float) -> int:
    return min(range(len(edges)), key=lambda i: abs(edges[i] - v))


def _x_edges(cells: list[tuple[Box, str]]) -> list[float]:
    return _cluster([c.x0 for c, _ in cells] + [c.x1 for c, _ in cells])


def _build_grid(pieces: list[_Piece]) -> Grid:
    """One Grid from the pieces of a table; rows follow each other down the pages."""
    placed: list[tuple[Box, Box, str, int]] = []  # (box on a virtual tall page, real box, text, page)
    offset = 0.0
    ref: list[float] = []  # column edges seen so far: a continued page may be shifted a few points

    def snap(x: float) -> float:
        near = min(ref, key=lambda e: abs(e - x), default=x)
        return near if abs(near - x) <= JOIN_TOL else x

    for pc in pieces:
        shift = offset - pc.bbox.top
        for b, t in pc.cells:
            virtual = Box(x0=snap(b.x0), top=b.top + shift, x1=snap(b.x1), bottom=b.bottom + shift)
            placed.append((virtual, b, t, pc.page))
        offset += pc.bbox.bottom - pc.bbox.top + 10.0  # a gap keeps the pieces' edges apart
        ref = _cluster(ref + [v.x0 for v, *_ in placed] + [v.x1 for v, *_ in placed])
    xs = _cluster([v.x0 for v, *_ in placed] + [v.x1 for v, *_ in placed])
    ys = _cluster([v.top for v, *_ in placed] + [v.bottom for v, *_ in placed])
    n_rows, n_cols = max(len(ys) - 1, 1), max(len(xs) - 1, 1)
    rows = [[""] * n_cols for _ in range(n_rows)]
    boxes: list[list[Box | None]] = [[None] * n_cols for _ in range(n_rows)]
    row_pages: list[int | None] = [None] * n_rows
    spans: list[Span] = []
    for v, real, text, page in sorted(placed, key=lambda p: (p[0].top, p[0].x0)):
        r0, r1 = _index(ys, v.top), _index(ys, v.bottom)
        c0, c1 = _index(xs, v.x0), _index(xs, v.x1)
        if r1 <= r0 or c1 <= c0 or boxes[r0][c0] is not None:
            continue  # a degenerate or overlapping cell
        rows[r0][c0] = text
        for r in range(r0, r1):
            row_pages[r] = row_pages[r] or page
            for c in range(c0, c1):
                boxes[r][c] = real
        if r1 - r0 > 1 or c1 - c0 > 1:
            spans.append(Span(row=r0, col=c0, rowspan=r1 - r0, colspan=c1 - c0))
    # a row of the gap between two pieces (no cell in it) is no row of the table
    keep = [r for r in range(n_rows) if row_pages[r] is not None]
    if len(keep) < n_rows:
        remap = {old: new for new, old in enumerate(keep)}
        rows = [rows[r] for r in keep]
        boxes = [boxes[r] for r in keep]
        spans = [
            s.model_copy(update={"row": remap[s.row], "rowspan": sum(s.row <= r < s.row + s.rowspan for r in keep)})
            for s in spans
        ]
        row_pages = [row_pages[r] for r in keep]
    pages = [p or pieces[0].page for p in row_pages]
    return Grid(
        rows=rows,
        spans=spans,
        page=pieces[0].page,
        boxes=boxes,
        pages=pages if len({pc.page for pc in pieces}) > 1 else None,
    )


def _inside(c: Char, b: Box) -> bool:
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return b.x0 <= x <= b.x1 and b.top <= y <= b.bottom


def _slot(c: Char, xs: list[float], ys: list[float]) -> Box | None:
    """The grid slot (between neighbouring edges) holding a char's centre."""
    x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    col = next((i for i in range(len(xs) - 1) if xs[i] <= x <= xs[i + 1]), None)
    row = next((i for i in range(len(ys) - 1) if ys[i] <= y <= ys[i + 1]), None)
    if col is None or row is None:
        return None
    return Box(x0=round(xs[col], 2), top=round(ys[row], 2), x1=round(xs[col + 1], 2), bottom=round(ys[row + 1], 2))


def _backdrop(page_width: float) -> Any:
    """A filter keeping objects other than text-line backdrops.

    WPS draws an unstroked white rectangle behind each line of body text; stacked, they look like
    a one-column ruled table glued to the real table below. Table cells are drawn the same way,
    but they are narrower than the text width, so only wide white strips are dropped.
    """

    def keep(obj: dict[str, Any]) -> bool:
        if obj.get("object_type") != "rect" or obj.get("stroke"):
            return True
        if obj["x1"] - obj["x0"] < 0.6 * page_width:
            return True
        colour = obj.get("non_stroking_color")
        if isinstance(colour, (int, float)):
            colour = (colour,)
        white = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}
        try:
            is_white = colour is None or tuple(float(v) for v in colour) in white
        except (TypeError, ValueError):  # a pattern colour: drawn
            is_white = False
        return bool(obj.get("fill")) and not is_white

    return keep


def _find_tables(page: Any) -> list[Any]:
    """pdfplumber's ruled tables, with text-line backdrops ignored."""
    return list(page.filter(_backdrop(float(page.width))).find_tables(TABLE_SETTINGS))


def _tables(found: list[Any], chars: list[Char], number: int, notes: list[str]) -> tuple[list[_Piece], list[Char]]:
    """Ruled tables of a page as pieces; returns them with the chars that are in no cell."""
    pieces: list[_Piece] = []
    free = list(chars)
    for t in found:
        cell_boxes = [_box(tuple(c)) for c in t.cells]
        if not cell_boxes:
            continue
        xs = _cluster([b.x0 for b in cell_boxes] + [b.x1 for b in cell_boxes])
        if len(xs) - 1 < 2:
            continue  # one column: shaded text boxes or a frame, not a table
        bbox = _box(tuple(t.bbox))
        inside = [c for c in free if _inside(c, bbox)]
        assigned: list[list[Char]] = [[c for c in inside if _inside(c, b)] for b in cell_boxes]
        in_cells = {id(c) for cs in assigned for c in cs}
        lost = sum(1 for c in inside if id(c) not in in_cells)
        if len(xs) - 1 > MAX_COLS or (inside and lost > 0.5 * len(inside)):
            notes.append(f"第{number}页：表格结构识别不可靠，该区域按文字行读取 (unreliable table; read as lines)")
            continue
        # text in a slot pdfplumber left without a cell (a missing rule) goes to that slot
        ys = _cluster([b.top for b in cell_boxes] + [b.bottom for b in cell_boxes])
        for c in inside:
            if id(c) in in_cells:
                continue
            slot = _slot(c, xs, ys)
            if slot is not None:
                if slot not in cell_boxes:
                    cell_boxes.append(slot)
                    assigned.append([])
                assigned[cell_boxes.index(slot)].append(c)
                in_cells.add(id(c))
        cells = [(b, _cell_text(cs)) for b, cs in zip(cell_boxes, assigned)]
        pieces.append(_Piece(page=number, bbox=bbox, cells=cells, xs=xs))
        free = [c for c in free if id(c) not in in_cells]
    return pieces, free


def _continues(a: _Piece, b: _Piece) -> bool:
    """Whether ``b`` (top of the next page) continues table ``a`` (bottom of this page)."""
    if abs(a.xs[0] - b.xs[0]) > JOIN_TOL or abs(a.xs[-1] - b.xs[-1]) > JOIN_TOL:
        return False

    def within(small: list[float], big: list[float]) -> bool:
        return all(any(abs(s - g) <= JOIN_TOL for g in big) for s in small)

    # the same columns, or one part's column lines a subset of the other's (merged cells)
    return within(a.xs, b.xs) or within(b.xs, a.xs)


# ---------------------------------------------------------------- pages


def _text_layer(page: Any, chars: list[Char]) -> Literal["ok", "blank", "scan"]:
    """Whether the page has a usable text layer, is simply blank, or needs OCR."""
    area = float(page.width * page.height) or 1.0
    covered = sum(abs((i["x1"] - i["x0"]) * (i["bottom"] - i["top"])) for i in page.images)
    if not chars:
        return "scan" if page.images else "blank"
    bad = sum(1 for c in chars if _is_garbage(c["text"]))
    if bad > BAD_SHARE * len(chars):
        return "scan"
    # a scan with a few stray characters (a stamped page number) is still a scan
    return "scan" if len(chars) < 10 and covered > 0.5 * area else "ok"


def _top(item: Line | _Piece) -> float:
    if isinstance(item, Line):
        return item.box.top if item.box else 0.0
    return item.bbox.top


def _text(item: Line | _Piece) -> str:
    return item.text if isinstance(item, Line) else "".join(t for _, t in item.cells)


def _read_page(page: Any, notes: list[str]) -> tuple[Page, list[Line | _Piece], str]:
    """One page: its items (lines and table pieces) in vertical order, and its text layer's state."""
    number = page.page_number
    out = Page(number=number, width=float(page.width), height=float(page.height))
    p = page.dedupe_chars()
    chars = list(p.chars)  # spaces stay: they mark word boundaries
    state = _text_layer(page, [c for c in chars if c["text"].strip()])
    if state != "ok":
        return out, [], state
    words = _words(chars)
    dropped: set[int] = set()
    found = _find_tables(p)
    regions = [_box(tuple(t.bbox)) for t in found]
    for run, text in _page_number_words(_group_lines(words), float(page.height), regions):
        notes.append(f"第{number}页：删除页码“{text}” (dropped page number)")
        dropped.update(id(c) for w in run for c in w["chars"])
    chars = [c for c in chars if id(c) not in dropped]
    pieces, free = _tables(found, chars, number, notes)
    lines = [_make_line(ws) for ws in _group_lines(_words(free))]
    items: list[Line | _Piece] = [*lines, *pieces]
    items.sort(key=_top)
    return out, items, state


def _open(path: Path, data: bytes) -> Any:
    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as e:  # pdfplumber wraps pdfminer's errors in PdfminerException
        cause = e.args[0] if e.args and isinstance(e.args[0], Exception) else e
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise EncryptedFile("PDF有密码保护，无法读取 (password-protected PDF)", path) from e
        raise CorruptFile(f"PDF文件已损坏，无法打开 (damaged PDF: {type(cause).__name__})", path) from e


def read_pdf(path: str | Path, data: bytes, ocr: OCRPages | None = None) -> Document:
    """Read a text-layer PDF into a Document; raise ``NeedsOCR`` when it has no usable text layer.

    With ``ocr`` (see ``image.ocr_pdf_pages``), pages without a usable text layer are read by OCR
    instead (all-blank PDFs too: their text may be drawn as outlines).
    """
    path = Path(path)
    doc = Document(path=str(path), kind="pdf")
    pages: list[Page] = []
    page_items: list[list[Line | _Piece]] = []
    states: list[str] = []
    pdf = _open(path, data)
    try:
        with pdf:
            if not pdf.pages:
                raise CorruptFile("PDF中没有页面 (no pages)", path)
            for page in pdf.pages:
                pg, items, state = _read_page(page, doc.notes)
                pages.append(pg)
                page_items.append(items)
                states.append(state)
    except InputError:
        raise
    except Exception as e:  # a damaged page stream surfaces only when the page is read
        raise CorruptFile(f"PDF文件已损坏，无法读取 (damaged PDF: {type(e).__name__})", path) from e
    need = [n for n, s in enumerate(states, 1) if s == "scan" or (s == "blank" and "ok" not in states)]
    if ocr is not None and need:
        ocr_pages, ocr_notes = ocr(path, data, need)
        for n in need:
            read = ocr_pages.get(n)
            page_items[n - 1] = [b for b in read.blocks if isinstance(b, Line)] if read else []
            pages[n - 1].turned = read.turned if read else 0
            states[n - 1] = "ok" if page_items[n - 1] else "blank"
        doc.notes.extend(ocr_notes)
    _check_text_layer(path, page_items, states, doc.notes)
    _assemble(pages, page_items, doc.notes)
    doc.pages = pages
    return doc


def _check_text_layer(path: Path, items: list[list[Line | _Piece]], states: list[str], notes: list[str]) -> None:
    """Raise NeedsOCR unless the readable pages are enough (they hold Table B's rows)."""

    def listed(pages: list[int]) -> str:
        return "、".join(str(n) for n in pages)

    scans = [n for n, s in enumerate(states, 1) if s == "scan"]
    blanks = [n for n, s in enumerate(states, 1) if s == "blank"]
    if "ok" not in states:
        missing = scans + blanks
        raise NeedsOCR(f"该PDF没有可用的文字层，需要OCR（第{listed(missing)}页）(no usable text layer; OCR needed)", path, missing)
    if blanks:
        notes.append(f"第{listed(blanks)}页为空白页 (blank pages)")
    if scans:
        if "本年新收" not in _flat("".join(_text(it) for its in items for it in its)):
            raise NeedsOCR(
                f"该PDF第{listed(scans)}页没有可用的文字层，需要OCR（表格不在可读的页面上）(pages need OCR)", path, scans
            )
        notes.append(f"第{listed(scans)}页没有可用的文字层，已跳过 (pages without a text layer skipped)")


def _assemble(pages: list[Page], page_items: list[list[Line | _Piece]], notes: list[str]) -> None:
    """Turn items into blocks, joining a table that runs on at the top of the next page."""
    chains: dict[int, list[_Piece]] = {}  # id of the first piece -> the pieces of its table
    owner: dict[int, int] = {}  # id of a piece -> id of its chain's first piece
    for i in range(len(page_items) - 1):
        here, nxt = page_items[i], page_items[i + 1]
        if here and nxt and isinstance(here[-1], _Piece) and isinstance(nxt[0], _Piece):
            a, b = here[-1], nxt[0]
            if _continues(a, b):
                head = owner.get(id(a), id(a))
                chains.setdefault(head, [a]).append(b)
                owner[id(b)] = head
                notes.append(f"第{a.page}页与第{b.page}页的表格已合并为一个表格 (table joined across pages)")
    for pg, items in zip(pages, page_items):
        for it in items:
            if isinstance(it, Line):
                pg.blocks.append(it)
            elif id(it) not in owner:
                pg.blocks.append(_build_grid(chains.get(id(it), [it])))
