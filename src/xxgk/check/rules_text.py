"""Narrative against tables, by deterministic patterns: N1 numbers and percentages, N2 zero-claims,
N3 信息处理费, N4 flow sentences, N5 years and self-reference, N6 unfilled placeholders.

Claims read by the LLM (``xxgk.llm.claims``, already verified against the source text) arrive as data
in ``report.extra["llm_claims"]``; N1/N2/N4 judge them alongside the patterns' own, deduplicated.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from .. import template as T
from ..models import Report
from ..parse.numbers import fold, normalize
from .base import CellRef, Ctx, Hit, close, label_of, num, ref, table_format
from .rules_table import b_compressed

_GAP = re.compile(r"\s+(?=[^\x00-\x7f])|(?<=[^\x00-\x7f])\s+")
N = r"(\d+(?:\.\d+)?)"
REQ = r"(?:各类)?(?:政府信息公开申请|依申请公开申请|信息公开申请|依申请公开|申请)"
SUM = r"(?:共计|总计|合计|共|计)?"
PCT = re.compile(r"^\s*(?:[(]|[,，]?(?:占[^,，。;；%]{0,8}?)?)\s*(\d+(?:\.\d+)?)\s*%")
# Words before a claim that widen its scope beyond this agency's tables (全县, 各部门, 代表…).
SCOPE = re.compile(r"全(?:县|市|区|省|镇|乡|州|盟|旗)|各(?:部门|单位|级|镇|乡|街道)|系统内|代表|全系统")

# (pattern with one number group, target, strict): strict claims name a table row unambiguously.
# Order matters: a longer phrase must come before its parts (予以公开及部分公开 before 部分公开).
CLAIMS: tuple[tuple[str, str, bool, str], ...] = (
    ("N1", "new", True, rf"新收(?:到)?{REQ}{SUM}{N}件"),
    ("N4", "received", False, rf"(?:收到|接到|受理){REQ}{SUM}{N}件"),
    ("N4", "carried_over", True, rf"上年(?:度)?结转(?:的)?(?:政府信息公开申请|申请)?{SUM}{N}件"),
    ("N4", "carried_forward", True, rf"(?:结转|转|顺延)(?:至|到)?下(?:一)?年(?:度)?(?:继续)?(?:办理|处理)?(?:答复)?(?:的)?(?:有|共)?{N}件"),
    ("N4", "carried_forward", True, rf"{N}件(?:申请)?(?:顺延|结转)(?:至|到)?下(?:一)?年"),
    ("N4", "total", False, rf"(?:办结|办理完毕|共办理|共答复|(?<!公开)(?<!处理)(?<!予以)答复){REQ}?{SUM}{N}件"),
    ("N1", "granted_partial", False, rf"予以公开(?:和|及|与|、)部分公开{SUM}{N}件"),
    ("N1", "granted", False, rf"予以公开(?:答复)?{SUM}{N}件"),
    ("N1", "partial", False, rf"部分公开(?:答复)?{SUM}{N}件"),
    ("N1", "denied", False, rf"不予公开(?:答复)?{SUM}{N}件"),
    ("N1", "unable", False, rf"无法提供(?:的)?(?:答复)?{SUM}{N}件"),
    ("N1", "rejected", False, rf"不予处理(?:的)?{SUM}{N}件"),
    ("N1", "other", False, rf"其他处理(?:的)?{SUM}{N}件"),
    ("N1", "review", False, rf"行政复议(?:案件)?(?:数)?(?:为)?{SUM}{N}件"),
    ("N1", "review", False, rf"{N}件(?:涉及政府信息公开(?:工作)?的)?行政复议"),
    ("N1", "litigation", False, rf"行政诉讼(?:案件)?(?:数)?(?:为)?{SUM}{N}件"),
)
# The lookahead lets the scan skip, cheaply, every position where no claim can start.
_CLAIM_RE = re.compile("(?=[新收接受上结转顺办共答予部不无其行0-9])(?:" + "|".join(f"(?P<c{i}>{p})" for i, (_, _, _, p) in enumerate(CLAIMS)) + ")")
TARGET_NAMES: dict[str, str] = {
    "new": "本年新收",
    "received": "本年新收（或新收+上年结转）",
    "carried_over": "上年结转",
    "carried_forward": "结转下年度",
    "total": "（七）总计",
    "granted_partial": "予以公开+部分公开",
    "granted": "予以公开",
    "partial": "部分公开",
    "denied": "不予公开（8项之和）",
    "unable": "无法提供（3项之和）",
    "rejected": "不予处理（5项之和）",
    "other": "其他处理",
    "review": "行政复议总计",
    "litigation": "行政诉讼总计（直接起诉+复议后起诉）",
}

_NEGATION = re.compile(r"未|没有|无|为(?:零|0)")
NO_REQUESTS = re.compile(r"(?:未|没有)(?:收到|受理|接到|发生)(?:任何)?[^，。；,;]{0,8}?申请|无(?:政府信息公开|依申请公开)申请|申请(?:数量)?为(?:零|0)(?:件)?")
NO_CASES = re.compile(r"(?:未|没有|无)(?:发生|产生|出现|收到|接到|涉及|有)[^，。；,;]{0,20}?(?:行政复议|行政诉讼)|无(?:政府信息公开)?(?:行政复议|行政诉讼)")
NO_CASES_EXCEPT = re.compile(r"纠错|纠正|败诉|撤销|确认违法|被诉|未经复议")
NO_NORMATIVE = re.compile(r"(?:未|没有)(?:制发|出台|制定)(?:行政)?规范性文件")
NO_FEE = re.compile(r"(?:未|没有|不存在|无)(?:收取|产生)?[^，。；,;]{0,8}?(?:信息处理费|处理费|信息公开收费)")
FEE_AMOUNT = re.compile(rf"收取[^，。；,;]{{0,16}}?(?:信息处理费|处理费)(?:共计|共|合计|计)?{N}元")
TITLE_YEAR = re.compile(r"(\d{4})\s*年")
PERIOD = re.compile(r"统计(?:期限|周期|时限|时间|区间)[^。]{0,16}?(\d{4})年1月1日[^。]{0,8}?(?:(\d{4})年)?12月31日")
SELF_REF = re.compile(r"本(局|委|办|厅)")
# Placeholders of an unfinished template: a unit with only spaces before it, XX, empty brackets, blank dates.
PLACEHOLDERS = re.compile(
    r"(?:信息|文件|申请|政策|公开|发布|收到|受理|办结|共计|共)[ \t\u3000]+(?:条|件|个|篇|次|万元|元)(?=[，。；、,.;\s]|$)"
    r"|[XＸ×]{2,}|某某"
    r"|[（(【\[][ \t\u3000]*[）)】\]]"
    r"|年[ \t\u3000]+月[ \t\u3000]*日|月[ \t\u3000]+日"
)


@lru_cache(maxsize=256)
def flat(text: str) -> str:
    """Narrative text for matching: NFKC, no thousands separators, no spaces or line breaks around CJK."""
    return _GAP.sub("", fold(_nfkc(text)))


@dataclass(frozen=True)
class Claim:
    """A number stated in the narrative, the table quantity it names, and where it was said."""

    rule: str
    target: str
    value: float
    strict: bool
    quote: str
    section: str
    percent: str | None = None
    via: str = "rules"  # "llm": read by the model (xxgk.llm.claims) and verified against the text


# The rule a claim's target belongs to (N4 for flow quantities); table cells ("table_b.new.total") are N1.
RULE_OF: dict[str, str] = {target: rule for rule, target, _, _ in CLAIMS}
# LLM claims of zero on these targets are N2's (未收到申请, 未发生复议诉讼, 未制发规范性文件).
ZERO_TARGETS = ("new", "review", "litigation", "table_a.normative_docs.issued", "table_a.normative_docs.made")
LLM_NOTE = "（此说法由 LLM 从正文读出，原文已核对）"


def llm_claims(report: Report) -> tuple[Claim, ...]:
    """The LLM's verified claims stored on the report (``extra["llm_claims"]``); malformed entries are skipped."""
    raw = report.extra.get("llm_claims")
    if not isinstance(raw, list):
        return ()
    out: list[Claim] = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        target, value, quote, section = item.get("target"), item.get("value"), item.get("quote"), item.get("section")
        if not isinstance(target, str) or not isinstance(quote, str) or not isinstance(section, str):
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not target_known(target):
            continue
        percent = item.get("percent")
        out.append(
            Claim(
                RULE_OF.get(target, "N1"),
                target,
                float(value),
                bool(item.get("strict", False)),
                quote,
                section,
                str(percent) if isinstance(percent, (int, float, str)) and not isinstance(percent, bool) else None,
                via="llm",
            )
        )
    return tuple(out)


