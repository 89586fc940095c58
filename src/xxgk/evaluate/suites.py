"""Eval suites: a TOML file in ``evals/`` naming fixtures, engine, thresholds; a committed baseline beside it.

A suite file::

    name = "extract-real"
    kind = "extract"                    # extract | check | draft
    description = "…"
    fixtures = ["../fixtures/real/*.gold.json"]   # globs, relative to the suite file
    engine = "rules"                    # rules | llm | auto
    [thresholds]                        # metric = minimum (or maximum for metrics listed in LOWER_IS_BETTER)
    cell_accuracy = 0.98
    [tolerance]                         # allowed regression from the baseline per metric (default 0)
    cell_accuracy = 0.0

The baseline of suite ``NAME`` is ``evals/baselines/NAME.json``: the metrics of the last accepted run.
"""

from __future__ import annotations

import glob
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ConfigError

# Metrics where a larger value is worse: thresholds are maxima, regressions are increases.
LOWER_IS_BETTER = {
    "wrong_cells",
    "errors",
    "false_positives",
    "max_overlap",
    "seconds_per_doc",
    "llm_calls_per_doc",
    "tokens_per_doc",
    "ungrounded_numbers",
    "slogans",
    "drafts_breaking_rules",
    "longest_copied_chars",
}


class Suite(BaseModel):
    """One eval suite as read from its TOML file."""

    model_config = ConfigDict(extra="forbid")

    name: str
    kind: Literal["extract", "check", "draft"]
    description: str = ""
    fixtures: list[str] = Field(default_factory=list)
    engine: str = "rules"
    endpoint: str | None = None  # an LLM preset or base URL for llm/auto suites
    seeds: int = 0  # generated cases (check suites)
    thresholds: dict[str, float] = Field(default_factory=dict)
    tolerance: dict[str, float] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    path: Path | None = None

    def fixture_files(self) -> list[Path]:
        """The gold files the suite names, relative to the suite file."""
        base = self.path.parent if self.path else Path.cwd()
        out: list[Path] = []
        for pattern in self.fixtures:
            out.extend(Path(p) for p in sorted(glob.glob(str(base / pattern), recursive=True)))
        return out

    @property
    def baseline_path(self) -> Path:
        base = self.path.parent if self.path else Path("evals")
        return base / "baselines" / f"{self.name}.json"


def load_suite(path: Path) -> Suite:
    """Read a suite file; a ConfigError names the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"评测配置无法读取 (cannot read suite): {e}", path) from e
    try:
        suite = Suite.model_validate({**data, "path": path})
    except ValueError as e:
        raise ConfigError(f"评测配置有误 (invalid suite): {e}", path) from e
    return suite


def find_suites(items: list[Path]) -> list[Suite]:
    """Suites named directly or found as ``*.toml`` in directories."""
    files: list[Path] = []
    for item in items:
        if item.is_dir():
            files.extend(sorted(item.glob("*.toml")))
        elif item.exists():
            files.append(item)
        else:
            raise ConfigError("评测配置不存在 (no such suite)", item)
    if not files:
        raise ConfigError("没有找到评测配置 (no suites found)", items[0] if items else None)
    return [load_suite(f) for f in files]
