"""LLM section splitting for an outline the rules splitter cannot follow, against the scripted server through openai + instructor."""

from __future__ import annotations

from pathlib import Path

import pytest

from llm_helpers import ROOT, Router, isolated, server  # noqa: F401 (fixtures)
from xxgk.check import check_report
from xxgk.ingest import ingest
from xxgk.llm import LLMClient
from xxgk.llm.testing import ScriptedServer, answer, status
from xxgk.pipeline import extract_file

ODD = "贰  主动晒出的政府信息"  # a capital numeral and a wording no variant covers
BODY = "本年度我局通过门户网站主动公开政府信息441条。"




@pytest.fixture
def odd_report(tmp_path: Path) -> Path:
    src = (ROOT / "fixtures" / "generated" / "g01_txt.txt").read_text(encoding="utf-8")
    assert "二、主动公开政府信息情况" in src
    path = tmp_path / "odd.txt"
    path.write_text(src.replace("二、主动公开政府信息情况", f"{ODD}\n\n{BODY}"), encoding="utf-8")
    return path


def line_of(path: Path, text: str) -> int:
    return next(ln.index for ln in ingest(path).lines() if text in ln.text)


def client(server: ScriptedServer, **kw) -> LLMClient:
    return LLMClient(server.settings(**kw), use_cache=False)


def test_the_rules_alone_miss_the_odd_heading(odd_report):
    report = extract_file(odd_report)
    assert [s.key for s in report.sections] == ["overview", "requests", "review_litigation", "problems", "other"]
    assert BODY in report.section("overview").text  # §二's body swallowed by §一
    assert any(f.rule == "S1" for f in check_report(report))


def test_the_model_names_the_heading_and_the_section_is_restored(server, odd_report):
    heading_line = line_of(odd_report, ODD)
    answer_ = {
        "sections": [
            {"key": "overview", "line": heading_line + 2, "heading": BODY},  # the rules found §一: never replaced
            {"key": "proactive", "line": heading_line, "heading": ODD},
            {"key": "requests", "line": 999, "heading": "三、群众申请办理情况"},  # found by the rules: not asked about, ignored
        ]
    }
    server.fallback = router = Router(sections=answer(answer_))
    rules = extract_file(odd_report)
    report = extract_file(odd_report, engine="auto", llm=client(server))

    # one call, the outline with line numbers; table rows left out
    assert list(router.seen) == ["sections"] and len(router.seen["sections"]) == 1
    req = router.seen["sections"][0]
    assert req.mode == "json_schema"
    assert req.body["response_format"]["json_schema"]["name"] == "SectionHeadings"
    assert f"{heading_line}| {ODD}" in req.text
    assert "proactive ← 二、主动公开政府信息情况" in req.text
    assert "[统计表]" in req.text and "2575\t169" not in req.text

    keys = [s.key for s in report.sections]
    assert keys == ["overview", "proactive", "requests", "review_litigation", "problems", "other"]
    proactive = report.section("proactive")
    assert proactive.found and proactive.heading == ODD and proactive.text == BODY
    assert proactive.location.line_start == heading_line
    assert proactive.location.line_end < report.section("requests").location.line_start
    # §一 keeps its heading and start; only its end moves back to the restored heading
    overview, old = report.section("overview"), rules.section("overview")
    assert overview.heading == old.heading and overview.location.line_start == old.location.line_start
    assert BODY not in overview.text and overview.text == old.text.split(f"\n{ODD}")[0]
    assert overview.location.line_end == heading_line - 1 or overview.location.line_end < heading_line
    for key in ("requests", "review_litigation", "problems", "other"):
        assert report.section(key).model_dump() == rules.section(key).model_dump()

    note = next(n for n in report.notes if "LLM 划分章节" in n)
    assert "engine=llm" in note and "二" in note
    info = report.extra["llm"]["sections"]
    assert info["reasons"] == ["missing:proactive"] and info["rebuilt"] == [f"proactive@{heading_line}"]
    assert info["trimmed"] == ["overview"]
    assert not any(f.rule == "S1" for f in check_report(report))


def test_a_heading_not_in_the_document_or_out_of_order_is_not_used(server, odd_report):
    problems_line = line_of(odd_report, "五、存在的主要问题及改进情况")
    invented = {"key": "proactive", "line": 30, "heading": "二、主动公开政府信息情况"}  # the official wording, not what is printed
    misplaced = {"key": "proactive", "line": problems_line + 2, "heading": "2022年，我局政府信息公开工作取得了一定成效"}  # after §五
    server.fallback = Router(sections=answer({"sections": [invented, misplaced]}))
    report = extract_file(odd_report, engine="auto", llm=client(server))
    assert report.section("proactive") is None
    rejected = report.extra["llm"]["sections"]["rejected"]
    assert len(rejected) == 2 and "未在原文中出现" in rejected[0] and "顺序不符" in rejected[1]
    assert any("LLM 给出的章节标题未采用" in n for n in report.notes)
    assert not any("LLM 划分章节" in n for n in report.notes)


def test_a_failing_endpoint_keeps_the_rules_split_with_a_note(server, odd_report):
    server.fallback = lambda req: status(500)
    report = extract_file(odd_report, engine="auto", llm=client(server, http_retries=0))
    assert [s.key for s in report.sections] == [s.key for s in extract_file(odd_report).sections]
    assert any("章节划分的 LLM 步骤失败" in n and "HTTP 500" in n for n in report.notes)
    assert report.extra["llm"]["errors"] == [{"table": "sections", "error": report.extra["llm"]["sections"]["error"]}]


def test_a_clean_outline_asks_nothing_and_the_answer_is_cached(server, odd_report):
    server.fallback = Router(sections=answer({"sections": [{"key": "proactive", "line": line_of(odd_report, ODD), "heading": ODD}]}))
    extract_file(ROOT / "fixtures" / "generated" / "g01_txt.txt", engine="auto", llm=client(server))
    assert server.chat_requests == []  # six sections found by the rules, tables fine: no call
    settings = server.settings()
    first = extract_file(odd_report, engine="auto", llm=LLMClient(settings))
    second = extract_file(odd_report, engine="auto", llm=LLMClient(settings))
    assert len(server.chat_requests) == 1
    assert second.extra["llm"]["usage"]["cache_hits"] == 1 and second.extra["llm"]["sections"]["cached"] is True
    assert [s.model_dump() for s in second.sections] == [s.model_dump() for s in first.sections]
