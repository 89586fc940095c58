"""Endpoints as configuration, keys bound to base URLs, prompt files, number normalisation, the JSON-only cache."""

from __future__ import annotations

from pathlib import Path

import diskcache
import pytest

from llm_helpers import ENV_TO_CLEAR, REAL, Router
from xxgk import template as T
from xxgk.errors import ConfigError
from xxgk.llm import LLMClient, resolve_settings
from xxgk.llm.cache import ResponseCache
from xxgk.llm.guide import table_guide
from xxgk.llm.prompts import MissingPromptVariables, UnexpectedPromptVariables, list_prompts, load_prompt, parse_prompt
from xxgk.llm.responses import table_b_answer, to_amount, to_count
from xxgk.llm.testing import ScriptedServer, answer
from xxgk.pipeline import extract_file


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XXGK_CONFIG_DIR", str(tmp_path))
    monkeypatch.setenv("XXGK_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def write_config(dir_: Path, text: str) -> None:
    (dir_ / "config.toml").write_text(text, encoding="utf-8")


# ------------------------------------------------------------------ presets, file, env


def test_presets_give_base_url_model_and_the_mode_that_suits_them(monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-ds")
    s = resolve_settings("deepseek")
    assert (s.base_url, s.model, s.mode, s.api_key, s.key_source) == ("https://api.deepseek.com/v1", "deepseek-chat", "json", "sk-ds", "DEEPSEEK_API_KEY")
    assert resolve_settings("llamacpp").mode == "json_schema" and resolve_settings("llamacpp").api_key is None
    assert resolve_settings("openai").mode == "tools"
    assert resolve_settings("dashscope").base_url.endswith("/compatible-mode/v1")


def test_env_vars_name_an_endpoint(monkeypatch):
    monkeypatch.setenv("XXGK_LLM_BASE_URL", "http://127.0.0.1:9999/v1")
    monkeypatch.setenv("XXGK_LLM_MODEL", "qwen2.5-7b")
    s = resolve_settings()
    assert (s.base_url, s.model, s.mode, s.api_key) == ("http://127.0.0.1:9999/v1", "qwen2.5-7b", "json_schema", None)


def test_config_file_defines_endpoints_and_prices(isolated, monkeypatch):
    write_config(
        isolated,
        """
[llm]
endpoint = "office"
concurrency = 8
[endpoints.office]
base_url = "http://10.1.2.3:8000/v1"
model = "Qwen2.5-7B-Instruct"
mode = "json_schema"
api_key_env = "OFFICE_KEY"
[prices."Qwen2.5-7B-Instruct"]
prompt = 1.0
completion = 2.0
currency = "CNY"
""",
    )
    monkeypatch.setenv("OFFICE_KEY", "k-office")
    s = resolve_settings()
    assert (s.name, s.model, s.concurrency, s.api_key, s.key_source) == ("office", "Qwen2.5-7B-Instruct", 8, "k-office", "OFFICE_KEY")
    assert s.price is not None and s.price.currency == "CNY"


def test_bad_config_is_a_clear_error(isolated):
    write_config(isolated, "[llm]\nendpoint = 'x'\nbogus = 1\n")
    with pytest.raises(ConfigError, match="配置文件有误"):
        resolve_settings()
    write_config(isolated, "[llm\n")
    with pytest.raises(ConfigError, match="无法解析"):
        resolve_settings()


def test_no_endpoint_and_unknown_endpoint_are_clear_errors():
    with pytest.raises(ConfigError, match="没有配置 LLM 端点"):
        resolve_settings()
    with pytest.raises(ConfigError, match="未知的 LLM 端点"):
        resolve_settings("nosuch")
    with pytest.raises(ConfigError, match="没有指定模型"):
        resolve_settings("vllm")


# ------------------------------------------------------------------ keys go only where they were configured


def test_a_preset_key_is_not_sent_when_the_base_url_is_overridden(monkeypatch):
    monkeypatch.setenv("DEEPSEEK_API_KEY", "sk-ds")
    monkeypatch.setenv("XXGK_LLM_BASE_URL", "http://evil.example:8000/v1")
    s = resolve_settings("deepseek")
    assert s.api_key is None


def test_xxgk_key_is_not_sent_to_a_config_file_endpoint_without_its_own_key(isolated, monkeypatch):
    write_config(isolated, '[llm]\nendpoint = "other"\n[endpoints.other]\nbase_url = "http://10.0.0.9/v1"\nmodel = "m"\n')
    monkeypatch.setenv("XXGK_LLM_API_KEY", "sk-mine")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    assert resolve_settings().api_key is None
    monkeypatch.setenv("XXGK_LLM_BASE_URL", "http://127.0.0.1:1/v1")  # the same environment chose the URL: its key goes with it
    assert resolve_settings().api_key == "sk-mine"


def test_over_http_no_environment_key_reaches_an_endpoint_configured_without_one(monkeypatch):
    for name, value in {
        "OPENAI_API_KEY": "sk-openai-secret",
        "OPENAI_ADMIN_KEY": "sk-admin-secret",
        "OPENAI_ORG_ID": "org-secret",
        "OPENAI_PROJECT_ID": "proj-secret",
        "OPENAI_CUSTOM_HEADERS": "X-Secret: custom-secret",
        "DEEPSEEK_API_KEY": "sk-deepseek-secret",
    }.items():
        monkeypatch.setenv(name, value)
    with ScriptedServer(fallback=Router(verify=answer({"corrections": []}))) as server:
        monkeypatch.setenv("XXGK_LLM_ENDPOINT", "deepseek")
        monkeypatch.setenv("XXGK_LLM_BASE_URL", server.base_url)  # deepseek preset, but somebody else's URL
        settings = resolve_settings()
        assert settings.api_key is None
        extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings, use_cache=False))
        (req,) = server.chat_requests
        sent = " ".join(f"{k}: {v}" for k, v in req.headers.items())
        assert "authorization" not in req.headers
        assert "secret" not in sent
        # and the key configured for this URL is sent
        monkeypatch.setenv("XXGK_LLM_API_KEY", "sk-for-this-server")
        extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(resolve_settings(), use_cache=False))
        assert server.chat_requests[-1].headers["authorization"] == "Bearer sk-for-this-server"


