"""The checker's rules, one reviewer story each: a report with one thing wrong in, the finding a reviewer expects out."""

from __future__ import annotations

from test_check_factory import blank_cell, consistent_report, num_cell

from xxgk import template as T
from xxgk.check import RULES, Finding, check_report, check_reports
from xxgk.models import Cell, CellState, Report, Section, Source


def by_rule(findings: list[Finding], rule: str, severity: str | None = None) -> list[Finding]:
    return [f for f in findings if f.rule == rule and (severity is None or f.severity == severity)]


def set_cell(report: Report, table: str, row: str, col: str, value: int | float | None, state: CellState = CellState.number) -> None:
    cell = Cell(value=value, raw="" if value is None else str(value), state=state, source=Source(file="r.pdf", page=3, line=41))
    report.tables[table].cells.setdefault(row, {})[col] = cell


def errors(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]


# ------------------------------------------------------------------------------------ catalogue


def test_catalogue_has_every_rule_of_the_issue_with_format_md_severities() -> None:
    expected = {
        "S1": "error", "S2": "error", "S3": "warning", "S6": "error",
        "B1": "error", "B2": "error", "B3": "error", "B4": "error", "B5": "warning",
        "C1": "error", "A1": "error", "A2": "warning", "A3": "warning",
        "N1": "error", "N2": "error", "N3": "error", "N4": "error", "N5": "warning", "N6": "warning",
        "X1": "error", "X2": "warning", "X3": "warning",
    }  # fmt: skip
    assert {k: r.severity for k, r in RULES.items()} == expected
    for rule in RULES.values():
        assert rule.title and rule.messages and callable(rule.check)
        assert all(sev in ("error", "warning", "info") and "{" in msg or msg for sev, msg in rule.messages.values())


def test_a_consistent_report_has_no_findings() -> None:
    assert check_report(consistent_report(11, year=2024, compressed=False)) == []


# ------------------------------------------------------------------------------------ 表三


def test_b1_names_the_column_and_gives_the_numbers() -> None:
    report = consistent_report(1, year=2024, compressed=False)
    b = report.table_b
    set_cell(report, "table_b", "new", "research", 3)
    set_cell(report, "table_b", "carried_over", "research", 2)
    set_cell(report, "table_b", "carried_forward", "research", 0)
    for row in b.row_keys():
        if row not in ("new", "carried_over", "carried_forward"):
            set_cell(report, "table_b", row, "research", 0)
    set_cell(report, "table_b", "granted", "research", 4)
    set_cell(report, "table_b", "total", "research", 4)
    for row in b.row_keys():
        set_cell(report, "table_b", row, "total", sum(b.value(row, c) for c in T.B_APPLICANT_KEYS))
    found = by_rule(check_report(report), "B1", "error")
    assert found[0].message == "表三 科研机构列：一+二=5，三(七)+四=4，相差1"
    assert [f.params["col"] for f in found] == ["科研机构", "总计"]  # the 总计 column is off by the same 1
    f = found[0]
    assert f.kind == "report"
    assert {(c.row, c.column) for c in f.cells} == {("new", "research"), ("carried_over", "research"), ("total", "research"), ("carried_forward", "research")}
    assert any(c.label == "表三 依申请公开 本年新收/科研机构" for c in f.cells)
    assert f.where == "r.pdf 第3页 第41行"


def test_b2_uses_the_single_other_row_of_a_compressed_table() -> None:
    report = consistent_report(5, year=2023, compressed=True)
    assert "other_no_fee" not in report.table_b.cells
    assert errors(check_report(report)) == []
    v = report.table_b.value("other_combined", "natural_person")
    set_cell(report, "table_b", "other_combined", "natural_person", v + 2)
    set_cell(report, "table_b", "other_combined", "total", report.table_b.value("other_combined", "total") + 2)
    b2 = by_rule(check_report(report), "B2", "error")
    assert [f.params["col"] for f in b2] == ["自然人", "总计"]
    assert "19项办理结果之和" in b2[0].message


def test_b3_names_the_row() -> None:
    report = consistent_report(2, year=2022, compressed=False)
    set_cell(report, "table_b", "unable_not_held", "total", report.table_b.value("unable_not_held", "total") + 1)
    b3 = by_rule(check_report(report), "B3", "error")
    assert len(b3) == 1 and b3[0].message.startswith("表三 本机关不掌握相关政府信息行：总计=")


def test_blank_operands_make_arithmetic_not_assessable_never_an_error() -> None:
    report = consistent_report(3, year=2020)
    report.table_b.cells["total"] = {c: blank_cell() for c in T.B_COLUMN_KEYS}
    report.table_b.cells["carried_forward"] = {c: blank_cell() for c in T.B_COLUMN_KEYS}
    findings = check_report(report)
    assert errors(findings) == []
    b1 = by_rule(findings, "B1")
    assert [f.severity for f in b1] == ["info"] and "无法判断" in b1[0].message and "仅为假设" in b1[0].message
    assert [f.severity for f in by_rule(findings, "B4")] == ["warning"]
    assert by_rule(findings, "B4")[0].params["n"] == 14


