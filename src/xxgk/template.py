"""The national format of 政府信息公开工作年度报告 as data: sections, tables, rows, columns, labels.

Two formats exist (FORMAT.md §2, §3):

* ``"2021"`` — 国办公开办函〔2021〕30号, used from the 2021 reports on;
* ``"2019"`` — the trial format of 国办公开办函〔2019〕60号, used for 2019 and 2020.

Every other module (parser, checker, prompts, exports, eval scorer) takes keys and labels from here.
Keys are the stable English identifiers of FORMAT.md; labels are the official Chinese wording; variants
are wordings seen in real documents (typos, the 条例 wording, OCR confusions).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

FormatId = Literal["2021", "2019"]
FORMATS: tuple[FormatId, ...] = ("2021", "2019")


def format_for_year(year: int | None) -> FormatId | None:
    """The format a report for ``year`` must use (None before 2019: no national format)."""
    if year is None:
        return None
    if year >= 2021:
        return "2021"
    if year >= 2019:
        return "2019"
    return None


@dataclass(frozen=True)
class Label:
    """One row, column or section: its key, official label, and wordings seen instead."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    short: str = ""  # a short Chinese name for messages, e.g. "予以公开"

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.variants)

    @property
    def display(self) -> str:
        return self.short or self.label


# ---------------------------------------------------------------------------------------------
# Sections 一 … 六
# ---------------------------------------------------------------------------------------------

SECTIONS: tuple[Label, ...] = (
    Label("overview", "总体情况", ("基本情况", "概述"), "总体情况"),
    Label("proactive", "主动公开政府信息情况", ("主动公开政府信息", "主动公开情况"), "主动公开"),
    Label(
        "requests",
        "收到和处理政府信息公开申请情况",
        ("收到和处理政府信息公开申请", "依申请公开政府信息情况", "收到和处理政府信息公开申请的情况"),
        "依申请公开",
    ),
    Label(
        "review_litigation",
        "政府信息公开行政复议、行政诉讼情况",
        (
            "因政府信息公开工作被申请行政复议和提起行政诉讼情况",
            "因政府信息公开工作被申请行政复议、提起行政诉讼情况",
            "政府信息公开行政复议和行政诉讼情况",
            "政府信息公开行政复议行政诉讼情况",
            "行政复议、行政诉讼情况",
        ),
        "复议诉讼",
    ),
    Label(
        "problems",
        "存在的主要问题及改进情况",
        (
            "政府信息公开工作存在的主要问题及改进情况",
            "存在问题及改进情况",
            "存在的主要问题和改进情况",
            "存在的主要问题及改进措施",
            "主要问题及改进情况",
            "存在的问题及改进情况",
        ),
        "问题及改进",
    ),
    Label(
        "other",
        "其他需要报告的事项",
        ("其他需要报告事项", "其它需要报告的事项", "其他需要说明的事项", "其他事项"),
        "其他事项",
    ),
)
SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in SECTIONS)
SECTION_NUMERALS: tuple[str, ...] = ("一", "二", "三", "四", "五", "六")
SECTION_BY_KEY: dict[str, Label] = {s.key: s for s in SECTIONS}

# Topics §一 should cover (S1b); governments add 考核/评议/追责.
OVERVIEW_TOPICS: tuple[str, ...] = ("主动公开", "依申请公开", "政府信息管理", "平台建设", "监督保障")
OVERVIEW_GOVERNMENT_TOPICS: tuple[str, ...] = ("考核", "评议", "追责")


# ---------------------------------------------------------------------------------------------
# Table A — 主动公开政府信息情况
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ARow:
    """A Table A row: its block (第二十条第（x）项) and the columns it has."""

    row: Label
    block: str  # "（一）", "（五）", …
    columns: tuple[Label, ...]


A21_DOC_COLS = (
    Label("issued", "本年制发件数", ("本年新制发件数", "本年制发数量"), "制发"),
    Label("repealed", "本年废止件数", ("本年废止数量",), "废止"),
    Label("in_force", "现行有效件数", ("现行有效数量",), "现行有效"),
)
A21_DECISION_COLS = (Label("decisions", "本年处理决定数量", ("本年处理决定件数", "处理决定数量"), "处理决定"),)
A21_FEE_COLS = (Label("amount_wan", "本年收费金额（单位：万元）", ("本年收费金额", "收费金额（万元）"), "收费金额"),)

