"""End to end on the real reports: each file in, every labelled cell out as the gold says."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.evaluate.score import score
from xxgk.models import CellState, Report
from xxgk.pipeline import extract_file

REAL = Path(__file__).resolve().parent.parent / "fixtures" / "real"
GOLD = sorted(REAL.glob("*.gold.json"))

# Cells the source leaves genuinely ambiguous, which the rules engine must mark unreadable rather than guess:
# shoffice2025's Table A rows come out of the PDF→Markdown conversion with 2 numbers for 3 columns and the
# annotations detached ("规章 | 22 | 235", "22（其中修订 16 件）" and "55（含自然失效 29 件）" on lines of their own).
KNOWN_ABSTENTIONS = {
    "shoffice2025.md": {
        "table_a.rules.issued",
        "table_a.rules.in_force",
        "table_a.normative_docs.issued",
        "table_a.normative_docs.in_force",
    }
}


def _gold(path: Path) -> Report:
    return Report.model_validate_json(path.read_text(encoding="utf-8"))


def test_there_are_eleven_real_fixtures():
    assert len(GOLD) == 11


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_every_cell_matches_gold_or_is_honestly_unreadable(gold_path: Path):
    gold = _gold(gold_path)
    got = extract_file(REAL / gold.source.path)
    s = score(gold, got)
    wrong = [d for d in s.diffs if d.verdict == "wrong"]
    assert wrong == [], wrong
    abstained = {d.path for d in s.diffs if d.verdict == "abstained"}
    assert abstained == KNOWN_ABSTENTIONS.get(gold.source.path, set())
    for table in ("table_a", "table_b", "table_c"):
        assert getattr(got, table).found == getattr(gold, table).found


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_year_agency_and_format(gold_path: Path):
    gold = _gold(gold_path)
    got = extract_file(REAL / gold.source.path)
    assert got.year == gold.year
    assert got.format == gold.format
    assert got.table_b.compressed_other == gold.table_b.compressed_other


def test_blank_is_never_zero_in_seed003():
    got = extract_file(REAL / "seed003.txt")
    assert got.table_b.cell("carried_over", "total").state == CellState.blank
    assert got.table_b.cell("total", "natural_person").state == CellState.blank
    assert got.table_b.value("new", "total") == 17


def test_huaian_cells_know_their_page_and_position():
    got = extract_file(REAL / "huaian2024.pdf")
    cell = got.table_b.cell("new", "total")
    assert cell.value == 3119
    assert cell.source is not None and cell.source.page is not None and cell.source.file.endswith("huaian2024.pdf")
