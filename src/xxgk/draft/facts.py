"""Facts a section 五 may rest on: this year's figures with their history, shares, checker findings, last years' items.

Every number a draft prints must be one of a fact's ``numbers`` (see ``grounding``). Facts are pure data
computed from Reports; nothing here reads files.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..models import Report, Table
from .items import Item, parse_items
from .overlap import unwrap

FactKind = Literal["year", "figure", "share", "finding", "prior_item"]


class Fact(BaseModel):
    """One thing known about the agency's year: a figure (with prior years'), a share, a finding or a prior item."""

    id: str  # "b.new", "share.not_held", "check.N4.0", "prior.2023.problem.1", "year.2024"
    kind: FactKind
    label: str  # Chinese name: "本年新收政府信息公开申请"
    text: str  # the fact as one Chinese statement, shown under the draft
    value: float | None = None  # this year's value (a share in percent)
    unit: str = ""  # 件, %, 万元, 元
    history: dict[int, float] = Field(default_factory=dict)  # prior years' values
    numbers: list[str] = Field(default_factory=list)  # the printed numbers a draft may cite for this fact
    category: str | None = None  # for prior items
    severity: str | None = None  # for findings
    params: dict[str, str] = Field(default_factory=dict)  # a finding's parameters (quote, table value …)

    @property
    def last(self) -> float | None:
        """Last year's value, where known."""
        return self.history[max(self.history)] if self.history else None

    @property
    def change(self) -> float | None:
        if self.value is None or self.last is None:
            return None
        return self.value - self.last

    @property
    def change_pct(self) -> float | None:
        if self.change is None or not self.last:
            return None
        return self.change / self.last * 100


class Facts(BaseModel):
    """Everything the drafter knows: the agency, the year, the facts, last years' section 五 and its items."""

    agency: str | None = None
    year: int | None = None
    prior_years: list[int] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    prior_sections: dict[int, str] = Field(default_factory=dict)  # year → §五 text, for overlap
    prior_items: list[Item] = Field(default_factory=list)  # items of every prior §五
    current_section: str = ""  # this year's §五 as printed, if any (for critique)

    def get(self, fid: str) -> Fact | None:
        return next((f for f in self.facts if f.id == fid), None)

    def value(self, fid: str) -> float | None:
        f = self.get(fid)
        return f.value if f else None

    def of_kind(self, kind: FactKind) -> list[Fact]:
        return [f for f in self.facts if f.kind == kind]

    @property
    def last_year(self) -> int | None:
        return max(self.prior_years) if self.prior_years else None

    def last_problems(self) -> list[Item]:
        """The problems of last year's §五 (the most recent prior year that has any)."""
        for y in sorted(self.prior_years, reverse=True):
            found = [i for i in self.prior_items if i.year == y and i.kind == "problem"]
            if found:
                return found
        return []

    def last_measures(self) -> list[Item]:
        for y in sorted(self.prior_years, reverse=True):
            found = [i for i in self.prior_items if i.year == y and i.kind == "measure"]
            if found:
                return found
        return []


# ------------------------------------------------------------------------------------ formatting


def fmt_num(v: float, digits: int = 2) -> str:
    """A figure as printed: integers plain, decimals trimmed."""
    if float(v).is_integer():
        return str(int(v))
    return f"{v:.{digits}f}".rstrip("0").rstrip(".")


def fmt_pct(v: float) -> str:
    return f"{v:.1f}%"


# ------------------------------------------------------------------------------------ figures

Getter = Callable[[Report], float | None]


def _cell(table: str, row: str, col: str) -> Getter:
    def get(r: Report) -> float | None:
        t: Table = getattr(r, table)
        return t.value(row, col) if t.found else None

    return get


def _sum(*getters: Getter, partial: bool = False) -> Getter:
    def get(r: Report) -> float | None:
        vals = [g(r) for g in getters]
        known = [v for v in vals if v is not None]
        if not known or (not partial and len(known) < len(vals)):
            return None
        return float(sum(known))

    return get


def _first(*getters: Getter) -> Getter:
    def get(r: Report) -> float | None:
        return next((v for v in (g(r) for g in getters) if v is not None), None)

    return get


