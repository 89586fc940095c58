"""The LLM engine: per-table calls that read or verify-and-correct a table, with the checker's identities as the gate.

``improve_report`` takes the rules engine's Report and its Document and, per table:

* ``auto``: calls the model only for a table that is missing, has unreadable/missing cells, has a
  confidence below 0.9 or fails its arithmetic (B1–B3, C1, A1). A table that was read but doubted is
  *verified* (the model sees the reading and the failing equations and answers corrections only);
  a missing or mostly unreadable table is *read* from its section's text.
* ``llm``: every table is read by the model from its section's text.

After validation the identities run; a failure goes back to the model once, as the re-ask message
naming the equations. If it still fails the answer is kept, marked in the table's notes, and the
checker reports it. Every number the model returns must occur in the source text: one that does not
is flagged (low confidence, a note) and never replaces a number the rules engine read.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from .. import template as T
from ..check import check_report
from ..check.base import table_format as format_of
from ..document import Document, Grid, Line
from ..models import LOW_CONFIDENCE, Cell, CellState, Location, Report, Source, Table, TableA, TableB, TableC
from ..parse.numbers import normalize
from ..template import FormatId
from .client import LLMClient, LLMError
from .guide import answer_skeleton, reading_text, table_guide
from .outcome import StepOutcome
from .prompts import load_prompt
from .responses import DASH, UNSURE, Corrections, TableAnswer, answer_model
from .usage import Usage, current_usage
from .vision import PageImageError, ocr_pages, page_images

Engine = Literal["rules", "llm", "auto"]
TABLES = ("table_a", "table_b", "table_c")
TABLE_RULES: dict[str, tuple[str, ...]] = {"table_a": ("A1",), "table_b": ("B1", "B2", "B3"), "table_c": ("C1",)}
ARITHMETIC_KEYS = {"mismatch", "not_count", "negative_money"}
SECTION_OF = {"table_a": "proactive", "table_b": "requests", "table_c": "review_litigation"}
VERIFY_MIN_CONFIDENCE = 0.5  # below this the reading is too poor to verify: read the table afresh
FLAGGED_CONFIDENCE = 0.2
IMAGE_ONLY_CONFIDENCE = 0.85  # read from a page image, not in the OCR text: kept, but below LOW_CONFIDENCE (review)
EXCERPT_MARGIN = 3  # lines of context around a located table
EXCERPT_MAX_CHARS = 8000
IDENTITY_REASKS = 1


# ------------------------------------------------------------------ what needs the LLM


def table_format(report: Report, name: str) -> FormatId:
    """The format table ``name`` is read in (see ``xxgk.check.base.table_format``)."""
    return format_of(report, getattr(report.tables[name], "format", None))


def arithmetic_failures(name: str, table: Table, fmt: FormatId) -> list[Any]:
    """The checker's arithmetic findings on one table alone (mismatches and non-counts)."""
    probe = Report(format=fmt, **{name: table})
    return [f for f in check_report(probe, rules=TABLE_RULES[name]) if f.key in ARITHMETIC_KEYS]


def needs_llm(report: Report, name: str) -> list[str]:
    """Why a table should go to the LLM in ``auto`` mode (empty: the rules reading stands)."""
    table = report.tables[name]
    if not table.found:
        return ["missing"]
    reasons: list[str] = []
    expected = table.expected_cells()  # type: ignore[attr-defined]
    if any(table.cell(r, c).state in (CellState.unreadable, CellState.missing) for r, c in expected):
        reasons.append("unreadable")
    if table.confidence < LOW_CONFIDENCE:
        reasons.append("low_confidence")
    if arithmetic_failures(name, table, table_format(report, name)):
        reasons.append("arithmetic")
    return reasons


# ------------------------------------------------------------------ source text


def _numbered_lines(doc: Document) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    for block in doc.blocks():
        if isinstance(block, Line):
            out.append((block.index, block.text))
        elif isinstance(block, Grid):
            out.extend((block.index + i, "\t".join(row)) for i, row in enumerate(block.rows))
    return out


