"""Helpers for the LLM tests: isolate the user's environment, answer like a model that reads the gold labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xxgk.llm.testing import Received, Reply, ScriptedServer, answer
from xxgk.models import CellState, Report

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "fixtures" / "real"
SCHEMA_TABLE = {
    "TableA": "table_a",
    "TableB": "table_b",
    "TableC": "table_c",
    "Corrections": "verify",
    "Probe": "probe",
    "SectionHeadings": "sections",
    "NarrativeClaims": "claims",
}
ENV_TO_CLEAR = (
    "XXGK_LLM_ENDPOINT",
    "XXGK_LLM_BASE_URL",
    "XXGK_LLM_MODEL",
    "XXGK_LLM_API_KEY",
    "XXGK_LLM_MODE",
    "XXGK_LLM_VISION",
    "XXGK_CACHE_DIR",
    "XXGK_LLM_LOG",
    "OPENAI_API_KEY",
    "OPENAI_ADMIN_KEY",
    "OPENAI_BASE_URL",
    "OPENAI_ORG_ID",
    "OPENAI_PROJECT_ID",
    "OPENAI_CUSTOM_HEADERS",
    "DEEPSEEK_API_KEY",
    "DASHSCOPE_API_KEY",
)


def gold(name: str) -> Report:
    return Report.model_validate_json((REAL / f"{name}.gold.json").read_text(encoding="utf-8"))


def cell_answer(cell: Any) -> Any:
    if cell.state in (CellState.number, CellState.text_number):
        return cell.value
    if cell.state == CellState.dash:
        return "—"
    if cell.state == CellState.blank:
        return None
    return "?"


def table_grid(report: Report, table: str) -> dict[str, dict[str, Any]]:
    """A table of a report as the model's answer object."""
    t = report.tables[table]
    out: dict[str, dict[str, Any]] = {}
    for row, col in t.expected_cells():  # type: ignore[attr-defined]
        out.setdefault(row, {})[col] = cell_answer(t.cell(row, col))
    return out


def task_of(req: Received) -> str:
    """Which task a request is: table_a | table_b | table_c | verify | probe | sections | claims (from the schema it carries)."""
    blob = json.dumps(req.body, ensure_ascii=False)
    for marker, task in SCHEMA_TABLE.items():
        if f'"{marker}' in blob or f"{marker}20" in blob or f"{marker}Answer" in blob:
            return task
    raise AssertionError(f"unknown task in request: {blob[:300]}")


class Router:
    """A fallback that answers per task: a list of replies per task (the last one repeats)."""

    def __init__(self, **script: list[Reply] | Reply) -> None:
        self.script = {k: (v if isinstance(v, list) else [v]) for k, v in script.items()}
        self.seen: dict[str, list[Received]] = {}

    def __call__(self, req: Received) -> Reply:
        task = task_of(req)
        self.seen.setdefault(task, []).append(req)
        replies = self.script.get(task)
        if not replies:
            return Reply(status=500, raw_body=json.dumps({"error": {"message": f"no script for {task}"}}))
        return replies.pop(0) if len(replies) > 1 else replies[0]


def gold_router(report: Report, **overrides: list[Reply] | Reply) -> Router:
    """A router answering every table from gold (and verify with no corrections), with overrides per task."""
    script: dict[str, list[Reply] | Reply] = {t: answer(table_grid(report, t)) for t in ("table_a", "table_b", "table_c")}
    script["verify"] = answer({"corrections": []})
    script["sections"] = answer({"sections": []})  # an outline question (§ inferred by the rules) finds nothing new
    script.update(overrides)
    return Router(**script)


# Fixtures shared by the LLM test modules (import them by name: ``from llm_helpers import isolated, server``).


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No user config, no keys, no cache outside the test's temp dir."""
    for name in ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XXGK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XXGK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


@pytest.fixture
def server():
    """A scripted OpenAI-compatible server on 127.0.0.1 for the test."""
    with ScriptedServer() as s:
        yield s
