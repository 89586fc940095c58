"""`xxgk check` as a reviewer runs it: report JSON or documents in, a summary, JSON or an HTML page out."""

from __future__ import annotations

import json
from pathlib import Path

from test_check_factory import consistent_report
from typer.testing import CliRunner

from xxgk import template as T
from xxgk.cli import app
from xxgk.models import Cell, CellState

REAL = Path(__file__).parent.parent / "fixtures" / "real"
runner = CliRunner()


def write(path: Path, report) -> Path:
    path.write_text(report.model_dump_json(indent=1, exclude_none=True), encoding="utf-8")
    return path


def broken(seed: int):
    report = consistent_report(seed, year=2024)
    report.table_c.cells["review"]["upheld"] = Cell(value=report.table_c.value("review", "upheld") + 3, raw="x", state=CellState.number)
    return report


def test_clean_report_exits_0_and_prints_its_counts(tmp_path: Path) -> None:
    path = write(tmp_path / "ok.json", consistent_report(1, year=2024, compressed=False))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 0, result.output
    assert "错误 0，警告 0" in result.output


def test_errors_exit_1_and_are_listed_with_their_numbers(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.json", broken(2))
    result = runner.invoke(app, ["check", str(path)])
    assert result.exit_code == 1
    assert "C1" in result.output and "表四 行政复议：维持+纠正+其他+尚未审结=" in result.output


def test_json_output_and_a_bad_file_in_the_batch(tmp_path: Path) -> None:
    good = write(tmp_path / "a.json", consistent_report(3, year=2024, compressed=False))
    bad = tmp_path / "b.json"
    bad.write_text('{"year": "not a year"', encoding="utf-8")
    result = runner.invoke(app, ["check", str(good), str(bad), "--json"])
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert [r["errors"] for r in doc["reports"]] == [0]
    assert doc["problems"][0]["file"].endswith("b.json")


def test_missing_file_alone_is_a_usage_problem(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path / "nope.json")])
    assert result.exit_code == 2


def test_prior_option_pairs_last_year_and_x1_runs(tmp_path: Path) -> None:
    last, this = consistent_report(4, year=2023), consistent_report(5, year=2024)
    for c in T.B_COLUMN_KEYS:
        last.table_b.cells["carried_forward"][c] = Cell(value=this.table_b.value("carried_over", c) + 1, raw="1", state=CellState.number)
    result = runner.invoke(app, ["check", str(write(tmp_path / "y.json", this)), "--prior", str(write(tmp_path / "x.json", last)), "--json"])
    assert result.exit_code == 1
    rules = {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"]}
    assert "X1" in rules


def test_html_review_page_highlights_the_offending_cells(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    ok = write(tmp_path / "ok.json", consistent_report(6, year=2024))
    bad = write(tmp_path / "bad.json", broken(7))
    result = runner.invoke(app, ["check", str(ok), str(bad), "--html", str(page)])
    assert result.exit_code == 1
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html and "http" not in html.split("<body>")[0]
    assert html.count('<h2 id="r') == 2
    assert 'class="n error" title="C1"' in html
    assert "表四 行政复议：维持+纠正+其他+尚未审结=" in html


def test_gold_files_and_a_directory(tmp_path: Path) -> None:
    gold = REAL / "hzq2023.gold.json"
    if not gold.exists():
        return
    result = runner.invoke(app, ["check", str(gold), "--json"])
    assert result.exit_code == 1
    assert sum(1 for f in json.loads(result.stdout)["reports"][0]["findings"] if f["rule"] == "C1") == 2
    (tmp_path / "d").mkdir()
    write(tmp_path / "d" / "one.json", consistent_report(8, year=2022, agency="甲局"))
    write(tmp_path / "d" / "two.json", consistent_report(9, year=2021, agency="乙局"))
    result = runner.invoke(app, ["check", str(tmp_path / "d"), "--json"])
    assert result.exit_code == 0 and len(json.loads(result.stdout)["reports"]) == 2


def test_a_document_is_extracted_then_checked() -> None:
    doc = REAL / "hzq2023.pdf"
    result = runner.invoke(app, ["check", str(doc), "--json"])
    assert result.exit_code == 1, result.output
    assert {f["rule"] for f in json.loads(result.stdout)["reports"][0]["findings"] if f["severity"] == "error"} == {"C1"}
