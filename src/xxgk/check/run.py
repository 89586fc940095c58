"""Run the catalogue over one report, or a batch grouped by agency and year."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from pydantic import BaseModel, Field

from ..models import Report
from .base import SEVERITY_ORDER, Ctx, Finding
from .catalogue import RULES, render
from .rules_text import LLM_NOTE

_AGENCY_NOISE = re.compile(r"[\s\W_]+")


class ReportCheck(BaseModel):
    """The findings on one report, with the counts a reviewer scans first."""

    name: str  # the file, else the title
    agency: str | None = None
    year: int | None = None
    prior: str | None = None  # the name of the report used as last year's, if any
    findings: list[Finding] = Field(default_factory=list)
    report: Report | None = Field(default=None, exclude=True)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def errors(self) -> int:
        return self.count("error")

    @property
    def warnings(self) -> int:
        return self.count("warning")

    @property
    def infos(self) -> int:
        return self.count("info")

    def summary(self) -> dict[str, object]:
        """The JSON form: name, agency, year, counts and findings."""
        return {
            "name": self.name,
            "agency": self.agency,
            "year": self.year,
            "prior": self.prior,
            "errors": self.errors,
            "warnings": self.warnings,
            "infos": self.infos,
            "findings": [f.model_dump(mode="json", exclude_none=True) for f in self.findings],
        }


def check_report(report: Report, prior: Report | None = None, rules: Iterable[str] | None = None) -> list[Finding]:
    """Every finding of the catalogue (or the named rules) on a report, errors first; never raises on a valid model."""
    ctx = Ctx(report, prior)
    wanted = set(rules) if rules is not None else None
    findings: list[Finding] = []
    for rule in RULES.values():
        if wanted is not None and rule.id not in wanted:
            continue
        if rule.needs_prior and prior is None:
            continue
        for hit in rule.check(ctx):
            f = render(hit)
            if hit.params.get("via") == "llm":
                f.message += LLM_NOTE  # the claim was read by the LLM (verified against the text), not by a pattern
            if f.section:
                f.where = _section_where(report, f.section) or f.where
            findings.append(f)
    findings.sort(key=lambda f: SEVERITY_ORDER[f.severity])
    return findings


def _section_where(report: Report, key: str) -> str | None:
    s = report.section(key)
    if s is None or s.location is None:
        return None
    loc = s.location
    if loc.page_start is not None:
        return f"第{loc.page_start}页"
    if loc.line_start is not None:
        return f"第{loc.line_start}行起"
    return None


def agency_key(report: Report) -> str | None:
    """The agency as a join key: NFKC, no spaces or punctuation (None when unknown)."""
    name = report.agency
    if not name:
        return None
    return _AGENCY_NOISE.sub("", unicodedata.normalize("NFKC", name)) or None


def report_name(report: Report, index: int = 0) -> str:
    """A short name for a report in summaries: its file, else its title, else its position."""
    if report.source is not None and report.source.path:
        return report.source.path
    return report.title or f"报告{index + 1}"


def find_prior(report: Report, pool: Sequence[Report]) -> Report | None:
    """Last year's report of the same agency in a pool, if there is exactly one candidate year."""
    key = agency_key(report)
    if key is None or report.year is None:
        return None
    return next((p for p in pool if p is not report and p.year == report.year - 1 and same_agency(agency_key(p), key)), None)


def same_agency(a: str | None, b: str | None) -> bool:
    """Equal agency keys, or one the other with a place prefix (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return short == long or (len(short) >= 5 and long.endswith(short))


def check_reports(reports: Sequence[Report], priors: Sequence[Report] = ()) -> list[ReportCheck]:
    """Check a batch: each report against last year's of the same agency, found among the batch and ``priors``.

    With one report and one prior, the prior is used whatever its agency name says (the user paired them).
    """
    pool = [*reports, *priors]
    results: list[ReportCheck] = []
    for i, report in enumerate(reports):
        prior = priors[0] if len(reports) == 1 and len(priors) == 1 else find_prior(report, pool)
        findings = check_report(report, prior)
        results.append(
            ReportCheck(
                name=report_name(report, i),
                agency=report.agency,
                year=report.year,
                prior=report_name(prior) if prior is not None else None,
                findings=findings,
                report=report,
            )
        )
    return results
