"""The LLM claim reader: numbers the narrative states about the tables, for the checker's N rules.

The deterministic patterns (``xxgk.check.rules_text``) read the common sentence forms; the model reads
the rest. §一 and, where present, §三/§四 are sent with the ``claims`` prompt; the model answers per
claim the quantity (a named quantity of the N rules such as ``new`` or ``granted``, or a table cell
``table_b.new.total``), the number, the quoted sentence and whether the scope is unambiguous. Every
quote must occur in the text sent and every number in its quote (``未/没有/无`` stands for 0, small
Chinese numerals are accepted); a claim that fails is flagged and dropped. The rest go to
``report.extra["llm_claims"]``, where N1/N2/N4 judge them alongside their own (deduplicated) and say
that the claim was read by the LLM. A failing endpoint leaves the deterministic result with a note.

    from xxgk.llm.claims import read_claims
    report = read_claims(report, "deepseek")   # then xxgk.check.check_report(report)
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from .. import template as T
from ..check.base import label_of, table_format
from ..check.rules_table import b_compressed
from ..check.rules_text import SCOPE, TARGET_NAMES, flat
from ..models import Report
from .client import LLMClient, LLMError
from .extract import number_in_text
from .outcome import StepOutcome
from .prompts import load_prompt
from .responses import DASH, UNSURE, to_amount
from .usage import Usage, current_usage

CLAIM_SECTIONS = ("overview", "requests", "review_litigation")  # §一, §三, §四
EXCERPT_MAX_CHARS = 8000
ZERO_WORDS = re.compile(r"未|没有|无|零|〇")
_PUNCT = re.compile(r"[\s\W_]+")
_CN_DIGITS = "零一二三四五六七八九"


# ------------------------------------------------------------------ the answer


def _claim_number(v: Any) -> Any:
    n = to_amount(v)
    if n is None or n in (DASH, UNSURE):
        raise ValueError(f"value 需要句中所说的数字 (a number), 得到 {v!r}")
    return n


def _percent(v: Any) -> Any:
    if isinstance(v, str):
        v = v.strip().rstrip("%％").strip()
        if not v:
            return None
    if v is None:
        return None
    n = to_amount(v)
    return None if n in (DASH, UNSURE) else n


class NarrativeClaim(BaseModel):
    """One number the narrative states about a table quantity."""

    model_config = ConfigDict(extra="ignore")
    quantity: str | None = Field(None, description="数量键（见提示），对应不上则 null")
    value: Annotated[int | float, BeforeValidator(_claim_number)] = Field(description="句中所说的数量")
    percent: Annotated[float | int | None, BeforeValidator(_percent)] = Field(None, description="紧跟的百分比数字，没有则 null")
    quote: str = Field(description="包含这个数字的原文句子，逐字照抄")
    scope_clear: bool = Field(False, description="说的就是本机关本年度统计表中的这个数")


class NarrativeClaims(BaseModel):
    """The claims task's answer."""

    model_config = ConfigDict(extra="ignore")
    claims: list[NarrativeClaim] = Field(default_factory=list)


# ------------------------------------------------------------------ what the model may name


def quantities(report: Report) -> dict[str, str]:
    """The quantity keys the model may answer, with their Chinese names (from the format module and the N rules)."""
    out = dict(TARGET_NAMES)
    fmt_a = table_format(report, report.table_a.format)
    for arow in T.table_a_rows(fmt_a):
        for col in arow.columns:
            out[f"table_a.{arow.row.key}.{col.key}"] = label_of("table_a", arow.row.key, col.key, fmt_a)
    fmt_b = table_format(report, report.table_b.format)
    for col in T.B_COLUMN_KEYS:
        out[f"table_b.new.{col}"] = label_of("table_b", "new", col, fmt_b)
    for brow in T.table_b_rows(fmt_b, b_compressed(report.table_b, fmt_b)):
        out.setdefault(f"table_b.{brow.key}.total", label_of("table_b", brow.key, "total", fmt_b))
    for g in T.C_GROUP_KEYS:
        for col in T.C_COLUMN_KEYS:
            out[f"table_c.{g}.{col}"] = label_of("table_c", g, col)
    return out


def claim_texts(report: Report) -> dict[str, str]:
    """The narrative sent to the model: §一 and, where present, §三/§四 (their text excludes the tables)."""
    return {s.key: s.text for s in report.sections if s.key in CLAIM_SECTIONS and s.text.strip()}


