"""Compare an extracted Report with its gold Report, cell by cell and section by section."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Cell, CellState, Report

VALUE_STATES = (CellState.number, CellState.text_number)


@dataclass
class CellDiff:
    """One cell that is not right: where, what gold says, what was extracted, and the verdict."""

    path: str  # table.row.column
    gold: str
    got: str
    verdict: str  # "wrong" | "abstained" (extracted as unreadable where gold has a reading)


@dataclass
class Score:
    """Cell and section agreement of one document."""

    cells: int = 0
    correct: int = 0
    abstained: int = 0
    wrong: int = 0
    per_table: dict[str, tuple[int, int]] = field(default_factory=dict)  # table -> (correct, total)
    sections_expected: int = 0
    sections_found: int = 0
    diffs: list[CellDiff] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.correct / self.cells if self.cells else 1.0


def show(cell: Cell) -> str:
    """A short text form of a cell for diffs: the value, or the state in brackets."""
    if cell.state in VALUE_STATES:
        return f"{cell.value:g}" if isinstance(cell.value, float) else str(cell.value)
    return f"[{cell.state.value}]"


def same(gold: Cell, got: Cell) -> bool:
    """Value and state agree (a number read as text_number with the same value counts as the same)."""
    if gold.state in VALUE_STATES or got.state in VALUE_STATES:
        return gold.state in VALUE_STATES and got.state in VALUE_STATES and gold.value == got.value
    return gold.state == got.state


def flatten(report: Report) -> dict[str, Cell]:
    """Every expected cell of the report's tables, keyed ``table.row.column``."""
    out: dict[str, Cell] = {}
    for name, table in report.tables.items():
        if not table.found:
            continue
        for row, col in table.expected_cells():  # type: ignore[attr-defined]
            out[f"{name}.{row}.{col}"] = table.cell(row, col)
    return out


def score(gold: Report, got: Report) -> Score:
    """Compare ``got`` with ``gold``: every gold cell, and the six sections."""
    s = Score()
    want = flatten(gold)
    have = flatten(got)
    per: dict[str, list[int]] = {}
    for path, g in want.items():
        table = path.split(".", 1)[0]
        c = have.get(path) or Cell(state=CellState.missing)
        s.cells += 1
        tally = per.setdefault(table, [0, 0])
        tally[1] += 1
        if same(g, c):
            s.correct += 1
            tally[0] += 1
        elif c.state == CellState.unreadable:
            s.abstained += 1
            s.diffs.append(CellDiff(path, show(g), show(c), "abstained"))
        else:
            s.wrong += 1
            s.diffs.append(CellDiff(path, show(g), show(c), "wrong"))
    s.per_table = {k: (v[0], v[1]) for k, v in per.items()}
    gold_keys = [x.key for x in gold.sections]
    got_keys = {x.key for x in got.sections}
    s.sections_expected = len(gold_keys)
    s.sections_found = sum(k in got_keys for k in gold_keys)
    return s
