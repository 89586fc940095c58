"""LLM section splitting for outlines the rules splitter could not follow.

When ``xxgk.parse.sections.split_sections`` finds fewer than six sections or infers some
(``found=False``), the model is shown the document's outline (numbered lines, each cut short, table
rows left out) with the ``sections`` prompt and answers, per section, the line number and the heading
as printed. Each heading must occur in the document at (or, failing that, uniquely near) that line,
outside the tables, and in an order consistent with the sections the rules found; a section is then
rebuilt from its heading to the next section's start. A section the rules found (``found=True``) is
never replaced; when a restored section starts inside it, only its end is moved back to that heading.
Rebuilt sections are named in a report note ("engine=llm") and in ``extra["llm"]["sections"]``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from .. import template as T
from ..document import Document, Grid, Line
from ..models import Location, Report, Section
from ..parse.sections import clean_line
from .client import LLMClient, LLMError
from .outcome import StepOutcome
from .prompts import load_prompt

SECTION_KEYS: tuple[str, ...] = tuple(s.key for s in T.SECTIONS)
ORDER = {k: i for i, k in enumerate(SECTION_KEYS)}
LINE_CHARS = 60  # each outline line is cut to this many characters: headings are at the start
OUTLINE_MAX_CHARS = 12000
HEADING_MAX_OFFSET = 6  # a quoted heading may start this far into its line (a numeral the model left out)
_SPACE = re.compile(r"[\s\u3000]+")
_NUMERAL = re.compile(rf"^\s*(?:第\s*)?([{''.join(T.SECTION_NUMERALS)}])")

SectionKey = Literal["overview", "proactive", "requests", "review_litigation", "problems", "other"]
assert set(SectionKey.__args__) == set(SECTION_KEYS)  # type: ignore[attr-defined]


class HeadingLine(BaseModel):
    """Where one section starts: its key, the line number shown, and the heading as printed."""

    model_config = ConfigDict(extra="ignore")
    key: SectionKey
    line: int | None = Field(None, description="标题所在的行号")
    heading: str = Field(description="原文标题行，逐字照抄")


class SectionHeadings(BaseModel):
    """The sections task's answer, in document order."""

    model_config = ConfigDict(extra="ignore")
    sections: list[HeadingLine] = Field(default_factory=list)


def needs_sections(report: Report) -> list[str]:
    """Why the outline should go to the LLM: sections missing or inferred (empty: the rules split stands)."""
    have = {s.key for s in report.sections}
    reasons = []
    missing = [k for k in SECTION_KEYS if k not in have]
    if missing:
        reasons.append("missing:" + ",".join(missing))
    inferred = [s.key for s in report.sections if not s.found]
    if inferred:
        reasons.append("inferred:" + ",".join(inferred))
    return reasons


# ------------------------------------------------------------------ the document as lines


@dataclass
class _Line:
    index: int
    page: int
    text: str  # cleaned (markup removed)
    table: bool


def _table_ranges(report: Report) -> list[tuple[int, int]]:
    out = []
    for t in report.tables.values():
        loc = t.location if t.found else None
        if loc is not None and loc.line_start is not None:
            out.append((loc.line_start, loc.line_end or loc.line_start))
    return out


def document_lines(doc: Document, report: Report) -> list[_Line]:
    """Every Line of the document, marked when it belongs to a table (grids are left out)."""
    ranges = _table_ranges(report)
    out: list[_Line] = []
    for b in doc.blocks():
        if isinstance(b, Grid):
            continue
        assert isinstance(b, Line)
        s = b.text.strip()
        table = (
            any(lo <= b.index <= hi for lo, hi in ranges)
            or (b.cells is not None and (len(b.cells) >= 3 or sum(1 for c in b.cells if c.strip()) >= 2))
            or (s.startswith("|") and s.count("|") >= 3)
        )
        out.append(_Line(b.index, b.page, clean_line(b.text), table))
    return out


def outline(lines: list[_Line]) -> str:
    """Numbered lines, each cut to LINE_CHARS, table rows collapsed into one marker."""
    parts: list[str] = []
    in_table = False
    for ln in lines:
        if ln.table:
            if not in_table:
                parts.append(f"{ln.index}| [统计表]")
            in_table = True
            continue
        in_table = False
        if ln.text:
            parts.append(f"{ln.index}| {ln.text[:LINE_CHARS]}")
    text = "\n".join(parts)
    return text[:OUTLINE_MAX_CHARS]


