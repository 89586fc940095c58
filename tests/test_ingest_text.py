"""Reading text and Markdown reports: encodings, tab and pipe tables, line numbers, bad files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from xxgk.errors import EmptyDocument, EncodingError, InputError
from xxgk.ingest import ingest
from xxgk.ingest.encoding import decode
from xxgk.ingest.text import pipe_cells

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "real").glob("seed*.txt"))
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "real"

TABLE_B_HEAD = (
    "某某区财政局 2023 年政府信息公开工作年度报告\n"
    "\n"
    "三、收到和处理政府信息公开申请情况\n"
    "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）\t\t申请人情况\t\t\t\t\t\t\t\n"
    "一、本年新收政府信息公开申请数量\t\t17\t\t\t\t\t\t17\n"
    "三、本年度办理结果\t（一）予以公开\t6\t0\t0\t0\t0\t0\t6\n"
)


def line_at(doc, number: int):
    """The line a user would find at ``number`` in their editor."""
    (line,) = [ln for ln in doc.lines() if ln.index == number]
    return line


def test_gbk_text_report_keeps_tab_slots_and_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "财政局2023年报.txt"
    path.write_bytes(TABLE_B_HEAD.encode("gbk"))

    doc = ingest(path)

    assert doc.kind == "txt"
    assert doc.encoding == "gb18030"
    assert line_at(doc, 1).text.startswith("某某区财政局")
    assert line_at(doc, 2).text == ""  # the empty line is kept so line 3 is still line 3
    assert line_at(doc, 3).text == "三、收到和处理政府信息公开申请情况"
    assert line_at(doc, 3).cells is None
    new = line_at(doc, 5)
    # Empty tab slots are merged cells: their positions matter, so they are kept.
    assert new.cells == ["一、本年新收政府信息公开申请数量", "", "17", "", "", "", "", "", "17"]
    assert line_at(doc, 4).cells[2] == "申请人情况"
    assert len(doc.lines()) == 6
    assert doc.sha256 and len(doc.sha256) == 64


def test_utf8_bom_and_windows_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("一、总体情况\r\n\r\n本机关全年未收到申请。\r\n".encode("utf-8-sig"))

    doc = ingest(path)

    assert doc.encoding == "utf-8-sig"
    assert [ln.text for ln in doc.lines()] == ["一、总体情况", "", "本机关全年未收到申请。"]
    assert "\r" not in doc.text() and "\ufeff" not in doc.text()


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes("四、政府信息公开行政复议、行政诉讼情况\n0\t0\t0\n".encode("utf-16"))

    doc = ingest(path)

    assert doc.encoding == "utf-16"
    assert doc.lines()[1].cells == ["0", "0", "0"]


MARKDOWN = """# 2024年某委政府信息公开工作年度报告

## 表二：主动公开政府信息情况
| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |
|---|:---:|---|---|
| 规章 | 0 | 0 | 0 |
| 规范性文件 | 13 | 0 | 55（含自然失效 29 件） |
| 备注 a\\|b |  |  |  |

