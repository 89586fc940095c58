"""Splitting reports into sections 一…六: real reports (seeds, Markdown and PDF text) and the messy variants."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from xxgk.document import Document, Grid, Line, Page
from xxgk.parse.sections import heading_match, split_sections
from xxgk.template import SECTION_KEYS

SHARED = Path("/work/shared")
SEEDS = SHARED / "seeds"
PEER = SHARED / "peer_data"
KEWEI = PEER / "KIROGOVCOMPARE/tests/fixtures/annual-report/kewei-2024-source.md"
SHOFFICE = PEER / "KIROGOVCOMPARE/tests/fixtures/annual-report/shanghai-office-sample-source.md"
SHUYANG = PEER / "KIROGOVCOMPARE/tests/沭阳县人民政府2025年政府信息公开工作年度报告-沭阳县人民政府.txt"
PDFS = {
    "huaian24": PEER / "govnianbao/szfgs2024.pdf",
    "hzq23": PEER / "KIROGOVCOMPARE/sample_pdfs_v1/hzq2023_working.pdf",
    "hzq24": PEER / "KIROGOVCOMPARE/sample_pdfs_v1/hzq2024_working.pdf",
}
OFFICIAL = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
            "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]  # fmt: skip


def _cells(text: str) -> list[str] | None:
    if "\t" in text:
        return text.split("\t")
    s = text.strip()
    if s.count("|") >= 2:
        return [c.strip() for c in s.strip("|").split("|")]
    return None


def doc_from_text(text: str, kind: str = "txt") -> Document:
    """A one-page Document with one Line per input line (cells split on tabs and pipes)."""
    lines = [Line(text=t, cells=_cells(t)) for t in text.split("\n")]
    return Document(path="test", kind=kind, pages=[Page(number=1, blocks=list(lines))]).renumber()


def read(path: Path) -> Document:
    return doc_from_text(path.read_text(encoding="utf-8", errors="replace"), path.suffix.lstrip("."))


def summary(doc: Document, **kw: object) -> list[tuple[str, str, str]]:
    return [(s.key, s.heading, s.text[:12]) for s in split_sections(doc, **kw)]  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------------
# Real reports
# ----------------------------------------------------------------------------------------------

SEED_CASES = {
    "000_207b0f775674d5e9.txt": (OFFICIAL, ["2024 年，卫滨区财政", "", "", "", "2024年，我局信息公", "2024年本机关未收取"]),
    "001_8661565106e5f923.txt": (OFFICIAL, ["2024 年度，卫滨区行", "", "", "", "(一) 存在的主要问题", "2024年度我单位不存"]),
    "002_fb2e86e77d0a3946.txt": (OFFICIAL, ["2023年,株洲市渌口区", "", "", "", "(一)工作中存在的主要", "依据《政府信息公开信"]),
    "003_d3619af60397248f.txt": (OFFICIAL, ["(一) 加强组织领导，", "", "", "", "我局公开政府信息的意识", "无"]),
    "004_2e994418fc787547.txt": (OFFICIAL, ["(一) 主动公开情况。", "", "", "", "主要问题：一是部分信息", "依据《国务院办公厅关于"]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seeds_have_all_six_sections(name: str) -> None:
    headings, starts = SEED_CASES[name]
    sections = split_sections(read(SEEDS / name))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert [s.heading for s in sections] == headings
    assert [s.number for s in sections] == ["一", "二", "三", "四", "五", "六"]
    assert all(s.found for s in sections)
    for s, start in zip(sections, starts, strict=True):
        assert s.text.startswith(start), (s.key, s.text[:30])
    # the tables (tab rows) stay out of the text of 二、三、四
    assert "\t" not in "".join(s.text for s in sections)


def test_seed_locations_are_contiguous() -> None:
    sections = split_sections(read(SEEDS / "000_207b0f775674d5e9.txt"))
    assert [(s.location.line_start, s.location.line_end) for s in sections if s.location] == [
        (5, 28), (29, 46), (47, 77), (78, 84), (85, 94), (95, 97)
    ]  # fmt: skip
    assert all(s.location and s.location.page_start == 1 and s.location.page_end == 1 for s in sections)


def test_seed_004_repeated_heading_is_kept_once() -> None:
    # "## 一、总体情况" then "### 一、总体情况": the first is the heading, the second is not body text
    sections = split_sections(read(SEEDS / "004_2e994418fc787547.txt"))
    overview = sections[0]
    assert overview.location and overview.location.line_start == 5
    assert "总体情况" not in overview.text.splitlines()[0]


def test_seed_001_markdown_heading_levels() -> None:
    sections = split_sections(read(SEEDS / "001_8661565106e5f923.txt"))
    # "## 一、…", "### 三、…", "#### 四、…": markup is not part of the heading as printed
    assert all(not s.heading.startswith("#") for s in sections)
    problems = sections[4]
    assert "(一) 存在的主要问题" in problems.text and "(二)" in problems.text  # sub-headings stay inside §五


def test_kewei_two_numbering_systems() -> None:
    """Narrative 一…六 with its own titles, then the tables renumbered 一…三 and 其他 as 五; §五 unheaded."""
    sections = split_sections(read(KEWEI))
    assert [(s.key, s.number, s.heading, s.found) for s in sections] == [
        ("overview", "一", "一、总体情况", True),
        ("proactive", "一", "一、主动公开政府信息情况", True),
        ("requests", "二", "二、收到和处理政府信息公开申请情况", True),
        ("review_litigation", "三", "三、政府信息公开行政复议、行政诉讼情况", True),
        ("problems", None, "", False),
        ("other", "五", "五、其他需要报告的事项", True),
    ]
    by = {s.key: s for s in sections}
    # the narrative parts 二…六 (工作机制保障, 主动公开工作情况 …) belong to §一
    assert "三、主动公开工作情况" in by["overview"].text and "六、政府信息公开平台建设" in by["overview"].text
    assert by["overview"].text.startswith("上海市科委 2024 年深入贯彻")
    assert by["problems"].text.startswith("（一）主要问题\n市科委 2024 年根据本市机构改革")
    assert "（二）改进情况" in by["problems"].text
    assert by["problems"].location and by["problems"].location.line_start == 192
    assert by["other"].text.startswith("本年度信息公开处理费收费情况")
    # the preamble's "报告全文包括总体情况、主动公开政府信息情况…" is not a heading
    assert by["overview"].location and by["overview"].location.line_start == 13


def test_shoffice_missing_problems_heading_is_inferred() -> None:
    sections = split_sections(read(SHOFFICE))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    by = {s.key: s for s in sections}
    assert [s.heading for s in sections if s.found] == [h for h in OFFICIAL if not h.startswith("五")]
    problems = by["problems"]
    assert problems.found is False and problems.heading == "" and problems.number is None
    assert problems.text.startswith("（一）2024 年工作中存在问题的改进情况")
    assert "（二）2025 年工作中存在的主要问题" in problems.text
    assert "六、其他需要报告的事项" not in problems.text
    assert problems.location and problems.location.line_start == 183 and problems.location.line_end == 213
    # §四 ends before §五's body; its note stays with it; page footers are not text
    assert by["review_litigation"].text.endswith("注：行政复议、行政诉讼数量含上年度结转数量。")
    assert "— 6 —" not in problems.text
    # （一）主动公开方面 … （五）监督保障方面 are §一's sub-headings
    assert by["proactive"].location and by["proactive"].location.line_start == 77
    assert "（一）主动公开方面" in by["overview"].text


def test_shuyang_markdown_headings_inside_tables() -> None:
    """沭阳: "### 一、本年新收…" / "### 三、本年度办理结果" are table labels, "六、…" has no markup."""
    sections = split_sections(read(SHUYANG))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert [s.heading for s in sections] == [
        *OFFICIAL[:4], "五、政府信息公开工作存在的主要问题及改进情况", OFFICIAL[5]
    ]  # fmt: skip
    by = {s.key: s for s in sections}
    assert [by[k].location.line_start for k in SECTION_KEYS if by[k].location] == [8, 53, 77, 158, 175, 184]
    assert "### 一是从严日常管理。" not in by["overview"].text and "一是从严日常管理。" in by["overview"].text
    assert by["other"].text.startswith("我县认真落实《政府信息公开信息处理费管理办法》")


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True).stdout


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext not installed")
@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_layout_text(name: str) -> None:
    doc = doc_from_text(_pdftotext(PDFS[name]), "pdf")
    sections = split_sections(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert [s.heading for s in sections] == OFFICIAL  # centred / indented lines
    by = {s.key: s for s in sections}
    assert "信息处理费" in by["other"].text
    assert "本年新收政府信息公开申请数量" not in by["review_litigation"].heading
    # Table B's "一、本年新收…" / "四、结转下年度继续办理" / a lone "三、" stay inside §三
    assert "四、结转下年度继续办理" in by["requests"].text


@pytest.mark.parametrize("name", sorted(PDFS))
def test_pdf_pdfplumber_lines(name: str) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(PDFS[name]) as pdf:
        pages = [
            Page(number=i + 1, blocks=[Line(text=t) for t in (p.extract_text() or "").split("\n")])
            for i, p in enumerate(pdf.pages)
        ]
    doc = Document(path=str(PDFS[name]), kind="pdf", pages=pages).renumber()
    sections = split_sections(doc)
    assert [s.heading for s in sections] == OFFICIAL
    assert sections[0].location and sections[0].location.page_start == 1
    assert sections[-1].location and sections[-1].location.page_end == len(pages)
    assert sections[4].text.strip() and sections[4].location and sections[4].location.page_start >= 4


# ----------------------------------------------------------------------------------------------
# Synthetic variations
# ----------------------------------------------------------------------------------------------

BODY = """一、总体情况
本年度我局认真贯彻《条例》。
二、主动公开政府信息情况
第二十条第（一）项\t\t\t
三、收到和处理政府信息公开申请情况
本年新收申请0件。
四、政府信息公开行政复议、行政诉讼情况
行政复议\t\t\t\t\t行政诉讼
五、存在的主要问题及改进情况
一是公开不及时。
六、其他需要报告的事项
本年度未收取信息处理费。"""
BODY_STARTS = ["本年度我局认真贯彻", "", "本年新收申请0件。", "", "一是公开不及时。", "本年度未收取信息处"]


def expect_official(doc: Document, first_line: int) -> None:
    sections = split_sections(doc)
    assert [(s.key, s.heading) for s in sections] == list(zip(SECTION_KEYS, OFFICIAL, strict=True))
    assert [s.text[:9] for s in sections] == BODY_STARTS
    assert sections[0].location and sections[0].location.line_start == first_line


def test_plain_headings() -> None:
    expect_official(doc_from_text(BODY), 1)


def test_markdown_headings() -> None:
    md = "\n".join(("## " if line[:1] in "一二三四五六" else "") + line for line in BODY.split("\n"))
    md = "# 某某局2024年政府信息公开工作年度报告\n" + md.replace("## 三、", "### **三、").replace("申请情况", "申请情况**")
    expect_official(doc_from_text(md, "md"), 2)


def test_toc_with_dot_leaders_is_not_taken() -> None:
    toc = "目录\n" + "\n".join(f"{h}…………{i + 1}" for i, h in enumerate(OFFICIAL)) + "\n"
    expect_official(doc_from_text(toc + BODY), 8)


def test_toc_with_spaced_page_numbers_is_not_taken() -> None:
    toc = "目录\n" + "\n".join(f"{h}      {i + 1}" for i, h in enumerate(OFFICIAL)) + "\n"
    expect_official(doc_from_text(toc + BODY), 8)


def test_toc_without_page_numbers_is_not_taken() -> None:
    expect_official(doc_from_text("目 录\n" + "\n".join(OFFICIAL) + "\n\n" + BODY), 9)


def test_preamble_enumeration_is_not_taken() -> None:
    one_line = "本报告全文包括：" + "；".join(OFFICIAL) + "。\n"
    expect_official(doc_from_text(one_line + BODY), 2)
    wrapped = "报告全文包括总体情况、主动公开政府信息情况、收到和\n处理政府信息公开申请情况等六部分。\n"
    expect_official(doc_from_text(wrapped + BODY), 3)
    listed = "报告全文包括\n总体情况、\n主动公开政府信息情况、\n收到和处理政府信息公开申请情况、\n"
    expect_official(doc_from_text(listed + BODY), 5)


def test_headings_without_numerals_and_tiaoli_variants() -> None:
    text = """总体情况
