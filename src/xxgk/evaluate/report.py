"""Eval results as a markdown page (worst documents first, with the cells they missed)."""

from __future__ import annotations

from .runner import SuiteResult, Verdict


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    if v != v:  # NaN
        return "n/a"
    return f"{v:.4f}" if isinstance(v, float) and not float(v).is_integer() else f"{int(v)}"


def summary_rows(result: SuiteResult) -> list[tuple[str, str]]:
    """The headline metrics of a suite for a summary table."""
    return [(k, _fmt(v)) for k, v in sorted(result.metrics.items())]


def markdown(results: list[tuple[SuiteResult, Verdict | None]]) -> str:
    """A page per run: summary per suite, verdicts, then the worst documents and their misses."""
    out = ["# xxgk eval", ""]
    for res, verdict in results:
        out += [f"## {res.suite} ({res.kind})", "", "| metric | value |", "|---|---|"]
        out += [f"| {k} | {v} |" for k, v in summary_rows(res)]
        out.append("")
        if verdict is not None:
            out.append("**通过 (pass)**" if verdict.ok else "**未通过 (fail)**")
            out += [f"- {f}" for f in verdict.failures]
            out.append("")
        for name, rows in res.tables.items():
            if not rows:
                continue
            cols = list(rows[0])
            out += [f"### {name}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
            out += ["| " + " | ".join(str(r.get(c, "")) for c in cols) + " |" for r in rows]
            out.append("")
        if res.warnings:
            out += ["### 警告 (warnings)", ""] + [f"- {w}" for w in res.warnings] + [""]
        worst = sorted(res.docs, key=lambda d: (d.error is None, d.metrics.get("cell_accuracy", 1.0)))
        bad = [d for d in worst if d.error or d.misses]
        if bad:
            out += ["### 最差的文档 (worst documents)", ""]
            for d in bad[:20]:
                head = f"- **{d.name}** ({d.kind}, {d.format})"
                if d.error:
                    out.append(f"{head}: 出错 {d.error}")
                    continue
                out.append(f"{head}: 单元格准确率 {d.metrics.get('cell_accuracy', 0):.4f}")
                out += [f"  - {m}" for m in d.misses[:30]]
                if len(d.misses) > 30:
                    out.append(f"  - …另有 {len(d.misses) - 30} 处")
            out.append("")
    return "\n".join(out) + "\n"
