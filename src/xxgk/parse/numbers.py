"""Turn the printed text of a table cell into a Cell (value, state, unit, note). Pure functions."""

from __future__ import annotations

import re
import unicodedata

from ..models import Cell, CellState, Source

DASHES = {"/", "／", "—", "——", "-", "–", "－", "无", "不适用", "/ ", "\\", "―", "─", "一一", "x", "X", "×"}
_SPACE = re.compile(r"\s+")
_NUM = r"[+-]?\d+(?:\.\d+)?"
_PLAIN = re.compile(rf"^{_NUM}$")
_UNIT = re.compile(rf"^({_NUM})\s*(万元|亿元|千元|元|个|件|项|条|人次|次|宗)$")
_DELTA = re.compile(r"^(增加|新增|增|减少|减)\s*(\d+(?:\.\d+)?)\s*(个|项|件)?$")
_PAREN = re.compile(rf"^({_NUM})\s*(?:(万元|元|个|件|项|条))?\s*[（(](.+?)[）)]\s*$")
# a thousands separator is a comma followed by exactly three digits
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")


def normalize(text: str) -> str:
    """NFKC, no thousands separators, whitespace folded; used before matching numbers."""
    return fold(unicodedata.normalize("NFKC", text))


def fold(t: str) -> str:
    """The rest of ``normalize`` on text that is already NFKC."""
    t = t.replace("\u00a0", " ").replace("\u3000", " ")
    t = _THOUSANDS.sub("", t)
    return _SPACE.sub(" ", t).strip()


def _number(s: str) -> int | float:
    f = float(s)
    return int(f) if re.fullmatch(r"[+-]?\d+", s) else f


def parse_cell(raw: str | None, source: Source | None = None) -> Cell:
    """Read one cell's printed text. Blank stays blank; anything unclear is ``unreadable``."""
    raw = raw if raw is not None else ""
    t = normalize(raw)
    if t == "":
        return Cell(raw=raw, state=CellState.blank, source=source)
    if t in DASHES or t.strip("/ ") == "":
        return Cell(raw=raw, state=CellState.dash, source=source)
    compact = t.replace(" ", "")
    if _PLAIN.match(compact):
        return Cell(value=_number(compact), raw=raw, state=CellState.number, source=source)
    m = _UNIT.match(compact)
    if m:
        return Cell(value=_number(m.group(1)), raw=raw, state=CellState.text_number, unit=m.group(2), source=source)
    m = _DELTA.match(compact)
    if m:
        v = _number(m.group(2))
        sign = -1 if m.group(1).startswith("减") else 1
        return Cell(value=sign * v, raw=raw, state=CellState.text_number, unit=m.group(3) or "个", source=source)
    m = _PAREN.match(t)
    if m:
        return Cell(
            value=_number(m.group(1).replace(" ", "")),
            raw=raw,
            state=CellState.text_number,
            unit=m.group(2),
            note=m.group(3).strip(),
            source=source,
        )
    return Cell(raw=raw, state=CellState.unreadable, reason=f"不是可识别的数字: {raw!r}", source=source)


def is_number_token(text: str) -> bool:
    """True for a token that is a plain number after normalisation ("12", "1,234", "１２")."""
    return bool(_PLAIN.match(normalize(text).replace(" ", "")))
