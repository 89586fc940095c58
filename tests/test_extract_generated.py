"""End to end on the generated fixtures: the same reports as txt, md, HTML (UTF-8, GBK), DOCX and PDF, all cells exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.evaluate.runner import load_gold, section_scores
from xxgk.evaluate.score import score
from xxgk.pipeline import extract_file

GENERATED = Path(__file__).resolve().parent.parent / "fixtures" / "generated"
GOLD = sorted(GENERATED.glob("*.gold.json"))


def test_every_input_kind_is_covered():
    kinds = {load_gold(g).source.kind for g in GOLD}
    assert {"txt", "md", "html", "docx", "pdf"} <= kinds
    assert any(load_gold(g).format == "2019" for g in GOLD)
    assert any(load_gold(g).table_b.compressed_other and load_gold(g).format == "2021" for g in GOLD)


@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.name.removesuffix(".gold.json"))
def test_generated_fixture_extracts_exactly(gold_path: Path):
    gold = load_gold(gold_path)
    got = extract_file(GENERATED / gold.source.path)
    s = score(gold, got)
    assert s.diffs == [] and s.cells > 150
    expected, found, heading_ok, boundary_ok = section_scores(gold, got)
    assert (found, heading_ok, boundary_ok) == (expected, expected, expected)
    assert (got.year, got.agency, got.format) == (gold.year, gold.agency, gold.format)
