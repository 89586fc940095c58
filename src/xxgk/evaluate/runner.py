"""Run eval suites: extraction against gold, checker against planted errors, drafting metrics."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import XxgkError
from ..models import Report
from .score import Score, score
from .suites import LOWER_IS_BETTER, Suite


@dataclass
class DocResult:
    """One fixture's outcome in a suite."""

    name: str
    kind: str = ""
    format: str = ""
    metrics: dict[str, float] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)  # human-readable: "table_b.new.total: gold 21, got [unreadable]"
    error: str | None = None


@dataclass
class SuiteResult:
    """Metrics of one suite run, with per-document rows and warnings."""

    suite: str
    kind: str
    metrics: dict[str, float] = field(default_factory=dict)
    docs: list[DocResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # extra breakdowns (e.g. per rule)

    def to_json(self) -> dict[str, Any]:
        return {
            "suite": self.suite,
            "kind": self.kind,
            "metrics": {k: round(v, 6) for k, v in sorted(self.metrics.items())},
            "docs": [
                {"name": d.name, "kind": d.kind, "format": d.format, "metrics": d.metrics, "misses": d.misses, "error": d.error}
                for d in self.docs
            ],
            "warnings": self.warnings,
            "tables": self.tables,
        }


def load_gold(path: Path) -> Report:
    return Report.model_validate_json(path.read_text(encoding="utf-8"))


def _norm(text: str) -> str:
    return "".join(text.split())


def section_scores(gold: Report, got: Report) -> tuple[int, int, int, int]:
    """(expected, found, heading right, boundary right) over gold's sections."""
    expected = found = heading_ok = boundary_ok = 0
    for gs in gold.sections:
        expected += 1
        s = got.section(gs.key)
        if s is None:
            continue
        found += 1
        if _norm(s.heading) == _norm(gs.heading) or (not gs.heading and not gs.found):
            heading_ok += 1
        want = _norm(gs.text)[:12]
        if (not want and not _norm(s.text)[:1].strip()) or (want and _norm(s.text).startswith(want)) or (not want):
            boundary_ok += 1
    return expected, found, heading_ok, boundary_ok


def run_extract(suite: Suite, extract: Callable[[Path], Report] | None = None, progress: Callable[[str], None] | None = None) -> SuiteResult:
    """Extract every fixture of the suite and score it against its gold."""
    if extract is None:
        from ..pipeline import extract_file

        engine = suite.engine

        def extract(p: Path) -> Report:
            if engine == "rules":
                return extract_file(p)
            return extract_file(p, engine=engine)  # type: ignore[call-arg]

    res = SuiteResult(suite.name, suite.kind)
    tot: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # group -> [correct, cells]
    sect = [0, 0, 0, 0]
    wrong = abstained = errors = 0
    seconds = 0.0
    usage: dict[str, float] = defaultdict(float)
    files = suite.fixture_files()
    if not files:
        res.warnings.append(f"套件 {suite.name} 没有找到任何 fixture (no fixtures matched)")
    for gold_path in files:
        gold = load_gold(gold_path)
        src = gold_path.parent / (gold.source.path if gold.source else "")
        name = src.name
        if progress:
            progress(name)
        doc = DocResult(name, kind=gold.source.kind if gold.source else "", format=gold.format or "")
        res.docs.append(doc)
        _gold_arithmetic_warning(gold, gold_path, res)
        t0 = time.perf_counter()
        try:
            got = extract(src)
        except XxgkError as e:
            errors += 1
            doc.error = str(e)
            n = len([1 for t in gold.tables.values() if t.found for _ in t.expected_cells()])  # type: ignore[attr-defined]
            tot["all"][1] += n
            continue
        dt = time.perf_counter() - t0
        seconds += dt
        s: Score = score(gold, got)
        for table, (c, n) in s.per_table.items():
            for group in ("all", table, f"kind:{doc.kind}", f"format:{doc.format}"):
                tot[group][0] += c
                tot[group][1] += n
        wrong += s.wrong
        abstained += s.abstained
        e, f, h, b = section_scores(gold, got)
        for i, v in enumerate((e, f, h, b)):
            sect[i] += v
        u = (got.extra or {}).get("usage") or {}
        for k in ("calls", "prompt_tokens", "completion_tokens", "cache_hits", "retries"):
            usage[k] += float(u.get(k, 0) or 0)
        doc.metrics = {
            "cell_accuracy": round(s.accuracy, 6),
            "cells": s.cells,
            "wrong": s.wrong,
            "abstained": s.abstained,
            "sections_found": f,
            "sections_expected": e,
            "seconds": round(dt, 4),
            "llm_calls": float(u.get("calls", 0) or 0),
        }
        doc.misses = [f"{d.path}: 应为 {d.gold}，读出 {d.got}（{'未能判定' if d.verdict == 'abstained' else '错误'}）" for d in s.diffs]
    n_docs = len(res.docs)
    m = res.metrics
    m["documents"] = n_docs
    m["errors"] = errors
    for group, (c, n) in sorted(tot.items()):
        key = "cell_accuracy" if group == "all" else f"cell_accuracy:{group.replace(':', '=')}"
        m[key] = c / n if n else 1.0
    m["wrong_cells"] = wrong
    m["abstained_cells"] = abstained
    m["section_recall"] = sect[1] / sect[0] if sect[0] else 1.0
    m["section_heading_accuracy"] = sect[2] / sect[0] if sect[0] else 1.0
    m["section_boundary_accuracy"] = sect[3] / sect[0] if sect[0] else 1.0
    ok_docs = max(n_docs - errors, 1)
    m["seconds_per_doc"] = seconds / ok_docs
    m["llm_calls_per_doc"] = usage["calls"] / ok_docs
    m["tokens_per_doc"] = (usage["prompt_tokens"] + usage["completion_tokens"]) / ok_docs
    m["cache_hits"] = usage["cache_hits"]
    return res


def _gold_arithmetic_warning(gold: Report, path: Path, res: SuiteResult) -> None:
    """Warn about gold whose own arithmetic fails, unless the gold says which source errors it keeps."""
    try:
        from ..check import check_report
    except ImportError:
        return
    known = set((gold.extra or {}).get("known_source_errors", []))
    try:
        findings = check_report(gold)
    except Exception as e:  # a gold file the checker cannot take is worth a warning, not a crash
        res.warnings.append(f"{path.name}: 检查金标准时出错 ({e})")
        return
    bad = sorted({f.rule for f in findings if getattr(f, "severity", "") == "error" and f.rule[:1] in "ABC" and f.rule not in known})
    if bad:
        res.warnings.append(f"{path.name}: 金标准自身的算术不成立（{', '.join(bad)}），且未标为已知的源文件错误 (known_source_errors)")


RUNNERS: dict[str, Callable[..., SuiteResult]] = {"extract": run_extract}


def register_runner(kind: str, fn: Callable[..., SuiteResult]) -> None:
    """Add the runner of a suite kind (the checker and drafter register theirs)."""
    RUNNERS[kind] = fn


def run_suite(suite: Suite, progress: Callable[[str], None] | None = None) -> SuiteResult:
    """Run one suite with the runner of its kind."""
    if suite.kind not in RUNNERS:
        _load_optional_runners()
    if suite.kind not in RUNNERS:
        raise XxgkError(f"评测类型 {suite.kind} 尚不可用 (no runner for this suite kind)", suite.path)
    return RUNNERS[suite.kind](suite, progress=progress)


def _load_optional_runners() -> None:
    import importlib

    for mod in ("xxgk.evaluate.check_suite", "xxgk.evaluate.draft_suite"):
        try:
            importlib.import_module(mod)
        except ImportError:
            pass


@dataclass
class Verdict:
    """Outcome of comparing a run with thresholds and the baseline."""

    failures: list[str] = field(default_factory=list)
    rows: list[tuple[str, float, float | None, float | None, str]] = field(default_factory=list)  # metric, value, threshold, baseline, status

    @property
    def ok(self) -> bool:
        return not self.failures


def compare(suite: Suite, result: SuiteResult, baseline: dict[str, float] | None) -> Verdict:
    """Fail a metric below its threshold, or worse than the baseline by more than its tolerance."""
    v = Verdict()
    keys = sorted(set(suite.thresholds) | set(suite.tolerance))
    for k in keys:
        value = result.metrics.get(k)
        thr = suite.thresholds.get(k)
        base = baseline.get(k) if baseline else None
        lower = k in LOWER_IS_BETTER
        status = "ok"
        if value is None:
            v.failures.append(f"{suite.name}: 指标 {k} 没有结果 (metric missing)")
            v.rows.append((k, float("nan"), thr, base, "missing"))
            continue
        # Baselines are stored rounded to 6 places: compare at that precision, or an
        # unchanged run (0.99815668 vs stored 0.998157) would count as a regression.
        value = round(value, 6)
        if thr is not None and ((value > thr) if lower else (value < thr)):
            status = "below threshold"
            v.failures.append(f"{suite.name}: {k} = {value:.4g}，{'高于上限' if lower else '低于阈值'} {thr:.4g}")
        tol = suite.tolerance.get(k, 0.0)
        if base is not None and ((value > base + tol) if lower else (value < base - tol)):
            status = "regressed" if status == "ok" else status
            v.failures.append(f"{suite.name}: {k} = {value:.4g}，比基线 {base:.4g} 变差（容差 {tol:g}）")
        v.rows.append((k, value, thr, base, status))
    return v