def claims_excerpt(texts: dict[str, str]) -> str:
    parts = [f"【{key} {T.SECTION_BY_KEY[key].label}】\n{text.strip()}" for key, text in texts.items()]
    return "\n\n".join(parts)[:EXCERPT_MAX_CHARS]


# ------------------------------------------------------------------ verification


def _chinese(n: int) -> set[str]:
    """Small integers as Chinese numerals (三, 十二, 二十, 两)."""
    if n < 10:
        forms = {_CN_DIGITS[n]}
    elif n < 100:
        tens, ones = divmod(n, 10)
        forms = {("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")}
        if tens == 1:
            forms.add("一十" + (_CN_DIGITS[ones] if ones else ""))
    else:
        return set()
    if n == 2:
        forms.add("两")
    return forms


def number_stated(value: float | int, quote: str) -> bool:
    """True when ``quote`` states ``value``: as digits, as a small Chinese numeral, or as 未/没有/无 for 0."""
    if number_in_text(value, quote):
        return True
    if float(value) == 0 and ZERO_WORDS.search(quote):
        return True
    if float(value).is_integer() and 0 < value < 100:
        t = unicodedata.normalize("NFKC", quote)
        return any(re.search(rf"(?<![零一二三四五六七八九十百两]){f}(?![零一二三四五六七八九十百千万])", t) for f in _chinese(int(value)))
    return False


def _loose(text: str) -> str:
    return _PUNCT.sub("", flat(text))


def locate_quote(quote: str, texts: dict[str, str]) -> str | None:
    """The section whose text contains ``quote`` (NFKC, spacing and, failing that, punctuation ignored)."""
    q = flat(quote).strip("“”\"'。；;，, ")
    if len(q) < 2:
        return None
    for key, text in texts.items():
        if q in flat(text):
            return key
    lq = _loose(quote)
    if len(lq) >= 4:
        for key, text in texts.items():
            if lq in _loose(text):
                return key
    return None


@dataclass
class ClaimsOutcome(StepOutcome):
    """What the claims step did for one report."""

    sent: list[str] = field(default_factory=list)  # section keys sent
    accepted: list[dict[str, Any]] = field(default_factory=list)  # → report.extra["llm_claims"]
    flagged: list[dict[str, Any]] = field(default_factory=list)  # dropped: quote or number not in the text
    unmapped: int = 0  # claims with quantity null

    SHOWN: ClassVar[tuple[str, ...]] = ("flagged", "unmapped", "reasks", "cached", "error")

    def summary(self) -> dict[str, Any]:
        return {"sent": self.sent, "accepted": len(self.accepted), **super().summary()}


def verify_claims(answer: NarrativeClaims, texts: dict[str, str], allowed: dict[str, str]) -> ClaimsOutcome:
    """Keep the claims whose quote is in the text and whose number is in the quote; flag the rest."""
    out = ClaimsOutcome(sent=list(texts))
    seen: set[tuple[str, float, str]] = set()
    for c in answer.claims:
        shown = {"quantity": c.quantity, "value": c.value, "quote": c.quote}
        if c.quantity is None or not c.quantity.strip():
            out.unmapped += 1
            continue
        quantity = c.quantity.strip()
        if quantity not in allowed:
            out.flagged.append({**shown, "reason": "没有这个数量键 (unknown quantity)"})
            continue
        section = locate_quote(c.quote, texts)
        if section is None:
            out.flagged.append({**shown, "reason": "引文未在原文中出现 (quote not in the source)"})
            continue
        if not number_stated(c.value, c.quote):
            out.flagged.append({**shown, "reason": "数字未在引文中出现 (number not in the quote)"})
            continue
        percent = c.percent
        if percent is not None and not number_in_text(percent, c.quote):
            out.flagged.append({**shown, "percent": percent, "reason": "百分比未在引文中出现，已忽略 (percentage not in the quote, ignored)"})
            percent = None
        key = (quantity, float(c.value), flat(c.quote))
        if key in seen:
            continue
        seen.add(key)
        strict = c.scope_clear and not SCOPE.search(flat(c.quote)) and quantity != "received"
        out.accepted.append(
            {
                "target": quantity,
                "value": c.value,
                "percent": None if percent is None else (f"{percent:g}" if isinstance(percent, float) else str(percent)),
                "quote": c.quote.strip().rstrip("。；;，, "),
                "section": section,
                "strict": strict,
                "via": "llm",
            }
        )
    return out


# ------------------------------------------------------------------ the call