def all_claims(report: Report, key: str, text: str) -> list[Claim]:
    """A section's pattern claims, then the LLM's claims for it that the patterns did not already make."""
    own = list(section_claims(key, text))
    seen: list[Claim] = list(own)
    for c in llm_claims(report):
        if c.section != key:
            continue
        q = flat(c.quote)
        if any(close(d.value, c.value) and (d.target == c.target or flat(d.quote) in q or q in flat(d.quote)) for d in seen):
            continue
        seen.append(c)
        own.append(c)
    return own


def target_known(target: str) -> bool:
    """A named quantity (TARGET_NAMES) or a cell ``table.row.column``."""
    if target in TARGET_NAMES:
        return True
    parts = target.split(".")
    return len(parts) == 3 and parts[0] in ("table_a", "table_b", "table_c")


def target_name(report: Report, target: str) -> str:
    """The Chinese name of a claim's target."""
    if target in TARGET_NAMES:
        return TARGET_NAMES[target]
    table, row, column = target.split(".")
    return label_of(table, row, column, table_format(report, getattr(report.tables[table], "format", None)))


def _number(s: str) -> float:
    return float(s)


@lru_cache(maxsize=256)
def section_claims(section: str, text: str) -> tuple[Claim, ...]:
    """The numeric claims of one section's text (cached: N1 and N4 read the same claims)."""
    return tuple(claims(section, text))


