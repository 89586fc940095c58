"""The LLM drafter: the prompt ``draft_section5`` and a response model whose validators keep the draft honest.

Validators (run with the facts as instructor's validation context) reject a draft that prints a number no
cited fact has, repeats a prior year's section 五 beyond the limits, leaves a prior problem unaddressed,
pads with slogans, or gives a problem no measure. instructor sends the errors back as the re-ask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field, ValidationInfo, field_validator, model_validator

from .facts import Facts
from .items import categories
from .model import Draft, Line
from .overlap import LCS_LIMIT, SENTENCE_LIMIT, overlap_report
from .validate import slogans, ungrounded

if TYPE_CHECKING:
    from ..llm import LLMClient, LLMSettings

PROMPT_ID = "draft_section5"


class RectificationLine(BaseModel):
    """What became of one of last year's problems."""

    prior_problem: str = Field(description="上年问题编号，如 prior.2023.problem.1")
    text: str
    facts: list[str] = Field(default_factory=list)


class ProblemLine(BaseModel):
    """One of this year's problems."""

    text: str
    category: str = "other"
    facts: list[str] = Field(default_factory=list)


class MeasureLine(BaseModel):
    """The measure for one problem."""

    problem: int = Field(description="对应问题的序号，从 1 开始")
    text: str

    @field_validator("problem", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        # models write "1", "问题1", "第1个": keep the digits
        if isinstance(v, str):
            digits = "".join(ch for ch in v if ch.isdigit())
            return int(digits) if digits else v
        return v


class Section5Answer(BaseModel):
    """The model's draft of section 五, in three parts."""

    rectification: list[RectificationLine] = Field(default_factory=list)
    problems: list[ProblemLine] = Field(default_factory=list)
    measures: list[MeasureLine] = Field(default_factory=list)

    @model_validator(mode="after")
    def _keeps_the_rules(self, info: ValidationInfo) -> Section5Answer:
        facts = (info.context or {}).get("facts") if info.context else None
        if not isinstance(facts, Facts):
            return self  # no context (e.g. read back from the cache): nothing to check against
        errors = answer_errors(self, facts)
        if errors:
            raise ValueError("草稿不符合要求，请逐条修改后重新输出完整 JSON：\n" + "\n".join(f"- {e}" for e in errors))
        return self


def answer_errors(answer: Section5Answer, facts: Facts) -> list[str]:
    """Every rule the answer breaks, as messages for the re-ask."""
    errors: list[str] = []
    known = {f.id for f in facts.facts}
    priors = dict(facts.prior_sections)
    lines: list[tuple[str, str, list[str]]] = [
        *((f"整改情况第{i + 1}行", r.text, [r.prior_problem, *r.facts]) for i, r in enumerate(answer.rectification)),
        *((f"问题{i + 1}", p.text, p.facts) for i, p in enumerate(answer.problems)),
        *((f"措施{i + 1}", m.text, []) for i, m in enumerate(answer.measures)),
    ]
    for where, text, cited in lines:
        unknown = [c for c in cited if c not in known]
        if unknown:
            errors.append(f"{where}引用了不存在的事实编号：{'、'.join(unknown)}")
        bad = ungrounded(text, facts, [c for c in cited if c in known] or None)
        if bad:
            errors.append(f"{where}中的数字 {'、'.join(bad)} 不在所引事实中（只能使用事实清单里的数字，并在 facts 中列出依据的编号）：“{text[:40]}”")
        if priors:
            for c in overlap_report(text, priors).copies:  # type: ignore[arg-type]
                errors.append(
                    f"{where}照抄了{c.year}年第五部分（8字片段重合{c.share:.0%}，上限{SENTENCE_LIMIT:.0%}；连续相同{len(c.passage)}字，上限{LCS_LIMIT - 1}字）：“{c.passage[:40]}”，请改用自己的话"
                )
        pads = slogans(text)
        if pads:
            errors.append(f"{where}含口号或堆砌：{'、'.join(pads[:5])}，请删去")
    wanted = [f.id for f in facts.facts if f.kind == "prior_item" and _is_last_problem(f.id, facts)]
    done = {r.prior_problem for r in answer.rectification}
    for fid in wanted:
        if fid not in done:
            fact = facts.get(fid)
            errors.append(f"上年问题 {fid}（{fact.text if fact else ''}）没有在 rectification 中说明整改情况")
    if not answer.problems:
        errors.append("problems 为空：至少写一个本年存在的问题")
    answered = {m.problem for m in answer.measures}
    for i in range(1, len(answer.problems) + 1):
        if i not in answered:
            errors.append(f"问题{i}没有对应的措施（measures 中 problem={i}）")
    for m in answer.measures:
        if not 1 <= m.problem <= len(answer.problems):
            errors.append(f"措施的 problem={m.problem} 不对应任何问题")
    return errors


def _is_last_problem(fid: str, facts: Facts) -> bool:
    items = facts.last_problems()
    return bool(items) and fid.startswith(f"prior.{items[0].year}.problem.")


def prompt_variables(facts: Facts) -> dict[str, Any]:
    """The variables of the ``draft_section5`` prompt, from the facts."""
    listed = [f for f in facts.facts if f.kind in ("figure", "share", "finding", "year")]
    last = facts.last_problems()
    py = facts.last_year
    return {
        "agency": facts.agency or "本机关",
        "year": facts.year or "",
        "prior_year": py or "无",
        "next_year": (facts.year or 0) + 1,
        "facts": "\n".join(f"{f.id} | {f.text}" for f in listed) or "（无）",
        "prior_problems": "\n".join(f"prior.{i.year}.problem.{i.index + 1} | {i.category} | {i.text}" for i in last) or "（上年没有列出问题）",
        "prior_text": facts.prior_sections.get(py, "（无）") if py else "（无）",
        "categories": "、".join(f"{c.id}（{c.label}）" for c in categories()),
    }


def to_draft(answer: Section5Answer, facts: Facts, reasks: list[str] | None = None) -> Draft:
    """The Draft of a validated answer (measures in the order of their problems)."""
    measures = sorted(answer.measures, key=lambda m: m.problem)
    return Draft(
        agency=facts.agency,
        year=facts.year,
        engine="llm",
        rectification=[Line(text=r.text, facts=[r.prior_problem, *r.facts], prior=r.prior_problem) for r in answer.rectification],
        problems=[Line(text=p.text, facts=p.facts, category=p.category) for p in answer.problems],
        measures=[Line(text=m.text, category=answer.problems[m.problem - 1].category if 0 < m.problem <= len(answer.problems) else None) for m in measures],
        notes=[f"重新生成 {len(reasks)} 次 (re-asked {len(reasks)} times)"] if reasks else [],
    )


def answer_of(draft: Draft) -> dict[str, Any]:
    """A draft in the shape the model answers in (a ``Section5Answer`` as JSON): for scripted models and tests."""
    return {
        "rectification": [{"prior_problem": line.prior, "text": line.text, "facts": line.facts[1:]} for line in draft.rectification],
        "problems": [{"text": line.text, "category": line.category, "facts": line.facts} for line in draft.problems],
        "measures": [{"problem": i + 1, "text": line.text} for i, line in enumerate(draft.measures)],
    }


async def adraft_llm(facts: Facts, llm: LLMClient | LLMSettings | str | None = None, *, use_cache: bool = True, max_retries: int | None = None) -> Draft:
    """Draft section 五 with the LLM engine (``llm``: a client, settings, an endpoint name, or the configuration)."""
    from ..llm import load_prompt
    from ..llm.run import make_client

    client = make_client(llm, use_cache=use_cache)
    prompt = load_prompt(PROMPT_ID).render(**prompt_variables(facts))
    result = await client.structured(prompt, Section5Answer, context={"facts": facts}, max_retries=max_retries, use_cache=use_cache)
    answer = result.parsed
    assert isinstance(answer, Section5Answer)
    return to_draft(answer, facts, result.reasks)


def draft_llm(facts: Facts, llm: LLMClient | LLMSettings | str | None = None, *, use_cache: bool = True, max_retries: int | None = None) -> Draft:
    """Sync wrapper of ``adraft_llm``."""
    from ..llm.run import run_sync

    return run_sync(adraft_llm(facts, llm, use_cache=use_cache, max_retries=max_retries))
