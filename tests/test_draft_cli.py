"""`xxgk draft`: a draft with its facts, Word output, the critique, and clear errors."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from xxgk.cli import app

REAL = Path(__file__).parent.parent / "fixtures" / "real"
runner = CliRunner()


def test_draft_prints_three_parts_with_the_facts_under_each_line():
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.pdf"), "--prior", str(REAL / "hzq2023.pdf")])
    assert r.exit_code == 0, r.output
    for head in ("（一）上年度问题整改情况", "（二）存在的主要问题", "（三）改进措施"):
        assert head in r.stdout
    assert "> 依据 `b.new`：本年新收政府信息公开申请95件" in r.stdout
    assert "> 待补充" in r.stdout


def test_draft_to_docx_and_markdown(tmp_path):
    docx_path = tmp_path / "draft.docx"
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.pdf"), "--prior", str(REAL / "hzq2023.pdf"), "-o", str(docx_path)])
    assert r.exit_code == 0, r.output
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx_path)).paragraphs)
    assert "（三）改进措施" in text and "依据 b.new" in text
    md = tmp_path / "draft.md"
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.pdf"), "--prior", str(REAL / "hzq2023.pdf"), "-o", str(md), "--no-facts"])
    assert r.exit_code == 0 and "> 依据" not in md.read_text(encoding="utf-8")


def test_critique_shows_the_copied_passages():
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.pdf"), "--prior", str(REAL / "hzq2023.pdf"), "--critique"])
    assert r.exit_code == 0, r.output
    assert "照搬往年原文" in r.stdout and "跟班学习制度" in r.stdout
    assert "上年问题回应：0/3" in r.stdout


def test_report_json_is_accepted_and_bad_input_is_a_clear_error(tmp_path):
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.gold.json")])
    assert r.exit_code == 0, r.output
    assert "（二）存在的主要问题" in r.stdout
    r = runner.invoke(app, ["draft", str(tmp_path / "missing.pdf")])
    assert r.exit_code == 2
    r = runner.invoke(app, ["draft", str(REAL / "hzq2024.pdf"), "--engine", "gpt"])
    assert r.exit_code == 2
