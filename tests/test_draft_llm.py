"""The LLM drafter against a scripted local OpenAI-compatible server: bad drafts are re-asked and corrected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from xxgk.draft import build_facts, draft_llm, draft_template, score_draft
from xxgk.draft.llm import Section5Answer, answer_errors, answer_of, prompt_variables
from xxgk.llm.testing import ScriptedServer, answer
from xxgk.pipeline import extract_file

REAL = Path(__file__).parent.parent / "fixtures" / "real"


@pytest.fixture(scope="module")
def hzq_facts():
    return build_facts(extract_file(REAL / "hzq2024.pdf"), [extract_file(REAL / "hzq2023.pdf")])


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("XXGK_CACHE_DIR", str(tmp_path / "cache"))


def good_answer(facts) -> dict:
    """A valid answer: the template draft in the response model's shape."""
    return answer_of(draft_template(facts))


def test_invented_number_and_copied_text_are_reasked_and_corrected(hzq_facts):
    good = good_answer(hzq_facts)
    invented = json.loads(json.dumps(good))
    invented["problems"][0]["text"] = "本年新收申请120件，较上年增长471.4%，办理压力加大。"  # 120 and 471.4% are in no fact
    copied = json.loads(json.dumps(good))
    copied["measures"][0]["text"] = "扎实推进依申请公开工作，全面梳理和优化工作流程、健全工作机制、强化部门协同配合，全面提升政府信息依申请公开规范化、专业化水平。"
    with ScriptedServer() as server:
        server.queue(answer(invented), answer(copied), answer(good))
        draft = draft_llm(hzq_facts, server.settings(mode="json_schema", max_retries=3), use_cache=False)
        calls = server.chat_requests
    assert len(calls) == 3
    second, third = calls[1].text, calls[2].text
    assert "120" in second and "不在所引事实中" in second  # the re-ask names the invented number
    assert "照抄了2023年第五部分" in third and "扎实推进依申请公开工作" in third  # … and the copied passage
    assert draft.engine == "llm" and "re-asked 2 times" in draft.notes[0]
    score = score_draft(draft, hzq_facts)
    assert score.ok, score
    assert score.grounding_rate == 1.0 and score.coverage == 1.0


def test_unaddressed_prior_problem_and_slogans_are_errors(hzq_facts):
    good = good_answer(hzq_facts)
    bad = Section5Answer.model_validate(good)
    bad.rectification = bad.rectification[1:]
    bad.problems[0].text += "为谱写新时代政务公开新篇章、实现新跨越贡献力量。"
    errors = "\n".join(answer_errors(bad, hzq_facts))
    assert "prior.2023.problem.1" in errors and "没有在 rectification 中说明" in errors
    assert "新篇章" in errors
    assert answer_errors(Section5Answer.model_validate(good), hzq_facts) == []


def test_prompt_carries_facts_and_prior_problems(hzq_facts):
    v = prompt_variables(hzq_facts)
    assert "b.new | 本年新收政府信息公开申请95件" in v["facts"]
    assert "prior.2023.problem.2" in v["prior_problems"] and v["next_year"] == 2025


def test_a_model_that_keeps_inventing_fails_cleanly(hzq_facts):
    from xxgk.llm import LLMBadAnswer

    invented = good_answer(hzq_facts)
    invented["problems"][0]["text"] = "本年新收申请120件。"
    with ScriptedServer() as server:
        server.queue(*(answer(invented) for _ in range(3)))
        with pytest.raises(LLMBadAnswer):
            draft_llm(hzq_facts, server.settings(mode="json", max_retries=2), use_cache=False)
        assert len(server.chat_requests) == 3