def table_location(report: Report, name: str) -> Location | None:
    """Where a table was (or should be) read: its own lines, else its section's, else None."""
    table = report.tables[name]
    loc = table.location if table.found else None
    if loc is None or loc.line_start is None:
        section = report.section(SECTION_OF[name])
        loc = section.location if section is not None else None
    return loc if loc is not None and loc.line_start is not None else None


def table_excerpt(doc: Document, report: Report, name: str) -> str | None:
    """The text a table was (or should be) read from (see ``table_location``), else None."""
    loc = table_location(report, name)
    if loc is None:
        return None
    start = loc.line_start - EXCERPT_MARGIN  # type: ignore[operator]
    end = (loc.line_end or loc.line_start) + EXCERPT_MARGIN
    text = "\n".join(t for i, t in _numbered_lines(doc) if start <= i <= end)
    return text[:EXCERPT_MAX_CHARS] or None


def number_in_text(value: float | int, text: str) -> bool:
    """True when ``value`` is printed in ``text`` as a number (thousands separators and full-width digits allowed)."""
    norm = normalize(text)
    forms = {str(value)}
    if isinstance(value, float):
        forms.add(f"{value:g}")
        if value.is_integer():
            forms.add(str(int(value)))
    return any(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d]|\.\d)", norm) for f in forms)


# ------------------------------------------------------------------ the identity gate


class IdentityGate:
    """Runs the checker's identities on a validated answer; while re-asks remain, a failure becomes the re-ask."""

    def __init__(self, name: str, fmt: FormatId, to_table: Any, reasks: int = IDENTITY_REASKS, accept_no_corrections: bool = False) -> None:
        self.name = name
        # in verify mode the model already saw the failing equations: an empty correction list affirms the source
        self.accept_no_corrections = accept_no_corrections
        self.fmt = fmt
        self.to_table = to_table
        self.reasks_left = reasks
        self.messages: list[str] = []

    def check(self, answer: BaseModel) -> None:
        if self.accept_no_corrections and not getattr(answer, "corrections", None):
            return
        failures = arithmetic_failures(self.name, self.to_table(answer), self.fmt)
        if failures and self.reasks_left > 0:
            self.reasks_left -= 1
            message = reask_message(failures)
            self.messages.append(message)
            raise ValueError(message)


def reask_message(failures: list[Any]) -> str:
    """The re-ask text: the failing equations, and the instruction not to force them."""
    lines = [f"- {f.rule} {f.message}" for f in failures]
    return (
        "以下勾稽关系不成立 (these identities fail):\n"
        + "\n".join(lines)
        + "\n请对照原文逐个核对这些等式涉及的数字，更正读错的；如果原文印的就是这些数字，请原样保留，不要为凑平而修改。"
    )


# ------------------------------------------------------------------ answers to cells


def _llm_cell(value: Any, file: str | None) -> Cell:
    src = Source(file=file, engine="llm")
    if value is None:
        return Cell(raw="", state=CellState.blank, source=src)
    if value == DASH:
        return Cell(raw=DASH, state=CellState.dash, source=src)
    if value == UNSURE:
        return Cell(raw="?", state=CellState.unreadable, reason="LLM 无法辨认 (the model could not read it)", source=src)
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    return Cell(value=value, raw=shown, state=CellState.number, source=src)


def _new_table(name: str, fmt: FormatId, compressed: bool, cells: dict[str, dict[str, Cell]], base: Table | None) -> Table:
    common: dict[str, Any] = {"found": True, "cells": cells, "engine": "llm"}
    if base is not None and base.location is not None:
        common["location"] = base.location
    if name == "table_a":
        return TableA(format=fmt, **common)
    if name == "table_b":
        return TableB(format=fmt, compressed_other=compressed, **common)
    return TableC(**common)


