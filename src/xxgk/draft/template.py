"""The embedded drafter (no LLM): a section 五 in three parts, chosen from the facts, phrased from data files.

（一）one line per last-year problem with what this year's figures show; （二）problems chosen from the facts,
each citing its numbers; （三）one concrete measure per problem. Phrasings come from ``data/phrases.toml``;
of each phrasing's variants the drafter takes, in an order rotated by the year, the first that does not
repeat a prior year's section 五 (so a draft never copies last year's draft either).
"""

from __future__ import annotations

import re
import tomllib
import zlib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from .facts import Fact, Facts, fmt_num, fmt_pct
from .items import category, categories
from .model import Draft, Line
from .overlap import LCS_LIMIT, SENTENCE_LIMIT, longest_common, shingle_share

COPY_PENALTY = SENTENCE_LIMIT  # a variant above this would count as copied from a prior year

# +1: a rise is better; -1: a fall is better. Facts without a direction are context only.
DIRECTION: dict[str, int] = {
    "share.not_held": -1,
    "c.review_corrected": -1,
    "c.litigation_corrected": -1,
    "b.carried_forward": -1,
    "share.carried_forward": -1,
    "share.denied": -1,
    "share.granted_partial": 1,
    "check.count": -1,
    "a.normative_issued": 0,
    "b.total": 0,
}
RULE_NAMES: dict[str, str] = {
    "B1": "表三“新收＋上年结转＝办结＋结转”关系",
    "B2": "表三办理结果合计",
    "B3": "表三总计列",
    "B4": "表三数值",
    "B5": "表三结转数",
    "C1": "表四合计",
    "A1": "表二数值",
    "A2": "表二现行有效件数",
    "X1": "上年结转与上年报告结转数",
    "X2": "现行有效件数的跨年衔接",
}
SHORT: dict[str, str] = {
    "a.licensing": "行政许可处理决定",
    "a.penalty": "行政处罚处理决定",
    "a.coercion": "行政强制处理决定",
    "a.normative_issued": "制发的行政规范性文件",
}


@cache
def phrases() -> dict[str, Any]:
    """The phrasings of ``data/phrases.toml``."""
    return tomllib.loads(resources.files("xxgk.draft").joinpath("data/phrases.toml").read_text(encoding="utf-8"))


class _Chooser:
    """Picks a variant: rotated by year and key, never one that repeats a prior §五 or this draft."""

    def __init__(self, facts: Facts, seed: int) -> None:
        self.priors = [t for t in facts.prior_sections.values() if t.strip()]
        self.seed = seed
        self.used: set[str] = set()

    def penalty(self, text: str) -> float:
        worst = 0.0
        for prior in self.priors:
            share = shingle_share(text, prior)
            run = len(longest_common(text, prior))
            worst = max(worst, share + (1.0 if run >= LCS_LIMIT else 0.0) + run / 1000)
        return worst

    def pick(self, key: str, variants: list[str], optional: bool = False, **fields: Any) -> str:
        """A variant; for an ``optional`` phrasing, nothing when every variant would repeat a prior year."""
        start = (self.seed + zlib.crc32(key.encode())) % len(variants)
        order = variants[start:] + variants[:start]
        rendered = [v.format(**fields) for v in order]
        penalties = [self.penalty(t) for t in rendered]
        # no copy first, then not yet used in this draft, then the least overlap, then the rotation order
        best = min(range(len(rendered)), key=lambda i: (penalties[i] > COPY_PENALTY, rendered[i] in self.used, round(penalties[i], 2), i))
        if optional and penalties[best] > COPY_PENALTY:
            return ""
        self.used.add(rendered[best])
        return rendered[best]


@dataclass
class Signal:
    """A problem the facts show: which phrasing, category, how strong, the fields and facts it cites."""

    key: str
    category: str
    score: float
    fields: dict[str, Any]
    facts: list[str]
    prior_category: str | None = None  # for problems kept from last year
    extra: dict[str, Any] = field(default_factory=dict)


def _v(facts: Facts, fid: str) -> float | None:
    return facts.value(fid)


