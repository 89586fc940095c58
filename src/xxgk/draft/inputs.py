"""Reading the reports a draft starts from: report JSON (extract output, .gold.json) or any input document."""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..models import Report


def load_report(path: str | Path) -> Report:
    """One Report from a JSON file (the first report in it) or from a document via the pipeline."""
    path = Path(path)
    if path.suffix.lower() in (".json", ".jsonl"):
        from ..check.inputs import read_report_json

        found = read_report_json(path)
        if not found:
            raise InputError("JSON 文件中没有报告 (no report in JSON file)", path)
        return found[0]
    from ..pipeline import extract_file

    return extract_file(path)
