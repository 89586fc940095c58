"""The ``draft`` suite kind: the section 五 drafter on real year pairs and generated agency histories.

Metrics: grounding rate (numbers cited that match a fact), maximum sentence overlap with prior years' §五,
the longest verbatim run shared with them, prior-problem coverage, slogans, drafts that break any rule.
Options: ``pairs`` = [[current, prior], …] input files relative to the suite file; ``histories`` = number of
generated agency histories (each gives one pair per consecutive year).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..draft import build_facts, draft_template, score_draft
from ..draft.history import agency_history
from ..models import Report
from .runner import DocResult, SuiteResult, register_runner
from .suites import Suite


def _read(path: Path) -> Report:
    if path.name.endswith(".json"):
        return Report.model_validate_json(path.read_text(encoding="utf-8"))
    from ..pipeline import extract_file

    return extract_file(path)


def run_draft(suite: Suite, progress: Callable[[str], None] | None = None) -> SuiteResult:
    """Draft §五 for every pair and measure the drafts."""
    res = SuiteResult(suite.name, suite.kind)
    base = suite.path.parent if suite.path else Path.cwd()
    cases: list[tuple[str, Report, list[Report]]] = []
    for current, *priors in suite.options.get("pairs", []):
        cases.append((Path(current).name, _read(base / current), [_read(base / p) for p in priors]))
    for h in range(int(suite.options.get("histories", 0))):
        reports = agency_history(h)
        for i in range(1, len(reports)):
            cases.append((f"history{h}-{reports[i].year}", reports[i], list(reversed(reports[:i]))[:2]))
    numbers = grounded = problems = addressed = slogans = broken = 0
    max_overlap = 0.0
    longest = 0
    for name, current, priors in cases:
        if progress:
            progress(name)
        if suite.engine not in ("template", "rules"):
            raise ValueError(f"draft suite engine {suite.engine!r} needs an endpoint; only 'template' runs offline")
        facts = build_facts(current, priors)
        draft = draft_template(facts)
        s = score_draft(draft, facts)
        numbers += s.numbers
        grounded += s.grounded
        problems += s.prior_problems
        addressed += s.addressed
        slogans += len(s.slogans)
        broken += not s.ok
        max_overlap = max(max_overlap, s.max_sentence_overlap)
        longest = max(longest, len(s.longest_copied))
        misses = [f"未核实的数字: {u}" for u in s.ungrounded] + [f"口号: {x}" for x in s.slogans]
        if s.coverage < 1:
            misses.append(f"上年问题未回应 {s.prior_problems - s.addressed} 个")
        res.docs.append(
            DocResult(
                name,
                kind="draft",
                metrics={
                    "grounding_rate": round(s.grounding_rate, 4),
                    "max_sentence_overlap": round(s.max_sentence_overlap, 4),
                    "coverage": round(s.coverage, 4),
                },
                misses=misses,
            )
        )
    m = res.metrics
    m["drafts"] = len(cases)
    m["grounding_rate"] = grounded / numbers if numbers else 1.0
    m["ungrounded_numbers"] = numbers - grounded
    m["max_overlap"] = max_overlap
    m["longest_copied_chars"] = longest
    m["prior_problem_coverage"] = addressed / problems if problems else 1.0
    m["slogans"] = slogans
    m["drafts_breaking_rules"] = broken
    return res


register_runner("draft", run_draft)