def signals(facts: Facts) -> list[Signal]:
    """Problems the facts support, strongest first."""
    out: list[Signal] = []
    y = facts.year
    py = facts.last_year
    total = _v(facts, "b.total")

    nh, share = _v(facts, "b.unable_not_held"), _v(facts, "share.not_held")
    if nh is not None and share is not None and total and total >= 5 and nh >= 3 and share >= 20:
        out.append(Signal("not_held", "requests", share / 10, {"y": y, "total": fmt_num(total), "n": fmt_num(nh), "pct": fmt_pct(share)}, ["b.total", "b.unable_not_held", "share.not_held"]))

    new = facts.get("b.new")
    if new and new.value is not None and new.last is not None and new.last > 0 and py:
        diff = new.value - new.last
        pct = diff / new.last * 100
        if pct >= 50 and diff >= 10:
            out.append(Signal("surge", "requests", min(pct / 50, 5.0), {"now": fmt_num(new.value), "last": fmt_num(new.last), "pct": fmt_pct(pct), "py": py}, ["b.new"]))

    rc, lc = _v(facts, "c.review_corrected") or 0, _v(facts, "c.litigation_corrected") or 0
    if rc + lc >= 1:
        parts, ids = [], []
        if rc:
            rt = _v(facts, "c.review_total")
            parts.append(f"因政府信息公开被申请行政复议{fmt_num(rt)}件，其中结果被纠正{fmt_num(rc)}件" if rt else f"行政复议结果被纠正{fmt_num(rc)}件")
            ids += ["c.review_total", "c.review_corrected"]
        if lc:
            lt = _v(facts, "c.litigation_total")
            parts.append(f"行政诉讼{fmt_num(lt)}件中被纠正{fmt_num(lc)}件" if lt else f"行政诉讼结果被纠正{fmt_num(lc)}件")
            ids += ["c.litigation_total", "c.litigation_corrected"]
        out.append(Signal("corrected", "requests", 4 + rc + lc, {"what": "，".join(parts)}, ids))

    cf, cf_share = facts.get("b.carried_forward"), _v(facts, "share.carried_forward")
    if cf and cf.value and cf_share is not None and (cf_share >= 10 or (cf.last is not None and cf.value > cf.last)):
        out.append(Signal("carry_forward", "timeliness", 2 + cf_share / 10, {"n": fmt_num(cf.value), "pct": fmt_pct(cf_share)}, ["b.carried_forward", "share.carried_forward"]))

    dn, dshare = _v(facts, "b.denied"), _v(facts, "share.denied")
    if dn is not None and dshare is not None and total and dn >= 3 and dshare >= 20:
        out.append(Signal("denied", "requests", dshare / 10, {"n": fmt_num(dn), "total": fmt_num(total), "pct": fmt_pct(dshare)}, ["b.denied", "b.total", "share.denied"]))

    comp = _v(facts, "b.rejected_complaint")
    if comp is not None and comp >= 3:
        out.append(Signal("complaints", "requests", 1.5, {"n": fmt_num(comp)}, ["b.rejected_complaint"]))

    text_findings = [f for f in facts.of_kind("finding") if f.id.startswith(("check.N1.", "check.N4.")) and f.params.get("quote") and f.params.get("table")]
    if text_findings:
        f = text_findings[0]
        name = re.sub(r"（.*?）|\(.*?\)", "", f.params.get("name", "对应数")).strip() or "对应数"
        out.append(Signal("data_text", "data_quality", 3.5, {"quote": f.params["quote"], "name": name, "table": f.params["table"]}, [f.id]))
    table_errors = [f for f in facts.of_kind("finding") if f.severity == "error" and f.id.split(".")[1] in RULE_NAMES]
    count = facts.get("check.count")
    if table_errors and count is not None:
        rules = list(dict.fromkeys(f.id.split(".")[1] for f in table_errors))
        k = len(table_errors)
        if str(k) in count.numbers:
            out.append(Signal("data_table", "data_quality", 3.0 + k / 10, {"k": k, "what": "、".join(RULE_NAMES[r] for r in rules)}, ["check.count", *(f.id for f in table_errors)]))

    best_change: tuple[float, Fact] | None = None
    for fid in ("a.licensing", "a.penalty", "a.coercion"):
        f = facts.get(fid)
        if f is None or f.value is None or f.last is None or f.last < 10 or not py:
            continue
        ratio = f.value / f.last
        if ratio >= 5 or ratio <= 0.2:
            strength = max(ratio, 1 / ratio if ratio else 100.0)
            if best_change is None or strength > best_change[0]:
                best_change = (strength, f)
    if best_change:
        f = best_change[1]
        out.append(Signal("big_change", "data_quality", 2.5, {"label": SHORT[f.id], "now": fmt_num(f.value), "last": fmt_num(f.last), "py": py}, [f.id]))  # type: ignore[arg-type]

    new_v = _v(facts, "b.new")
    if new_v == 0 and not _v(facts, "b.carried_over"):
        out.append(Signal("zero_requests", "requests", 1.0, {}, ["b.new"]))

    out.sort(key=lambda s: -s.score)
    return out


# ------------------------------------------------------------------------------------ （一）


def _fragment(ch: _Chooser, f: Fact, py: int | None) -> str:
    share = f.unit == "%"
    now = fmt_pct(f.value) if share else fmt_num(f.value)  # type: ignore[arg-type]
    unit = "" if share else f.unit
    label = f.label if not f.id.startswith("b.") else f.label.replace("（（七）总计）", "")
    r = phrases()["rect"]
    if f.last is None or py is None:
        return ch.pick("rect.now_only", r["now_only"], label=label, now=now, unit=unit)
    last = fmt_pct(f.last) if share else fmt_num(f.last)
    if now == last:
        return ch.pick("rect.same", r["same"], label=label, now=now, unit=unit, py=py)
    up = f.value > f.last  # type: ignore[operator]
    return ch.pick("rect.change", r["change"], label=label, now=now, last=last, unit=unit, py=py, verb="增至" if up else "降至", verb2="增加到" if up else "减少到")


