"""The LLM engine against a real HTTP server on 127.0.0.1, through the real openai and instructor clients.

Each test is a reviewer's story: a report goes in, a scripted "model" answers (right, wrong, late, rate
limited), and the report that comes out — and what the server was sent — is what a reviewer expects.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llm_helpers import REAL, Router, gold, gold_router, table_grid, isolated, server  # noqa: F401 (fixtures)
from xxgk.check import check_report
from xxgk.evaluate.score import score
from xxgk.llm import LLMClient
from xxgk.llm.testing import ScriptedServer, answer, delay, status
from xxgk.pipeline import extract_file




def client(server: ScriptedServer, mode: str = "json_schema", **kw) -> LLMClient:
    return LLMClient(server.settings(mode=mode, **kw), use_cache=False)


# ------------------------------------------------------------------ reading tables (engine=llm)


def test_llm_engine_reads_every_table_from_its_section_and_matches_gold(server):
    g = gold("seed000")
    server.fallback = router = gold_router(g)
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    s = score(g, report)
    assert s.wrong == 0 and s.abstained == 0, s.diffs
    assert report.engine == "llm"
    assert report.table_b.cell("new", "total").source.engine == "llm"
    # one call per table, no whole-document dump
    assert sorted(router.seen) == ["table_a", "table_b", "table_c"]
    assert all(len(v) == 1 for v in router.seen.values())
    req_b = router.seen["table_b"][0]
    assert req_b.mode == "json_schema"
    fmt = req_b.body["response_format"]["json_schema"]
    assert fmt["name"] == "TableB2021Answer"
    assert set(fmt["schema"]["required"]) >= {"new", "carried_over", "unable_not_held", "total", "carried_forward"}
    # the field guide is in the prompt (json_schema mode does not show the schema to the model), generated from the template
    assert "unable_not_held ← （四）无法提供 之下 1.本机关不掌握相关政府信息" in req_b.text
    assert "三、收到和处理政府信息公开申请情况" in req_b.text
    usage = report.extra["llm"]["usage"]
    assert usage["calls"] == 3 and usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0


def test_invalid_json_goes_back_to_the_model_and_the_second_answer_is_used(server):
    g = gold("seed000")
    good_c = table_grid(g, "table_c")
    server.fallback = router = gold_router(g, table_c=[answer('{"review": {"upheld": 0, '), answer(good_c)])
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    assert score(g, report).per_table["table_c"][0] == 15
    reask = router.seen["table_c"][1]
    assert "Correct your JSON ONLY RESPONSE" in reask.messages[-1]["content"]
    assert report.extra["llm"]["usage"]["retries"] == 1
    assert report.extra["llm"]["usage"]["calls"] == 4


def test_a_wrong_type_is_named_in_the_reask(server):
    g = gold("seed000")
    bad = table_grid(g, "table_c")
    bad["review"]["upheld"] = "很多"
    server.fallback = router = gold_router(g, table_c=[answer(bad), answer(table_grid(g, "table_c"))])
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    assert "“很多”不是数字" in router.seen["table_c"][1].messages[-1]["content"]
    assert report.table_c.value("review", "upheld") == g.table_c.value("review", "upheld")


def test_chinese_number_forms_are_normalised_before_strict_validation(server):
    g = gold("seed000")
    grid = table_grid(g, "table_b")
    grid["new"]["natural_person"] = f"{g.table_b.value('new', 'natural_person')}件"
    grid["new"]["total"] = f"{g.table_b.value('new', 'total'):,}"
    server.fallback = router = gold_router(g, table_b=answer(grid))
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    assert len(router.seen["table_b"]) == 1  # no re-ask needed
    assert report.table_b.value("new", "natural_person") == g.table_b.value("new", "natural_person")
    assert report.table_b.value("new", "total") == g.table_b.value("new", "total")


def test_an_identity_failure_is_reasked_with_the_equation_and_the_correction_is_kept(server):
    g = gold("seed000")
    wrong = table_grid(g, "table_b")
    wrong["new"]["natural_person"] += 1  # breaks B3 (row total) and B1 (column balance)
    server.fallback = router = gold_router(g, table_b=[answer(wrong), answer(table_grid(g, "table_b"))])
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    reask = router.seen["table_b"][1].messages[-1]["content"]
    assert "以下勾稽关系不成立" in reask and "B3" in reask and "B1" in reask
    assert "不要为凑平而修改" in reask  # never "fix" the source's arithmetic
    assert report.table_b.value("new", "natural_person") == g.table_b.value("new", "natural_person")
    assert not [f for f in check_report(report, rules=["B1", "B3"]) if f.key == "mismatch"]
    assert report.extra["llm"]["tables"]["table_b"]["reasks"]


def test_an_identity_that_still_fails_after_one_reask_is_kept_and_marked(server):
    g = gold("seed000")
    wrong = table_grid(g, "table_b")
    wrong["new"]["natural_person"] += 1
    server.fallback = router = gold_router(g, table_b=answer(wrong))
    report = extract_file(REAL / "seed000.txt", engine="llm", llm=client(server))
    assert len(router.seen["table_b"]) == 2  # bounded: one re-ask, then the answer is kept
    assert report.extra["llm"]["tables"]["table_b"]["remaining"] == ["B1", "B3"]
    assert any("复核后仍不满足" in n for n in report.table_b.notes)
    assert {f.rule for f in check_report(report, rules=["B1", "B3"]) if f.key == "mismatch"} == {"B1", "B3"}


# ------------------------------------------------------------------ verify-and-correct (engine=auto)


def test_auto_calls_only_for_the_table_that_fails_and_a_confirmed_source_error_stays_a_report_finding(server):
    # hzq2023 prints 行政复议 10/1/0/0/总计 0: the source is wrong, the model confirms the reading
    server.fallback = router = Router(verify=answer({"corrections": []}))
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server))
    assert list(router.seen) == ["verify"] and len(router.seen["verify"]) == 1
    req = router.seen["verify"][0]
    assert "review.total = 0" in req.text and "C1 表四 行政复议" in req.text  # reading and failing equation shown
    assert report.table_c.value("review", "total") == 0  # never "fixed"
    c1 = [f for f in check_report(report, rules=["C1"]) if f.key == "mismatch"]
    assert c1 and all(f.kind == "report" for f in c1)
    assert report.extra["llm"]["tables"]["table_c"] == {"reasons": ["arithmetic"], "task": "verify", "remaining": ["C1"]}


def test_a_number_not_in_the_source_is_flagged_and_not_trusted(server):
    # the model "fixes" the arithmetic by inventing 总计 11, which hzq2023 does not print
    invented = {"corrections": [{"row": "review", "column": "total", "value": 11, "evidence": ""}, {"row": "litigation_after_review", "column": "total", "value": 5, "evidence": ""}]}
    server.fallback = Router(verify=answer(invented))
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server))
    outcome = report.extra["llm"]["tables"]["table_c"]
    assert "review.total=11" in outcome["flagged"]
    assert report.table_c.value("review", "total") == 0  # the rules reading stands
    assert report.table_c.cell("litigation_after_review", "total").value == 5  # 5 is printed: accepted
    assert any("未在原文中出现" in n for n in report.table_c.notes)


def test_a_reading_too_poor_to_verify_is_read_afresh(server):
    g = gold("shoffice2025")  # the rules engine reads its 表二 at confidence 0.4
    server.fallback = router = gold_router(g)
    report = extract_file(REAL / "shoffice2025.md", engine="auto", llm=client(server))
    assert list(router.seen) == ["sections", "table_a"]  # its §五 is inferred by the rules: the outline is asked once
    assert report.extra["llm"]["tables"]["table_a"]["task"] == "read"
    assert score(g, report).per_table["table_a"] == (10, 10)


# ------------------------------------------------------------------ HTTP failures


def test_429_is_retried_with_backoff_and_then_succeeds(server):
    server.queue(status(429))
    server.fallback = Router(verify=answer({"corrections": []}))
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server))
    assert len(server.chat_requests) == 2
    usage = report.extra["llm"]["usage"]
    assert usage["http_errors"] == 1 and usage["calls"] == 1 and "errors" not in report.extra["llm"]


def test_persistent_429_keeps_the_rules_result_with_a_clear_note(server):
    server.fallback = lambda req: status(429)
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server, http_retries=1))
    assert len(server.chat_requests) == 2
    assert report.table_c.value("review", "upheld") == 10
    assert report.extra["llm"]["errors"][0]["table"] == "table_c"
    assert any("LLM 步骤失败" in n and "429" in n for n in report.notes)


def test_a_timeout_keeps_the_rules_result_and_says_so(server):
    server.queue(delay(3.0))
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server, timeout=0.3, http_retries=0))
    assert report.table_c.value("review", "upheld") == 10
    assert report.engine == "rules"
    assert any("超时" in n for n in report.notes)
    assert report.extra["llm"]["usage"]["failures"] == 1


def test_an_unreachable_endpoint_is_a_clear_note_not_a_crash(server):
    settings = server.settings(http_retries=0)
    server.stop()
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings, use_cache=False))
    assert any("无法连接" in n for n in report.notes)


# ------------------------------------------------------------------ cache


def test_a_second_run_is_served_from_the_cache_and_makes_no_request(server, isolated):
    server.fallback = Router(verify=answer({"corrections": []}))
    settings = server.settings()
    first = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings))
    assert len(server.chat_requests) == 1
    second = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings))
    assert len(server.chat_requests) == 1  # no new request
    assert second.extra["llm"]["usage"]["cache_hits"] == 1 and second.extra["llm"]["usage"]["calls"] == 0
    assert second.table_c.model_dump() == first.table_c.model_dump()
    # --no-cache asks again
    extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings), use_cache=False)
    assert len(server.chat_requests) == 2
    # the cache holds JSON text, no pickles
    import sqlite3

    rows = sqlite3.connect(str(isolated / "cache" / "cache.db")).execute("select mode, value from Cache").fetchall()
    assert rows and all(mode != 4 for mode, _ in rows)
    assert json.loads(next(v for _, v in rows if v))["prompt"] == "verify"


def test_another_model_or_mode_is_another_cache_entry(server):
    server.fallback = Router(verify=answer({"corrections": []}))
    extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(server.settings()))
    extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(server.settings(model="other-model")))
    extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(server.settings(mode="md_json")))
    assert len(server.chat_requests) == 3


# ------------------------------------------------------------------ modes


@pytest.mark.parametrize(
    ("mode", "expect"),
    [("tools", "tools"), ("json", "json"), ("md_json", "md_json"), ("json_schema", "json_schema")],
)
def test_each_mode_sends_its_own_request_shape_and_parses_the_answer(server, mode, expect):
    server.fallback = router = Router(verify=answer({"corrections": [{"row": "review", "column": "total", "value": 11, "evidence": ""}]}))
    report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=client(server, mode=mode))
    req = router.seen["verify"][0]
    assert req.mode == expect
    if mode == "tools":
        assert req.body["tools"][0]["function"]["name"] == "Corrections"
    if mode in ("json", "md_json"):
        assert '"corrections"' in req.messages[0]["content"]  # the schema goes into the system message
    assert report.extra["llm"]["tables"]["table_c"]["flagged"] == ["review.total=11"]


# ------------------------------------------------------------------ batch


def test_a_batch_runs_concurrently_and_a_failing_document_does_not_stop_it(server, tmp_path):
    from xxgk.llm.run import extract_files

    server.fallback = Router(verify=answer({"corrections": []}), table_a=answer(table_grid(gold("shoffice2025"), "table_a")), sections=answer({"sections": []}))
    bad = tmp_path / "empty.txt"
    bad.write_text("", encoding="utf-8")
    done: list[str] = []
    results, usage = extract_files(
        [REAL / "hzq2023.pdf", bad, REAL / "shoffice2025.md", REAL / "seed000.txt"],
        engine="auto",
        llm=client(server),
        concurrency=2,
        on_result=lambda p, r: done.append(p.name),
    )
    assert [p.name for p, _ in results] == ["hzq2023.pdf", "empty.txt", "shoffice2025.md", "seed000.txt"]
    assert sorted(done) == sorted(p.name for p, _ in results)
    kinds = [type(r).__name__ for _, r in results]
    assert kinds[1] == "EmptyDocument" and kinds.count("Report") == 3
    assert usage.calls == 3  # hzq2023 表四, shoffice2025 表二 and its outline (§五 inferred); seed000 needs nothing