def test_b4_negative_or_fractional_count_is_an_error() -> None:
    report = consistent_report(4, year=2024)
    set_cell(report, "table_b", "granted", "commercial", -1)
    b4 = by_rule(check_report(report), "B4", "error")
    assert [f.message for f in b4] == ["表三 依申请公开 予以公开/商业企业为“-1”，不是非负整数"]


def test_b5_carried_forward_cannot_exceed_open_requests() -> None:
    report = consistent_report(6, year=2024, compressed=False)
    b = report.table_b
    set_cell(report, "table_b", "carried_forward", "natural_person", b.value("new", "natural_person") + b.value("carried_over", "natural_person") + 1)
    assert by_rule(check_report(report), "B5", "warning")


def test_low_confidence_table_mismatch_is_doubt_about_the_extraction() -> None:
    report = consistent_report(7, year=2024)
    report.table_b.confidence = 0.6
    set_cell(report, "table_b", "new", "natural_person", report.table_b.value("new", "natural_person") + 1)
    findings = check_report(report)
    assert errors(findings) == []
    b1 = by_rule(findings, "B1")
    assert b1 and all(f.kind == "extraction" and f.severity == "warning" for f in b1)
    assert "可能是抽取错误" in b1[0].message


def test_unreadable_cell_is_never_the_reports_arithmetic_error() -> None:
    report = consistent_report(8, year=2024)
    report.table_b.cells["new"]["natural_person"] = Cell(raw="1 7?", state=CellState.unreadable, reason="?")
    findings = check_report(report)
    assert errors(findings) == []
    assert {f.kind for f in by_rule(findings, "B1")} == {"extraction"}


# ------------------------------------------------------------------------------------ 表四, 表二


def test_c1_finds_hzq2023_style_source_error() -> None:
    report = consistent_report(9, year=2023)
    for col, v in zip(T.C_COLUMN_KEYS, (10, 1, 0, 0, 0)):
        set_cell(report, "table_c", "review", col, v)
    c1 = by_rule(check_report(report), "C1", "error")
    assert [f.message for f in c1] == ["表四 行政复议：维持+纠正+其他+尚未审结=11，总计=0，相差11"]


def test_a_rules_counts_issued_and_fee_unit() -> None:
    report = consistent_report(10, year=2024)
    set_cell(report, "table_a", "rules", "issued", 5)
    set_cell(report, "table_a", "rules", "in_force", 2)
    set_cell(report, "table_a", "rules", "repealed", 1)
    set_cell(report, "table_a", "licensing", "decisions", 2.5)
    report.table_a.cells["admin_fees"]["amount_wan"] = Cell(value=251000, raw="251000元", unit="元", state=CellState.text_number)
    findings = check_report(report)
    assert [f.message for f in by_rule(findings, "A1")] == ["表二 主动公开 行政许可/处理决定为“2.5”，不是非负整数"]
    assert [f.message for f in by_rule(findings, "A2")] == ["表二 规章：本年制发5件，多于现行有效+本年废止=3件"]
    assert by_rule(findings, "A3")[0].message == "表二 主动公开 行政事业性收费/收费金额写作“251000元”（元），该列单位为万元，应为25.1万元"


# ------------------------------------------------------------------------------------ structure


def test_s1_missing_and_out_of_order_sections() -> None:
    report = consistent_report(12, year=2024)
    report.sections = [s for s in report.sections if s.key != "problems"]
    report.sections[1], report.sections[2] = report.sections[2], report.sections[1]
    s1 = by_rule(check_report(report), "S1", "error")
    assert {f.key for f in s1} == {"missing", "order"}
    assert "五、存在的主要问题及改进情况" in next(f.message for f in s1 if f.key == "missing")


def test_s2_wrong_template_and_compressed_other() -> None:
    report = consistent_report(13, year=2020)
    report.year = 2022
    assert {(f.key, f.severity) for f in by_rule(check_report(report), "S2")} >= {("wrong", "error")}
    compressed = consistent_report(13, year=2023, compressed=True)
    assert [(f.key, f.severity) for f in by_rule(check_report(compressed), "S2")] == [("compressed", "warning")]


def test_s3_missing_table_and_s6_fee_statement() -> None:
    report = consistent_report(14, year=2024)
    report.table_c.found = False
    report.table_c.cells = {}
    report.sections[5].text = "无。"
    findings = check_report(report)
    assert [f.message for f in by_rule(findings, "S3")] == ["表四 复议诉讼缺失（或为图片），无法检查"]
    assert [f.severity for f in by_rule(findings, "S6")] == ["error"]
    older = consistent_report(14, year=2020)
    older.sections[5].text = "无。"
    assert by_rule(check_report(older), "S6") == []


# ------------------------------------------------------------------------------------ narrative


def _with_text(report: Report, key: str, text: str) -> Report:
    report.sections = [s if s.key != key else Section(key=key, heading=s.heading, text=text) for s in report.sections]
    return report