def _verdict(evidence: list[Fact]) -> str:
    moves = []
    for f in evidence:
        d = DIRECTION.get(f.id, 0)
        if d and f.value is not None and f.last is not None:
            moves.append(0 if abs(f.value - f.last) < 1e-9 else (1 if (f.value - f.last) * d > 0 else -1))
    if not moves:
        return "no_data"
    if all(m == 0 for m in moves):
        return "flat"
    if all(m == 1 for m in moves):
        return "improved"
    if all(m == -1 for m in moves):
        return "worse"
    return "mixed"


def _evidence(facts: Facts, cid: str) -> list[Fact]:
    if cid == "other":
        return []
    out = []
    for fid in category(cid).facts:
        f = facts.get(fid)
        if f is None or f.value is None:
            continue
        if not f.value and not f.last and DIRECTION.get(fid, 0):  # 0 both years says nothing
            continue
        out.append(f)
    if not any(DIRECTION.get(f.id, 0) for f in out):
        return []
    return out[:4]


def rectification(facts: Facts, ch: _Chooser) -> tuple[list[Line], dict[str, str]]:
    """One line per last-year problem; and the verdict per category."""
    r = phrases()["rect"]
    py = facts.last_year
    lines: list[Line] = []
    verdicts: dict[str, str] = {}
    problems = facts.last_problems()
    if not problems:
        if py and facts.prior_sections:
            lines.append(Line(text=ch.pick("rect.none", r["none"], py=py)))
        return lines, verdicts
    for item in problems:
        fid = f"prior.{item.year}.problem.{item.index + 1}"
        label = item.category_label if item.category != "other" else _short(item.text)
        evidence = _evidence(facts, item.category)
        verdict = _verdict(evidence)
        verdicts[item.category] = verdict if item.category not in verdicts else _merge(verdicts[item.category], verdict)
        head = ch.pick("rect.open", r["open"], py=item.year, label=label)
        body = "，".join(_fragment(ch, f, py) for f in evidence)
        tail = ch.pick(f"rect.{verdict}", r[verdict], optional=True)
        text = head + (body + "。" if body else "") + tail
        todo = r["todo"].format(label=label) if verdict == "no_data" else None
        lines.append(Line(text=text, facts=[fid, *(f.id for f in evidence)], prior=fid, category=item.category, todo=todo))
    return lines, verdicts


def _merge(a: str, b: str) -> str:
    return a if a == b else ("no_data" if "no_data" in (a, b) else "mixed")


def _short(text: str) -> str:
    return text[:6]


# ------------------------------------------------------------------------------------ （二）（三）


def draft_template(facts: Facts, *, seed: int | None = None, max_problems: int = 4, min_problems: int = 2) -> Draft:
    """Draft section 五 from facts with the embedded phrasings (deterministic for a given seed; default: the year)."""
    ch = _Chooser(facts, facts.year or 0 if seed is None else seed)
    rect, verdicts = rectification(facts, ch)
    chosen = signals(facts)[:max_problems]
    have = {s.category for s in chosen}
    py = facts.last_year
    # last year's problems the tables cannot show, or that got worse, stay on the list unless a figure covers them
    for item in facts.last_problems():
        if len(chosen) >= max(min_problems, 1) and verdicts.get(item.category) not in ("worse",):
            break
        if item.category in have or item.category == "other":
            continue
        if verdicts.get(item.category) in ("no_data", "worse", "mixed", "flat"):
            chosen.append(Signal("carried_prior", item.category, 0.5, {"py": py, "label": item.category_label}, [f"prior.{item.year}.problem.{item.index + 1}"], prior_category=item.category))
            have.add(item.category)
        if len(chosen) >= max_problems:
            break
    p, m = phrases()["problem"], phrases()["measure"]
    problems: list[Line] = []
    measures: list[Line] = []
    ny = (facts.year or 0) + 1
    for s in chosen:
        problems.append(Line(text=ch.pick(f"problem.{s.key}", p[s.key], **s.fields), facts=s.facts, category=s.category))
        if s.key == "carried_prior" or s.key not in m:
            variants = m["category"].get(s.category) or m["category"]["other"]
            key = f"measure.category.{s.category}"
        else:
            variants, key = m[s.key], f"measure.{s.key}"
        measures.append(Line(text=ch.pick(key, variants, ny=ny), facts=[f"year.{ny}"] if facts.get(f"year.{ny}") else [], category=s.category))
    return Draft(agency=facts.agency, year=facts.year, engine="template", rectification=rect, problems=problems, measures=measures)


__all__ = ["draft_template", "signals", "phrases", "categories"]
