"""`xxgk llm check`, `xxgk extract --engine`, `xxgk check --engine` against the scripted server, as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from llm_helpers import REAL, Router, isolated  # noqa: F401 (fixtures)
from xxgk.cli import app
from xxgk.llm.testing import Reply, ScriptedServer, answer

runner = CliRunner()



@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    with ScriptedServer() as s:
        monkeypatch.setenv("XXGK_LLM_BASE_URL", s.base_url)
        monkeypatch.setenv("XXGK_LLM_MODEL", s.model)
        yield s


def test_llm_check_reports_the_models_and_the_mode_that_works(server, monkeypatch):
    monkeypatch.setenv("XXGK_LLM_MODE", "json_schema")

    def reply(req):
        # this "server" ignores response_format: only the tools mode gets a usable answer
        return answer({"answer": 42}) if req.mode == "tools" else answer("42 is the answer")

    server.fallback = reply
    r = runner.invoke(app, ["llm", "check"])
    assert r.exit_code == 0, r.output
    assert "scripted-model" in r.output  # from GET /models
    assert "模式 json_schema: 不可用" in r.output and "模式 tools: 可用" in r.output
    assert 'mode = "tools"' in r.output
    assert [q.mode for q in server.chat_requests] == ["json_schema", "tools"]  # configured mode first, stop at the first that works


def test_llm_check_says_when_nothing_answers(monkeypatch):
    monkeypatch.setenv("XXGK_LLM_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("XXGK_LLM_MODEL", "m")
    r = runner.invoke(app, ["llm", "check"])
    assert r.exit_code == 1
    assert "无法连接" in r.output and "端点不可用" in r.output


def test_llm_check_without_configuration_is_a_config_error():
    r = runner.invoke(app, ["llm", "check"])
    assert r.exit_code == 2
    assert "没有配置 LLM 端点" in r.output


def test_extract_defaults_to_auto_when_an_endpoint_is_configured_and_prints_usage(server):
    server.fallback = Router(verify=answer({"corrections": []}))
    r = runner.invoke(app, ["extract", str(REAL / "hzq2023.pdf"), str(REAL / "seed000.txt"), "--json"])
    assert r.exit_code == 0, r.output
    assert len(server.chat_requests) == 1
    assert "LLM：调用 1 次" in r.stderr.replace("\n", "")
    first = json.loads(r.stdout.split("\n}\n")[0] + "\n}")
    assert first["extra"]["llm"]["tables"]["table_c"]["task"] == "verify"
    # the second run is served from the cache
    r2 = runner.invoke(app, ["extract", str(REAL / "hzq2023.pdf"), "-q"])
    assert r2.exit_code == 0 and len(server.chat_requests) == 1
    assert "调用 0 次" in r2.stderr.replace("\n", "") and "缓存命中 1 次" in r2.stderr.replace("\n", "")
    r3 = runner.invoke(app, ["extract", str(REAL / "hzq2023.pdf"), "-q", "--no-cache", "--concurrency", "2"])
    assert r3.exit_code == 0 and len(server.chat_requests) == 2


def test_extract_engine_rules_makes_no_call_even_when_configured(server):
    r = runner.invoke(app, ["extract", str(REAL / "hzq2023.pdf"), "--engine", "rules", "-q"])
    assert r.exit_code == 0 and server.requests == []


def test_extract_engine_llm_without_an_endpoint_is_a_clear_error():
    r = runner.invoke(app, ["extract", str(REAL / "seed000.txt"), "--engine", "llm"])
    assert r.exit_code == 2
    assert "没有配置 LLM 端点" in r.output


def test_extract_warns_when_the_llm_step_fails_and_keeps_the_rules_result(server):
    server.fallback = lambda req: Reply(status=500, raw_body='{"error": {"message": "boom"}}')
    r = runner.invoke(app, ["extract", str(REAL / "hzq2023.pdf"), "--json", "--engine", "auto"])
    assert r.exit_code == 0
    stderr = r.stderr.replace("\n", "")
    assert "LLM 步骤失败" in stderr and "HTTP 500" in stderr
    assert "Traceback" not in stderr and "API call failed" not in stderr
    assert json.loads(r.stdout)["table_c"]["cells"]["review"]["upheld"]["value"] == 10


def test_check_with_engine_auto_reports_the_confirmed_source_error(server):
    server.fallback = Router(verify=answer({"corrections": []}))
    r = runner.invoke(app, ["check", str(REAL / "hzq2023.pdf"), "--engine", "auto", "--json"])
    assert r.exit_code == 1  # errors in the report
    findings = json.loads(r.stdout)["reports"][0]["findings"]
    assert any(f["rule"] == "C1" and f["kind"] == "report" for f in findings)
    assert len(server.chat_requests) == 1