A19_DOC_COLS = (
    Label("made", "本年新制作数量", (), "新制作"),
    Label("published", "本年新公开数量", (), "新公开"),
    Label("total_published", "对外公开总数量", (), "对外公开总数"),
)
A19_ITEM_COLS = (
    Label("prev_items", "上一年项目数量", (), "上年项目数"),
    Label("delta", "本年增/减", ("本年增减",), "增减"),
    Label("decisions", "处理决定数量", ("本年处理决定数量",), "处理决定"),
)
A19_FEE_COLS = A19_ITEM_COLS[:2]
A19_PROCUREMENT_COLS = (
    Label("projects", "采购项目数量", (), "采购项目数"),
    Label("amount", "采购总金额", (), "采购总金额"),
)

_RULES = Label("rules", "规章", (), "规章")
_LICENSING = Label("licensing", "行政许可", (), "行政许可")
_PENALTY = Label("penalty", "行政处罚", (), "行政处罚")
_COERCION = Label("coercion", "行政强制", (), "行政强制")
_FEES = Label("admin_fees", "行政事业性收费", ("行政事业型收费",), "行政事业性收费")

TABLE_A: dict[FormatId, tuple[ARow, ...]] = {
    "2021": (
        ARow(_RULES, "（一）", A21_DOC_COLS),
        ARow(Label("normative_docs", "行政规范性文件", ("规范性文件",), "行政规范性文件"), "（一）", A21_DOC_COLS),
        ARow(_LICENSING, "（五）", A21_DECISION_COLS),
        ARow(_PENALTY, "（六）", A21_DECISION_COLS),
        ARow(_COERCION, "（六）", A21_DECISION_COLS),
        ARow(_FEES, "（八）", A21_FEE_COLS),
    ),
    "2019": (
        ARow(_RULES, "（一）", A19_DOC_COLS),
        ARow(Label("normative_docs", "规范性文件", ("行政规范性文件",), "规范性文件"), "（一）", A19_DOC_COLS),
        ARow(_LICENSING, "（五）", A19_ITEM_COLS),
        ARow(Label("other_services", "其他对外管理服务事项", (), "其他对外管理服务事项"), "（五）", A19_ITEM_COLS),
        ARow(_PENALTY, "（六）", A19_ITEM_COLS),
        ARow(_COERCION, "（六）", A19_ITEM_COLS),
        ARow(_FEES, "（八）", A19_FEE_COLS),
        ARow(Label("procurement", "政府集中采购", (), "政府集中采购"), "（九）", A19_PROCUREMENT_COLS),
    ),
}
TABLE_A_BLOCK_LABEL = "第二十条第{block}项"
TABLE_A_HEADER = "信息内容"
# Columns whose values are money, not counts, and the unit the column is printed in.
MONEY_COLUMNS: dict[str, str] = {"amount_wan": "万元", "amount": "万元"}


def table_a_rows(fmt: FormatId) -> tuple[ARow, ...]:
    return TABLE_A[fmt]


def table_a_cells(fmt: FormatId) -> list[tuple[str, str]]:
    """Every (row key, column key) of Table A in reading order."""
    return [(r.row.key, c.key) for r in TABLE_A[fmt] for c in r.columns]


# ---------------------------------------------------------------------------------------------
# Table B — 收到和处理政府信息公开申请情况
# ---------------------------------------------------------------------------------------------

TABLE_B_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

B_COLUMNS: tuple[Label, ...] = (
    Label("natural_person", "自然人", (), "自然人"),
    Label("commercial", "商业企业", ("商业", "企业"), "商业企业"),
    Label("research", "科研机构", ("科研",), "科研机构"),
    Label("social_welfare", "社会公益组织", ("社会公益", "公益组织"), "社会公益组织"),
    Label("legal_service", "法律服务机构", ("法律服务",), "法律服务机构"),
    Label("other_org", "其他", ("其它",), "其他"),
    Label("total", "总计", ("合计", "总 计"), "总计"),
)
B_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in B_COLUMNS)
B_APPLICANT_KEYS: tuple[str, ...] = B_COLUMN_KEYS[:6]
B_LEGAL_PERSON_GROUP = "法人或其他组织"


@dataclass(frozen=True)
class BRow:
    """A Table B data row: key, label, the group it sits in, and whether it is an outcome leaf."""

    row: Label
    group: str = ""  # "（三）不予公开" etc. for leaves under a group label
    leaf: bool = False

    @property
    def key(self) -> str:
        return self.row.key