本年度共收到申请 34 件。
"""


def test_markdown_pipe_tables(tmp_path: Path) -> None:
    path = tmp_path / "kewei.md"
    path.write_text(MARKDOWN, encoding="utf-8")

    doc = ingest(path)

    assert doc.kind == "md"
    assert line_at(doc, 1).text == "# 2024年某委政府信息公开工作年度报告"  # heading marks kept as printed
    assert line_at(doc, 3).text == "## 表二：主动公开政府信息情况"
    assert line_at(doc, 4).cells == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert line_at(doc, 5).text == "" and line_at(doc, 5).cells is None  # separator row dropped
    assert line_at(doc, 7).cells == ["规范性文件", "13", "0", "55（含自然失效 29 件）"]
    assert line_at(doc, 8).cells == ["备注 a|b", "", "", ""]  # escaped pipe is text; empty cells kept
    assert line_at(doc, 10).cells is None
    assert not any(c and set(c[0]) <= set("-:") for c in (ln.cells for ln in doc.lines()) if c)


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("| a | b |", ["a", "b"]),
        ("第二十条第(一)项 | |||", ["第二十条第(一)项", "", "", ""]),  # seeds/002: no leading pipe
        ("| 一、本年新收 | 0 | ||", ["一、本年新收", "0", "", ""]),
        ("甲 | 乙", None),  # one pipe inside prose is not a table
        ("普通的一句话。", None),
    ],
)
def test_pipe_cells(line: str, cells: list[str] | None) -> None:
    assert pipe_cells(line) == cells


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_every_seed_reads_with_table_b_row(seed: Path) -> None:
    doc = ingest(seed)

    assert doc.encoding == "utf-8"
    assert len(doc.lines()) == len(seed.read_text(encoding="utf-8").splitlines())
    rows = [ln for ln in doc.lines() if ln.cells and ln.cells[0].strip().startswith("一、本年新收")]
    assert len(rows) == 1
    assert sum(1 for c in rows[0].cells if c.strip().isdigit()) >= 2


def test_seed_000_table_b_has_seven_zeros() -> None:
    doc = ingest(SEEDS[0])

    new = next(ln for ln in doc.lines() if ln.cells and ln.cells[0].startswith("一、本年新收"))
    assert new.index == 52  # as in the file
    assert [c for c in new.cells if c == "0"] == ["0"] * 7


def test_seed_002_pipe_rows_become_cells() -> None:
    doc = ingest(SEEDS[2])

    rules = line_at(doc, 15)
    assert rules.cells == ["规章", "0", "0", "0"]
    assert line_at(doc, 31).cells[:8] == ["一、本年新收政府信息公开申请数量"] + ["0"] * 7


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_kewei_markdown_fixture(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"kewei{suffix}"
    shutil.copy(FIXTURES / "kewei2024.md", path)

    doc = ingest(path)

    assert doc.kind == suffix[1:]
    new = next(ln for ln in doc.lines() if ln.cells and ln.cells[0] == "一、本年新收政府信息公开申请数量")
    assert new.cells[1:8] == ["32", "2", "0", "0", "0", "0", "34"]
    assert any(ln.text == "## 表三：收到和处理政府信息公开申请情况" for ln in doc.lines())
    assert not any("---" in ln.text for ln in doc.lines())
    assert len(doc.lines()) == len((FIXTURES / "kewei2024.md").read_text(encoding="utf-8").splitlines())


def test_shanghai_office_markdown_fixture(tmp_path: Path) -> None:
    path = tmp_path / "shoffice.md"
    shutil.copy(FIXTURES / "shoffice2025.md", path)

    doc = ingest(path)

    new = line_at(doc, 115)
    assert new.cells == ["一、本年新收政府信息公开申请数量", "1259", "36", "0", "0", "0", "0", "1295"]
    assert line_at(doc, 97).cells == ["规章", "22", "235"]  # the row as printed, ambiguity left to the parser
    assert line_at(doc, 163).text == "— 5 —"  # page footers are the parser's business


def test_empty_file_is_refused_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "空白.txt"
    path.write_bytes(b"\r\n  \n")

    with pytest.raises(EmptyDocument) as err:
        ingest(path)
    assert err.value.path == str(path)
    assert "空白.txt" in str(err.value)


def test_binary_garbage_named_txt_is_an_encoding_error(tmp_path: Path) -> None:
    path = tmp_path / "report.txt"
    path.write_bytes(bytes(range(256)) * 20 + os.urandom(2000))

    with pytest.raises(EncodingError) as err:
        ingest(path)
    assert str(path) in str(err.value)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError) as err:
        ingest(tmp_path / "nope.txt")
    assert "nope.txt" in str(err.value)


# decode() on its own: the order of evidence


def test_declared_gb2312_reads_as_gb18030() -> None:
    # 𠀀 (U+20000) is outside GBK: a GB18030-only character survives because gb2312 is read as gb18030.
    text = "政务公开 𠀀"
    assert decode(text.encode("gb18030"), "x.html", declared="gb2312") == (text, "gb18030")


def test_valid_utf8_beats_a_wrong_gb2312_declaration() -> None:
    text = "本年新收政府信息公开申请数量"
    assert decode(text.encode("utf-8"), "x.html", declared="gb2312") == (text, "utf-8")


def test_gbk_bytes_under_a_wrong_utf8_declaration() -> None:
    text = "本年新收政府信息公开申请数量"
    assert decode(text.encode("gbk"), "x.html", declared="utf-8") == (text, "gb18030")


def test_a_damaged_byte_in_a_long_gbk_file_is_tolerated() -> None:
    good = ("本年度共收到政府信息公开申请十七件。" * 200).encode("gbk")
    text, encoding = decode(good[:100] + b"\xff" + good[100:], "x.txt")  # a stray byte between characters
    assert encoding == "gb18030"
    assert text.count("\ufffd") == 1 and "本年度共收到" in text


def test_big5_declaration_is_honoured() -> None:
    text = "政府資訊公開"
    assert decode(text.encode("big5"), "x.html", declared="big5") == (text, "big5")
