"""Turn a Document's blocks into uniform table rows: tokens with a slot index or an x position.

Every input kind ends up here in one shape, so the table parser has one algorithm:

* ``grid``  — a row of a real table (HTML, DOCX, ruled PDF): one token per slot, ``col`` = slot index;
* ``cells`` — a delimited text row (tabs, Markdown pipes): one token per cell, ``col`` = cell index;
* ``words`` — a PDF line: one token per word, with its x extent;
* ``text``  — a plain line: tokens split on white space.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from ..document import Document, Grid, Line
from ..models import Box
from .numbers import normalize

RowKind = str  # "grid" | "cells" | "words" | "text"


@dataclass
class Tok:
    """One token of a row."""

    text: str
    col: int | None = None  # slot / cell index (grid, cells)
    box: Box | None = None  # words (and grid slots from PDFs)
    covered: bool = False  # a grid slot covered by a merged cell
    confidence: float | None = None  # OCR confidence of the word (None: not OCR'd)

    @property
    def xc(self) -> float | None:
        return (self.box.x0 + self.box.x1) / 2 if self.box else None


@dataclass
class Row:
    """One table-ish row in reading order."""

    kind: RowKind
    toks: list[Tok]
    text: str
    line: int
    page: int
    grid: int | None = None  # id of the grid the row belongs to
    box: Box | None = None
    extra: dict[str, object] = field(default_factory=dict)
    # the row's label/values split, computed once by ``tables.row_values`` (rows are not changed once built)
    values: object = field(default=None, init=False, repr=False, compare=False)


_NUMERIC = re.compile(r"^[+-]?\d[\d,]*(?:\.\d+)?$")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WS = re.compile(r"\s+")


def is_numeric(text: str) -> bool:
    """A token that is a plain number once normalised (NFKC, no separators or spaces)."""
    t = unicodedata.normalize("NFKC", text).replace(" ", "").replace("\u00a0", "")
    return bool(_NUMERIC.match(t)) and not re.match(r"^\d+\.$", t)


def rows_of(doc: Document) -> list[Row]:
    """All rows of the document in reading order."""
    rows: list[Row] = []
    for gi, block in enumerate(doc.blocks()):
        if isinstance(block, Grid):
            rows.extend(_grid_rows(block, gi))
        elif not FOOTER.match(block.text):
            rows.append(_line_row(block))
    return rows


# page numbers printed as footers ("— 5 —", "-3-", "- 4 -", "第 3 页", "3/7"), also inside tables
FOOTER = re.compile(r"^\s*(?:[—–\-－~]+\s*\d{1,3}\s*[—–\-－~]+|第\s*\d{1,3}\s*页(?:\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})\s*$")


def _grid_rows(g: Grid, gi: int) -> list[Row]:
    covered: set[tuple[int, int]] = set()
    for s in g.spans:
        for r in range(s.row, s.row + s.rowspan):
            for c in range(s.col, s.col + s.colspan):
                if (r, c) != (s.row, s.col):
                    covered.add((r, c))
    out = []
    width = g.n_cols
    for ri, cells in enumerate(g.rows):
        toks = []
        for ci in range(width):
            text = cells[ci] if ci < len(cells) else ""
            box = g.boxes[ri][ci] if g.boxes and ri < len(g.boxes) and ci < len(g.boxes[ri]) else None
            toks.append(Tok(text=text.strip(), col=ci, box=box, covered=(ri, ci) in covered))
        page = g.pages[ri] if g.pages and ri < len(g.pages) else g.page
        out.append(Row("grid", toks, " ".join(t.text for t in toks if t.text), g.index + ri, page, grid=gi))
    return out


def _line_row(line: Line) -> Row:
    if line.cells is not None:
        toks = [Tok(text=c.strip(), col=i) for i, c in enumerate(line.cells)]
        return Row("cells", toks, line.text, line.index, line.page, box=line.box)
    if line.words:
        toks = [Tok(text=w.text, box=w.box, confidence=w.confidence) for w in line.words]
        return Row("words", toks, line.text, line.index, line.page, box=line.box)
    toks = [Tok(text=t) for t in _WS.split(line.text.strip()) if t]
    return Row("text", toks, line.text, line.index, line.page, box=line.box)


_LABEL_TRANS = str.maketrans({"（": "(", "）": ")", "“": '"', "”": '"', "＂": '"', "、": ".", "，": ",", "：": ":"})


@functools.lru_cache(maxsize=16384)
def label_key(text: str) -> str:
    """Normalise a label for matching: NFKC, no spaces, unified brackets, quotes and list marks."""
    t = normalize(text)
    t = t.replace(" ", "")
    t = t.translate(_LABEL_TRANS)
    t = t.replace("其它", "其他")
    return t


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))