# Group labels carry no data (FORMAT.md §2.2).
B_GROUPS: tuple[Label, ...] = (
    Label("results", "三、本年度办理结果", ("本年度办理结果",), "本年度办理结果"),
    Label("denied", "（三）不予公开", (), "不予公开"),
    Label("unable", "（四）无法提供", (), "无法提供"),
    Label("rejected", "（五）不予处理", (), "不予处理"),
    Label("other", "（六）其他处理", (), "其他处理"),
)

_B_HEAD = (
    BRow(Label("new", "一、本年新收政府信息公开申请数量", ("本年新收政府信息公开申请数量",), "本年新收")),
    BRow(Label("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转政府信息公开申请数量",), "上年结转")),
    BRow(Label("granted", "（一）予以公开", (), "予以公开"), leaf=True),
    BRow(
        Label(
            "partial",
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            ("（二）部分公开",),
            "部分公开",
        ),
        leaf=True,
    ),
    BRow(Label("denied_state_secret", "1.属于国家秘密", (), "属于国家秘密"), "（三）不予公开", True),
    BRow(
        Label("denied_law_forbidden", "2.其他法律行政法规禁止公开", ("2.其他法律行政止公开",), "其他法律行政法规禁止公开"),
        "（三）不予公开",
        True,
    ),
    BRow(Label("denied_three_safety", "3.危及“三安全一稳定”", ('3.危及"三安全一稳定"',), "危及“三安全一稳定”"), "（三）不予公开", True),
    BRow(Label("denied_third_party", "4.保护第三方合法权益", (), "保护第三方合法权益"), "（三）不予公开", True),
    BRow(Label("denied_internal", "5.属于三类内部事务信息", (), "属于三类内部事务信息"), "（三）不予公开", True),
    BRow(Label("denied_process", "6.属于四类过程性信息", (), "属于四类过程性信息"), "（三）不予公开", True),
    BRow(Label("denied_enforcement_file", "7.属于行政执法案卷", (), "属于行政执法案卷"), "（三）不予公开", True),
    BRow(Label("denied_query", "8.属于行政查询事项", (), "属于行政查询事项"), "（三）不予公开", True),
    BRow(Label("unable_not_held", "1.本机关不掌握相关政府信息", (), "本机关不掌握相关政府信息"), "（四）无法提供", True),
    BRow(Label("unable_need_create", "2.没有现成信息需要另行制作", (), "没有现成信息需要另行制作"), "（四）无法提供", True),
    BRow(Label("unable_unclear", "3.补正后申请内容仍不明确", (), "补正后申请内容仍不明确"), "（四）无法提供", True),
    BRow(Label("rejected_complaint", "1.信访举报投诉类申请", (), "信访举报投诉类申请"), "（五）不予处理", True),
    BRow(Label("rejected_repeat", "2.重复申请", (), "重复申请"), "（五）不予处理", True),
    BRow(Label("rejected_publication", "3.要求提供公开出版物", (), "要求提供公开出版物"), "（五）不予处理", True),
    BRow(Label("rejected_mass", "4.无正当理由大量反复申请", (), "无正当理由大量反复申请"), "（五）不予处理", True),
    BRow(
        Label("rejected_confirm", "5.要求行政机关确认或重新出具已获取信息", (), "要求行政机关确认或重新出具已获取信息"),
        "（五）不予处理",
        True,
    ),
)
_B_OTHER_LEAVES = (
    BRow(
        Label(
            "other_no_correction",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            (),
            "逾期不补正",
        ),
        "（六）其他处理",
        True,
    ),
    BRow(
        Label(
            "other_no_fee",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            (),
            "逾期未缴费",
        ),
        "（六）其他处理",
        True,
    ),
    BRow(Label("other_other", "3.其他", ("3.其它",), "其他处理·其他"), "（六）其他处理", True),
)
B_OTHER_COMBINED = BRow(Label("other_combined", "（六）其他处理", ("（六）其它处理",), "其他处理"), leaf=True)
_B_TAIL = (
    BRow(Label("total", "（七）总计", ("（七）合计", "总计"), "总计")),
    BRow(
        Label(
            "carried_forward",
            "四、结转下年度继续办理",
            ("结转下年度继续办理", "四、本年度止件数", "本年度止件数"),
            "结转下年度",
        )
    ),
)

