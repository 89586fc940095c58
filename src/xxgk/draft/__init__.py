"""Drafting section 五 (存在的主要问题及改进情况) from this year's and prior years' reports, and critiquing one.

    from xxgk.draft import build_facts, draft_template, score_draft
    facts = build_facts(report_2024, [report_2023])
    draft = draft_template(facts)
    print(draft.text()); print(score_draft(draft, facts))
"""

from __future__ import annotations

from .critique import Critique, CritiqueFinding, critique
from .facts import Fact, Facts, build_facts
from .items import Item, classify, parse_items
from .llm import Section5Answer, adraft_llm, draft_llm
from .model import Draft, Line
from .overlap import LCS_LIMIT, SENTENCE_LIMIT, SHINGLE, overlap_report
from .render import critique_markdown, draft_markdown, write_docx
from .template import draft_template
from .validate import DraftScore, score_draft

__all__ = [
    "LCS_LIMIT",
    "SENTENCE_LIMIT",
    "SHINGLE",
    "Critique",
    "CritiqueFinding",
    "Draft",
    "DraftScore",
    "Fact",
    "Facts",
    "Item",
    "Line",
    "Section5Answer",
    "adraft_llm",
    "build_facts",
    "classify",
    "critique",
    "critique_markdown",
    "draft_llm",
    "draft_markdown",
    "draft_template",
    "overlap_report",
    "parse_items",
    "score_draft",
    "write_docx",
]