def claims(section: str, text: str) -> Iterator[Claim]:
    """The numeric claims of one section's text."""
    t = flat(text)
    for m in _CLAIM_RE.finditer(t):
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        rule, target, strict, _ = CLAIMS[i]
        digits = re.search(r"\d+(?:\.\d+)?", m.group(0))
        if digits is None:
            continue
        before = t[max(0, m.start() - 14) : m.start()]
        scoped = bool(SCOPE.search(before + m.group(0)))
        pct = PCT.match(t[m.end() : m.end() + 16])
        yield Claim(rule, target, _number(digits.group(0)), strict and not scoped, m.group(0), section, pct.group(1) if pct else None)


def _sum(report: Report, table: str, cells: list[tuple[str, str]]) -> tuple[float, list[CellRef]] | None:
    t = report.tables[table]
    if not t.found:
        return None
    got = [t.cell(r, c) for r, c in cells]
    if not all(x.has_value for x in got):
        return None
    fmt = table_format(report, getattr(t, "format", None))
    return float(sum(x.value for x in got)), [ref(table, r, c, x, fmt) for (r, c), x in zip(cells, got)]  # type: ignore[misc]


def target_values(report: Report, target: str) -> list[tuple[float, list[CellRef]]]:
    """What the tables say for a claim's target: the acceptable values with their cells (empty: not assessable)."""
    if target not in TARGET_NAMES:
        if not target_known(target):
            return []
        table, row, column = target.split(".")
        one = _sum(report, table, [(row, column)])
        return [one] if one is not None else []
    tb = report.table_b
    fmt = table_format(report, tb.format)
    b = lambda *rows: _sum(report, "table_b", [(r, "total") for r in rows])  # noqa: E731
    group = lambda prefix: [r.key for r in T.table_b_rows(fmt, b_compressed(tb, fmt)) if r.key.startswith(prefix)]  # noqa: E731
    options: dict[str, Callable[[], list]] = {
        "new": lambda: [b("new")],
        "received": lambda: [b("new"), b("new", "carried_over")],
        "carried_over": lambda: [b("carried_over")],
        "carried_forward": lambda: [b("carried_forward")],
        "total": lambda: [b("total")],
        "granted_partial": lambda: [b("granted", "partial")],
        "granted": lambda: [b("granted")],
        "partial": lambda: [b("partial")],
        "denied": lambda: [b(*group("denied_"))],
        "unable": lambda: [b(*group("unable_"))],
        "rejected": lambda: [b(*group("rejected_"))],
        "other": lambda: [b(*group("other_"))],
        "review": lambda: [_sum(report, "table_c", [("review", "total")])],
        "litigation": lambda: [_sum(report, "table_c", [("litigation_direct", "total"), ("litigation_after_review", "total")])],
    }
    return [o for o in options[target]() if o is not None]


def _percent_ok(count: float, printed: str, bases: list[float]) -> bool:
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    p = float(printed)
    return any(base > 0 and abs(count / base * 100 - p) <= 10**-decimals + 1e-9 for base in bases)


def _narrative(report: Report) -> list[tuple[str, str]]:
    return [(s.key, s.text) for s in report.sections if s.text]


def n1_numbers(ctx: Ctx) -> list[Hit]:
    """N1: numbers stated in the text (新收, outcomes, 复议/诉讼) and percentages agree with the tables."""
    return _numbers(ctx, "N1")


def n4_flow(ctx: Ctx) -> list[Hit]:
    """N4: flow sentences (受理, 办结/答复, 上年结转, 结转/顺延下年度) agree with 表三."""
    return _numbers(ctx, "N4")


