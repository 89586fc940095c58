"""Plain text and Markdown files as a one-page Document, one ``Line`` per input line.

Every input line becomes one block, so after ``Document.renumber()`` a line's ``index`` is its
line number in the file. Empty lines are kept as ``Line(text="")``; Markdown table separator rows
(``|---|---|``) are dropped as table rows by turning them into empty lines too, so numbering holds.

Delimited table rows get ``cells``: a line with tabs is split on every tab (empty slots kept: they
stand for merged cells), a pipe row (``| a | b |``, also ``a | b | |`` as in pasted text) is split
on unescaped pipes without the empty outer cells of a leading / trailing pipe. Line text is kept
as printed, Markdown heading marks included.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..document import Document, Line, Page
from .encoding import decode

SEPARATOR_CELL = re.compile(r"^:?-{2,}:?$|^:?-:?$")
UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def pipe_cells(line: str) -> list[str] | None:
    """The cells of a pipe-delimited table row, or None if the line is not one."""
    body = line.strip()
    pipes = len(UNESCAPED_PIPE.findall(body))
    if pipes == 0 or (pipes == 1 and not (body.startswith("|") or body.endswith("|"))):
        return None
    if pipes == 1 and body == "|":
        return None
    parts = UNESCAPED_PIPE.split(body)
    if body.startswith("|"):
        parts = parts[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        parts = parts[:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def is_separator(cells: list[str]) -> bool:
    """Whether pipe cells form a Markdown header separator row (``|---|:--:|``)."""
    filled = [c.replace(" ", "") for c in cells if c.strip()]
    return bool(filled) and all(SEPARATOR_CELL.match(c) for c in filled)


def to_line(text: str) -> Line:
    """One input line as a Line, with cells where it is a tab- or pipe-delimited row."""
    if not text.strip():
        return Line(text="")
    if "\t" in text:
        return Line(text=text, cells=text.split("\t"))
    cells = pipe_cells(text)
    if cells is None:
        return Line(text=text)
    if is_separator(cells):
        return Line(text="")  # dropped as a row, kept as an empty line so line numbers still hold
    return Line(text=text, cells=cells)


def read_text(path: str | Path, data: bytes, kind: str) -> Document:
    """Read a txt or md file into a one-page Document."""
    text, encoding = decode(data, path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not start a new one
    page = Page(number=1, blocks=[to_line(t) for t in lines])
    return Document(path=str(path), kind=kind, pages=[page], encoding=encoding)