async def claims_step(client: LLMClient, report: Report, use_cache: bool = True) -> ClaimsOutcome:
    """Ask the model for the report's narrative claims and verify them; never raises LLMError."""
    texts = claim_texts(report)
    if not texts:
        return ClaimsOutcome(error="没有可读的正文部分（一、三、四），未调用 LLM (no narrative sections to read)")
    allowed = quantities(report)
    prompt = load_prompt("claims").render(quantities="\n".join(f"- {k} ← {v}" for k, v in allowed.items()), excerpt=claims_excerpt(texts))
    try:
        result = await client.structured(prompt, NarrativeClaims, use_cache=use_cache)
    except LLMError as e:
        return ClaimsOutcome(sent=list(texts), error=e.message)
    outcome = verify_claims(result.parsed, texts, allowed)  # type: ignore[arg-type]
    outcome.took(result)
    return outcome


def apply_claims(report: Report, outcome: ClaimsOutcome, model: str) -> None:
    """Store the verified claims on the report (in place) and note what was dropped or failed."""
    if outcome.error:
        report.notes.append(f"正文数字的 LLM 读取未完成，只用了规则读出的说法 (LLM claims step failed; pattern claims only)：{outcome.error}")
        return
    report.extra["llm_claims"] = outcome.accepted
    note = f"LLM 读取正文数字（{model}）：采用 {len(outcome.accepted)} 条"
    if outcome.flagged:
        dropped = [f for f in outcome.flagged if "已忽略" not in f["reason"]]
        shown = "；".join(f"“{str(f['quote'])[:30]}”{f['value']}：{f['reason']}" for f in outcome.flagged[:4])
        note += f"；舍弃 {len(dropped)} 条（引文或数字不在原文中、或数量键不明）：{shown}" if dropped else f"；{shown}"
    report.notes.append(note)


async def aread_claims(report: Report, client: LLMClient, use_cache: bool = True) -> Report:
    """A copy of ``report`` with the LLM's verified claims in ``extra["llm_claims"]`` and the step in ``extra["llm"]``."""
    usage = Usage()
    token = current_usage.set(usage)
    try:
        outcome = await claims_step(client, report, use_cache)
    finally:
        current_usage.reset(token)
    out = report.model_copy(deep=True)
    apply_claims(out, outcome, client.settings.model)
    info = dict(out.extra.get("llm") or {})
    info.setdefault("endpoint", client.settings.name)
    info.setdefault("model", client.settings.model)
    info.setdefault("mode", client.settings.mode)
    info["claims"] = outcome.summary()
    info["usage"] = Usage.model_validate(info.get("usage") or {}).add(usage).model_dump(exclude_none=True)
    if outcome.error:
        info["errors"] = [*info.get("errors", []), {"table": "claims", "error": outcome.error}]
    out.extra["llm"] = info
    return out


async def aread_claims_batch(reports: Sequence[Report], client: LLMClient, use_cache: bool = True) -> tuple[list[Report], Usage]:
    """``aread_claims`` over a batch (concurrent, bounded by the client's concurrency); the run's usage."""
    before = client.usage.model_copy()
    try:
        done = await asyncio.gather(*(aread_claims(r, client, use_cache) for r in reports))
    finally:
        await client.aclose()
    return list(done), client.usage.since(before)


def read_claims(report: Report, llm: Any = None, *, use_cache: bool = True) -> Report:
    """Sync: the report with the LLM's verified narrative claims (``llm``: client, settings, endpoint name or None)."""
    from .run import make_client, run_sync

    client = make_client(llm, use_cache=use_cache)
    return run_sync(aread_claims_batch([report], client, use_cache))[0][0]


def read_claims_batch(reports: Sequence[Report], llm: Any = None, *, use_cache: bool = True, concurrency: int | None = None) -> tuple[list[Report], Usage]:
    """Sync: every report with its LLM claims, and the run's usage (``xxgk check --claims llm``)."""
    from .run import make_client, run_sync

    client = make_client(llm, use_cache=use_cache, concurrency=concurrency)
    return run_sync(aread_claims_batch(reports, client, use_cache))


__all__ = [
    "CLAIM_SECTIONS",
    "ClaimsOutcome",
    "NarrativeClaim",
    "NarrativeClaims",
    "apply_claims",
    "aread_claims",
    "aread_claims_batch",
    "claim_texts",
    "claims_step",
    "locate_quote",
    "number_stated",
    "quantities",
    "read_claims",
    "read_claims_batch",
    "verify_claims",
]