def _numbers(ctx: Ctx, rule: str) -> list[Hit]:
    """The claims of one rule compared with their cells; percentages are checked under N1."""
    report = ctx.report
    hits: list[Hit] = []
    bases: list[float] | None = None
    for key, text in _narrative(report):
        for c in all_claims(report, key, text):
            if c.rule != rule and not (rule == "N1" and c.percent is not None):
                continue
            if c.via == "llm" and c.value == 0 and c.target in ZERO_TARGETS:
                continue  # N2's
            options = target_values(report, c.target)
            if not options:
                continue
            name = target_name(report, c.target)
            via = {"via": "llm"} if c.via == "llm" else {}
            if c.rule == rule and not any(close(c.value, v) for v, _ in options):
                cells = tuple(r for _, refs in options[:1] for r in refs)
                table = "或".join(dict.fromkeys(num(v) for v, _ in options))
                hits.append(
                    Hit(c.rule, "mismatch" if c.strict else "mismatch_scope", {"quote": c.quote, "name": name, "table": table, **via}, cells, section=key)
                )
            if rule == "N1" and c.percent is not None:
                if bases is None:
                    bases = [v for t in ("total", "new") for v, _ in target_values(report, t)] + [
                        v for v, _ in target_values(report, "received")[1:]
                    ]
                if bases and not _percent_ok(c.value, c.percent, bases):
                    hits.append(Hit("N1", "percent", {"quote": f"{c.quote}（{c.percent}%）", "bases": "、".join(num(b) for b in bases), **via}, section=key))
    return hits


def _clauses(text: str) -> Iterator[str]:
    yield from (c for c in re.split(r"[，。；,;！!？?\n]", flat(text)) if c)


def n2_zero_claims(ctx: Ctx) -> list[Hit]:
    """N2: 未收到申请 ⇒ 新收 0; 无复议诉讼 ⇒ 表四 all 0; 未制发规范性文件 ⇒ 制发 0; 未收取 ⇒ no fee amount stated."""
    report = ctx.report
    hits: list[Hit] = []
    for key, text in _narrative(report):
        if not _NEGATION.search(flat(text)):
            continue
        for clause in _clauses(text):
            strict = not SCOPE.search(clause)
            m = NO_REQUESTS.search(clause)
            if m and "复议" not in clause and "诉讼" not in clause:
                for v, refs in target_values(report, "new")[:1]:
                    if v > 0:
                        hits.append(Hit("N2", "requests" if strict else "requests_scope", {"quote": clause, "value": num(v)}, tuple(refs), section=key))
            m = NO_CASES.search(clause)
            if m and not NO_CASES_EXCEPT.search(clause):
                hits.extend(_no_cases(report, key, clause, strict))
            if NO_NORMATIVE.search(clause):
                hits.extend(_no_normative(report, key, clause))
    hits.extend(_llm_zero_claims(report))
    fee = _stated_fee(report)
    if fee is not None and fee[0] > 0:
        for key, text in _narrative(report):
            for clause in _clauses(text):
                if NO_FEE.search(clause) and not FEE_AMOUNT.search(clause) and ("未收取" in clause or "不存在" in clause or "没有" in clause):
                    hits.append(Hit("N2", "fee", {"quote": clause, "fee": num(fee[0]), "fee_quote": fee[1]}, section=key))
    return hits


def _llm_zero_claims(report: Report) -> list[Hit]:
    """N2 for the LLM's zero claims that the patterns did not read (their clause matched no N2 pattern)."""
    hits: list[Hit] = []
    for c in llm_claims(report):
        if c.value != 0 or c.target not in ZERO_TARGETS:
            continue
        q = flat(c.quote)
        found: list[Hit] = []
        if c.target == "new" and not NO_REQUESTS.search(q):
            for v, refs in target_values(report, "new")[:1]:
                if v > 0:
                    found.append(Hit("N2", "requests" if c.strict else "requests_scope", {"quote": c.quote, "value": num(v)}, tuple(refs), section=c.section))
        elif c.target in ("review", "litigation") and not (NO_CASES.search(q) and not NO_CASES_EXCEPT.search(q)):
            word = "行政复议" if c.target == "review" else "行政诉讼"
            found.extend(_no_cases(report, c.section, q if word[2:] in q else f"{q}（{word}）", c.strict))
        elif c.target.startswith("table_a.") and not NO_NORMATIVE.search(q):
            found.extend(_no_normative(report, c.section, c.quote))
        for h in found:
            hits.append(Hit(h.rule, h.key, {**h.params, "quote": c.quote, "via": "llm"}, h.cells, h.kind, h.section))
    return hits


