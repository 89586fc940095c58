"""The checker on real reports: the known source errors are found, and right arithmetic is never an error."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.check import check_report, check_reports
from xxgk.models import Report

REAL = Path(__file__).parent.parent / "fixtures" / "real"
ARITHMETIC = {"B1", "B2", "B3", "B4", "B5", "C1", "A1", "A2", "A3"}
CLEAN = ["huaian2024", "hzq2024", "shuyang2025", "kewei2024", "seed000", "seed001", "seed002", "seed004", "shoffice2025"]


def gold(name: str) -> Report:
    path = REAL / f"{name}.gold.json"
    if not path.exists():
        pytest.skip(f"{path.name} not labelled yet")
    return Report.model_validate_json(path.read_text(encoding="utf-8"))


def extracted(name: str, suffix: str) -> Report:
    pipeline = pytest.importorskip("xxgk.pipeline")
    return pipeline.extract_file(REAL / f"{name}.{suffix}")


def test_hzq2023_table_c_source_errors_are_reported_as_errors_of_the_report() -> None:
    c1 = [f for f in check_report(gold("hzq2023")) if f.rule == "C1" and f.severity == "error"]
    assert [f.message for f in c1] == [
        "表四 行政复议：维持+纠正+其他+尚未审结=11，总计=0，相差11",
        "表四 复议后起诉：维持+纠正+其他+尚未审结=5，总计=0，相差5",
    ]
    assert all(f.kind == "report" for f in c1)


def test_seed003_blank_total_and_carried_rows_are_warnings_and_not_assessable() -> None:
    findings = check_report(gold("seed003"))
    assert [f for f in findings if f.severity == "error"] == []
    assert any(f.rule == "B4" and f.severity == "warning" and "空白" in f.message for f in findings)
    b1 = next(f for f in findings if f.rule == "B1")
    assert b1.severity == "info" and "无法判断" in b1.message and "自然人列相差17" in b1.message


@pytest.mark.parametrize("name", CLEAN)
def test_reports_with_right_arithmetic_get_no_arithmetic_error(name: str) -> None:
    findings = check_report(gold(name))
    assert [f.message for f in findings if f.rule in ARITHMETIC and f.severity == "error"] == []


def test_kewei_blank_carried_forward_total_is_a_warning_not_an_error() -> None:
    findings = check_report(gold("kewei2024"))
    assert [(f.rule, f.severity) for f in findings if f.rule in ("B4",)] == [("B4", "warning")]
    assert {f.severity for f in findings if f.rule == "B1"} == {"info"}


def test_huaian2024_narrative_agrees_with_its_tables() -> None:
    findings = check_report(extracted("huaian2024", "pdf"))
    assert [f.message for f in findings if f.rule.startswith("N")] == []
    assert [f.message for f in findings if f.severity == "error"] == []


def test_shoffice_percentages_and_flow_sentences_agree() -> None:
    findings = check_report(extracted("shoffice2025", "md"))
    assert [f.message for f in findings if f.rule in ("N1", "N4")] == []


def test_hzq2024_scope_difference_in_the_text_is_only_a_warning() -> None:
    findings = check_report(extracted("hzq2024", "pdf"))
    n4 = [f for f in findings if f.rule == "N4"]
    assert [(f.severity, f.params.get("quote")) for f in n4] == [("warning", "受理政府信息公开申请17件")]
    assert [f.message for f in findings if f.severity == "error"] == []


def test_seed003_copied_self_reference_is_flagged() -> None:
    findings = check_report(extracted("seed003", "txt"))
    assert any(f.rule == "N5" and "本办" in f.message for f in findings)


def test_hzq_pair_is_matched_across_years_and_the_repeated_measures_found() -> None:
    results = check_reports([extracted("hzq2024", "pdf"), extracted("hzq2023", "pdf")])
    this = results[0]
    assert this.prior and this.prior.endswith("hzq2023.pdf")
    assert [f.rule for f in this.findings if f.rule.startswith("X")] == ["X3"]  # 结转 0 = 上年结转 0: X1 holds