def _c_total(*groups: str) -> Getter:
    """A Table C total, only where the printed total equals its four parts (C1): a broken total is no fact."""

    def get(r: Report) -> float | None:
        out = 0.0
        for g in groups:
            parts = [r.table_c.value(g, c) for c in ("upheld", "corrected", "other", "pending")]
            total = r.table_c.value(g, "total") if r.table_c.found else None
            if total is None or any(p is None for p in parts) or abs(sum(parts) - total) > 1e-9:  # type: ignore[arg-type]
                return None
            out += total
        return out

    return get


def _b(row: str, col: str = "total") -> Getter:
    return _cell("table_b", row, col)


_DENIED = ("denied_state_secret", "denied_law_forbidden", "denied_three_safety", "denied_third_party", "denied_internal", "denied_process", "denied_enforcement_file", "denied_query")
_UNABLE = ("unable_not_held", "unable_need_create", "unable_unclear")
_REJECTED = ("rejected_complaint", "rejected_repeat", "rejected_publication", "rejected_mass", "rejected_confirm")
_ORGS = ("commercial", "research", "social_welfare", "legal_service", "other_org")


def _other(r: Report) -> float | None:
    combined = _b("other_combined")(r)
    if combined is not None:
        return combined
    return _sum(_b("other_no_correction"), _b("other_no_fee"), _b("other_other"))(r)


_FEE = re.compile(r"收取[^，。；,;]{0,20}?(?:信息处理费|处理费)(?:共计|共|合计|计|为)?\s*(\d+(?:\.\d+)?)\s*元")
_NO_FEE = re.compile(r"(?:未|没有|无)(?:收取|产生)?[^，。；,;]{0,8}?(?:信息处理费|处理费)")


def _fee(r: Report) -> float | None:
    s = r.section("other")
    if s is None:
        return None
    t = unwrap(s.text)
    m = _FEE.search(t)
    if m:
        return float(m.group(1))
    return 0.0 if _NO_FEE.search(t) else None


# (id, label, unit, getter). Labels are the Chinese names a reader knows from the tables.
FIGURES: tuple[tuple[str, str, str, Getter], ...] = (
    ("b.new", "本年新收政府信息公开申请", "件", _b("new")),
    ("b.new_orgs", "法人或其他组织提出的新收申请", "件", _sum(*(_b("new", c) for c in _ORGS))),
    ("b.carried_over", "上年结转申请", "件", _b("carried_over")),
    ("b.total", "本年办结申请（（七）总计）", "件", _b("total")),
    ("b.carried_forward", "结转下年度继续办理的申请", "件", _b("carried_forward")),
    ("b.granted", "予以公开", "件", _b("granted")),
    ("b.partial", "部分公开", "件", _b("partial")),
    ("b.granted_partial", "予以公开和部分公开", "件", _sum(_b("granted"), _b("partial"))),
    ("b.denied", "不予公开", "件", _sum(*(_b(k) for k in _DENIED))),
    ("b.unable", "无法提供", "件", _sum(*(_b(k) for k in _UNABLE))),
    ("b.unable_not_held", "因本机关不掌握相关政府信息而无法提供", "件", _b("unable_not_held")),
    ("b.unable_need_create", "因没有现成信息需要另行制作而无法提供", "件", _b("unable_need_create")),
    ("b.rejected", "不予处理", "件", _sum(*(_b(k) for k in _REJECTED))),
    ("b.rejected_complaint", "信访举报投诉类申请（不予处理）", "件", _b("rejected_complaint")),
    ("b.other", "其他处理", "件", _other),
    ("c.review_total", "政府信息公开行政复议", "件", _c_total("review")),
    ("c.review_corrected", "行政复议结果纠正", "件", _cell("table_c", "review", "corrected")),
    (
        "c.litigation_total",
        "政府信息公开行政诉讼（直接起诉与复议后起诉）",
        "件",
        _c_total("litigation_direct", "litigation_after_review"),
    ),
    (
        "c.litigation_corrected",
        "行政诉讼结果纠正",
        "件",
        _sum(_cell("table_c", "litigation_direct", "corrected"), _cell("table_c", "litigation_after_review", "corrected")),
    ),
    ("a.normative_issued", "本年制发行政规范性文件", "件", _first(_cell("table_a", "normative_docs", "issued"), _cell("table_a", "normative_docs", "made"))),
    ("a.normative_repealed", "本年废止行政规范性文件", "件", _cell("table_a", "normative_docs", "repealed")),
    ("a.normative_in_force", "现行有效行政规范性文件", "件", _cell("table_a", "normative_docs", "in_force")),
    ("a.licensing", "行政许可处理决定", "件", _cell("table_a", "licensing", "decisions")),
    ("a.penalty", "行政处罚处理决定", "件", _cell("table_a", "penalty", "decisions")),
    ("a.coercion", "行政强制处理决定", "件", _cell("table_a", "coercion", "decisions")),
    ("a.fees", "行政事业性收费金额", "万元", _cell("table_a", "admin_fees", "amount_wan")),
    ("fee.collected", "收取信息处理费", "元", _fee),
)

