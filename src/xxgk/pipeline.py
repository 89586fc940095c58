"""Extraction end to end: a file in, a Report out (rules engine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .document import Document
from .errors import InputError, NotAReport
from .ingest import SUPPORTED_SUFFIXES, ingest
from .models import Report, SourceFile
from .parse.meta import read_meta
from .parse.sections import split_sections
from .parse.tables import parse_tables


def extract_document(doc: Document, engine: str = "rules", llm: Any = None, *, use_cache: bool = True, claims: bool = False) -> Report:
    """Read an ingested Document into a Report; ``engine`` rules | llm | auto (see ``xxgk.llm``); ``claims``: the LLM reads the narrative's numbers."""
    if engine != "rules" or claims:
        from .llm.run import aextract_document, run_sync

        return run_sync(aextract_document(doc, engine, llm, use_cache=use_cache, claims=claims))  # type: ignore[arg-type]
    meta = read_meta(doc)
    tables = parse_tables(doc, meta.year)
    sections = split_sections(doc, tables.table_lines)
    found_tables = sum(t.found for t in (tables.table_a, tables.table_b, tables.table_c))
    if found_tables == 0 and len(sections) < 2:
        raise NotAReport("没有找到年度报告的统计表或章节，可能不是政府信息公开工作年度报告 (not an annual report)", doc.path)
    report = Report(
        source=SourceFile(
            path=doc.path,
            kind=doc.kind,
            sha256=doc.sha256,
            pages=len(doc.pages),
            encoding=doc.encoding,
        ),
        title=meta.title,
        agency=meta.agency,
        year=meta.year,
        format=tables.format,
        sections=sections,
        table_a=tables.table_a,
        table_b=tables.table_b,
        table_c=tables.table_c,
        notes=list(doc.notes),
    )
    return report


def extract_file(path: str | Path, engine: str = "rules", llm: Any = None, *, use_cache: bool = True, claims: bool = False) -> Report:
    """Ingest ``path`` and read it into a Report; raises an InputError naming the file on bad input.

    ``engine``: ``rules`` (default, offline), ``llm`` (the model reads every table) or ``auto`` (the model
    only for tables the rules engine could not read or that fail arithmetic). ``llm``: an
    ``xxgk.llm.LLMClient``, ``LLMSettings``, an endpoint name, or None for the configured endpoint.
    ``claims``: the model also reads the numbers the narrative states (``report.extra["llm_claims"]``, for the checker).
    """
    return extract_document(ingest(path), engine, llm, use_cache=use_cache, claims=claims)


def expand_inputs(items: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files named or found (recursively, supported kinds only) in directories; problems for the rest."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    for item in items:
        if item.is_dir():
            found = sorted(
                p for p in item.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.endswith(".gold.json")
            )
            if not found:
                problems.append((item, "目录中没有可处理的报告文件 (no report files in directory)"))
            files.extend(found)
        elif item.exists():
            files.append(item)
        else:
            problems.append((item, "文件不存在 (file not found)"))
    return files, problems


__all__ = ["InputError", "expand_inputs", "extract_document", "extract_file"]
