"""The checker: consistency rules of FORMAT.md §5 over an extracted Report (one catalogue, pure functions).

    from xxgk.check import check_report
    for f in check_report(report, prior=last_year):
        print(f.severity, f.rule, f.message)
"""

from __future__ import annotations

from .base import CellRef, Finding, Kind, Severity
from .catalogue import RULES, Rule, catalogue_rows
from .run import ReportCheck, check_report, check_reports, find_prior

__all__ = [
    "RULES",
    "CellRef",
    "Finding",
    "Kind",
    "ReportCheck",
    "Rule",
    "Severity",
    "catalogue_rows",
    "check_report",
    "check_reports",
    "find_prior",
]