# (id, label, numerator, denominator, base label)
SHARES: tuple[tuple[str, str, str, str, str], ...] = (
    ("share.not_held", "“本机关不掌握”占办结申请的比例", "b.unable_not_held", "b.total", "办结"),
    ("share.granted_partial", "予以公开和部分公开占办结申请的比例", "b.granted_partial", "b.total", "办结"),
    ("share.denied", "不予公开占办结申请的比例", "b.denied", "b.total", "办结"),
    ("share.carried_forward", "结转下年度占当年应办申请（新收＋上年结转）的比例", "b.carried_forward", "b.open", "应办"),
    ("share.review_corrected", "行政复议纠正占复议总数的比例", "c.review_corrected", "c.review_total", "复议"),
)


def _figure_fact(fid: str, label: str, unit: str, now: float | None, history: dict[int, float], year: int | None) -> Fact:
    parts = [f"{label}{fmt_num(now)}{unit}" if now is not None else f"{label}：表中无数"]
    numbers = [fmt_num(now)] if now is not None else []
    for y in sorted(history, reverse=True):
        numbers.append(fmt_num(history[y]))
    if history:
        last_y = max(history)
        last = history[last_y]
        parts.append(f"{last_y}年{fmt_num(last)}{unit}")
        if now is not None:
            diff = now - last
            if diff:
                numbers.append(fmt_num(abs(diff)))
                word = "增加" if diff > 0 else "减少"
                txt = f"{word}{fmt_num(abs(diff))}{unit}"
                if last:
                    pct = diff / last * 100
                    numbers.append(fmt_pct(abs(pct)))
                    txt += f"，{'增长' if diff > 0 else '下降'}{fmt_pct(abs(pct))}"
                    if now >= 2 * last > 0:
                        numbers.append(f"{now / last:.1f}倍")
                parts.append(txt)
            else:
                parts.append("与上年持平")
        for y in sorted(history, reverse=True)[1:]:
            parts.append(f"{y}年{fmt_num(history[y])}{unit}")
    text = parts[0] + ("（" + "；".join(parts[1:]) + "）" if len(parts) > 1 else "")
    return Fact(id=fid, kind="figure", label=label, text=text, value=now, unit=unit, history=history, numbers=list(dict.fromkeys(numbers)))


def _numbers_in(text: str) -> list[str]:
    return re.findall(r"\d+(?:\.\d+)?%?", unwrap(text))


