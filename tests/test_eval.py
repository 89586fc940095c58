"""`xxgk eval`: suites run, metrics come out, and a parser regression is caught by --compare."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xxgk.cli import app
from xxgk.evaluate import runner as eval_runner
from xxgk.evaluate.runner import compare, run_suite
from xxgk.evaluate.suites import load_suite
from xxgk.parse import tables

ROOT = Path(__file__).resolve().parent.parent
REAL_SUITE = ROOT / "evals" / "extract-real.toml"
cli = CliRunner()


def _small_suite(tmp_path: Path, names: list[str]) -> Path:
    """A suite over a few real fixtures, with a baseline from a clean run."""
    fx = tmp_path / "fixtures"
    fx.mkdir()
    for n in names:
        gold = ROOT / "fixtures" / "real" / f"{n}.gold.json"
        shutil.copy(gold, fx / gold.name)
        src = json.loads(gold.read_text(encoding="utf-8"))["source"]["path"]
        shutil.copy(ROOT / "fixtures" / "real" / src, fx / src)
    suite = tmp_path / "evals" / "mini.toml"
    suite.parent.mkdir()
    suite.write_text(
        'name = "mini"\nkind = "extract"\nfixtures = ["../fixtures/*.gold.json"]\n'
        "[thresholds]\ncell_accuracy = 0.99\nwrong_cells = 0\n[tolerance]\ncell_accuracy = 0.0\n",
        encoding="utf-8",
    )
    return suite


def test_extract_suite_reports_accuracy_per_table_kind_and_format(tmp_path: Path):
    suite = load_suite(_small_suite(tmp_path, ["seed003", "kewei2024"]))
    res = run_suite(suite)
    m = res.metrics
    assert m["documents"] == 2 and m["errors"] == 0
    assert m["cell_accuracy"] == 1.0
    assert {"cell_accuracy:table_b", "cell_accuracy:kind=md", "cell_accuracy:format=2019", "section_recall"} <= set(m)
    assert compare(suite, res, None).ok


def test_a_parser_change_that_breaks_one_row_fails_compare(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    suite_path = _small_suite(tmp_path, ["seed000", "huaian2024"])
    ok = cli.invoke(app, ["eval", str(suite_path), "--update-baseline"])
    assert ok.exit_code == 0, ok.output
    assert (suite_path.parent / "baselines" / "mini.json").exists()
    clean = cli.invoke(app, ["eval", str(suite_path), "--compare"])
    assert clean.exit_code == 0, clean.output

    real_place = tables.place

    def broken(doc, v, n, centers, what, **kw):  # a "refactor" that reads the 予以公开 row right to left
        placed = real_place(doc, v, n, centers, what, **kw)
        if "予以公开" in what:
            placed.cells = placed.cells[::-1]
        return placed

    monkeypatch.setattr(tables, "place", broken)
    r = cli.invoke(app, ["eval", str(suite_path), "--compare", "--md", str(tmp_path / "report.md")])
    assert r.exit_code == 1
    assert "cell_accuracy" in r.stderr and "未通过" in r.stderr
    page = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "table_b.granted" in page  # the report points straight at the broken row


def test_gold_with_unmarked_source_errors_is_warned_about(tmp_path: Path):
    suite_path = _small_suite(tmp_path, ["hzq2023"])
    gold = next((tmp_path / "fixtures").glob("*.gold.json"))
    data = json.loads(gold.read_text(encoding="utf-8"))
    data["extra"].pop("known_source_errors", None)
    gold.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    res = run_suite(load_suite(suite_path))
    if not hasattr(eval_runner, "_gold_arithmetic_warning"):
        pytest.skip("no checker")
    assert any("known_source_errors" in w for w in res.warnings)


def test_committed_suites_load():
    for path in sorted((ROOT / "evals").glob("*.toml")):
        suite = load_suite(path)
        assert suite.thresholds, f"{path.name} has no thresholds"


def test_label_writes_a_gold_draft(tmp_path: Path):
    src = tmp_path / "seed000.txt"
    shutil.copy(ROOT / "fixtures" / "real" / "seed000.txt", src)
    r = cli.invoke(app, ["label", str(src)])
    assert r.exit_code == 0, r.output
    data = json.loads((tmp_path / "seed000.gold.json").read_text(encoding="utf-8"))
    assert data["source"]["path"] == "seed000.txt"
    assert "unreviewed" in data["extra"]["label_status"]
    again = cli.invoke(app, ["label", str(src)])
    assert again.exit_code == 2  # never overwrite a gold file silently


def test_an_unchanged_run_passes_against_its_own_rounded_baseline():
    """Baselines are written rounded to 6 places; the same run must not count as a regression."""
    from xxgk.evaluate.runner import SuiteResult
    from xxgk.evaluate.suites import Suite

    suite = Suite(name="s", kind="extract", thresholds={"cell_accuracy": 0.99}, tolerance={"cell_accuracy": 0.0})
    res = SuiteResult(suite="s", kind="extract", metrics={"cell_accuracy": 2166 / 2170})
    baseline = res.to_json()["metrics"]
    assert baseline["cell_accuracy"] == 0.998157 and 2166 / 2170 < 0.998157
    assert compare(suite, res, baseline).ok
    worse = SuiteResult(suite="s", kind="extract", metrics={"cell_accuracy": 2165 / 2170})
    v = compare(suite, worse, baseline)
    assert not v.ok and "cell_accuracy" in v.failures[0]
