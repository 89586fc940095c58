"""The Document every ingester produces: pages of blocks in reading order (lines and grids).

A ``Line`` is one line of text; where the input is a delimited table row (tabs in txt, pipes in
Markdown) its ``cells`` hold the split cells, and where the input has coordinates (PDF) its
``words`` carry boxes. A ``Grid`` is a real table (HTML ``<table>``, a Word table, a ruled PDF
table) with merged cells recorded as spans: ``rows`` holds each cell's text at its top-left
(anchor) position and ``""`` in the slots it covers.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .models import Box


class Word(BaseModel):
    """A word (a run of characters without a wide gap) with its box on the page."""

    text: str
    box: Box
    confidence: float | None = None  # OCR confidence 0..1 (None: read from a text layer)


class Line(BaseModel):
    """One line of text in reading order."""

    kind: Literal["line"] = "line"
    text: str
    page: int = 1  # 1-based
    index: int = 0  # 1-based position among all lines of the document (set by Document.renumber)
    box: Box | None = None
    words: list[Word] = Field(default_factory=list)
    cells: list[str] | None = None  # delimited table row: the cells as split (tabs / pipes)


class Span(BaseModel):
    """A merged cell of a Grid: anchor position and extent."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


class Grid(BaseModel):
    """A table with a real cell structure, merged cells expanded into a rectangular grid."""

    kind: Literal["grid"] = "grid"
    rows: list[list[str]]  # rectangular; text at anchor positions, "" in covered slots
    spans: list[Span] = Field(default_factory=list)  # only cells with rowspan or colspan > 1
    page: int = 1  # page where the table starts
    index: int = 0  # 1-based line index of its first row (grids count one index per row)
    boxes: list[list[Box | None]] | None = None  # per slot, where known (PDF)
    pages: list[int] | None = None  # per row: the page it is on, where the table crosses pages

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def filled(self) -> list[list[str]]:
        """The grid with each merged cell's text repeated in every slot it covers."""
        out = [list(r) for r in self.rows]
        for s in self.spans:
            text = self.rows[s.row][s.col]
            for r in range(s.row, min(s.row + s.rowspan, len(out))):
                for c in range(s.col, min(s.col + s.colspan, len(out[r]))):
                    out[r][c] = text
        return out


Block = Line | Grid


class Page(BaseModel):
    """One page (a text file is one page)."""

    number: int  # 1-based
    width: float | None = None
    height: float | None = None
    blocks: list[Block] = Field(default_factory=list)
    turned: int = 0  # quarter turns (counter-clockwise) the OCR applied to set a scanned page upright


class Document(BaseModel):
    """An ingested input file, ready for segmentation and table parsing."""

    path: str
    kind: str  # txt | md | html | docx | pdf | image
    pages: list[Page] = Field(default_factory=list)
    encoding: str | None = None
    sha256: str | None = None
    notes: list[str] = Field(default_factory=list)  # what the ingester noticed (dropped footers, joined tables …)

    def blocks(self) -> list[Block]:
        return [b for p in self.pages for b in p.blocks]

    def lines(self) -> list[Line]:
        return [b for b in self.blocks() if isinstance(b, Line)]

    def text(self) -> str:
        """Plain text of the document; grid rows are joined with tabs."""
        out: list[str] = []
        for b in self.blocks():
            if isinstance(b, Line):
                out.append(b.text)
            else:
                out.extend("\t".join(r) for r in b.rows)
        return "\n".join(out)

    def renumber(self) -> Document:
        """Give every line (and every grid row) a 1-based document-wide index, in reading order."""
        i = 1
        for p in self.pages:
            for b in p.blocks:
                b.page = p.number
                b.index = i
                i += len(b.rows) if isinstance(b, Grid) else 1
        return self