def build_facts(current: Report, priors: Sequence[Report] = (), *, findings: bool = True) -> Facts:
    """The facts of ``current`` and its prior years' reports (same agency, earlier years; order does not matter)."""
    year = current.year
    priors = sorted((p for p in priors if p.year is None or year is None or p.year < year), key=lambda p: p.year or 0)
    prior_years = [p.year for p in priors if p.year is not None]
    facts: list[Fact] = []

    # years a draft may name: this year, the prior years, next year (for measures' deadlines)
    for y in sorted({*prior_years, *([year, year + 1] if year else [])}):
        facts.append(Fact(id=f"year.{y}", kind="year", label=f"{y}年", text=f"{y}年", value=y, numbers=[str(y)]))

    values: dict[str, float | None] = {}
    histories: dict[str, dict[int, float]] = {}
    for fid, label, unit, get in FIGURES:
        now = get(current)
        history = {p.year: v for p in priors if p.year is not None and (v := get(p)) is not None}
        values[fid] = now
        histories[fid] = history
        if now is None and not history:
            continue
        facts.append(_figure_fact(fid, label, unit, now, history, year))

    def open_requests(new: float | None, co: float | None) -> float | None:
        return None if new is None else new + (co or 0)

    values["b.open"] = open_requests(values["b.new"], values["b.carried_over"])
    histories["b.open"] = {
        y: o for y in histories["b.new"] if (o := open_requests(histories["b.new"].get(y), histories["b.carried_over"].get(y))) is not None
    }
    if values["b.open"] is not None and values["b.carried_over"]:
        facts.append(_figure_fact("b.open", "本年应办申请（新收＋上年结转）", "件", values["b.open"], histories["b.open"], year))

    for sid, label, num, den, _base in SHARES:
        n, d = values.get(num), values.get(den)
        now = n / d * 100 if n is not None and d else None
        history = {
            y: hn / hd * 100
            for y, hd in histories.get(den, {}).items()
            if hd and (hn := histories.get(num, {}).get(y)) is not None
        }
        if now is None:
            continue
        text = f"{label}为{fmt_pct(now)}（{fmt_num(n)}÷{fmt_num(d)}）"  # type: ignore[arg-type]
        numbers = [fmt_pct(now)]
        if history:
            last_y = max(history)
            text += f"；{last_y}年为{fmt_pct(history[last_y])}"
            numbers.append(fmt_pct(history[last_y]))
            diff = now - history[last_y]
            if round(diff, 1):
                numbers.append(f"{abs(diff):.1f}个百分点")
                text += f"，{'上升' if diff > 0 else '下降'}{abs(diff):.1f}个百分点"
        facts.append(Fact(id=sid, kind="share", label=label, text=text, value=now, unit="%", history=history, numbers=numbers))

    if findings:
        facts.extend(_finding_facts(current, priors[-1] if priors else None))

    prior_sections: dict[int, str] = {}
    prior_items: list[Item] = []
    for p in priors:
        s = p.section("problems")
        if s is None or not s.text.strip() or p.year is None:
            continue
        prior_sections[p.year] = s.text
        items = parse_items(s.text, p.year)
        prior_items.extend(items)
        for it in items:
            facts.append(
                Fact(
                    id=f"prior.{p.year}.{it.kind}.{it.index + 1}",
                    kind="prior_item",
                    label=f"{p.year}年报告第五部分{'问题' if it.kind == 'problem' else '措施'}{it.index + 1}（{it.category_label}）",
                    text=it.text,
                    numbers=_numbers_in(it.text),
                    category=it.category,
                )
            )
    cur = current.section("problems")
    return Facts(
        agency=current.agency,
        year=year,
        prior_years=prior_years,
        facts=facts,
        prior_sections=prior_sections,
        prior_items=prior_items,
        current_section=cur.text if cur else "",
    )


# format notes say nothing about the year's work; X3/S5 concern the §五 being replaced by the draft
SKIP_RULES = ("S2", "X3", "S5")


def _finding_facts(current: Report, prior: Report | None) -> list[Fact]:
    """The checker's findings about the report itself (errors and warnings), when the checker is installed."""
    try:
        from ..check import check_report
    except ImportError:  # the checker is optional for drafting
        return []
    try:
        found = check_report(current, prior=prior)
    except Exception:  # a checker bug must not stop a draft  # noqa: BLE001
        return []
    out: list[Fact] = []
    counts: dict[str, int] = {}
    found = [f for f in found if f.kind == "report" and f.rule not in SKIP_RULES and f.section != "problems"]
    errors = [f for f in found if f.severity == "error"]
    warnings = [f for f in found if f.severity == "warning"]
    out.append(
        Fact(
            id="check.count",
            kind="finding",
            label="校验发现的问题数",
            text=f"校验发现本报告错误{len(errors)}处、警告{len(warnings)}处",
            value=len(errors) + len(warnings),
            numbers=[str(len(errors)), str(len(warnings)), str(len(errors) + len(warnings))],
            params={"errors": ",".join(f.rule for f in errors), "warnings": ",".join(f.rule for f in warnings)},
        )
    )
    for f in found:
        if f.kind != "report" or f.severity == "info" and f.rule != "X4":
            continue
        if f.section == "problems":  # about the §五 the draft replaces: its numbers ground nothing
            continue
        if f.rule in SKIP_RULES:
            continue
        i = counts.get(f.rule, 0)
        counts[f.rule] = i + 1
        out.append(
            Fact(
                id=f"check.{f.rule}.{i}",
                kind="finding",
                label=f"校验 {f.rule}",
                text=f.message,
                numbers=_numbers_in(f.message),
                severity=f.severity,
                params={k: str(v) for k, v in f.params.items()},
            )
        )
    return out
