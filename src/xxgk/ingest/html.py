"""Saved web pages as a one-page Document: body text as ``Line``s, report tables as ``Grid``s.

The page is decoded with its declared charset in mind (government pages are often GBK), page
chrome is removed (scripts, styles, ``<nav>``, page ``<header>``/``<footer>``, elements whose
id/class names a menu, breadcrumb or share bar, hidden elements), then the body is walked in
document order. A ``<table>`` that wraps other tables or whole paragraphs is page layout and is
walked like any other container; every other ``<table>`` becomes a rectangular Grid with rowspan
and colspan expanded. An element that holds report content is never removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup
from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

from ..document import Block, Document, Grid, Line, Page, Span
from ..errors import CorruptFile
from .encoding import decode

META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9_\-:.]+)""", re.I)

# Never page content.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "select", "button",
             "svg", "canvas", "map", "audio", "video", "link", "meta", "head", "title")
# Page chrome by element name; an article's own <header>/<footer> (its title, its date) is kept.
CHROME_TAGS = ("nav", "header", "footer", "aside")
# id/class words of menus, breadcrumbs (当前位置 = dqwz/position), share bars and page footers.
CHROME_SUBSTRINGS = ("nav", "menu", "breadcrumb", "crumb", "bdshare", "jiathis", "sharebar", "share-bar",
                     "sidebar", "side-bar", "topbar", "toolbar", "copyright", "friendlink")
CHROME_WORDS = frozenset(
    "share position location dqwz wzdh yqlj skip search login footer foot bottom header head top tool tools".split()
)
# CSS utility classes (Bootstrap and the like) that contain those words but say nothing about content.
UTILITY_PREFIXES = ("border", "align", "fixed", "rounded", "position-", "sticky", "text-", "float-", "justify",
                    "d-", "flex", "m-", "mt-", "mb-", "p-", "pt-", "pb-", "top-", "bottom-0", "has-")
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# Text that marks an element as report content, which must survive any cleaning.
REPORT_MARKERS = ("本年新收", "信息内容", "主动公开政府信息情况", "收到和处理政府信息公开申请", "行政复议、行政诉讼")

BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd section article main blockquote address center tr td th "
    "caption figure figcaption hr form fieldset legend body html table tbody thead tfoot details summary".split()
)
CJK_CHAR = r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]"
# Source-code line breaks next to a CJK character: an artefact of the HTML editor, not a space.
CJK_BREAK = re.compile(rf"(?<={CJK_CHAR})[ \t\r\f\v]*\n\s*|[ \t\r\f\v]*\n\s*(?={CJK_CHAR})")
SPACES = re.compile(r"\s+")
# A cell with this much text spread over several paragraphs is page layout, not a report table cell.
LAYOUT_CELL_CHARS = 200


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in ``<meta charset>``, ``http-equiv`` content-type or an XML prolog."""
    head = data[:16384]
    m = META_CHARSET.search(head) or XML_ENCODING.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def fold(text: str) -> str:
    """Text with editor line breaks next to CJK removed and other whitespace folded to one space."""
    return SPACES.sub(" ", CJK_BREAK.sub("", text.replace("\xa0", " "))).strip()


HEADER_WORDS = frozenset({"header", "head", "top"})


def _has_title(el: Tag) -> bool:
    """Whether an element shows a report title as plain text (a menu only links to reports)."""
    return any("报告" in s and s.find_parent("a") is None for s in el.find_all(string=True))


def _is_protected(el: Tag, why: str) -> bool:
    """Whether an element chosen as chrome holds report content and must stay."""
    text = el.get_text(" ")
    if any(m in text for m in REPORT_MARKERS):
        return True
    # A page header may carry the report title; breadcrumbs and menus may only mention it.
    header = why in ("<header>", "[hidden]") or bool(set(re.split(r"[-_.\s]", why)) & HEADER_WORDS)
    return header and _has_title(el)


def _is_chrome(el: Tag) -> str | None:
    """Why an element is page chrome (its tag, class or id), or None."""
    if el.name in CHROME_TAGS:
        if el.name in ("header", "footer") and el.find_parent(["article", "main"]) is not None:
            return None
        return f"<{el.name}>"
    tokens = [t.lower() for t in [*(el.get("class") or []), str(el.get("id") or "")] if t]
    for token in tokens:
        if token.startswith(UTILITY_PREFIXES):
            continue
        words = {w.rstrip("0123456789") for w in re.split(r"[-_]", token)}
        if any(s in token for s in CHROME_SUBSTRINGS) or words & CHROME_WORDS:
            return f"{el.name}.{token}"
    if el.has_attr("hidden") or HIDDEN_STYLE.search(str(el.get("style") or "")):
        return "[hidden]"
    return None


_DROP_SET = frozenset(DROP_TAGS)
_NON_CONTENT_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)


def _tags(root: Tag, skip: frozenset[str] = frozenset()) -> list[Tag]:
    """The tags under ``root`` in document order, not descending into tags named in ``skip``."""
    out: list[Tag] = []
    stack = [iter(root.contents)]
    while stack:
        for child in stack[-1]:
            if isinstance(child, Tag):
                out.append(child)
                if child.name not in skip:
                    stack.append(iter(child.contents))
                break
        else:
            stack.pop()
    return out


def remove_chrome(soup: BeautifulSoup) -> list[str]:
    """Remove scripts, navigation and other page chrome in place; the removed elements, described."""
    # comments, doctypes and the like, then non-content elements (one pass each, in document order)
    for el in [d for d in soup.descendants if isinstance(d, _NON_CONTENT_STRINGS)]:
        el.extract()
    for el in [t for t in _tags(soup, _DROP_SET) if t.name in _DROP_SET]:
        el.decompose()
    removed: list[str] = []
    # pre-order: an element is judged before its descendants, which go with it when it is removed
    stack = [list(soup.contents)[::-1]]
    while stack:
        if not stack[-1]:
            stack.pop()
            continue
        el = stack[-1].pop()
        if not isinstance(el, Tag):
            continue
        if el.name not in ("html", "body"):
            why = _is_chrome(el)
            if why and not _is_protected(el, why):
                removed.append(why)
                el.decompose()
                continue
        stack.append(list(el.contents)[::-1])
    return removed


def _own_rows(table: Tag) -> list[Tag]:
    # the <tr>s of this table, not of tables nested in it
    return [tr for tr in _tags(table, frozenset(("table",))) if tr.name == "tr"]


def _own_cells(tr: Tag) -> list[Tag]:
    return [c for c in tr.contents if isinstance(c, Tag) and c.name in ("td", "th")]


def _span(value: object) -> int:
    m = re.match(r"\s*(\d+)", str(value or ""))
    return min(int(m.group(1)), 1000) if m else 1


def cell_text(cell: Tag) -> str:
    """A cell's text: pieces separated by ``<br>`` or paragraphs joined with nothing (labels wrap)."""
    pieces: list[str] = []
    current: list[str] = []

    def visit(el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                current.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br" or child.name in BLOCK_TAGS:
                    pieces.append("".join(current))
                    current.clear()
                    visit(child)
                    pieces.append("".join(current))
                    current.clear()
                else:
                    visit(child)

    visit(cell)
    pieces.append("".join(current))
    return "".join(fold(p) for p in pieces)


def _is_layout(table: Tag, rows: list[Tag]) -> bool:
    """Whether a table is page layout (wraps tables, or whole paragraphs of text) rather than data."""
    if any(isinstance(d, Tag) and d.name == "table" for d in table.descendants):
        return True
    cells = [c for tr in rows for c in _own_cells(tr)]
    if len(cells) <= 1:
        return True
    for c in cells:
        blocks = 0
        for d in c.descendants:
            if isinstance(d, Tag) and d.name in _LAYOUT_BLOCKS:
                blocks += 1
                if blocks >= 2:
                    break
        if blocks >= 2 and len(c.get_text(strip=True)) > LAYOUT_CELL_CHARS:
            return True
    return False


_LAYOUT_BLOCKS = frozenset(("p", "div", "h1", "h2", "h3", "h4", "li", "br"))


def compact(anchors: dict[tuple[int, int], str], spans: list[Span], n_rows: int, n_cols: int) -> Grid:
    """A Grid from anchor texts and spans, dropping rows and columns in which no cell starts."""
    inside = [(r, c) for r, c in anchors if 0 <= r < n_rows and 0 <= c < n_cols]
    rows_used = {r for r, _ in inside}
    cols_used = {c for _, c in inside}
    keep_r = [r for r in range(n_rows) if r in rows_used]
    keep_c = [c for c in range(n_cols) if c in cols_used]
    new_r = {r: i for i, r in enumerate(keep_r)}
    new_c = {c: i for i, c in enumerate(keep_c)}
    rows = [[anchors.get((r, c), "") for c in keep_c] for r in keep_r]
    out: list[Span] = []
    for s in spans:
        rs = sum(1 for r in range(s.row, s.row + s.rowspan) if r in new_r)
        cs = sum(1 for c in range(s.col, s.col + s.colspan) if c in new_c)
        if rs > 1 or cs > 1:
            out.append(Span(row=new_r[s.row], col=new_c[s.col], rowspan=rs, colspan=cs))
    return Grid(rows=rows, spans=out)


def table_grid(table: Tag, rows: list[Tag] | None = None) -> Grid:
    """A data table as a rectangular Grid: text at each merged cell's top-left, spans recorded."""
    trs = rows if rows is not None else _own_rows(table)
    taken: set[tuple[int, int]] = set()
    anchors: dict[tuple[int, int], str] = {}
    spans: list[Span] = []
    n_cols = 0
    for r, tr in enumerate(trs):
        c = 0
        for td in _own_cells(tr):
            while (r, c) in taken:
                c += 1
            rowspan = _span(td.get("rowspan"))
            colspan = max(1, _span(td.get("colspan")))
            if rowspan == 0:  # HTML: rowspan=0 spans to the end of the table section
                rowspan = len(trs) - r
            rowspan = max(1, min(rowspan, len(trs) - r))
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken.add((r + dr, c + dc))
            anchors[(r, c)] = cell_text(td)
            if rowspan > 1 or colspan > 1:
                spans.append(Span(row=r, col=c, rowspan=rowspan, colspan=colspan))
            c += colspan
            n_cols = max(n_cols, c)
    return compact(anchors, spans, len(trs), n_cols)


class _Walker:
    """Turns the cleaned body into blocks in document order."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.layout_tables = 0

    def flush(self) -> None:
        text = fold("".join(self.buffer))
        self.buffer.clear()
        if text:
            self.blocks.append(Line(text=text))

    def walk(self, el: Tag) -> None:
        for child in el.children:
            if isinstance(child, NavigableString):
                self.buffer.append(str(child))
            elif isinstance(child, Tag):
                self.visit(child)

    def visit(self, el: Tag) -> None:
        if el.name == "br":
            self.flush()
        elif el.name == "table":
            self.flush()
            self.table(el)
        elif el.name == "pre":
            self.flush()
            for line in el.get_text().replace("\r", "").split("\n"):
                if line.strip():
                    self.blocks.append(Line(text=line, cells=line.split("\t") if "\t" in line else None))
        elif el.name in BLOCK_TAGS:
            self.flush()
            self.walk(el)
            self.flush()
        else:
            self.walk(el)

    def table(self, el: Tag) -> None:
        rows = _own_rows(el)
        if _is_layout(el, rows):
            self.layout_tables += 1
            self.walk(el)
            self.flush()
            return
        for caption in el.find_all("caption", recursive=False):
            self.visit(caption)
        grid = table_grid(el, rows)
        if any(t for r in grid.rows for t in r):
            self.blocks.append(grid)


def read_html(path: str | Path, data: bytes) -> Document:
    """Read a saved web page into a one-page Document of lines and grids."""
    text, encoding = decode(data, path, declared_charset(data))
    try:
        soup = BeautifulSoup(text, "lxml")
    except Exception as exc:  # lxml refuses only truly broken input
        raise CorruptFile(f"无法解析网页 (cannot parse HTML): {exc}", path) from exc
    removed = remove_chrome(soup)
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    notes: list[str] = []
    if removed:
        shown = "、".join(removed[:8]) + (" …" if len(removed) > 8 else "")
        notes.append(f"已移除网页导航等非正文元素 {len(removed)} 个 (removed page chrome): {shown}")
    if walker.layout_tables:
        notes.append(f"{walker.layout_tables} 个排版用表格按正文读取 (layout tables read as text)")
    return Document(path=str(path), kind="html", pages=[Page(number=1, blocks=walker.blocks)],
                    encoding=encoding, notes=notes)