本年度我局认真贯彻《条例》。
（一）主动公开政府信息情况
我局主动公开信息。
主动公开政府信息情况
第二十条第（一）项\t\t\t
收到和处理政府信息公开申请情况
本年新收申请0件。
因政府信息公开工作被申请行政复议和提起行政诉讼情况
行政复议\t\t\t\t\t行政诉讼
政府信息公开工作存在的主要问题及改进情况
一是公开不及时。
其他需要报告的事项
无"""
    sections = split_sections(doc_from_text(text))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert all(s.number is None for s in sections)
    assert sections[3].heading == "因政府信息公开工作被申请行政复议和提起行政诉讼情况"
    assert sections[4].heading == "政府信息公开工作存在的主要问题及改进情况"
    # the sub-heading （一）主动公开政府信息情况 is inside §一, not §二
    assert sections[0].text == "本年度我局认真贯彻《条例》。\n（一）主动公开政府信息情况\n我局主动公开信息。"
    assert sections[1].location and sections[1].location.line_start == 5
    assert sections[5].text == "无"


def test_separators_split_headings_typos_and_glued_text() -> None:
    text = """一、
总体情况
本年度我局认真贯彻《条例》。
二．主动公开政府信息情况
第二十条第（一）项\t\t\t
三 收到和处理政府信息公开申情况
本年新收申请0件。
第四部分 因政府信息公开工作被申请行政复议和提起行政诉
讼情况
行政复议\t\t\t\t\t行政诉讼
五、存在的主要问题及改进情况我局存在公开不及时的问题。
下一步将加强培训。
六.其他需要报告事项：无。"""
    sections = split_sections(doc_from_text(text))
    assert [(s.key, s.number, s.heading) for s in sections] == [
        ("overview", "一", "一、总体情况"),
        ("proactive", "二", "二．主动公开政府信息情况"),
        ("requests", "三", "三 收到和处理政府信息公开申情况"),
        ("review_litigation", "四", "第四部分 因政府信息公开工作被申请行政复议和提起行政诉讼情况"),
        ("problems", "五", "五、存在的主要问题及改进情况"),
        ("other", "六", "六.其他需要报告事项"),
    ]
    assert sections[0].text == "本年度我局认真贯彻《条例》。"
    assert sections[0].location and sections[0].location.line_start == 1
    assert sections[3].location and sections[3].location.line_start == 8
    assert sections[3].text == ""
    assert sections[4].text == "我局存在公开不及时的问题。\n下一步将加强培训。"
    assert sections[5].text == "无。"


def test_missing_problems_heading_is_inferred_after_table_c() -> None:
    text = BODY.replace("五、存在的主要问题及改进情况\n一是公开不及时。", "0\t0\t0\t0\t0\n-5-\n（一）存在的主要问题\n一是公开不及时。\n（二）改进情况")
    sections = split_sections(doc_from_text(text))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    problems = sections[4]
    assert (problems.found, problems.heading, problems.number) == (False, "", None)
    assert problems.text == "（一）存在的主要问题\n一是公开不及时。\n（二）改进情况"
    assert sections[3].text == ""  # table rows and the footer "-5-" are not text


def test_review_subheadings_are_not_problems() -> None:
    text = BODY.replace("五、存在的主要问题及改进情况\n一是公开不及时。", "（一）行政复议情况\n本年度无复议。")
    sections = split_sections(doc_from_text(text))
    assert "problems" not in [s.key for s in sections]  # not found: absent, never invented
    assert sections[3].text == "（一）行政复议情况\n本年度无复议。"


def test_unrecognised_wording_taken_by_numeral_and_words() -> None:
    text = BODY.replace("五、存在的主要问题及改进情况", "五、存在不足和下一步打算").replace("六、其他需要报告的事项", "六、其他")
    sections = split_sections(doc_from_text(text))
    assert [s.heading for s in sections][4:] == ["五、存在不足和下一步打算", "六、其他"]


def test_absent_sections_are_absent() -> None:
    text = "一、总体情况\n本年度我局认真贯彻《条例》。\n六、其他需要报告的事项\n无"
    assert summary(doc_from_text(text)) == [("overview", "一、总体情况", "本年度我局认真贯彻《条例"), ("other", "六、其他需要报告的事项", "无")]
    assert split_sections(doc_from_text("本局今年没有什么可说的。")) == []


def test_table_lines_are_never_headings_nor_text() -> None:
    doc = doc_from_text(BODY.replace("本年新收申请0件。", "三、本年度办理结果\n本年新收申请0件。"))
    # without help "三、本年度办理结果" is text; the table parser says it is a table row
    assert "三、本年度办理结果" in split_sections(doc)[2].text
    sections = split_sections(doc, table_lines={6})
    assert sections[2].text == "本年新收申请0件。"
    assert [s.key for s in sections] == list(SECTION_KEYS)
    # a heading-like line inside a table is not a heading
    sections = split_sections(doc, table_lines={8})
    assert "review_litigation" not in [s.key for s in sections]


def test_grids_are_never_headings_nor_text_and_pages_are_tracked() -> None:
    lines = BODY.split("\n")
    p1 = [Line(text=t, cells=_cells(t)) for t in lines[:4]]
    grid = Grid(rows=[["三、收到和处理政府信息公开申请情况", "1"], ["合计", "1"]])
    p2 = [grid, *[Line(text=t, cells=_cells(t)) for t in lines[4:]]]
    doc = Document(path="x", kind="docx", pages=[Page(number=1, blocks=p1), Page(number=2, blocks=p2)]).renumber()
    sections = split_sections(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    proactive = sections[1]
    assert proactive.location and (proactive.location.page_start, proactive.location.page_end) == (1, 2)
    assert proactive.location.line_end == 6  # the two grid rows are lines 5 and 6
    assert sections[2].location and sections[2].location.line_start == 7
    assert proactive.text == ""


def test_heading_match_rejects_body_lines() -> None:
    assert heading_match("一是加强组织领导，落实信息公开要求。") is None
    assert heading_match("（一）主动公开政府信息情况") is None
    assert heading_match("(二) 政府信息管理。") is None
    assert heading_match("表二：主动公开政府信息情况") is None
    assert heading_match("一、本年新收政府信息公开申请数量") is None
    assert heading_match("四、结转下年度继续办理") is None
    assert heading_match("总体情况、") is None
    assert heading_match("2024年，我局总体情况良好，主动公开政府信息情况如下。") is None
    hm = heading_match("## 四、政府信息公开行政复议和行政诉讼情况")
    assert hm is not None and (hm.key, hm.number) == ("review_litigation", "四")
    hm = heading_match("五、存在的主要问题及改进情况：我局…")
    assert hm is not None and (hm.heading, hm.rest) == ("五、存在的主要问题及改进情况", "我局…")
    hm = heading_match("其他需要报告的事项：无。")
    assert hm is not None and (hm.key, hm.heading, hm.rest) == ("other", "其他需要报告的事项", "无。")
    assert heading_match("主动公开情况。") is None  # a sentence, not a heading
