"""Critique of an existing section 五: copied from prior years, prior problems ignored, problems the tables
contradict, boilerplate and slogans, numbers that match no fact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, Field

from ..models import Report
from .facts import Facts, build_facts
from .items import category, has_rectification, parse_items
from .overlap import overlap_report, unwrap
from .validate import cite, slogans, stock_phrases

CritiqueKind = Literal["copied", "unaddressed", "contradiction", "boilerplate", "slogan", "number", "missing"]


class CritiqueFinding(BaseModel):
    """One thing a reviewer should look at in a section 五."""

    kind: CritiqueKind
    severity: Literal["error", "warning", "info"]
    message: str
    passages: list[str] = Field(default_factory=list)  # the text concerned (copied passages, sentences)


class Critique(BaseModel):
    """The critique of one report's section 五 against its prior years."""

    agency: str | None = None
    year: int | None = None
    overlap_share: float = 0.0  # share of the section's 8-grams found in prior years' §五
    longest_copied: str = ""
    prior_problems: int = 0
    addressed: int = 0
    findings: list[CritiqueFinding] = Field(default_factory=list)

    def of_kind(self, kind: CritiqueKind) -> list[CritiqueFinding]:
        return [f for f in self.findings if f.kind == kind]


# a problem sentence about X, while the tables show no X
_CONTRADICTIONS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    (r"依申请|申请件|答复文书|答复书|申请办理", "申请", ("b.new", "b.carried_over"), "本年新收和上年结转的申请均为0件"),
    (r"复议|诉讼|纠错", "复议诉讼", ("c.review_total", "c.litigation_total"), "表四行政复议、行政诉讼均为0件"),
    (r"结转|超期|逾期未答复|办理周期", "结转", ("b.carried_forward",), "结转下年度的申请为0件"),
    (r"信息处理费|收费", "收费", ("fee.collected",), "第六部分称未收取信息处理费"),
)


def critique(report: Report, priors: Sequence[Report] = (), facts: Facts | None = None) -> Critique:
    """Critique ``report``'s section 五 against ``priors`` (the same agency's earlier reports)."""
    facts = facts or build_facts(report, priors)
    section = report.section("problems")
    out = Critique(agency=report.agency, year=report.year)
    if section is None or not section.text.strip():
        out.findings.append(CritiqueFinding(kind="missing", severity="error", message="报告没有第五部分“存在的主要问题及改进情况”，或该部分为空"))
        return out
    text = section.text
    flat = unwrap(text)

    # copied from prior years
    ov = overlap_report(text, dict(facts.prior_sections))  # type: ignore[arg-type]
    out.overlap_share, out.longest_copied = ov.share, ov.longest
    copies = ov.copies
    if copies:
        years = sorted({c.year for c in copies if c.year})
        out.findings.append(
            CritiqueFinding(
                kind="copied",
                severity="error" if ov.share >= 0.5 else "warning",
                message=f"第五部分与{'、'.join(f'{y}年' for y in years)}报告重复：8字片段重合{ov.share:.0%}，{len(copies)}句照搬往年原文",
                passages=[f"{c.year}年：{c.passage}" for c in copies],
            )
        )

    # last year's problems: reported on?
    last = facts.last_problems()
    out.prior_problems = len(last)
    if last:
        said = has_rectification(text)
        now_items = parse_items(text, report.year)
        missing = []
        for item in last:
            mentioned = item.category != "other" and category(item.category).score(flat) > 0
            if said and mentioned:
                out.addressed += 1
            else:
                missing.append(item)
        if missing:
            why = "第五部分没有说明上年度问题的整改情况" if not said else "以下上年问题在本年第五部分中没有提及"
            out.findings.append(
                CritiqueFinding(
                    kind="unaddressed",
                    severity="warning",
                    message=f"{why}（上年列出{len(last)}个问题，未回应{len(missing)}个）",
                    passages=[f"{i.year}年问题{i.index + 1}（{i.category_label}）：{i.text}" for i in missing],
                )
            )
        del now_items

    # problems the tables contradict
    problems = [i for i in parse_items(text, report.year) if i.kind == "problem"]
    for pattern, what, fids, reason in _CONTRADICTIONS:
        values = [facts.value(f) for f in fids]
        if any(v is None for v in values) or any(values):
            continue
        hit = [i.text for i in problems if re.search(pattern, i.text)]
        if hit:
            out.findings.append(CritiqueFinding(kind="contradiction", severity="warning", message=f"所列问题涉及{what}，但{reason}", passages=hit))

    # boilerplate and slogans
    pads = slogans(flat)
    if pads:
        out.findings.append(CritiqueFinding(kind="slogan", severity="warning", message="含口号或排比堆砌", passages=pads))
    stock = stock_phrases(flat)
    cites_data = any(c.grounded for c in cite(flat, [f for f in facts.facts if f.kind in ("figure", "share")]) if not re.fullmatch(r"(?:19|20)\d\d", c.token))
    if len(stock) >= 3 and not cites_data:
        out.findings.append(
            CritiqueFinding(kind="boilerplate", severity="warning", message=f"套话较多且没有引用任何本年数据（{len(stock)}处套话）", passages=stock)
        )
    elif stock:
        out.findings.append(CritiqueFinding(kind="boilerplate", severity="info", message=f"含{len(stock)}处常见套话", passages=stock))

    # numbers that match no fact of this year
    pool = [f for f in facts.facts if f.kind in ("figure", "share", "year")]
    bad = [c.token for c in cite(flat, pool) if not c.grounded]
    if bad:
        sentences = [s for s in re.split(r"(?<=[。；])", flat) if any(b in s for b in bad)]
        out.findings.append(
            CritiqueFinding(kind="number", severity="warning", message=f"数字 {'、'.join(dict.fromkeys(bad))} 与本年表格及可推算的数据都对不上", passages=sentences[:5])
        )
    return out