def _norm(s: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", clean_line(s)))


def _heading_at(line: _Line, want: str) -> bool:
    if line.table or not want:
        return False
    i = _norm(line.text).find(want)
    return 0 <= i <= HEADING_MAX_OFFSET


def locate_heading(item: HeadingLine, lines: list[_Line]) -> tuple[_Line | None, str]:
    """The line holding the quoted heading: the line named, else the only (or nearest) line that has it."""
    want = _norm(item.heading)
    if len(want) < 2:
        return None, "标题为空 (empty heading)"
    by_index = {ln.index: ln for ln in lines}
    named = by_index.get(item.line) if item.line is not None else None
    if named is not None and _heading_at(named, want):
        return named, ""
    hits = [ln for ln in lines if _heading_at(ln, want)]
    if not hits:
        return None, "标题未在原文中出现 (heading not in the document)"
    if len(hits) == 1:
        return hits[0], ""
    if item.line is None:
        return None, "标题在原文中出现多次，无法确定 (heading occurs more than once)"
    return min(hits, key=lambda ln: abs(ln.index - item.line)), ""  # type: ignore[operator]


# ------------------------------------------------------------------ rebuilding


@dataclass
class SectionsOutcome(StepOutcome):
    """What the sections step did."""

    reasons: list[str]
    rebuilt: list[str] = field(default_factory=list)  # "key@line"
    rejected: list[str] = field(default_factory=list)  # "key: why"
    trimmed: list[str] = field(default_factory=list)  # rules sections whose end moved back
    sections: list[Section] | None = None

    ALWAYS: ClassVar[tuple[str, ...]] = ("reasons",)
    SHOWN: ClassVar[tuple[str, ...]] = ("rebuilt", "rejected", "trimmed", "reasks", "cached", "error")


def _body(lines: list[_Line], start: _Line, stop: int, heading: str) -> tuple[str, int, int]:
    """The text under a heading up to line ``stop`` (exclusive), and the last line index and page covered."""
    parts: list[str] = []
    head = start.text.strip()
    quoted = heading.strip()
    i = head.find(quoted) if quoted else -1
    if i >= 0:
        rest = head[i + len(quoted) :].lstrip(" :：。.，,").strip()
        if rest:
            parts.append(rest)
    last_index, last_page = start.index, start.page
    for ln in lines:
        if ln.index <= start.index or ln.index >= stop:
            continue
        last_index, last_page = ln.index, ln.page
        if ln.table or not ln.text:
            continue
        parts.append(ln.text)
    return "\n".join(parts), last_index, last_page


def _cut(section: Section, at: _Line, lines: list[_Line]) -> Section:
    """A rules section ending just before ``at`` (its start, heading and found flag untouched)."""
    s = section.model_copy(deep=True)
    want = _norm(at.text)
    kept: list[str] = []
    for text_line in s.text.split("\n"):
        if want and _norm(text_line) == want:
            break
        kept.append(text_line)
    s.text = "\n".join(kept).rstrip()
    before = [ln for ln in lines if ln.index < at.index]
    if s.location is not None and before:
        s.location = s.location.model_copy(update={"line_end": before[-1].index, "page_end": before[-1].page})
    return s


def rebuild_sections(
    report: Report, doc: Document, answer: SectionHeadings, outcome: SectionsOutcome, lines: list[_Line] | None = None
) -> list[Section]:
    """The report's sections with the verified LLM headings restored where the rules found none (or inferred one).

    ``lines``: the document's lines as ``document_lines`` gives them, when the caller has them already.
    """
    if lines is None:
        lines = document_lines(doc, report)
    protected = {s.key: s for s in report.sections if s.found}
    starts: dict[str, int] = {s.key: s.location.line_start for s in report.sections if s.location is not None and s.location.line_start is not None}
    accepted: dict[str, tuple[_Line, str]] = {}
    for item in sorted(answer.sections, key=lambda i: ORDER[i.key]):
        if item.key in protected or item.key in accepted:
            continue
        line, why = locate_heading(item, lines)
        if line is None:
            outcome.rejected.append(f"{item.key}: {why}：“{item.heading[:40]}”")
            continue
        # keys and starts must stay in document order: against the rules' found sections and those restored so far
        fixed = {**{k: starts[k] for k in protected if k in starts}, **{k: v[0].index for k, v in accepted.items()}}
        if any((ORDER[k] < ORDER[item.key]) != (idx < line.index) or idx == line.index for k, idx in fixed.items()):
            outcome.rejected.append(f"{item.key}: 与已识别部分的顺序不符 (out of order) 第{line.index}行")
            continue
        accepted[item.key] = (line, item.heading.strip())
    if not accepted:
        return report.sections
    # the final outline: rules sections (inferred ones only where the model gave none) and restored ones
    entries: list[tuple[int, str, Section | None]] = []
    for s in report.sections:
        if s.key in accepted:
            continue
        entries.append((starts.get(s.key, 0), s.key, s))
    for key, (line, _) in accepted.items():
        entries.append((line.index, key, None))
    entries.sort(key=lambda e: (e[0], ORDER[e[1]]))
    by_index = {ln.index: ln for ln in lines}
    out: list[Section] = []
    for n, (start, key, section) in enumerate(entries):
        stop = entries[n + 1][0] if n + 1 < len(entries) else 10**9
        if section is not None:
            nxt = entries[n + 1] if n + 1 < len(entries) else None
            end = section.location.line_end if section.location is not None else None
            if nxt is not None and nxt[2] is None and end is not None and end >= nxt[0] and nxt[0] in by_index:
                section = _cut(section, by_index[nxt[0]], lines)
                outcome.trimmed.append(key)
            out.append(section)
            continue
        line, heading = accepted[key]
        text, last_index, last_page = _body(lines, line, stop, heading)
        m = _NUMERAL.match(_norm(line.text))
        out.append(
            Section(
                key=key,
                number=m.group(1) if m else None,
                heading=line.text.strip() if len(line.text.strip()) <= len(heading) + HEADING_MAX_OFFSET else heading,
                text=text,
                location=Location(page_start=line.page, page_end=last_page, line_start=line.index, line_end=last_index),
                found=True,
            )
        )
        outcome.rebuilt.append(f"{key}@{line.index}")
    out.sort(key=lambda s: ORDER[s.key])
    return out


# ------------------------------------------------------------------ the call


async def sections_step(client: LLMClient, doc: Document, report: Report, use_cache: bool = True) -> SectionsOutcome | None:
    """Ask the model for the outline when the rules split is incomplete; None when it is not. Never raises LLMError."""
    reasons = needs_sections(report)
    if not reasons:
        return None
    outcome = SectionsOutcome(reasons)
    lines = document_lines(doc, report)
    text = outline(lines)
    if not text.strip():
        outcome.error = "文档没有可显示的正文行，未调用 LLM (no text lines)"
        return outcome
    guide = "\n".join(f"- {s.key} ← {n}、{s.label}" for n, s in zip(T.SECTION_NUMERALS, T.SECTIONS, strict=True))
    prompt = load_prompt("sections").render(sections=guide, outline=text)
    try:
        result = await client.structured(prompt, SectionHeadings, use_cache=use_cache)
    except LLMError as e:
        outcome.error = e.message
        return outcome
    outcome.took(result)
    outcome.sections = rebuild_sections(report, doc, result.parsed, outcome, lines)  # type: ignore[arg-type]
    return outcome


def apply_sections(report: Report, outcome: SectionsOutcome, model: str) -> Report:
    """A copy of the report with the rebuilt sections and a note (engine=llm); the rules split on failure."""
    out = report.model_copy(deep=True)
    if outcome.error:
        out.notes.append(f"章节划分的 LLM 步骤失败，保留规则引擎的划分 (LLM sections step failed, rules split kept)：{outcome.error}")
        return out
    if outcome.sections is not None and outcome.rebuilt:
        out.sections = [s.model_copy(deep=True) for s in outcome.sections]
        names = "、".join(
            f"{T.SECTION_NUMERALS[ORDER[k]]}（第{i}行“{(out.section(k).heading if out.section(k) else '')[:20]}”）"
            for k, i in (r.split("@") for r in outcome.rebuilt)
        )
        note = f"LLM 划分章节（engine=llm，{model}）：按模型给出并经原文核对的标题恢复了第{names}部分"
        if outcome.trimmed:
            note += f"；{'、'.join(T.SECTION_NUMERALS[ORDER[k]] for k in outcome.trimmed)}部分的结尾相应前移"
        out.notes.append(note)
    if outcome.rejected:
        out.notes.append(f"LLM 给出的章节标题未采用：{'；'.join(outcome.rejected[:4])}")
    return out


__all__ = [
    "HeadingLine",
    "SectionHeadings",
    "SectionsOutcome",
    "apply_sections",
    "document_lines",
    "locate_heading",
    "needs_sections",
    "outline",
    "rebuild_sections",
    "sections_step",
]