TABLE_B: dict[FormatId, tuple[BRow, ...]] = {
    "2021": (*_B_HEAD, *_B_OTHER_LEAVES, *_B_TAIL),
    "2019": (*_B_HEAD, B_OTHER_COMBINED, *_B_TAIL),
}
# A 2021+ report that still prints the single （六） row (FORMAT.md §3 "Compressed （六）").
TABLE_B_COMPRESSED: tuple[BRow, ...] = TABLE_B["2019"]
B_OTHER_LEAF_KEYS: tuple[str, ...] = tuple(r.key for r in _B_OTHER_LEAVES)


def table_b_rows(fmt: FormatId, compressed_other: bool = False) -> tuple[BRow, ...]:
    """The numeric rows of Table B in printed order (25 for 2021, 23 for 2019 or compressed)."""
    if fmt == "2021" and not compressed_other:
        return TABLE_B["2021"]
    return TABLE_B["2019"]


def table_b_leaves(fmt: FormatId, compressed_other: bool = False) -> tuple[str, ...]:
    """Keys of the outcome leaves whose sum is （七）总计 (21, or 19 with other_combined)."""
    return tuple(r.key for r in table_b_rows(fmt, compressed_other) if r.leaf)


B_ROW_BY_KEY: dict[str, BRow] = {r.key: r for r in (*TABLE_B["2021"], B_OTHER_COMBINED)}


# ---------------------------------------------------------------------------------------------
# Table C — 政府信息公开行政复议、行政诉讼情况
# ---------------------------------------------------------------------------------------------

C_GROUPS: tuple[Label, ...] = (
    Label("review", "行政复议", (), "行政复议"),
    Label("litigation_direct", "未经复议直接起诉", ("行政诉讼未经复议直接起诉",), "未经复议直接起诉"),
    Label("litigation_after_review", "复议后起诉", ("行政诉讼复议后起诉",), "复议后起诉"),
)
C_COLUMNS: tuple[Label, ...] = (
    Label("upheld", "结果维持", ("维持",), "结果维持"),
    Label("corrected", "结果纠正", ("纠正",), "结果纠正"),
    Label("other", "其他结果", (), "其他结果"),
    Label("pending", "尚未审结", (), "尚未审结"),
    Label("total", "总计", ("合计",), "总计"),
)
C_GROUP_KEYS: tuple[str, ...] = tuple(g.key for g in C_GROUPS)
C_COLUMN_KEYS: tuple[str, ...] = tuple(c.key for c in C_COLUMNS)
C_LITIGATION = "行政诉讼"


def table_c_cells() -> list[tuple[str, str]]:
    """Every (group key, column key) of Table C in printed order (15 cells)."""
    return [(g, c) for g in C_GROUP_KEYS for c in C_COLUMN_KEYS]


# ---------------------------------------------------------------------------------------------
# Lookup helpers
# ---------------------------------------------------------------------------------------------

TABLE_NAMES: dict[str, str] = {"table_a": "表二 主动公开", "table_b": "表三 依申请公开", "table_c": "表四 复议诉讼"}


@dataclass(frozen=True)
class CellLabel:
    """Chinese names of one cell, for messages: e.g. 表三 （七）总计 / 科研机构."""

    table: str
    row: str
    column: str
    row_label: str
    column_label: str
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{TABLE_NAMES.get(self.table, self.table)} {self.row_label}/{self.column_label}"


def cell_label(table: str, row: str, column: str, fmt: FormatId = "2021") -> CellLabel:
    """The Chinese labels of a cell named by its keys."""
    if table == "table_b":
        r = B_ROW_BY_KEY[row].row.display
        c = next(col.display for col in B_COLUMNS if col.key == column)
    elif table == "table_c":
        r = next(g.display for g in C_GROUPS if g.key == row)
        c = next(col.display for col in C_COLUMNS if col.key == column)
    elif table == "table_a":
        arow = next((a for f in (fmt, *FORMATS) for a in TABLE_A[f] if a.row.key == row), None)
        if arow is None:
            raise KeyError(row)
        r = arow.row.display
        c = next((col.display for f in (fmt, *FORMATS) for a in TABLE_A[f] for col in a.columns if col.key == column), column)
    else:
        raise KeyError(table)
    return CellLabel(table, row, column, r, c)