def test_a_redirect_never_carries_the_key_to_another_host(monkeypatch):
    from xxgk.llm.testing import Reply

    with ScriptedServer(fallback=Router(verify=answer({"corrections": []}))) as other, ScriptedServer() as first:
        first.fallback = lambda req: Reply(status=307, headers={"Location": other.base_url + "/chat/completions"}, raw_body="{}")
        settings = first.settings(api_key="sk-first-only", http_retries=0)
        report = extract_file(REAL / "hzq2023.pdf", engine="auto", llm=LLMClient(settings, use_cache=False))
        assert other.requests == []
        assert first.chat_requests[0].headers["authorization"] == "Bearer sk-first-only"
        assert any("HTTP 307" in n for n in report.notes)


# ------------------------------------------------------------------ prompts


def test_every_shipped_prompt_loads_with_id_and_version():
    ids = list_prompts()
    assert {"table_a", "table_b", "table_c", "verify", "sections", "claims"} <= set(ids)
    for i in ids:
        p = load_prompt(i)
        assert p.id == i and p.version >= 1


def test_missing_and_unexpected_variables_are_named_errors():
    p = load_prompt("table_b")
    with pytest.raises(MissingPromptVariables) as e:
        p.render(guide="g")
    assert e.value.missing == ["excerpt", "skeleton"]
    with pytest.raises(UnexpectedPromptVariables):
        p.render(guide="g", skeleton="s", excerpt="e", exceprt="typo")


def test_a_prompt_file_with_an_unknown_key_is_rejected():
    with pytest.raises(ConfigError, match="bad prompt file"):
        parse_prompt('id = "x"\nversion = 1\nsystem = "s"\nuser = "u"\ntemperature = 0.5\n')
    with pytest.raises(ConfigError, match="do not match"):
        parse_prompt('id = "x"\nversion = 1\nvariables = ["a"]\nsystem = "s"\nuser = "$b"\n')


def test_editing_a_prompt_changes_its_hash():
    p = load_prompt("table_c")
    a = p.render(guide="g", skeleton="s", excerpt="e")
    b = p.model_copy(update={"version": p.version + 1}).render(guide="g", skeleton="s", excerpt="e")
    assert a.hash != b.hash


def test_the_guide_is_generated_from_the_template():
    guide = table_guide("table_b", "2021")
    for row in T.table_b_rows("2021"):
        assert f"- {row.key} ← " in guide and row.row.label in guide
    compressed = table_guide("table_b", "2021", compressed=True)
    assert "other_combined ←" in compressed and "other_no_fee" not in compressed
    assert "prev_items ← 上一年项目数量" in table_guide("table_a", "2019")


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize(
    ("raw", "count"),
    [(12, 12), ("12", 12), ("1,234", 1234), ("１２", 12), ("12件", 12), ("—", "—"), ("/", "—"), ("无", "—"), ("", None), (None, None), ("?", "?"), (3.0, 3)],
)
def test_chinese_number_forms(raw, count):
    assert to_count(raw) == count


@pytest.mark.parametrize("raw", ["很多", True, [1], "1.5"])
def test_non_numbers_are_rejected_with_a_message(raw):
    with pytest.raises(ValueError):
        to_count(raw)


def test_money_keeps_decimals():
    assert to_amount("96171.6万元") == 96171.6


def test_an_omitted_row_is_not_a_blank_row():
    with pytest.raises(ValueError, match="Field required"):
        table_b_answer("2021").model_validate({"new": {c: 0 for c in T.B_COLUMN_KEYS}})


# ------------------------------------------------------------------ cache


def test_the_cache_never_loads_a_pickle(tmp_path):
    cache = ResponseCache(tmp_path / "c")
    cache.set("k", {"response": {"a": 1}})
    assert cache.get("k") == {"response": {"a": 1}}
    planted = diskcache.Cache(str(tmp_path / "c"))  # default Disk pickles non-text values
    planted.set("evil", {"x": 1})
    planted.close()
    assert cache.get("evil") is None
    with pytest.raises(TypeError):
        cache._cache.set("k2", {"not": "text"})
