"""The rules engine on the layouts real reports come in: a reviewer's text in, the right cells out."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk import template as T
from xxgk.ingest import ingest
from xxgk.models import CellState
from xxgk.parse.tables import match_a_row, match_b_row, merge_split_digits, parse_tables, segment_digits

B_LABELS = [r.row.label for r in T.TABLE_B["2021"]]


def _doc(tmp_path: Path, text: str, name: str = "r.txt"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return ingest(p)


def _b_text(rows: dict[str, list[str]], sep: str = "\t", compressed: bool = False) -> str:
    lines = ["三、收到和处理政府信息公开申请情况", sep.join(["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"])]
    lines.append(sep.join(["", "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]))
    for br in T.table_b_rows("2021", compressed):
        lines.append(sep.join([br.row.label, *rows.get(br.key, ["0"] * 7)]))
    return "\n".join(lines) + "\n"


def test_every_official_label_matches_its_own_row():
    for br in (*T.TABLE_B["2021"], T.B_OTHER_COMBINED):
        assert match_b_row(br.row.label) == br.key, br.row.label
    for fmt in T.FORMATS:
        for a in T.table_a_rows(fmt):
            assert match_a_row(a.row.label) == a.row.key


@pytest.mark.parametrize(
    ("printed", "key"),
    [
        ("2.其他法律行政止公开", "denied_law_forbidden"),  # hzq23's typo
        ("四、本年度止件数", "carried_forward"),  # seed 004's typo
        ("(七) 合计", "total"),
        ("三、本年度办理结果(一) 予以公开", "granted"),
        ("(六) 其他处理3. 其他", "other_other"),
        ("（六）其他处理", "other_combined"),
        ("1、本机关不掌握相关政府信息", "unable_not_held"),  # huaian24's 1、
        ("（三）不 4.保护第三方合法权益", "denied_third_party"),
        ("三 、本 年 度办 理 结果", None),  # the vertical group label carries no data
        ("自然人", None),
    ],
)
def test_label_variants(printed: str, key: str | None):
    assert match_b_row(printed) == key


def test_tab_table_reads_every_cell(tmp_path: Path):
    rows = {"new": ["5", "1", "0", "0", "0", "0", "6"], "granted": ["5", "1", "0", "0", "0", "0", "6"], "total": ["5", "1", "0", "0", "0", "0", "6"]}
    t = parse_tables(_doc(tmp_path, _b_text(rows)))
    tb = t.table_b
    assert tb.found and tb.confidence == 1.0
    assert tb.value("new", "commercial") == 1
    assert tb.value("total", "total") == 6
    assert len(tb.iter_cells()) == 25 * 7


def test_blank_cells_stay_blank_not_zero(tmp_path: Path):
    rows = {"new": ["3", "", "", "", "", "", "3"]}
    tb = parse_tables(_doc(tmp_path, _b_text(rows))).table_b
    assert tb.cell("new", "commercial").state == CellState.blank
    assert tb.cell("new", "commercial").value is None
    assert tb.value("new", "natural_person") == 3


def test_detached_number_rows_fill_the_gap_in_template_order(tmp_path: Path):
    """PDF→Markdown re-layouts put number rows away from their labels (kewei)."""
    lines = [
        "| 一、本年新收政府信息公开申请数量 | 9 | 0 | 0 | 0 | 0 | 0 | 9 |",
        "| 二、上年结转政府信息公开申请数量 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
        "| 三、 | （一）予以公开 | 4 | 0 | 0 | 0 | 0 | 0 | 4 |",
        "| 2 | 0 | 0 | 0 | 0 | 0 | 2 |",  # 部分公开, label printed below
        "（二）部分公开（区分处理的，只",
        "计这一情形，不计其他情形）",
        "| 1.属于国家秘密 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ]
    rest = [br for br in T.TABLE_B["2021"] if br.key not in ("new", "carried_over", "granted", "partial", "denied_state_secret")]
    for br in rest:
        vals = {"unable_not_held": "3", "total": "9"}.get(br.key, "0")
        lines.append("| " + br.row.label + " | " + " | ".join([vals, "0", "0", "0", "0", "0", vals]) + " |")
    tb = parse_tables(_doc(tmp_path, "\n".join(lines) + "\n", "k.md")).table_b
    assert tb.value("partial", "total") == 2
    assert tb.value("unable_not_held", "natural_person") == 3
    assert any("补位" in n for n in tb.notes)
    assert tb.confidence < 1.0  # placed by inference, so later engines may double-check


def test_too_few_numbers_is_unreadable_not_guessed(tmp_path: Path):
    text = "二、主动公开政府信息情况\n第二十条第（一）项\n信息内容 本年制发件数 本年废止件数 现行有效件数\n规章 22 235\n行政规范性文件 3 0 12\n"
    ta = parse_tables(_doc(tmp_path, text)).table_a
    assert [ta.cell("rules", c).state for c in ("issued", "repealed", "in_force")] == [CellState.unreadable] * 3
    assert "2个数字" in (ta.cell("rules", "issued").reason or "")
    assert ta.value("normative_docs", "in_force") == 12
    assert ta.confidence < 0.9


def test_digits_run_together_split_only_when_unique():
    assert segment_digits(["210000021"], 7) == [21, 0, 0, 0, 0, 0, 21]
    # 1111 1 1... ambiguous splits are refused
    assert segment_digits(["11000011"], 7) is None or sum(segment_digits(["11000011"], 7)[:-1]) == segment_digits(["11000011"], 7)[-1]
    assert segment_digits(["12", "3"], 7) is None  # cannot make 7 numbers from 3 digits
    assert merge_split_digits(["2", "0", "0", "0", "0", "0", "0", "20"], 7) == [20, 0, 0, 0, 0, 0, 20]


def test_run_together_row_in_plain_text(tmp_path: Path):
    lines = [f"{br.row.label} 0 0 0 0 0 0 0" for br in T.TABLE_B["2021"]]
    lines[0] = "一、本年新收政府信息公开申请数量 210000021"
    lines[23] = "（七）总计 21 0 0 0 0 0 21"
    lines[2] = "（一）予以公开 21 0 0 0 0 0 21"
    tb = parse_tables(_doc(tmp_path, "\n".join(lines) + "\n")).table_b
    assert [tb.value("new", c) for c in T.B_COLUMN_KEYS] == [21, 0, 0, 0, 0, 0, 21]
    assert any("拆分" in n for n in tb.notes)


def test_compressed_other_row_in_a_2021_report(tmp_path: Path):
    tb = parse_tables(_doc(tmp_path, _b_text({}, compressed=True)), 2023).table_b
    assert tb.compressed_other
    assert "other_combined" in tb.cells and "other_other" not in tb.cells
    assert any("压缩" in n for n in tb.notes)


def test_page_footer_inside_a_table_is_ignored(tmp_path: Path):
    text = _b_text({}).replace("（七）总计", "— 5 —\n（七）总计")
    tb = parse_tables(_doc(tmp_path, text)).table_b
    assert tb.confidence == 1.0
    assert not any("没有标签" in n for n in tb.notes)


def test_table_c_flattened_into_one_row(tmp_path: Path):
    text = (
        "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结果维持\t结果纠正\t其他结果\t尚未审结\t总计\n"
        "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0\n五、存在的主要问题及改进情况\n"
    )
    tc = parse_tables(_doc(tmp_path, text)).table_c
    assert tc.value("review", "upheld") == 10
    assert tc.value("review", "total") == 0  # printed as is: the source's error is the checker's business
    assert tc.value("litigation_after_review", "upheld") == 5


def test_2019_table_a_with_words_and_units(tmp_path: Path):
    text = (
        "第二十条第（八）项\n信息内容\t上一年项目数量\t本年增/减\t\n行政事业性收费\t16\t增加 2 个\t\n"
        "第二十条第（九）项\n信息内容\t采购项目数量\t采购总金额\t\n政府集中采购\t2392\t26158.97 万元\t\n"
    )
    ta = parse_tables(_doc(tmp_path, text), 2020).table_a
    assert ta.format == "2019"
    delta = ta.cell("admin_fees", "delta")
    assert (delta.value, delta.state, delta.unit) == (2, CellState.text_number, "个")
    amount = ta.cell("procurement", "amount")
    assert (amount.value, amount.unit) == (26158.97, "万元")
