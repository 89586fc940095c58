"""A draft (or a critique) as Markdown and as a Word document; under each line, the facts it rests on."""

from __future__ import annotations

from pathlib import Path

from .critique import Critique
from .facts import Facts
from .model import ORDINALS, Draft


def _numbered(i: int, n: int, text: str) -> str:
    return f"{ORDINALS[i] if i < len(ORDINALS) else i + 1}是{text}" if n > 1 else text


def draft_markdown(draft: Draft, facts: Facts | None = None, *, with_facts: bool = True) -> str:
    """The draft as Markdown: the three parts, and (``with_facts``) the facts under each line."""
    head = f"{draft.agency or ''}{draft.year or ''}年 · 五、存在的主要问题及改进情况（草稿，{draft.engine}）"
    out = [f"# {head}", ""]
    for title, lines in draft.parts():
        out += [f"## {title}", ""]
        for i, line in enumerate(lines):
            out.append(_numbered(i, len(lines), line.text))
            if with_facts and facts is not None:
                for fid in line.facts:
                    f = facts.get(fid)
                    if f is not None and f.kind != "year":
                        out.append(f"> 依据 `{fid}`：{f.text}")
            if line.todo:
                out.append(f"> 待补充：{line.todo}")
            out.append("")
    if draft.notes:
        out += ["---", *(f"- {n}" for n in draft.notes), ""]
    return "\n".join(out).rstrip() + "\n"


def critique_markdown(c: Critique) -> str:
    """A critique as Markdown: overlap figures, then each finding with the passages concerned."""
    names = {"error": "错误", "warning": "警告", "info": "提示"}
    out = [
        f"# 第五部分评议：{c.agency or ''}{c.year or ''}年",
        "",
        f"- 与往年第五部分的8字片段重合：{c.overlap_share:.0%}",
        f"- 上年问题回应：{c.addressed}/{c.prior_problems}",
        "",
    ]
    if not c.findings:
        out.append("未发现问题。")
    for f in c.findings:
        out.append(f"## {names[f.severity]}（{f.kind}）{f.message}")
        out += [f"- {p}" for p in f.passages]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def write_docx(draft: Draft, path: str | Path, facts: Facts | None = None) -> Path:
    """Write the draft as a Word document (facts each line rests on as small grey notes)."""
    from docx import Document
    from docx.shared import Pt, RGBColor

    doc = Document()
    doc.add_heading("五、存在的主要问题及改进情况", level=1)
    for title, lines in draft.parts():
        doc.add_heading(title, level=2)
        for i, line in enumerate(lines):
            doc.add_paragraph(_numbered(i, len(lines), line.text))
            notes = []
            if facts is not None:
                notes += [f"依据 {fid}：{f.text}" for fid in line.facts if (f := facts.get(fid)) is not None and f.kind != "year"]
            if line.todo:
                notes.append(f"待补充：{line.todo}")
            for n in notes:
                run = doc.add_paragraph().add_run(n)
                run.font.size = Pt(8)
                run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
    path = Path(path)
    doc.save(str(path))
    return path
