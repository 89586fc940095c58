"""Report metadata read off the text: title, agency, report year, publication date.

The title is taken from the first lines (it may wrap over two lines, or put the agency on a line of
its own above ``2024 年政府信息公开工作年度报告``). The year comes from the title, else from the
preamble's statistics period; the agency from the title, else the preamble (``本报告由…编制``),
else the signature above the closing date.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import Literal

from pydantic import BaseModel

from ..document import Document, Line
from .sections import clean_line, heading_match

__all__ = ["Meta", "read_meta", "parse_year", "agency_from_title"]

MetaSource = Literal["title", "preamble", "signature"]


class Meta(BaseModel):
    """What a report says about itself: title, agency, year covered, date printed."""

    title: str | None = None
    agency: str | None = None
    year: int | None = None
    published: date | None = None
    agency_source: MetaSource | None = None
    year_source: Literal["title", "preamble"] | None = None
    title_lines: list[int] = []  # line indexes the title was read from


_CN_DIGITS = {"〇": 0, "零": 0, "○": 0, "Ｏ": 0, "O": 0, "o": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_DIGIT = "〇零○ＯOo一二三四五六七八九"
_SPACES = re.compile(r"\s+")
_YEAR_ARABIC = re.compile(r"((?:19|20)\d{2})\s*年(?:度)?")
_YEAR_CN = re.compile(rf"([{_CN_DIGIT}]{{4}})\s*年(?:度)?")
# the report wording of a title; the agency is what precedes it (once the year is taken out)
_REPORT = re.compile(r"(?:(?:政府|政务)?(?:信息|政务)公开)?(?:工作)?(?:年度)?(?:报告|年报)")
_TITLE_WORDS = ("年度报告", "工作报告", "年报")
_SKIP = {"正文", "目录", "全文", "附件"}
_ORG_END = (
    "局", "委", "办", "厅", "府", "院", "会", "室", "署", "部", "中心", "委员会", "公司", "所", "站", "队", "处",
    "馆", "社", "团", "协会", "街道", "镇", "乡", "区", "县", "市",
)  # fmt: skip
_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN = re.compile(rf"([{_CN_DIGIT}]{{4}})\s*年\s*([一二三四五六七八九十]{{1,2}})\s*月\s*([一二三四五六七八九十]{{1,3}})\s*日")
_STATS = re.compile(
    r"(?:统计|期限|周期|时限|区间)[^。]{0,20}?((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日"
    r"|((?:19|20)\d{2})\s*年\s*0?1\s*月\s*0?1\s*日\s*(?:起\s*)?(?:至|到|—|-|~)"
)
_PREAMBLE_AGENCY = (
    re.compile(r"本(?:年度)?报告(?:是|由)\s*([^。，,；;（(《]{2,40}?)\s*(?:根据|依据|按照|依照|遵照)"),
    re.compile(r"([^。，,；;（(《》]{2,40}?)[（(]以下简称[“\"]?本(?:机关|局|委|办|厅|单位)"),
    re.compile(r"(?:^|[。，,；;])\s*([^。，,；;（(《》]{2,30}?)\s*(?:根据|依据|按照|依照)[^。]*?编制"),
    re.compile(r"(?:^|[。，,；;])\s*([^。，,；;（(《》]{2,30}?)\s*编制(?:了|完成)?\s*(?:本|\d{4}|[^。，,]{0,12}报告)"),
)


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _compact(s: str) -> str:
    return _SPACES.sub("", _nfkc(s))


def _cn_number(s: str) -> int | None:
    """二十三 → 23, 十 → 10, 一二 → None (only the forms used in dates)."""
    if not s:
        return None
    if "十" not in s:
        return _CN_DIGITS.get(s) if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    t = _CN_DIGITS.get(tens, 0) if tens else 1
    o = _CN_DIGITS.get(ones, 0) if ones else 0
    return t * 10 + o


def parse_year(text: str) -> int | None:
    """The first report year printed in ``text``: ``2024年``, ``2024 年``, ``2020 年度``, ``二〇二四年``."""
    t = _nfkc(text)
    m = _YEAR_ARABIC.search(t)
    cm = _YEAR_CN.search(text)
    if m and (cm is None or m.start() <= cm.start()):
        return int(m.group(1))
    if cm:
        y = int("".join(str(_CN_DIGITS[c]) for c in cm.group(1)))
        return y if 1990 <= y <= 2100 else None
    return None


def parse_date(text: str) -> date | None:
    """A printed date: ``2026年1月23日``, ``2026 年 1 月 23 日``, ``二〇二五年一月二十日``."""
    t = _nfkc(text)
    m = _DATE.search(t)
    try:
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        m = _DATE_CN.search(text)
        if m:
            y = int("".join(str(_CN_DIGITS[c]) for c in m.group(1)))
            mo, d = _cn_number(m.group(2)), _cn_number(m.group(3))
            if mo and d:
                return date(y, mo, d)
    except ValueError:
        return None
    return None


def _is_agency(s: str) -> bool:
    c = _compact(s)
    return 2 <= len(c) <= 40 and c.endswith(_ORG_END) and "。" not in c and not c[0].isdigit()


def agency_from_title(title: str) -> str | None:
    """The agency named in a title: the title without its year and report wording."""
    t = _compact(title).lstrip("#").strip()
    t = t.removeprefix("关于")
    t = _YEAR_ARABIC.sub("", t, count=1)
    t = _YEAR_CN.sub("", t, count=1)
    m = _REPORT.search(t)
    if m:
        t = t[: m.start()]
    t = t.strip("“”\"《》()（）:：,，、 ")
    return t or None


def _is_title_line(text: str) -> bool:
    c = _compact(text)
    return any(w in c for w in _TITLE_WORDS) and len(c) <= 60 and "。" not in c


def _head_lines(lines: list[Line], limit: int = 15) -> list[Line]:
    """The first non-empty lines, before the first section heading."""
    out: list[Line] = []
    for ln in lines:
        t = clean_line(ln.text)
        if not t:
            continue
        hm = heading_match(t)
        if hm is not None and hm.number is not None:
            break
        out.append(ln)
        if len(out) >= limit:
            break
    return out


def _title(head: list[Line]) -> tuple[str | None, list[int]]:
    texts = [clean_line(ln.text) for ln in head]
    for i, t in enumerate(texts):
        if _compact(t) in _SKIP:
            continue
        used = [i]
        title = t
        if not _is_title_line(t):
            # the title wrapped: "2024 年上海市科委政府信息公开工作" / "年度报告", "…工作年" / "度报告"
            nxt = texts[i + 1] if i + 1 < len(texts) else ""
            if not nxt or len(_compact(nxt)) > 12 or not _is_title_line(t + nxt) or "。" in t:
                continue
            title, used = t + nxt, [i, i + 1]
        # agency on its own line above "2024 年政府信息公开工作年度报告"
        prev = i - 1
        while prev >= 0 and _compact(texts[prev]) in _SKIP:
            prev -= 1
        if prev >= 0 and agency_from_title(title) is None and _is_agency(texts[prev]):
            title = texts[prev] + title
            used.insert(0, prev)
        return title.strip(), [head[k].index for k in used]
    return None, []


def _preamble_text(lines: list[Line], limit: int = 40) -> str:
    """The text before §一, joined without line breaks (PDF lines wrap mid-sentence)."""
    out: list[str] = []
    for ln in lines[: limit * 3]:
        t = clean_line(ln.text)
        if not t:
            continue
        hm = heading_match(t)
        if hm is not None and hm.number is not None:
            break
        out.append(t)
        if len(out) >= limit:
            break
    return "".join(out)


def _preamble_agency(text: str) -> str | None:
    t = _nfkc(text)
    for rx in _PREAMBLE_AGENCY:
        for m in rx.finditer(t):
            cand = _compact(m.group(1))
            if _is_agency(cand):
                return cand
    return None


def _signature(lines: list[Line], limit: int = 8) -> tuple[str | None, date | None]:
    """Agency and date from the closing lines: an agency name on a line, a date on the next."""
    tail: list[str] = []  # the last ``limit`` non-empty lines, cleaned
    for ln in reversed(lines):
        if len(tail) >= limit:
            break
        t = clean_line(ln.text)
        if t:
            tail.append(t)
    tail.reverse()
    for i in range(len(tail) - 1, -1, -1):
        t = tail[i].strip("()（） ")
        d = parse_date(t)
        if d is None or len(_compact(t)) > 16:
            continue
        agency = None
        if i > 0 and _is_agency(tail[i - 1]) and len(_compact(tail[i - 1])) <= 30:
            agency = _compact(tail[i - 1])
        return agency, d
    return None, None


def _head_date(head: list[Line]) -> date | None:
    for ln in head[:6]:
        t = clean_line(ln.text).strip("()（） ")
        if len(_compact(t)) <= 16:
            d = parse_date(t)
            if d is not None:
                return d
    return None


def read_meta(doc: Document) -> Meta:
    """Title, agency, year and publication date of the report in ``doc`` (None where not printed)."""
    lines = doc.lines()
    head = _head_lines(lines)
    title, title_lines = _title(head)
    meta = Meta(title=title, title_lines=title_lines)

    if title:
        y = parse_year(title)
        if y is not None:
            meta.year, meta.year_source = y, "title"
        agency = agency_from_title(title)
        if agency:
            meta.agency, meta.agency_source = agency, "title"

    preamble = _preamble_text(lines)
    if meta.year is None:
        m = _STATS.search(_nfkc(preamble))
        if m:
            meta.year, meta.year_source = int(m.group(1) or m.group(2)), "preamble"
    if meta.agency is None:
        agency = _preamble_agency(preamble)
        if agency:
            meta.agency, meta.agency_source = agency, "preamble"

    sig_agency, sig_date = _signature(lines)
    if meta.agency is None and sig_agency:
        meta.agency, meta.agency_source = sig_agency, "signature"
    meta.published = sig_date or _head_date(head)
    return meta
