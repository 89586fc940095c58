"""Reading saved government web pages: GBK charsets, page chrome, layout tables, merged cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk.document import Grid, Line, Span
from xxgk.errors import EmptyDocument
from xxgk.ingest import ingest

GOV_PAGE = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>某某区财政局2023年政府信息公开工作年度报告</title>
<script>var menuTitle = "脚本里的文字";</script><style>.nav {color: red}</style></head>
<body>
<div class="top"><img src="logo.png">某某区人民政府门户网站</div>
<div id="mainNav"><ul><li><a href="/">网站首页</a></li><li><a href="/gk">政府信息公开年度报告</a></li></ul></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 年度报告</div>
<table width="1000" align="center"><tr><td>
<div class="article">
<h1>某某区财政局2023年政府信息公开工作年度报告</h1>
<p>一、总体情况</p>
<p>　　2023年，我局认真贯彻
落实《中华人民共和国政府信息公开条例》。</p>
<p>三、收到和处理政府信息公开申请情况</p>
<table border="1" cellspacing="0">
<tr><td rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，<br>等于第三项加第四项之和）</td>
    <td colspan="7">申请人情况</td></tr>
<tr><td rowspan="2">自然人</td><td colspan="5">法人或其他组织</td><td rowspan="2">总计</td></tr>
<tr><td>商业<br>企业</td><td><p>科研</p><p>机构</p></td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>
<tr><td colspan="3">一、本年新收政府信息公开申请数量</td><td>5</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>6</td></tr>
<tr><td rowspan="3">三、本年度办理结果</td><td colspan="2">（一）予以公开</td>
    <td>3</td><td>&nbsp;</td><td>0</td><td>0</td><td>0</td><td>0</td><td>3</td></tr>
<tr><td rowspan="2">（三）不予公开</td><td>1.属于国家秘密</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
<tr><td>2.其他法律行政法规禁止公开</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>
</table>
<p style="text-align:right">某某区财政局<br>2024年1月20日</p>
</div>
</td></tr></table>
<div class="bdsharebuttonbox">分享到：微信 微博</div>
<div class="footer">主办：某某区人民政府办公室　网站标识码 1234567890</div>
</body></html>
"""


def grids(doc) -> list[Grid]:
    return [b for b in doc.blocks() if isinstance(b, Grid)]


