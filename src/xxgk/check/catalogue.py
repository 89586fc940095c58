"""The rule catalogue: every rule's id, headline severity, Chinese title and message templates, and its function.

Ids and severities follow FORMAT.md §5. A rule function returns ``Hit``s (a message key and its numbers);
``render`` turns a hit into a ``Finding`` with the Chinese message. Each message key carries its own
severity: a rule whose operands are blank says so as ``info``; doubt about the extraction is never an error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from . import rules_structure as S
from . import rules_table as B
from . import rules_text as N
from . import rules_years as X
from .base import Ctx, Finding, Hit, Severity, where

RuleFunc = Callable[[Ctx], Iterable[Hit]]

NOT_ASSESSABLE = ("info", "{what}含空白或“—”单元格，无法判断（共{n}处）；若空白按0计：{assumption}（仅为假设）")
UNREADABLE = ("info", "{what}含未能识别或缺失的单元格，无法判断（共{n}处），请核对原文")
EXTRACTION_NOTE = "（表格识别置信度低或单元格存疑，可能是抽取错误，请核对原文）"


@dataclass(frozen=True)
class Rule:
    """One consistency rule: id, headline severity, title, message templates by key, and the function."""

    id: str
    severity: Severity
    title: str
    messages: Mapping[str, tuple[Severity, str]]
    check: RuleFunc
    needs_prior: bool = False


RULES: dict[str, Rule] = {
    r.id: r
    for r in (
        Rule(
            "S1",
            "error",
            "六个部分齐全且顺序正确",
            {
                "missing": ("error", "缺少{n}个部分：{sections}"),
                "order": ("error", "各部分顺序不对：实际顺序为 {order}"),
                "inferred": ("warning", "以下部分没有标题，按内容推断：{sections}"),
                "none": ("warning", "未识别出任何部分，无法检查报告结构"),
            },
            S.s1_sections,
        ),
        Rule(
            "S2",
            "error",
            "统计表模板版本与年份相符",
            {
                "wrong": ("error", "{table}使用{used}版格式，{year}年度报告应使用{expected}版格式"),
                "compressed": ("warning", "{year}年度报告表三的“（六）其他处理”只有一行，2021版格式应分为3项"),
                "no_year": ("info", "报告年份未知，无法核对模板版本"),
                "no_format": ("info", "{year}年度没有全国统一格式，不核对模板版本"),
            },
            S.s2_template,
        ),
        Rule(
            "S3",
            "warning",
            "统计表以文字形式存在且可读",
            {
                "missing": ("warning", "{table}缺失（或为图片），无法检查"),
                "unreadable": ("warning", "{table}无法读出任何数字，无法检查"),
                "low_confidence": ("info", "{table}识别置信度低（{confidence}），其算术问题只作为抽取存疑报告"),
            },
            S.s3_tables,
        ),
        Rule(
            "S6",
            "error",
            "第六部分说明信息处理费收取情况",
            {
                "absent": ("error", "“六、其他需要报告的事项”未说明信息处理费收取情况（2021版格式要求在此报告）"),
                "elsewhere": ("warning", "信息处理费收取情况写在“{section}”中，应在“六、其他需要报告的事项”中报告"),
            },
            S.s6_fee_statement,
        ),
        Rule(
            "B1",
            "error",
            "表三 一+二=三(七)+四",
            {
                "mismatch": ("error", "表三 {col}列：一+二={lhs}，三(七)+四={rhs}，相差{diff}"),
                "not_assessable": NOT_ASSESSABLE,
                "unreadable": UNREADABLE,
            },
            B.b1_balance,
        ),
        Rule(
            "B2",
            "error",
            "表三 （七）总计=各办理结果之和",
            {
                "mismatch": ("error", "表三 {col}列：（七）总计={lhs}，{n}项办理结果之和={rhs}，相差{diff}"),
                "not_assessable": NOT_ASSESSABLE,
                "unreadable": UNREADABLE,
            },
            B.b2_outcomes,
        ),
        Rule(
            "B3",
            "error",
            "表三 总计列=六类申请人之和",
            {
                "mismatch": ("error", "表三 {row}行：总计={lhs}，六类申请人之和={rhs}，相差{diff}"),
                "not_assessable": NOT_ASSESSABLE,
                "unreadable": UNREADABLE,
            },
            B.b3_applicants,
        ),
        Rule(
            "B4",
            "error",
            "表三 数字为非负整数",
            {
                "not_count": ("error", "{cell}为“{raw}”，不是非负整数"),
                "blank": ("warning", "表三有{n}个空白或“—”单元格：{cells}；空白不等于0，请填写"),
                "unreadable": ("info", "表三有{n}个单元格未能识别或缺失：{cells}，请核对原文"),
            },
            B.b4_counts,
        ),
        Rule(
            "B5",
            "warning",
            "表三 结转下年度≤新收+上年结转",
            {"exceeds": ("warning", "表三 {col}列：结转下年度={cf}，大于本年新收+上年结转={open}")},
            B.b5_carried_forward,
        ),
        Rule(
            "C1",
            "error",
            "表四 各组结果之和=总计",
            {
                "mismatch": ("error", "表四 {group}：维持+纠正+其他+尚未审结={lhs}，总计={rhs}，相差{diff}"),
                "not_count": ("error", "{cell}为“{raw}”，不是非负整数"),
                "not_assessable": NOT_ASSESSABLE,
                "unreadable": UNREADABLE,
            },
            B.c1_groups,
        ),
        Rule(
            "A1",
            "error",
            "表二 件数为非负整数，金额非负",
            {
                "not_count": ("error", "{cell}为“{raw}”，不是非负整数"),
                "negative_money": ("error", "{cell}为“{raw}”，金额不能为负"),
            },
            B.a1_counts,
        ),
        Rule(
            "A2",
            "warning",
            "表二 本年制发≤现行有效+本年废止",
            {"exceeds": ("warning", "表二 {row}：本年制发{issued}件，多于现行有效+本年废止={kept}件")},
            B.a2_issued,
        ),
        Rule(
            "A3",
            "warning",
            "表二 收费金额以万元填写且数量级合理",
            {
                "yuan": ("warning", "{cell}写作“{raw}”（元），该列单位为万元，应为{wan}万元"),
                "implausible": ("warning", "{cell}为{value}万元，超过{max}万元，可能误以元为单位填写"),
                "precision": ("warning", "{cell}为“{raw}”万元，小数超过4位（不足1元），可能误以元为单位填写"),
            },
            B.a3_fee,
        ),
        Rule(
            "N1",
            "error",
            "正文数字与统计表一致",
            {
                "mismatch": ("error", "正文称“{quote}”，表中{name}为{table}"),
                "mismatch_scope": ("warning", "正文称“{quote}”，表中{name}为{table}（正文口径可能不同，请核对）"),
                "percent": ("warning", "正文称“{quote}”，按表中总数（{bases}）计算的百分比不符"),
            },
            N.n1_numbers,
        ),
        Rule(
            "N2",
            "error",
            "正文“未收到/未发生/未制发/未收取”与统计表一致",
            {
                "requests": ("error", "正文称“{quote}”，但表三本年新收总计为{value}"),
                "requests_scope": ("warning", "正文称“{quote}”，但表三本年新收总计为{value}（正文口径可能不同）"),
                "cases": ("error", "正文称“{quote}”，但表四有案件：{cells}"),
                "cases_scope": ("warning", "正文称“{quote}”，但表四有案件：{cells}（正文口径可能不同）"),
                "normative": ("error", "正文称“{quote}”，但{cell}为{value}"),
                "fee": ("error", "正文称“{quote}”，又称“{fee_quote}”（{fee}元）"),
            },
            N.n2_zero_claims,
        ),
        Rule(
            "N3",
            "error",
            "信息处理费与申请情况相符",
            {
                "fee_without_requests": ("error", "正文称“{quote}”，但本年新收+上年结转申请为{open}件，没有申请不会产生信息处理费"),
                "no_fee_unexplained": ("warning", "表三“逾期未按收费通知要求缴纳费用”为{value}件，但正文未提及收费情况"),
            },
            N.n3_fees,
        ),
        Rule(
            "N4",
            "error",
            "正文办理流程数字（受理、办结、结转）与表三一致",
            {
                "mismatch": ("error", "正文称“{quote}”，表三{name}为{table}"),
                "mismatch_scope": ("warning", "正文称“{quote}”，表三{name}为{table}（正文口径可能不同，请核对）"),
            },
            N.n4_flow,
        ),
        Rule(
            "N5",
            "warning",
            "标题与统计期限年份、机构自称",
            {
                "title_year": ("warning", "标题“{title}”中的年份为{found}，报告年度为{year}"),
                "period_year": ("warning", "统计期限“{quote}”与报告年度{year}不符"),
                "self_reference": ("warning", "正文使用“{word}”自称，与机构“{agency}”不符，可能抄自其他单位的报告"),
            },
            N.n5_years_and_self,
        ),
        Rule(
            "N6",
            "warning",
            "没有未填写的模板占位符",
            {"placeholder": ("warning", "疑似未填写的占位符“{token}”：…{quote}…")},
            N.n6_placeholders,
        ),
        Rule(
            "X1",
            "error",
            "本年上年结转=上年结转下年度",
            {
                "mismatch": ("error", "表三 {col}列：本年“上年结转”={now}，{prior_year}年报告“结转下年度”={prior}"),
                "not_assessable": ("info", "{what}列本年上年结转或上年结转下年度为空，无法核对"),
                "not_prior_year": ("info", "对照报告为{prior}年度，不是{year}年度的上一年，未做跨年核对"),
            },
            X.x1_carry_over,
            needs_prior=True,
        ),
        Rule(
            "X2",
            "warning",
            "现行有效件数跨年衔接",
            {
                "mismatch": (
                    "warning",
                    "表二 {row}：现行有效{now}件，上年现行有效{prior}+本年制发{issued}−本年废止{repealed}={expected}件",
                ),
            },
            X.x2_in_force,
            needs_prior=True,
        ),
        Rule(
            "X3",
            "warning",
            "第五部分与上年重复",
            {
                "repeated": (
                    "warning",
                    "“五、存在的主要问题及改进情况”与{prior_year}年报告重复：{n}字片段重合{ratio}（阈值{threshold}），"
                    "逐字重复{min_len}字以上的段落{passages}处（阈值{min_passages}处），如：{sample}",
                ),
            },
            X.x3_repeated_text,
            needs_prior=True,
        ),
    )
}


def render(hit: Hit) -> Finding:
    """The Finding for a hit: its Chinese message, and a severity no higher than warning for extraction doubt."""
    severity, template = RULES[hit.rule].messages[hit.key]
    message = template.format(**hit.params)
    if hit.kind == "extraction":
        if severity == "error":
            severity = "warning"
        if hit.key in ("mismatch", "not_count", "exceeds"):
            message += EXTRACTION_NOTE
    return Finding(
        rule=hit.rule,
        severity=severity,
        kind=hit.kind,
        message=message,
        cells=list(hit.cells),
        where=where(hit.cells),
        section=hit.section,
        key=hit.key,
        params={k: v for k, v in hit.params.items() if isinstance(v, (str, int, float))},
    )


def catalogue_rows() -> list[tuple[str, str, str]]:
    """(id, severity, title) of every rule, for documentation and `--help`."""
    return [(r.id, r.severity, r.title) for r in RULES.values()]
