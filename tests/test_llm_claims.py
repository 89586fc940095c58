"""The LLM claim reader: narrative numbers the patterns miss, verified against the text, judged by N1/N2/N4.

Against the scripted server on 127.0.0.1 through the real openai and instructor clients.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llm_helpers import ROOT, Router, isolated, server  # noqa: F401 (fixtures)
from xxgk.check import check_report
from xxgk.cli import app
from xxgk.llm import LLMClient
from xxgk.llm.claims import read_claims
from xxgk.llm.testing import ScriptedServer, answer, status
from xxgk.pipeline import extract_file

N1_MISSED = "全年申请人提出的政府信息公开申请数量为2930件。"  # 表三 new.total is 2903; no pattern reads this form
N2_MISSED = "本年度没有被申请人提起行政复议。"  # 表四 has 34 复议; NO_CASES does not read “没有被…提起”
N1_PATTERN = "本年新收政府信息公开申请2900件。"  # the patterns read this one themselves
MODEL_ANSWER = {
    "claims": [
        {"quantity": "new", "value": 2930, "percent": None, "quote": N1_MISSED, "scope_clear": True},
        {"quantity": "review", "value": 0, "percent": None, "quote": "本年度没有被申请人提起行政复议", "scope_clear": True},
        {"quantity": "new", "value": "2,900件", "quote": "本年新收政府信息公开申请2900件", "scope_clear": True},
        {"quantity": "granted", "value": 1114, "percent": "40.16%", "quote": "其中予以公开1114件，占办结总数的40.16%", "scope_clear": True},
        {"quantity": "granted", "value": 1200, "quote": "其中予以公开1114件", "scope_clear": True},  # number not in its quote
        {"quantity": "table_a.normative_docs.issued", "value": 6, "quote": "全年制发规范性文件6件", "scope_clear": True},  # reworded quote
        {"quantity": "not_a_key", "value": 12, "quote": "提起行政诉讼12件", "scope_clear": True},
        {"quantity": None, "value": 441, "quote": "主动公开政府信息441条", "scope_clear": False},
    ]
}
LLM_NOTE = "此说法由 LLM 从正文读出"




@pytest.fixture
def doc(tmp_path: Path) -> Path:
    """A clean generated report (six sections, tables consistent) with three sentences added to §一."""
    src = (ROOT / "fixtures" / "generated" / "g01_txt.txt").read_text(encoding="utf-8")
    assert src.count("（一）主动公开\n") == 1
    path = tmp_path / "claims.txt"
    path.write_text(src.replace("（一）主动公开\n", f"{N1_MISSED}{N2_MISSED}{N1_PATTERN}\n\n（一）主动公开\n"), encoding="utf-8")
    return path


def client(server: ScriptedServer, **kw) -> LLMClient:
    return LLMClient(server.settings(**kw), use_cache=False)


def n_findings(report):
    return [(f.rule, f.severity, f.message) for f in check_report(report) if f.rule in ("N1", "N2", "N4")]


def test_the_patterns_alone_read_only_their_own_sentence(doc):
    assert n_findings(extract_file(doc)) == [("N1", "error", "正文称“新收政府信息公开申请2900件”，表中本年新收为2903")]


def test_llm_claims_add_the_findings_the_patterns_miss(server, doc):
    server.fallback = router = Router(claims=answer(MODEL_ANSWER))
    report = extract_file(doc, engine="auto", llm=client(server), claims=True)

    # one call (tables and outline are fine), §一 only (the tables' sections have no text here), the keys generated
    assert list(router.seen) == ["claims"] and len(router.seen["claims"]) == 1
    req = router.seen["claims"][0]
    assert req.mode == "json_schema" and req.body["response_format"]["json_schema"]["name"] == "NarrativeClaims"
    assert "【overview 总体情况】" in req.text and N1_MISSED in req.text
    assert "- new ← 本年新收" in req.text and "- table_b.new.total ← 表三" in req.text and "- table_c.review.total ←" in req.text
    assert "一是优化公开平台" not in req.text and "未收取信息处理费" not in req.text  # §五, §六 are not sent

    accepted = report.extra["llm_claims"]
    assert [(c["target"], c["value"], c["strict"]) for c in accepted] == [("new", 2930, True), ("review", 0, True), ("new", 2900, True), ("granted", 1114, True)]
    assert accepted[3]["percent"] == "40.16" and all(c["section"] == "overview" and c["via"] == "llm" for c in accepted)
    summary = report.extra["llm"]["claims"]
    assert [f["reason"] for f in summary["flagged"]] == [
        "数字未在引文中出现 (number not in the quote)",
        "引文未在原文中出现 (quote not in the source)",
        "没有这个数量键 (unknown quantity)",
    ]
    assert summary["unmapped"] == 1 and summary["sent"] == ["overview"]
    assert any("采用 4 条" in n and "舍弃 3 条" in n and "“其中予以公开1114件”1200：数字未在引文中出现" in n for n in report.notes)

    findings = n_findings(report)
    assert ("N1", "error", f"正文称“{N1_MISSED.rstrip('。')}”，表中本年新收为2903（{LLM_NOTE}，原文已核对）") in findings
    n2 = [f for f in findings if f[0] == "N2"]
    assert len(n2) == 1 and n2[0][1] == "error"
    assert n2[0][2].startswith("正文称“本年度没有被申请人提起行政复议”，但表四有案件：") and "行政复议/总计=34" in n2[0][2] and LLM_NOTE in n2[0][2]
    # the sentence the patterns read is judged once, as theirs; 1114 / 40.16% agree with the table
    assert [f for f in findings if "2900" in f[2]] == [("N1", "error", "正文称“新收政府信息公开申请2900件”，表中本年新收为2903")]
    assert len(findings) == 3
    usage = report.extra["llm"]["usage"]
    assert usage["calls"] == 1 and usage["prompt_tokens"] > 0


def test_a_malformed_answer_is_reasked_then_given_up_with_the_pattern_result_kept(server, doc):
    bad = answer({"claims": [{"quantity": "new", "value": "很多", "quote": N1_MISSED}]})
    server.fallback = router = Router(claims=[answer('{"claims": [{"quantity": "new", '), bad])
    report = extract_file(doc, engine="auto", llm=client(server, max_retries=2), claims=True)
    seen = router.seen["claims"]
    assert len(seen) == 3  # the first ask and two re-asks
    assert "Correct your JSON" in seen[1].messages[-1]["content"]
    assert "“很多”不是数字" in seen[2].messages[-1]["content"]  # the wrong type, named
    assert "llm_claims" not in report.extra
    assert any("正文数字的 LLM 读取未完成" in n and "不符合要求" in n for n in report.notes)
    assert report.extra["llm"]["errors"][0]["table"] == "claims"
    assert n_findings(report) == n_findings(extract_file(doc))


def test_a_failing_endpoint_leaves_the_deterministic_result_with_a_note(server, doc):
    rules = extract_file(doc)
    server.fallback = lambda req: status(500)
    report = read_claims(rules, client(server, http_retries=0))
    assert len(server.chat_requests) == 1
    assert any("正文数字的 LLM 读取未完成" in n and "HTTP 500" in n for n in report.notes)
    assert report.extra["llm"]["usage"]["failures"] == 1
    assert n_findings(report) == n_findings(rules)
    assert "llm_claims" not in rules.extra and rules.notes == extract_file(doc).notes  # the input report is untouched


def test_a_second_run_is_served_from_the_cache(server, doc):
    rules = extract_file(doc)
    server.fallback = Router(claims=answer(MODEL_ANSWER))
    settings = server.settings()
    first = read_claims(rules, LLMClient(settings))
    second = read_claims(rules, LLMClient(settings))
    assert len(server.chat_requests) == 1
    assert second.extra["llm"]["usage"]["cache_hits"] == 1 and second.extra["llm"]["usage"].get("calls", 0) == 0
    assert second.extra["llm"]["claims"]["cached"] is True
    assert second.extra["llm_claims"] == first.extra["llm_claims"]
    read_claims(rules, LLMClient(settings), use_cache=False)
    assert len(server.chat_requests) == 2


def test_stored_claims_survive_json_and_malformed_entries_are_ignored(server, doc):
    server.fallback = Router(claims=answer(MODEL_ANSWER))
    report = read_claims(extract_file(doc), client(server))
    again = type(report).model_validate_json(report.model_dump_json())
    assert n_findings(again) == n_findings(report)
    again.extra["llm_claims"] = [*again.extra["llm_claims"], "junk", {"target": "new", "value": True, "quote": "x", "section": "overview"}, {"target": "a.b", "value": 1}]
    assert n_findings(again) == n_findings(report)


# ------------------------------------------------------------------ the command line

runner = CliRunner()


def test_check_with_claims_llm_on_a_report_json(server, doc, tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("XXGK_LLM_MODEL", server.model)
    server.fallback = Router(claims=answer(MODEL_ANSWER))
    path = tmp_path / "report.json"
    path.write_text(extract_file(doc).model_dump_json(), encoding="utf-8")
    r = runner.invoke(app, ["check", str(path), "--claims", "llm", "--json"])
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    messages = [f["message"] for f in out["reports"][0]["findings"]]
    assert any(N1_MISSED.rstrip("。") in m and LLM_NOTE in m for m in messages)
    assert "LLM：调用 1 次" in r.stderr
    # without --claims llm the same file has only the pattern finding
    r = runner.invoke(app, ["check", str(path), "--json"])
    assert not any(LLM_NOTE in f["message"] for f in json.loads(r.stdout)["reports"][0]["findings"])


def test_extract_with_claims_llm_stores_them_for_a_later_check(server, doc, monkeypatch):
    monkeypatch.setenv("XXGK_LLM_BASE_URL", server.base_url)
    monkeypatch.setenv("XXGK_LLM_MODEL", server.model)
    server.fallback = Router(claims=answer(MODEL_ANSWER))
    r = runner.invoke(app, ["extract", str(doc), "--engine", "rules", "--claims", "llm", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert len(data["extra"]["llm_claims"]) == 4 and data["engine"] == "rules"
    assert len(server.chat_requests) == 1


def test_claims_llm_without_an_endpoint_is_a_clear_error(doc):
    r = runner.invoke(app, ["check", str(doc), "--claims", "llm"])
    assert r.exit_code == 2
    assert "LLM" in r.output