def answer_to_table(name: str, fmt: FormatId, compressed: bool, answer: TableAnswer, file: str | None = None) -> Table:
    """A Table of LLM cells from a table answer (no merging, no flags)."""
    cells = {row: {col: _llm_cell(v, file) for col, v in cols.items()} for row, cols in answer.grid().items()}
    return _new_table(name, fmt, compressed, cells, None)


def apply_corrections(name: str, base: Table, corrections: Corrections, file: str | None = None) -> Table:
    """The rules reading with the model's corrections applied (unflagged; see ``merge``)."""
    table = base.model_copy(deep=True)
    for c in corrections.corrections:
        table.cells.setdefault(c.row, {})[c.column] = _llm_cell(c.value, file)
    return table


@dataclass
class TableOutcome(StepOutcome):
    """What the LLM step did to one table."""

    table: str
    reasons: list[str]
    task: str  # read | verify | skipped
    table_after: Table | None = None
    corrections: int = 0
    flagged: list[str] = field(default_factory=list)  # row.column = value not found in the source
    remaining: list[str] = field(default_factory=list)  # rule ids still failing after the LLM
    image_pages: list[int] = field(default_factory=list)  # pages sent to a vision model as images
    image_error: str | None = None  # why the page images could not be sent (the text was used)

    ALWAYS: ClassVar[tuple[str, ...]] = ("reasons", "task")
    SHOWN: ClassVar[tuple[str, ...]] = ("corrections", "flagged", "remaining", "reasks", "cached", "error", "image_pages", "image_error")


def merge(
    name: str, base: Table | None, proposed: Table, excerpt: str, fmt: FormatId, from_image: bool = False
) -> tuple[Table, list[str], int]:
    """Keep the LLM's cells that are backed by the source; flag the rest (a rules number is never replaced by a flagged one).

    ``from_image``: the model read the page images, which are the source; the OCR text is only another
    reading. A number the OCR text lacks is then kept, below the review threshold, with the OCR's reading
    in its reason.
    """
    table = proposed.model_copy(deep=True)
    flagged: list[str] = []
    changed = 0
    for row, col in table.expected_cells():  # type: ignore[attr-defined]
        cell = table.cell(row, col)
        old = base.cell(row, col) if base is not None and base.found else None
        if cell.source is None or cell.source.engine != "llm":
            continue
        if cell.has_value and not number_in_text(cell.value, excerpt):  # type: ignore[arg-type]
            flagged.append(f"{row}.{col}={cell.value:g}" if isinstance(cell.value, float) else f"{row}.{col}={cell.value}")
            if from_image:
                ocr = f"OCR 读作 {old.raw or '空白'}" if old is not None else "OCR 文本中没有"
                cell.confidence = IMAGE_ONLY_CONFIDENCE
                cell.reason = f"按页面图片读出 {cell.value}，{ocr}，请人工核对 (read from the page image; the OCR text differs)"
            else:
                if old is not None and old.has_value:
                    table.cells[row][col] = old
                    continue
                cell.confidence = FLAGGED_CONFIDENCE
                cell.reason = f"LLM 给出的 {cell.value} 未在原文中出现，存疑 (number not found in the source)"
        if old is not None and (old.state != cell.state or old.value != cell.value):
            changed += 1
    return table, flagged, changed


# ------------------------------------------------------------------ one table


def _images_for(client: LLMClient, doc: Document, report: Report, name: str, outcome: TableOutcome) -> list[str]:
    """Page images of a table read by OCR, for an endpoint that reads images (else none)."""
    if not client.settings.vision:
        return []
    pages = ocr_pages(doc, table_location(report, name))
    if not pages:
        return []
    try:
        images = page_images(doc, pages)
    except PageImageError as e:
        outcome.image_error = str(e)
        return []
    outcome.image_pages = pages
    return images