def test_n1_strict_new_count_is_an_error_but_scoped_claims_only_warn() -> None:
    report = consistent_report(15, year=2024)
    new = report.table_b.value("new", "total")
    _with_text(report, "overview", f"本年新收政府信息公开申请{new + 3}件。全县共受理政府信息公开申请{new + 9}件。")
    findings = check_report(report)
    assert [f.message for f in by_rule(findings, "N1", "error")] == [f"正文称“新收政府信息公开申请{new + 3}件”，表中本年新收为{new}"]
    assert [f.severity for f in by_rule(findings, "N4")] == ["warning"]


def test_n1_percentages_checked_against_the_total() -> None:
    report = consistent_report(16, year=2024)
    total = report.table_b.value("total", "total")
    granted = report.table_b.value("granted", "total")
    good = round(granted / total * 100, 2) if total else 0
    _with_text(report, "requests", f"予以公开{granted}件（{good:.2f}%），不予公开{report.table_b.value('denied_state_secret', 'total') + 100}件（99.99%）。")
    findings = by_rule(check_report(report), "N1")
    keys = sorted(f.key for f in findings)
    assert keys == ["mismatch_scope", "percent"] if total else keys == ["mismatch_scope"]


def test_n2_no_requests_claim_against_a_table_with_requests() -> None:
    report = consistent_report(17, year=2024)
    set_cell(report, "table_b", "new", "total", 4)
    _with_text(report, "overview", "我单位本年度未收到政府信息公开申请。全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。")
    n2 = by_rule(check_report(report), "N2")
    assert [(f.key, f.severity) for f in n2] == [("requests", "error")]


def test_n2_no_cases_claim_against_table_c() -> None:
    report = consistent_report(18, year=2024)
    set_cell(report, "table_c", "review", "upheld", 1)
    set_cell(report, "table_c", "review", "total", 1 + sum(report.table_c.value("review", c) for c in ("corrected", "other", "pending")))
    _with_text(report, "review_litigation", "本年度没有产生因信息公开行政复议和行政诉讼。")
    n2 = by_rule(check_report(report), "N2", "error")
    assert len(n2) == 1 and "表四" in n2[0].message and n2[0].cells


def test_n3_fee_without_requests_and_n6_placeholder_and_n5_years() -> None:
    report = consistent_report(19, year=2024)
    for row in report.table_b.cells.values():
        for c in row:
            row[c] = num_cell(0)
    report.title = "某区财政局2023年政府信息公开工作年度报告"
    _with_text(report, "other", "本年度收取信息处理费200元。")
    _with_text(report, "proactive", "本年度主动公开信息  条，本办持续推进公开。统计期限自2023年1月1日至2023年12月31日。")
    findings = check_report(report)
    assert [f.key for f in by_rule(findings, "N3", "error")] == ["fee_without_requests"]
    assert by_rule(findings, "N6") and "条" in by_rule(findings, "N6")[0].message
    assert {f.key for f in by_rule(findings, "N5")} == {"title_year", "period_year", "self_reference"}


# ------------------------------------------------------------------------------------ across years


def test_x1_carried_over_must_equal_last_years_carried_forward_across_the_format_change() -> None:
    last = consistent_report(20, year=2020)
    this = consistent_report(21, year=2021, compressed=False)
    for c in T.B_COLUMN_KEYS:  # make them agree, then break one column
        last.table_b.cells["carried_forward"][c] = num_cell(this.table_b.value("carried_over", c))
    assert by_rule(check_report(this, prior=last), "X1") == []
    last.table_b.cells["carried_forward"]["natural_person"] = num_cell(this.table_b.value("carried_over", "natural_person") + 2)
    x1 = by_rule(check_report(this, prior=last), "X1", "error")
    assert len(x1) == 1 and x1[0].message.startswith("表三 自然人列：本年“上年结转”=")
    assert {c.year for c in x1[0].cells} == {None, 2020}


def test_x2_in_force_carry_over_and_x3_repeated_problems_text() -> None:
    last = consistent_report(22, year=2023)
    this = consistent_report(23, year=2024)
    text = "一是政策解读形式较为单一，图表解读和视频解读占比偏低。二是依申请公开答复文书规范性有待提升，部分答复引用条款不够准确。"
    _with_text(last, "problems", text)
    _with_text(this, "problems", text + "三是将加强培训。")
    this.table_a.cells["rules"]["in_force"] = num_cell(last.table_a.value("rules", "in_force") + 100)
    findings = check_report(this, prior=last)
    assert by_rule(findings, "X2", "warning")
    x3 = by_rule(findings, "X3", "warning")
    assert len(x3) == 1 and "阈值50%" in x3[0].message and "8字片段重合" in x3[0].message


def test_batch_pairs_reports_by_agency_and_year() -> None:
    a23, a24 = consistent_report(30, year=2023, agency="某县发改局"), consistent_report(31, year=2024, agency="某县 发改局")
    other = consistent_report(32, year=2023, agency="某县财政局")
    for c in T.B_COLUMN_KEYS:
        a23.table_b.cells["carried_forward"][c] = num_cell(a24.table_b.value("carried_over", c) + 1)
    results = check_reports([a24, other, a23])
    assert results[0].prior is not None and results[1].prior is None and results[2].prior is None
    assert results[0].errors >= 1 and by_rule(results[0].findings, "X1", "error")
