"""Critique of an existing section 五: the planted copy, ignored prior problems, contradictions, numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xxgk.draft import critique
from xxgk.draft.history import agency_history
from xxgk.models import Section
from xxgk.pipeline import extract_file

REAL = Path(__file__).parent.parent / "fixtures" / "real"


@pytest.fixture(scope="module")
def hzq():
    return extract_file(REAL / "hzq2023.pdf"), extract_file(REAL / "hzq2024.pdf")


def with_section(report, text):
    r = report.model_copy(deep=True)
    r.sections = [s if s.key != "problems" else Section(key="problems", number="五", heading=s.heading, text=text) for s in r.sections]
    return r


def test_planted_copy_last_years_text_with_the_year_changed_is_found(hzq):
    prior, current = hzq
    planted = with_section(current, prior.section("problems").text.replace("2023", "2024"))
    c = critique(planted, [prior])
    copied = c.of_kind("copied")
    assert copied and copied[0].severity == "error"
    assert c.overlap_share > 0.9
    assert any("扎实推进依申请公开工作" in p for p in copied[0].passages)
    assert c.of_kind("unaddressed")  # and it says nothing of 2023's problems


def test_real_2024_section_shows_the_two_measures_it_repeats(hzq):
    prior, current = hzq
    c = critique(current, [prior])
    passages = "\n".join(c.of_kind("copied")[0].passages)
    assert "跟班学习制度" in passages and "全面梳理和优化工作流程" in passages
    assert 0.2 < c.overlap_share < 0.5
    unaddressed = c.of_kind("unaddressed")[0]
    assert "3" in unaddressed.message and len(unaddressed.passages) == 3
    assert c.of_kind("boilerplate")


def test_problems_contradicting_the_tables_and_unmatched_numbers(hzq):
    _, current = hzq
    r = current.model_copy(deep=True)
    text = ("2024年存在的主要问题：部分申请办理周期偏长，结转下年度办理的申请较多；本年新收申请120件。"
            "下一步，将建立答复期限预警。")
    c = critique(with_section(r, text), [])
    contra = c.of_kind("contradiction")
    assert contra and "结转" in contra[0].message  # 结转下年度 is 0 in the table
    numbers = c.of_kind("number")
    assert numbers and "120" in numbers[0].message


def test_generated_planted_copies_are_found_and_clean_drafts_are_not_flagged():
    from xxgk.draft import build_facts, draft_template

    for seed in range(8):
        history = agency_history(seed, years=(2023, 2024))
        prior, current = history
        planted = with_section(current, re.sub(r"2023", "2024", re.sub(r"2024", "2025", prior.section("problems").text)))
        assert critique(planted, [prior]).of_kind("copied"), seed
        draft = draft_template(build_facts(current, [prior]))
        clean = critique(with_section(current, draft.text()), [prior])
        assert not clean.of_kind("copied") and not clean.of_kind("number"), (seed, clean)
        assert not clean.of_kind("unaddressed"), (seed, clean, draft.text())