async def process_table(client: LLMClient, doc: Document, report: Report, name: str, reasons: list[str], engine: Engine, use_cache: bool = True) -> TableOutcome:
    """Read or verify one table with the model; never raises LLMError (the outcome carries it)."""
    base = report.tables[name]
    fmt = table_format(report, name)
    compressed = bool(getattr(base, "compressed_other", False)) and name == "table_b"
    excerpt = table_excerpt(doc, report, name)
    file = report.source.path if report.source else None
    if excerpt is None:
        return TableOutcome(name, reasons, "skipped", error="找不到该表所在的原文，未调用 LLM (no source text located for this table)")
    verify = engine == "auto" and base.found and base.confidence >= VERIFY_MIN_CONFIDENCE
    outcome = TableOutcome(name, reasons, "verify" if verify else "read")
    guide = table_guide(name, fmt, compressed)
    images = _images_for(client, doc, report, name, outcome)
    try:
        if verify:
            problems = arithmetic_failures(name, base, fmt)
            doubtful = [
                f"- {r}.{c}: {base.cell(r, c).reason or base.cell(r, c).state.value}"
                for r, c in base.expected_cells()  # type: ignore[attr-defined]
                if base.cell(r, c).state in (CellState.unreadable, CellState.missing)
            ]
            problem_text = "\n".join([f"- {f.rule} {f.message}" for f in problems] + doubtful)
            if base.confidence < LOW_CONFIDENCE:
                problem_text += f"\n- 程序对这张表的识别置信度低（{base.confidence:g}）：{'；'.join(base.notes[:3])}"
            prompt = load_prompt("verify").render(
                table_title=T.TABLE_NAMES[name], guide=guide, reading=reading_text(name, base), problems=problem_text.strip() or "（无）", excerpt=excerpt
            ).with_images(images)
            gate = IdentityGate(name, fmt, lambda a: apply_corrections(name, base, a, file), accept_no_corrections=True)
            context = {"gate": gate, "cells": set(base.expected_cells())}  # type: ignore[attr-defined]
            result = await client.structured(prompt, Corrections, context=context, use_cache=use_cache)
            proposed = apply_corrections(name, base, result.parsed, file)  # type: ignore[arg-type]
            outcome.corrections = len(result.parsed.corrections)  # type: ignore[attr-defined]
        else:
            model = answer_model(name, fmt, compressed)
            prompt = load_prompt(name).render(guide=guide, skeleton=answer_skeleton(name, fmt, compressed), excerpt=excerpt).with_images(images)
            gate = IdentityGate(name, fmt, lambda a: answer_to_table(name, fmt, compressed, a, file))
            result = await client.structured(prompt, model, context={"gate": gate}, use_cache=use_cache)
            proposed = answer_to_table(name, fmt, compressed, result.parsed, file)  # type: ignore[arg-type]
    except LLMError as e:
        outcome.error = e.message
        return outcome
    outcome.took(result)
    table, outcome.flagged, changed = merge(name, base if base.found else None, proposed, excerpt, fmt, from_image=bool(images))
    if verify:
        outcome.corrections = changed
        table.engine = "llm" if changed else base.engine
        table.notes = [*base.notes]
    remaining = arithmetic_failures(name, table, fmt)
    outcome.remaining = sorted({f.rule for f in remaining})
    expected = table.expected_cells()  # type: ignore[attr-defined]
    trusted = sum(1 for r, c in expected if table.cell(r, c).state != CellState.unreadable and (table.cell(r, c).confidence or 1.0) >= LOW_CONFIDENCE)
    agreement = trusted / len(expected) if expected else 0.0
    if verify and not changed and not outcome.flagged and trusted == len(expected):
        # the model read the same numbers: both engines agree, so what still fails is the source's arithmetic
        agreement = max(agreement, 0.95)
    table.confidence = round(agreement, 3)
    task = ("看图" if images else "") + ("核对" if verify else "读取")
    pages = f"，第{'、'.join(map(str, outcome.image_pages))}页图片" if images else ""
    note = f"LLM {task}（{client.settings.model}{pages}）：" + (f"更正 {changed} 格" if verify else "整表由 LLM 读出")
    if outcome.flagged and images:
        note += f"；{len(outcome.flagged)} 个数字与 OCR 文本不同，按图片读取并标为待核对：{', '.join(outcome.flagged[:6])}"
    elif outcome.flagged:
        note += f"；{len(outcome.flagged)} 个数字未在原文中出现，未采信：{', '.join(outcome.flagged[:6])}"
    if outcome.remaining:
        note += f"；复核后仍不满足 {'、'.join(outcome.remaining)}（若原文如此，是报告本身的问题）"
    table.notes = [*table.notes, note]
    outcome.table_after = table
    return outcome


