"""What one LLM step did (tables, sections, claims): the parts every step shares."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from .client import CallResult


@dataclass(kw_only=True)
class StepOutcome:
    """A step's re-asks, whether its answer came from the cache, and its error (None: it ran).

    ``summary()`` is what goes into ``report.extra["llm"]``: the step's ``ALWAYS`` fields, then those
    of ``SHOWN`` that are set (empty lists, False and None are left out).
    """

    reasks: list[str] = field(default_factory=list)
    cached: bool = False
    error: str | None = None

    ALWAYS: ClassVar[tuple[str, ...]] = ()
    SHOWN: ClassVar[tuple[str, ...]] = ("reasks", "cached", "error")

    def took(self, result: CallResult) -> None:
        """Record a finished call: cached or not, and the validation errors sent back to the model."""
        self.cached = result.cached
        self.reasks = result.reasks

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: getattr(self, k) for k in self.ALWAYS}
        for k in self.SHOWN:
            v = getattr(self, k)
            if v:
                out[k] = v
        return out


__all__ = ["StepOutcome"]
