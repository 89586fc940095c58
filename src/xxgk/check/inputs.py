"""What `xxgk check` reads: report JSON (extract output, .jsonl, .gold.json) or any input document."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError
from ..models import Report

JSON_SUFFIXES = (".json", ".jsonl")
DOCUMENT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf", ".png", ".jpg", ".jpeg")


def _document_suffixes() -> tuple[str, ...]:
    try:
        from ..ingest import SUPPORTED_SUFFIXES
    except ImportError:  # pragma: no cover - the ingesters are part of the package
        return DOCUMENT_SUFFIXES
    return tuple(s for s in SUPPORTED_SUFFIXES if s not in JSON_SUFFIXES)


def is_report_json(path: Path) -> bool:
    return path.suffix.lower() in JSON_SUFFIXES


def expand(items: list[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files named, and files found in directories (a .gold.json only when its document is not beside it)."""
    files: list[Path] = []
    problems: list[tuple[Path, str]] = []
    docs = _document_suffixes()
    for item in items:
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in (*docs, *JSON_SUFFIXES))
            stems = {p.with_suffix("") for p in found if p.suffix.lower() in docs}
            found = [p for p in found if not (p.name.endswith(".gold.json") and p.with_suffix("").with_suffix("") in stems)]
            if not found:
                problems.append((item, "目录中没有可处理的报告文件 (no report files in directory)"))
            files.extend(found)
        elif item.is_file():
            files.append(item)
        else:
            problems.append((item, "文件不存在 (file not found)"))
    return files, problems


def read_report_json(path: Path) -> list[Report]:
    """The reports in a JSON file: one Report, a list of them, or one per line (JSONL)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"无法读取 JSON 文件：{e}", path) from e
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
    except json.JSONDecodeError:
        try:
            items = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise InputError(f"不是有效的 JSON：{e}", path) from e
    if not items:
        raise InputError("JSON 文件中没有报告", path)
    try:
        return [Report.model_validate(item) for item in items]
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise InputError(f"不是报告 JSON（{where}: {first['msg']}）", path) from e
