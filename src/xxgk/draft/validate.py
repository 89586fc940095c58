"""The rules a draft must keep: numbers grounded in facts, no copying from prior years, every prior problem
addressed, no slogans. Used by both drafters, the LLM validators, the critique and the tests."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from .facts import Fact, Facts
from .model import Draft
from .overlap import LCS_LIMIT, SENTENCE_LIMIT, Copied, overlap_report, unwrap

# a number as printed: 95, 7730.28, 32.6%, 15.0个百分点, 4.5倍; 1,234 is joined first
_NUMBER = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(%|个百分点|倍)?")
_MONTH_DAY = re.compile(r"\d{1,2}(?=月)|(?<=月)\d{1,2}(?=日)")


@dataclass(frozen=True)
class Cited:
    """One number printed in a text and the facts that have it."""

    token: str
    facts: tuple[str, ...]

    @property
    def grounded(self) -> bool:
        return bool(self.facts)


def _kind(suffix: str | None) -> str:
    return suffix or ""


def _parse(token: str) -> tuple[float, str, int]:
    m = _NUMBER.fullmatch(token)
    if not m:
        raise ValueError(token)
    digits = len(m.group(1).split(".")[1]) if "." in m.group(1) else 0
    return float(m.group(1)), _kind(m.group(2)), digits


def _matches(value: float, kind: str, digits: int, fact_number: str) -> bool:
    try:
        fv, fkind, _ = _parse(fact_number)
    except ValueError:
        return False
    if fkind != kind:
        return False
    if kind:  # a share, a point change or a ratio: equal at the precision printed
        return abs(round(fv, digits) - value) < 1e-9 or abs(fv - value) <= 0.5 * 10**-digits + 1e-9
    return abs(fv - value) < 1e-9


def numbers_in(text: str) -> list[tuple[str, float, str, int]]:
    """The numbers a text prints (token, value, kind, decimals); day and month numbers of dates are skipped."""
    t = re.sub(r"(?<=\d),(?=\d{3})", "", unwrap(text))
    dates = {m.start() for m in _MONTH_DAY.finditer(t)}
    out = []
    for m in _NUMBER.finditer(t):
        if m.start() in dates:
            continue
        value, kind, digits = _parse(m.group(0))
        out.append((m.group(0), value, kind, digits))
    return out


def cite(text: str, facts: Iterable[Fact]) -> list[Cited]:
    """Each number in ``text`` with the ids of the facts (among ``facts``) that have it."""
    facts = list(facts)
    out = []
    for token, value, kind, digits in numbers_in(text):
        ids = tuple(f.id for f in facts if any(_matches(value, kind, digits, n) for n in f.numbers))
        out.append(Cited(token, ids))
    return out


def ungrounded(text: str, facts: Facts, cited: Iterable[str] | None = None) -> list[str]:
    """Numbers in ``text`` that no fact has; with ``cited`` fact ids, only those facts (and years) count."""
    pool = facts.facts
    if cited is not None:
        wanted = set(cited)
        pool = [f for f in facts.facts if f.id in wanted or f.kind == "year"]
    return [c.token for c in cite(text, pool) if not c.grounded]


def copied(text: str, facts: Facts) -> list[Copied]:
    """Sentences of ``text`` that repeat a prior year's §五 beyond the limits (8-gram share or verbatim run)."""
    return overlap_report(text, dict(facts.prior_sections)).copies  # type: ignore[arg-type]


@cache
def _boilerplate() -> dict[str, tuple[str, ...]]:
    raw = tomllib.loads(resources.files("xxgk.draft").joinpath("data/boilerplate.toml").read_text(encoding="utf-8"))
    return {k: tuple(v) for k, v in raw.items()}


def slogans(text: str) -> list[str]:
    """Slogan padding: slogan words, and runs of five or more short clauses strung together."""
    found = [w for w in _boilerplate()["slogans"] if w in text]
    for sentence in re.split(r"[。！!？?\n]", text):
        clauses = [c for c in re.split(r"[，,；;]", sentence) if c.strip()]
        run = 0
        for c in clauses:
            run = run + 1 if len(c.strip()) <= 7 else 0
            if run >= 5:
                found.append("排比堆砌：" + sentence[:30] + ("…" if len(sentence) > 30 else ""))
                break
    return found


def stock_phrases(text: str) -> list[str]:
    flat = unwrap(text)
    return [w for w in _boilerplate()["stock"] if w in flat]


def unaddressed(draft: Draft, facts: Facts) -> list[Fact]:
    """Last year's problems that no rectification line reports on."""
    done = {line.prior for line in draft.rectification if line.prior}
    wanted = [f for f in facts.facts if f.kind == "prior_item" and ".problem." in f.id and f.id.startswith(_last_prefix(facts))]
    return [f for f in wanted if f.id not in done]


def _last_prefix(facts: Facts) -> str:
    items = facts.last_problems()
    return f"prior.{items[0].year}.problem." if items else "prior.none."


@dataclass
class DraftScore:
    """How a draft keeps the rules: grounding, overlap with prior years, prior-problem coverage, slogans."""

    numbers: int = 0
    grounded: int = 0
    ungrounded: list[str] = field(default_factory=list)
    overlap_share: float = 0.0  # share of the draft's 8-grams found in prior §五 texts
    max_sentence_overlap: float = 0.0  # the highest share of one sentence's 8-grams found in a prior §五
    longest_copied: str = ""  # the longest verbatim run shared with a prior §五
    prior_problems: int = 0
    addressed: int = 0
    slogans: list[str] = field(default_factory=list)

    @property
    def grounding_rate(self) -> float:
        return self.grounded / self.numbers if self.numbers else 1.0

    @property
    def coverage(self) -> float:
        return self.addressed / self.prior_problems if self.prior_problems else 1.0

    @property
    def ok(self) -> bool:
        return (
            not self.ungrounded
            and self.max_sentence_overlap <= SENTENCE_LIMIT
            and len(self.longest_copied) < LCS_LIMIT
            and self.coverage == 1.0
            and not self.slogans
        )


def score_draft(draft: Draft, facts: Facts) -> DraftScore:
    """Measure a draft: each line's numbers against the facts it cites (all facts when it cites none)."""
    s = DraftScore()
    for line in draft.lines():
        cited = line.facts or None
        for c in cite(line.text, _pool(facts, cited)):
            s.numbers += 1
            if c.grounded:
                s.grounded += 1
            else:
                s.ungrounded.append(c.token)
    ov = overlap_report(draft.body(), dict(facts.prior_sections))  # type: ignore[arg-type]
    s.overlap_share = ov.share
    s.max_sentence_overlap = ov.max_sentence_share
    s.longest_copied = ov.longest
    missing = unaddressed(draft, facts)
    s.prior_problems = len(facts.last_problems())
    s.addressed = s.prior_problems - len(missing)
    s.slogans = slogans(draft.body())
    return s


def _pool(facts: Facts, cited: list[str] | None) -> list[Fact]:
    if cited is None:
        return facts.facts
    wanted = set(cited)
    return [f for f in facts.facts if f.id in wanted or f.kind == "year"]