# ------------------------------------------------------------------ one report


async def improve_report(
    report: Report, doc: Document, client: LLMClient, engine: Engine = "auto", use_cache: bool = True, claims: bool = False
) -> Report:
    """The report with the LLM's readings of the tables that need them; failures are noted, never raised.

    First the outline: when the rules split has sections missing or inferred, the model names the headings
    (``xxgk.llm.sections``). With ``claims`` the narrative's numbers are read too (``xxgk.llm.claims``).
    """
    if engine == "rules":
        return report
    from .claims import apply_claims, claims_step
    from .sections import apply_sections, sections_step

    usage = Usage()
    token = current_usage.set(usage)
    try:
        sections = await sections_step(client, doc, report, use_cache)
        if sections is not None:
            report = apply_sections(report, sections, client.settings.model)
        jobs: list[tuple[str, list[str]]] = []
        for name in TABLES:
            reasons = needs_llm(report, name) if engine == "auto" else ["engine=llm"]
            if reasons:
                jobs.append((name, reasons))
        steps: list[Any] = [process_table(client, doc, report, n, r, engine, use_cache) for n, r in jobs]
        if claims:
            steps.append(claims_step(client, report, use_cache))
        results = await asyncio.gather(*steps)
        outcomes: list[TableOutcome] = list(results[: len(jobs)])
        claims_outcome = results[len(jobs)] if claims else None
    finally:
        current_usage.reset(token)
    out = report.model_copy(deep=True)
    errors: list[dict[str, str]] = []
    for o in outcomes:
        if o.table_after is not None:
            setattr(out, o.table, o.table_after)
            if o.table_after.engine == "llm":
                out.engine = "llm"
        if o.image_error:
            out.notes.append(f"{T.TABLE_NAMES[o.table]}未能附上页面图片，改用 OCR 文本 (page images not sent)：{o.image_error}")
        if o.error and o.task != "skipped":
            errors.append({"table": o.table, "error": o.error})
            out.notes.append(f"{T.TABLE_NAMES[o.table]}的 LLM 步骤失败，保留规则引擎结果 (LLM step failed, rules result kept)：{o.error}")
    if sections is not None and sections.error:
        errors.append({"table": "sections", "error": sections.error})
    if claims_outcome is not None:
        apply_claims(out, claims_outcome, client.settings.model)
        if claims_outcome.error:
            errors.append({"table": "claims", "error": claims_outcome.error})
    out.extra["llm"] = {
        "engine": engine,
        "endpoint": client.settings.name,
        "model": client.settings.model,
        "mode": client.settings.mode,
        "tables": {o.table: o.summary() for o in outcomes},
        **({"sections": sections.summary()} if sections is not None else {}),
        **({"claims": claims_outcome.summary()} if claims_outcome is not None else {}),
        "usage": usage.model_dump(exclude_none=True),
        **({"errors": errors} if errors else {}),
    }
    return out


__all__ = [
    "Engine",
    "IdentityGate",
    "TableOutcome",
    "answer_to_table",
    "apply_corrections",
    "arithmetic_failures",
    "improve_report",
    "needs_llm",
    "number_in_text",
    "process_table",
    "table_excerpt",
]