def _no_cases(report: Report, key: str, clause: str, strict: bool) -> list[Hit]:
    groups = []
    if "复议" in clause:
        groups.append("review")
    if "诉讼" in clause:
        groups += ["litigation_direct", "litigation_after_review"]
    tc = report.table_c
    if not tc.found:
        return []
    bad = [(g, c) for g in groups for c in T.C_COLUMN_KEYS if tc.cell(g, c).has_value and tc.cell(g, c).value != 0]
    if not bad:
        return []
    refs = tuple(ref("table_c", g, c, tc.cell(g, c)) for g, c in bad)
    cells = "、".join(f"{r.label}={num(r.value)}" for r in refs[:4])
    return [Hit("N2", "cases" if strict else "cases_scope", {"quote": clause, "cells": cells}, refs, section=key)]


def _no_normative(report: Report, key: str, clause: str) -> list[Hit]:
    ta = report.table_a
    fmt = table_format(report, ta.format)
    col = "issued" if fmt == "2021" else "made"
    cell = ta.cell("normative_docs", col)
    if not ta.found or not cell.has_value or cell.value == 0:
        return []
    r = ref("table_a", "normative_docs", col, cell, fmt)
    return [Hit("N2", "normative", {"quote": clause, "cell": r.label, "value": num(cell.value)}, (r,), section=key)]


def _stated_fee(report: Report) -> tuple[float, str] | None:
    for _, text in _narrative(report):
        m = FEE_AMOUNT.search(flat(text))
        if m:
            return float(m.group(1)), m.group(0)
    return None


def n3_fees(ctx: Ctx) -> list[Hit]:
    """N3: 信息处理费 > 0 needs at least one request; 逾期未缴费 > 0 should be explained with the fees in the text."""
    report = ctx.report
    hits: list[Hit] = []
    fee = _stated_fee(report)
    if fee is not None and fee[0] > 0:
        opened = target_values(report, "received")
        if len(opened) == 2 and opened[1][0] < 1:
            hits.append(Hit("N3", "fee_without_requests", {"quote": fee[1], "open": num(opened[1][0])}, tuple(opened[1][1])))
    tb = report.table_b
    cell = tb.cell("other_no_fee", "total")
    if tb.found and cell.has_value and cell.value > 0:  # type: ignore[operator]
        if not any("费" in text for _, text in _narrative(report)):
            r = ref("table_b", "other_no_fee", "total", cell, table_format(report, tb.format))
            hits.append(Hit("N3", "no_fee_unexplained", {"value": num(cell.value)}, (r,)))
    return hits


def _agency(report: Report) -> str:
    return unicodedata.normalize("NFKC", report.agency or report.title or "")


def n5_years_and_self(ctx: Ctx) -> list[Hit]:
    """N5: the title and statistics period name the report's year; no other kind of agency's 本局/本办/本委."""
    report = ctx.report
    hits: list[Hit] = []
    year = ctx.year
    if year is not None and report.title:
        m = TITLE_YEAR.search(normalize(report.title))
        if m and int(m.group(1)) != year:
            hits.append(Hit("N5", "title_year", {"title": report.title.strip(), "found": m.group(1), "year": year}))
    texts = _narrative(report)
    preamble = report.extra.get("preamble") if isinstance(report.extra.get("preamble"), str) else None
    if preamble:
        texts = [("preamble", preamble), *texts]
    if year is not None:
        for key, text in texts:
            for m in PERIOD.finditer(flat(text)):
                found = [int(g) for g in m.groups() if g]
                if any(y != year for y in found):
                    hits.append(Hit("N5", "period_year", {"quote": m.group(0), "year": year}, section=None if key == "preamble" else key))
    agency = _agency(report)
    if agency and "政府" not in agency[-4:]:
        seen: set[str] = set()
        for key, text in texts:
            for m in SELF_REF.finditer(flat(text)):
                kind = m.group(1)
                if kind not in agency and kind not in seen:
                    seen.add(kind)
                    hits.append(Hit("N5", "self_reference", {"word": m.group(0), "agency": agency}, section=None if key == "preamble" else key))
    return hits


@lru_cache(maxsize=256)
def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def n6_placeholders(ctx: Ctx) -> list[Hit]:
    """N6: no unfilled template placeholders (“主动公开信息  条”, XX, empty brackets, blank dates)."""
    hits: list[Hit] = []
    for key, text in _narrative(ctx.report):
        t = _nfkc(text)
        for m in PLACEHOLDERS.finditer(t):
            context = t[max(0, m.start() - 12) : m.end() + 4].replace("\n", " ").strip()
            hits.append(Hit("N6", "placeholder", {"quote": context, "token": m.group(0).strip() or m.group(0)}, section=key))
    return hits
