"""A drafted section 五: three parts of lines, each line with the facts it rests on."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

PART_TITLES = {
    "rectification": "（一）上年度问题整改情况",
    "problems": "（二）存在的主要问题",
    "measures": "（三）改进措施",
}
ORDINALS = "一二三四五六七八九十"


class Line(BaseModel):
    """One paragraph of the draft."""

    text: str
    facts: list[str] = Field(default_factory=list)  # ids of the facts its numbers and claims rest on
    prior: str | None = None  # the prior problem it reports on (rectification lines): a fact id
    category: str | None = None
    todo: str | None = None  # what only the writer knows and must add (shown beside the draft, not in it)


class Draft(BaseModel):
    """A section 五 in the usual three parts."""

    agency: str | None = None
    year: int | None = None
    engine: Literal["template", "llm"] = "template"
    rectification: list[Line] = Field(default_factory=list)
    problems: list[Line] = Field(default_factory=list)
    measures: list[Line] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    def parts(self) -> list[tuple[str, list[Line]]]:
        return [(PART_TITLES[k], getattr(self, k)) for k in PART_TITLES if getattr(self, k)]

    def lines(self) -> list[Line]:
        return [*self.rectification, *self.problems, *self.measures]

    def body(self) -> str:
        """The text of every line (no headings): what grounding and overlap are measured on."""
        return "\n".join(line.text for line in self.lines())

    def text(self) -> str:
        """The section as it would be printed: part headings, then numbered lines."""
        out: list[str] = []
        for title, lines in self.parts():
            out.append(title)
            for i, line in enumerate(lines):
                out.append(f"{ORDINALS[i] if i < len(ORDINALS) else i + 1}是{line.text}" if len(lines) > 1 else line.text)
        return "\n".join(out)
