"""Reading a report's title, agency, year and publication date off its text."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from xxgk.document import Document, Line, Page
from xxgk.parse.meta import agency_from_title, parse_date, parse_year, read_meta

SHARED = Path("/work/shared")
PEER = SHARED / "peer_data"
KIRO = PEER / "KIROGOVCOMPARE"


def doc_from_text(text: str) -> Document:
    lines = [Line(text=t, cells=t.split("\t") if "\t" in t else None) for t in text.split("\n")]
    return Document(path="test", kind="txt", pages=[Page(number=1, blocks=list(lines))]).renumber()


REAL = {
    "seeds/000_207b0f775674d5e9.txt": ("卫滨区财政局 2024 年政府信息公开工作年度报告", "卫滨区财政局", 2024, None),
    "seeds/001_8661565106e5f923.txt": (
        "卫滨区行政审批和政务信息管理局 2024 年政府信息公开工作年度报告", "卫滨区行政审批和政务信息管理局", 2024, None
    ),
    "seeds/002_fb2e86e77d0a3946.txt": ("渌口区财政局2023年信息公开工作年度报告", "渌口区财政局", 2023, None),
    "seeds/003_d3619af60397248f.txt": ("2020 年度区财政局政府信息公开工作年度报告", "区财政局", 2020, None),
    "seeds/004_2e994418fc787547.txt": ("湛河区金融工作局 2023 年政府信息公开工作年度报告", "湛河区金融工作局", 2023, None),
    "peer_data/KIROGOVCOMPARE/tests/fixtures/annual-report/kewei-2024-source.md": (
        "2024 年上海市科委政府信息公开工作年度报告", "上海市科委", 2024, None
    ),
    "peer_data/KIROGOVCOMPARE/tests/fixtures/annual-report/shanghai-office-sample-source.md": (
        "2025 年上海市人民政府办公厅政府信息公开工作年度报告", "上海市人民政府办公厅", 2025, None
    ),
    "peer_data/KIROGOVCOMPARE/tests/沭阳县人民政府2025年政府信息公开工作年度报告-沭阳县人民政府.txt": (
        "沐阳县人民政府 2025 年 政府信息公开工作年度报告", "沐阳县人民政府", 2025, date(2026, 1, 23)  # OCR 沭→沐
    ),
}  # fmt: skip


@pytest.mark.parametrize("rel", sorted(REAL))
def test_real_reports(rel: str) -> None:
    title, agency, year, published = REAL[rel]
    meta = read_meta(doc_from_text((SHARED / rel).read_text(encoding="utf-8", errors="replace")))
    assert (meta.title, meta.agency, meta.year, meta.published) == (title, agency, year, published)
    assert meta.agency_source == "title" and meta.year_source == "title"


def test_kewei_title_spans_two_lines() -> None:
    meta = read_meta(doc_from_text((KIRO / "tests/fixtures/annual-report/kewei-2024-source.md").read_text()))
    assert meta.title_lines == [2, 3]  # "正文" above is not part of it


PDFS = {
    "govnianbao/szfgs2024.pdf": ("淮安市人民政府", 2024),
    "KIROGOVCOMPARE/sample_pdfs_v1/hzq2023_working.pdf": ("洪泽区人民政府", 2023),
    "KIROGOVCOMPARE/sample_pdfs_v1/hzq2024_working.pdf": ("淮安市洪泽区人民政府", 2024),
}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
@pytest.mark.parametrize("rel", sorted(PDFS))
def test_pdf_agency_on_its_own_line_above_the_title(rel: str) -> None:
    text = subprocess.run(["pdftotext", "-layout", str(PEER / rel), "-"], capture_output=True, check=True, text=True).stdout
    meta = read_meta(doc_from_text(text))
    agency, year = PDFS[rel]
    assert (meta.agency, meta.year) == (agency, year)
    assert meta.title and meta.title.startswith(agency) and meta.title.endswith("政府信息公开工作年度报告")
    assert meta.title_lines == [1, 2]


def test_year_forms() -> None:
    assert parse_year("2024年政府信息公开工作年度报告") == 2024
    assert parse_year("2024 年政府信息公开工作年度报告") == 2024
    assert parse_year("2020 年度区财政局政府信息公开工作年度报告") == 2020
    assert parse_year("某某局二〇二四年政府信息公开工作年度报告") == 2024
    assert parse_year("某某局二零二三年度政府信息公开工作年度报告") == 2023
    assert parse_year("２０２２年某某局年报") == 2022
    assert parse_year("某某局政府信息公开工作年度报告") is None


def test_date_forms() -> None:
    assert parse_date("2026年1月23日") == date(2026, 1, 23)
    assert parse_date("(2026 年 1 月 23 日)") == date(2026, 1, 23)
    assert parse_date("二〇二五年一月二十日") == date(2025, 1, 20)
    assert parse_date("二〇二五年十二月三十一日") == date(2025, 12, 31)
    assert parse_date("2025年2月30日") is None


def test_agency_from_title() -> None:
    assert agency_from_title("2020 年度区财政局政府信息公开工作年度报告") == "区财政局"
    assert agency_from_title("# 湛河区金融工作局 2023 年政府信息公开工作年度报告") == "湛河区金融工作局"
    assert agency_from_title("某市统计局2021年政务公开工作年度报告") == "某市统计局"
    assert agency_from_title("2024年政府信息公开工作年度报告") is None
    assert agency_from_title("政府信息公开工作年度报告格式模板") is None  # the blank template's title
    assert agency_from_title("某区政务公开办公室2024年政府信息公开工作年度报告") == "某区政务公开办公室"
    assert agency_from_title("关于某县水利局2022年政府信息公开工作年度报告（全文）") == "某县水利局"


def test_title_wrapped_mid_word() -> None:
    meta = read_meta(doc_from_text("2022年度白沙区财政局政府信息公开工作年\n度报告\n一、总体情况\n正文。"))
    assert (meta.title, meta.agency, meta.year, meta.title_lines) == (
        "2022年度白沙区财政局政府信息公开工作年度报告", "白沙区财政局", 2022, [1, 2]
    )


def test_chinese_year_title() -> None:
    meta = read_meta(doc_from_text("某县水利局二〇二四年政府信息公开工作年度报告\n一、总体情况\n正文。"))
    assert (meta.agency, meta.year) == ("某县水利局", 2024)


def test_year_from_statistics_period_and_agency_from_preamble() -> None:
    text = """政府信息公开工作年度报告
