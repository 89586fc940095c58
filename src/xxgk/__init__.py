"""xxgk: read, check and help write 政府信息公开工作年度报告."""

from __future__ import annotations

from .document import Document
from .errors import XxgkError
from .models import Cell, CellState, Report, Section, TableA, TableB, TableC

__all__ = [
    "Cell",
    "CellState",
    "Document",
    "Report",
    "Section",
    "TableA",
    "TableB",
    "TableC",
    "XxgkError",
    "__version__",
]
__version__ = "0.1.0"