def write(tmp_path: Path, name: str, html: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


@pytest.fixture()
def gov_page(tmp_path: Path):
    return ingest(write(tmp_path, "nianbao.html", GOV_PAGE, "gbk"))


def test_gbk_page_is_decoded_by_its_meta_charset(gov_page) -> None:
    assert gov_page.kind == "html"
    assert gov_page.encoding == "gb18030"
    assert gov_page.lines()[0].text == "某某区财政局2023年政府信息公开工作年度报告"


def test_navigation_script_and_footer_are_gone(gov_page) -> None:
    text = gov_page.text()
    for chrome in ("网站首页", "当前位置", "分享到", "网站标识码", "脚本里的文字", "门户网站", "color"):
        assert chrome not in text
    assert any("已移除网页导航" in n for n in gov_page.notes)


def test_body_text_in_order_and_editor_line_breaks_joined(gov_page) -> None:
    texts = [ln.text for ln in gov_page.lines()]
    assert texts == [
        "某某区财政局2023年政府信息公开工作年度报告",
        "一、总体情况",
        "2023年，我局认真贯彻落实《中华人民共和国政府信息公开条例》。",
        "三、收到和处理政府信息公开申请情况",
        "某某区财政局",
        "2024年1月20日",
    ]
    blocks = gov_page.blocks()
    assert isinstance(blocks[4], Grid)  # the table sits between its heading and the signature
    assert blocks[4].index == 5 and blocks[5].index == 5 + len(blocks[4].rows)


def test_table_b_merged_cells_become_a_rectangular_grid(gov_page) -> None:
    (grid,) = [b for b in gov_page.blocks() if isinstance(b, Grid)]

    assert len(grid.rows) == 7 and {len(r) for r in grid.rows} == {10}
    assert grid.rows[0][0] == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert grid.rows[0][1:3] == ["", ""] and grid.rows[1][0] == "" and grid.rows[2][2] == ""
    assert grid.rows[0][3] == "申请人情况"
    assert grid.rows[1][3:] == ["自然人", "法人或其他组织", "", "", "", "", "总计"]
    assert grid.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert grid.rows[3] == ["一、本年新收政府信息公开申请数量", "", "", "5", "1", "0", "0", "0", "0", "6"]
    assert grid.rows[4][:5] == ["三、本年度办理结果", "（一）予以公开", "", "3", ""]  # &nbsp; is a blank cell
    assert grid.rows[6][:4] == ["", "", "2.其他法律行政法规禁止公开", "0"]
    assert Span(row=0, col=0, rowspan=3, colspan=3) in grid.spans
    assert Span(row=1, col=4, rowspan=1, colspan=5) in grid.spans
    assert Span(row=4, col=0, rowspan=3, colspan=1) in grid.spans
    assert Span(row=5, col=1, rowspan=2, colspan=1) in grid.spans
    assert grid.filled()[6][0] == "三、本年度办理结果"


def test_html5_page_keeps_the_article_header_and_drops_page_chrome(tmp_path: Path) -> None:
    page = """<!doctype html><html><head><meta charset="utf-8"></head><body>
    <header class="site"><a href="/">某市人民政府</a><nav><a href="/">首页</a><a href="/x">政务公开</a></nav></header>
    <main><article>
      <header><h1>2024年某市生态环境局政府信息公开工作年度报告</h1><span>发布日期：2025-01-20</span></header>
      <p>一、总体情况</p><ul><li>主动公开</li><li>依申请公开</li></ul>
    </article></main>
    <aside>相关链接</aside>
    <footer>版权所有 © 某市人民政府</footer>
    <div style="display:none">隐藏的统计代码</div>
    </body></html>"""

    doc = ingest(write(tmp_path, "page.htm", page))

    assert doc.encoding == "utf-8"
    assert [ln.text for ln in doc.lines()] == [
        "2024年某市生态环境局政府信息公开工作年度报告",
        "发布日期：2025-01-20",
        "一、总体情况",
        "主动公开",
        "依申请公开",
    ]


def test_a_report_table_inside_a_menu_class_is_never_dropped(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"></head><body>
    <div class="menu-content"><table>
      <tr><td colspan="4">第二十条第（一）项</td></tr>
      <tr><td>信息内容</td><td>本年制发件数</td><td>本年废止件数</td><td>现行有效件数</td></tr>
      <tr><td>规章</td><td>0</td><td>0</td><td>0</td></tr>
    </table></div></body></html>"""

    doc = ingest(write(tmp_path, "a.html", page))

    (grid,) = doc.blocks()
    assert isinstance(grid, Grid)
    assert grid.rows == [
        ["第二十条第（一）项", "", "", ""],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", "0", "0", "0"],
    ]
    assert grid.spans == [Span(row=0, col=0, colspan=4)]


def test_word_exported_html_with_overlong_spans_and_empty_rows(tmp_path: Path) -> None:
    # Word's "save as web page": spans past the real width, an empty <tr>, labels wrapped in source.
    page = """<html><head><meta http-equiv=Content-Type content="text/html; charset=gbk"></head><body>
    <div class=WordSection1>
    <p class=MsoNormal><span>四、政府信息公开行政复议、行政诉讼情况</span></p>
    <table class=MsoNormalTable border=1>
     <tr><td colspan=5><p class=MsoNormal>行政复议</p></td><td colspan=12><p>行政诉讼</p></td></tr>
     <tr></tr>
     <tr><td rowspan=9>结果<br>维持</td><td>结果纠正</td><td>其他结果</td><td>尚未
     审结</td><td>总计</td><td colspan=5>未经复议直接起诉</td><td colspan=5>复议后起诉</td></tr>
     <tr><td>1</td><td>0</td><td>0</td><td>1</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td><td>0</td>
         <td>0</td><td>0</td><td>0</td><td>0</td></tr>
    </table></div></body></html>"""

    doc = ingest(write(tmp_path, "word.htm", page, "gbk"))

    (grid,) = [b for b in doc.blocks() if isinstance(b, Grid)]
    assert grid.n_cols == 15 and all(len(r) == 15 for r in grid.rows)
    assert len(grid.rows) == 3  # the empty <tr> is gone
    assert grid.rows[0][0] == "行政复议" and grid.rows[0][5] == "行政诉讼"
    assert grid.rows[1][:5] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert grid.rows[2][0] == "" and grid.rows[2][1:6] == ["1", "0", "0", "1", "0"]
    assert Span(row=0, col=5, rowspan=1, colspan=10) in grid.spans  # clipped to the table
    assert Span(row=1, col=0, rowspan=2, colspan=1) in grid.spans  # rowspan=9 clipped to the last row


def test_a_single_cell_layout_table_is_read_as_text(tmp_path: Path) -> None:
    page = """<html><head><meta charset="utf-8"></head><body><table><tr><td>
      <p>一、总体情况</p><p>本年度，我办坚持以公开为常态、不公开为例外，""" + "推进政务公开。" * 40 + """</p>
      </td></tr></table></body></html>"""

    doc = ingest(write(tmp_path, "a.html", page))

    assert all(isinstance(b, Line) for b in doc.blocks())
    assert doc.lines()[0].text == "一、总体情况"
    assert any("排版用表格" in n for n in doc.notes)


def test_a_web_page_saved_with_a_doc_suffix_is_read_as_html(tmp_path: Path) -> None:
    doc = ingest(write(tmp_path, "年报.doc", GOV_PAGE, "gbk"))

    assert doc.kind == "html"
    assert any(isinstance(b, Grid) for b in doc.blocks())


def test_a_page_without_text_is_empty(tmp_path: Path) -> None:
    page = "<html><head><script>x()</script></head><body><div class='nav'>首页</div></body></html>"
    path = write(tmp_path, "blank.html", page)

    with pytest.raises(EmptyDocument) as err:
        ingest(path)
    assert "blank.html" in str(err.value)


# The shape of a real county page (沭阳县发展和改革局 2023 年报, shuyang.gov.cn, as saved in the peer repo
# KIROGOVCOMPARE): site header with search and menu inside <article>, a metadata table, Word-pasted
# paragraphs split into <font> runs, cells padded with <o:p> paragraphs, an <iframe> footer.
def word_cell(text: str, **attrs: str) -> str:
    extra = "".join(f' {k}="{v}"' for k, v in attrs.items())
    runs = "".join(f'<span style="font-family: 微软雅黑;">{part}</span>' for part in text.split("|"))
    return (f'<td style="font-family: 微软雅黑;"{extra} valign="center">\n'
            f'<p style="text-align: justify;"><span><o:p> </o:p></span></p>\n'
            f'<p style="text-align: justify;">{runs}<span><o:p></o:p></span></p>\n</td>')


def county_page() -> str:
    applicants = "".join(word_cell(t) for t in ("商业|企业", "科研|机|构", "社会公益组织", "法律服务机构", "其|他"))
    numbers = "".join(word_cell(n) for n in ("26", "", "", "", "", "", "26"))
    zeros = "".join(word_cell("0") for _ in range(7))
    return f"""<!doctype html><html><head><meta charset="utf-8" /><title>年报-沭阳县发改局</title></head>
<body><article>
<div class="head"><meta charset="utf-8"><title>沭阳县人民政府</title><script>var websiteId = "e1db";</script>
<div class="header-t"><div class="header-menu fr"><ul><li><h4><a href="#">繁體版</a></h4></li>
<li class="wza"><h4><a href="#">无障碍</a></h4></li></ul></div></div>
<div class="header-ban"><div class="header-search"><form><input name="searchWord" placeholder="请输入关键词"></form></div>
<div class="mainNav"><ul class="clearfix"><li class="nav0"><a href="/">首页</a></li>
<li class="nav4"><a href="/xxgk">政府信息公开</a></li></ul></div></div></div>
<div class="xxgkArticle"><div class="article-tb"><table class="table_content"><tbody>
<tr><td class="c1">名称</td><td class="c4" colspan="3">沭阳县发展和改革局2023年政府信息公开年度报告</td></tr>
<tr><td class="c1">发布机构</td><td class="c2">沭阳县发展和改革局</td><td class="c1">公开日期</td>
<td class="c3"><publishtime>2024-01-17</publishtime></td></tr></tbody></table></div>
<h1 class="article-title"><ucaptitle>沭阳县发展和改革局2023年政府信息公开年度报告</ucaptitle></h1>
<div class="article-content" id="zoomcon"><ucapcontent>
<p style="text-indent: 2em;"><span><font face="方正黑体_GBK">一、总体情况</font></span><span><o:p></o:p></span></p>
<p style="text-indent: 2em;"><span>2023<font face="方正仿宋_GBK">年度我局共收到依申请信息公开</font>
<font face="Times New Roman">26</font><font face="方正仿宋_GBK">件。</font></span></p>
<p><span><font face="方正黑体_GBK">三、收到和处理</font></span><span><font>政府信息公开申请情况</font></span></p>
<div style="text-indent: 2em;"><table style="BORDER-COLLAPSE:collapse" border="1"><tbody>
<tr>{word_cell("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", colspan="3", rowspan="3")}
{word_cell("申请人情|况", colspan="7")}</tr>
<tr>{word_cell("自然|人", rowspan="2")}{word_cell("法人或其他组织", colspan="5")}{word_cell("总|计", rowspan="2")}</tr>
<tr>{applicants}</tr>
<tr>{word_cell("一|、本年新收政府信息公开申请数量", colspan="3")}{numbers}</tr>
<tr>{word_cell("三|、本|年|度|办|理|结|果", rowspan="22")}{word_cell("（|一|）|予以公开", colspan="2")}{numbers}</tr>
<tr>{word_cell("（|三|）|不予公开", rowspan="8")}{word_cell("1.|<font face=方正仿宋_GBK>属于国家秘密</font>")}{zeros}</tr>
</tbody></table></div>
<p><span><o:p>                                        沭阳县发展和改革局</o:p></span></p>
<p><span><o:p>                                        2024年1月17日<br>
</o:p></span></p></ucapcontent></div></div>
<iframe src="/shuyang/footer/footer.shtml" class="adbottom"></iframe>
</article></body></html>"""


def test_a_county_page_shaped_like_the_real_one(tmp_path: Path) -> None:
    doc = ingest(write(tmp_path, "沭阳县发改局.shtml", county_page()))

    text = doc.text()
    for chrome in ("繁體版", "无障碍", "请输入关键词", "首页", "websiteId", "沭阳县人民政府\n"):
        assert chrome not in text
    meta, table_b = grids(doc)
    assert meta.rows[0] == ["名称", "沭阳县发展和改革局2023年政府信息公开年度报告", "", ""]
    assert meta.rows[1][3] == "2024-01-17"
    lines = [ln.text for ln in doc.lines()]
    assert lines[0] == "沭阳县发展和改革局2023年政府信息公开年度报告"
    assert "2023年度我局共收到依申请信息公开26件。" in lines
    assert "三、收到和处理政府信息公开申请情况" in lines
    assert lines[-2:] == ["沭阳县发展和改革局", "2024年1月17日"]
    assert table_b.rows[1][3] == "自然人" and table_b.rows[1][9] == "总计"
    assert table_b.rows[2][4:9] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert table_b.rows[3] == ["一、本年新收政府信息公开申请数量", "", "", "26", "", "", "", "", "", "26"]
    assert table_b.rows[4][:4] == ["三、本年度办理结果", "（一）予以公开", "", "26"]
    assert table_b.rows[5][:4] == ["", "（三）不予公开", "1.属于国家秘密", "0"]
    assert Span(row=4, col=0, rowspan=2, colspan=1) in table_b.spans  # rowspan=22 clipped to the rows there are
    assert not any(s.row == 5 and s.col == 1 for s in table_b.spans)  # rowspan=8 clipped to one row: no merge
