"""Planted single-cell errors: the error rules catch every one, and never fire on the consistent reports."""

from __future__ import annotations

import random

import pytest
from test_check_factory import consistent_report, plant_error

from xxgk.check import check_report

SEEDS = range(250)


def caught(findings, table: str, row: str, col: str) -> bool:
    return any(f.severity == "error" and any(c.table == table and (c.row == row or c.column == col) for c in f.cells) for f in findings)


def test_recall_is_complete_and_no_false_errors_on_factory_reports() -> None:
    missed, false_errors = [], []
    for seed in SEEDS:
        report = consistent_report(seed)
        if any(f.severity == "error" for f in check_report(report)):
            false_errors.append(seed)
        bad, where = plant_error(report, random.Random(seed))
        if not caught(check_report(bad), *where):
            missed.append((seed, where))
    assert missed == [] and false_errors == []


def test_recall_is_complete_and_no_false_errors_on_synth_reports() -> None:
    synth = pytest.importorskip("xxgk.synth")
    missed, false_errors = [], []
    for seed in SEEDS:
        report = synth.random_report(seed)
        errors = [f for f in check_report(report) if f.severity == "error"]
        if errors:
            false_errors.append((seed, errors[0].message))
        bad, where = synth.plant_error(report, seed)
        if not caught(check_report(bad), *where):
            missed.append((seed, where))
    assert missed == [] and false_errors == []


def test_synth_reports_with_blanks_are_never_errors() -> None:
    synth = pytest.importorskip("xxgk.synth")
    for seed in range(50):
        findings = check_report(synth.random_report(seed, blanks=True))
        assert [f.message for f in findings if f.severity == "error"] == []
