"""The ``check`` suite kind: the checker against generated reports with planted single-cell errors.

Recall per rule: a planted error counts as caught when an error finding of the report kind names the planted
cell's row or column (in its table). Precision: errors on the consistent reports are false positives. The
real fixtures named in the suite are also checked, and each error rule's findings there are counted.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from ..check import RULES, check_report
from ..synth import plant_error, random_report
from .runner import DocResult, SuiteResult, load_gold, register_runner
from .suites import Suite


def _caught(findings, planted: tuple[str, str, str]) -> list[str]:
    table, row, col = planted
    return sorted(
        {
            f.rule
            for f in findings
            if f.severity == "error"
            and f.kind == "report"
            and any(c.table == table and (c.row == row or c.column == col) for c in f.cells)
        }
    )


def run_check(suite: Suite, progress: Callable[[str], None] | None = None) -> SuiteResult:
    """Plant one error in each of ``suite.seeds`` generated reports and measure the checker."""
    res = SuiteResult(suite.name, suite.kind)
    seeds = suite.seeds or 200
    caught = 0
    false_pos: Counter[str] = Counter()
    clean_reports_with_errors = 0
    by_rule_caught: Counter[str] = Counter()
    planted_tables: Counter[str] = Counter()
    missed: list[str] = []
    for seed in range(seeds):
        if progress and seed % 50 == 0:
            progress(f"seed {seed}/{seeds}")
        report = random_report(seed, **suite.options.get("report", {}))
        clean = [f for f in check_report(report) if f.severity == "error"]
        if clean:
            clean_reports_with_errors += 1
            false_pos.update(f.rule for f in clean)
        bad, planted = plant_error(report, seed)
        planted_tables[planted[0]] += 1
        rules = _caught(check_report(bad), planted)
        if rules:
            caught += 1
            by_rule_caught.update(rules)
        else:
            missed.append(f"seed {seed}: {'.'.join(planted)}")
    m = res.metrics
    m["planted"] = seeds
    m["recall"] = caught / seeds
    m["false_positives"] = sum(false_pos.values())
    m["consistent_reports_with_errors"] = clean_reports_with_errors
    m["precision"] = caught / (caught + sum(false_pos.values())) if caught else 0.0
    doc = DocResult("planted", kind="generated", metrics={"recall": m["recall"]}, misses=missed[:50])
    res.docs.append(doc)

    # the real fixtures: findings per rule (the known source errors must be found, others must not appear)
    real_counts: dict[str, Counter[str]] = defaultdict(Counter)
    for gold_path in suite.fixture_files():
        gold = load_gold(gold_path)
        for f in check_report(gold):
            real_counts[f.rule][f.severity] += 1
    rows = []
    for rule in RULES.values() if isinstance(RULES, dict) else RULES:
        rid = getattr(rule, "id", str(rule))
        rows.append(
            {
                "rule": rid,
                "severity": getattr(rule, "severity", ""),
                "caught_planted": by_rule_caught.get(rid, 0),
                "false_positives": false_pos.get(rid, 0),
                "findings_on_real": sum(real_counts[rid].values()),
            }
        )
    res.tables["per_rule"] = rows
    res.tables["planted_by_table"] = [{"table": t, "count": n} for t, n in sorted(planted_tables.items())]
    return res


register_runner("check", run_check)