本报告由某市生态环境局根据《中华人民共和国政府信息公开条例》编制。本报告所列数据的统计期限为2024年1月1日至
2024年12月31日。
一、总体情况
2024年，我局……"""
    meta = read_meta(doc_from_text(text))
    assert (meta.title, meta.year, meta.year_source) == ("政府信息公开工作年度报告", 2024, "preamble")
    assert (meta.agency, meta.agency_source) == ("某市生态环境局", "preamble")


def test_agency_compiled_by_pattern_and_wrapped_period() -> None:
    text = """年度报告
根据《中华人民共和国政府信息公开条例》的要求，市科委编制了 2024 年度政务公开工作
报告。本年度报告中所列数据的统计周期
为 2024 年 1 月 1 日至 12 月 31 日。
一、总体情况"""
    meta = read_meta(doc_from_text(text))
    assert (meta.agency, meta.year) == ("市科委", 2024)


def test_agency_and_date_from_signature() -> None:
    text = """2023年政府信息公开工作年度报告
本报告所列数据统计期限自2023年1月1日起至2023年12月31日止。
一、总体情况
……
六、其他需要报告的事项
无。

某某县交通运输局
2024年1月20日"""
    meta = read_meta(doc_from_text(text))
    assert (meta.year, meta.year_source) == (2023, "title")
    assert (meta.agency, meta.agency_source) == ("某某县交通运输局", "signature")
    assert meta.published == date(2024, 1, 20)


def test_nothing_printed() -> None:
    meta = read_meta(doc_from_text("一、总体情况\n我局认真落实各项要求。"))
    assert (meta.title, meta.agency, meta.year, meta.published) == (None, None, None, None)
