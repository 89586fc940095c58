"""Split a Document into the six sections 一…六 by their headings, under every heading style seen.

Headings are matched fuzzily against the official labels and variants of ``template.SECTIONS``
(NFKC, spaces and punctuation removed, difflib ratio). All candidate heading lines are scored and
the best chain in document order (keys strictly increasing) is kept, so a table of contents, a
repeated heading or a second numbering system (narrative 一…六, then tables renumbered 一…三) does
not derail the split. Table rows (``table_lines``, delimited rows, Grids) are never headings and
are left out of section text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from ..document import Document, Grid, Line
from ..models import Location, Section
from ..template import SECTION_NUMERALS, SECTIONS
from .fuzzy import SharedChars

__all__ = ["HeadingMatch", "clean_line", "heading_match", "split_sections"]

# Characters ignored when comparing headings with labels.
_IGNORED = set(" \t\u3000\u00a0、，,。.．：:；;“”\"'‘’（）()【】[]<>《》!！?？-—_·*#|")
_NUMERALS = "".join(SECTION_NUMERALS)
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s*|>\s*|[-+]\s+)?")
_BOLD = re.compile(r"\*\*|__")
# 一、 一. 一． 一, 一： 一<space> 第一部分 第一部分： — the numeral of a section heading.
_NUMBERED = re.compile(rf"^(?:第\s*)?([{_NUMERALS}])(?:\s*(?:部分|章|节))?\s*([、，,．.：:]|\s)?\s*")
# （一） (一) (1) ⑴ 1. — sub-heading numbering, never a section heading.
_SUBNUMBERED = re.compile(r"^[（(]\s*[一二三四五六七八九十\d]+\s*[）)]|^[⑴-⒇①-⑳]|^\d+\s*[.、．]")
_CAPTION = re.compile(rf"^表\s*[{_NUMERALS}\d]")
_TOC_LEADER = re.compile(r"(?:[.…·．\-—_]\s*){2,}\s*\d+\s*$|\s{2,}\d{1,3}\s*$")
_FOOTER = re.compile(r"^[-—－–~\s]*(?:第\s*)?\d{1,3}\s*(?:页)?(?:\s*共\s*\d+\s*页)?[-—－–~\s]*$")
_NUMERIC_ROW = re.compile(r"(?:\d[\d.,]*\s{2,}){2,}\d")
_TABLE_HINTS = ("第二十条", "信息内容", "申请人情况", "勾稽关系", "结果维持", "未经复议直接起诉", "本年新收")
_TABLE_KEYS = {"proactive", "requests", "review_litigation"}

# Title words by which a numbered heading with an unrecognised wording is still taken (second pass).
_KEYWORDS: dict[str, tuple[str, ...]] = {
    "overview": ("总体", "概述", "基本情况", "概况"),
    "proactive": ("主动公开",),
    "requests": ("申请",),
    "review_litigation": ("复议", "诉讼"),
    "problems": ("问题", "不足", "改进", "整改"),
    "other": ("其他", "其它"),
}
_PROBLEM_WORDS = ("问题", "不足", "改进", "整改", "短板", "差距")
_PROBLEM_START = re.compile(r"^(?:[（(]\s*[一1]\s*[）)]|[一1]\s*[、.．])")
_PROBLEM_PLAIN = re.compile(r"^(?:存在的?(?:主要)?问题|主要问题|问题及改进|上一?年度?问题)")

_NUMBERED_MIN = 0.8  # ratio a numbered heading needs
_NUMBERED_MIN_IN_ORDER = 0.7  # … when its numeral is the expected one
_PLAIN_MIN = 0.85  # ratio a heading without numeral needs
_GLUED_MIN = 0.9  # ratio a heading glued to its text needs


@dataclass(frozen=True)
class HeadingMatch:
    """A line read as a section heading: key, numeral, heading as printed, glued body, score."""

    key: str
    number: str | None
    heading: str
    rest: str  # body text glued to the heading on the same line ("" if none)
    ratio: float
    lines: int = 1  # 2 when the heading continues on the next line


@dataclass
class _Item:
    """One line of the document (or one Grid) as seen by the splitter."""

    pos: int
    index: int
    page: int
    text: str  # stripped, markup removed
    last_index: int  # last line index the item covers (grids cover several)
    table: bool = False
    footer: bool = False
    markup: bool = False  # a Markdown heading ("## …") or bold line


@dataclass
class _Cand:
    pos: int  # position of the item in the list
    end: int  # position of the last item the heading uses
    key_i: int
    match: HeadingMatch
    score: float = 0.0
    extra: dict[str, bool] = field(default_factory=dict)


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


_KEPT: dict[str, str] = {}  # char -> its NFKC form without ignored characters (memo of _key's inner loop)


def _kept(ch: str) -> str:
    k = _KEPT.get(ch)
    if k is None:
        k = _KEPT[ch] = "".join(c for c in _nfkc(ch) if c not in _IGNORED and not c.isspace())
    return k


def _key(s: str) -> tuple[str, list[int]]:
    """Comparison form of ``s`` (NFKC, no spaces/punctuation) and, per kept char, its offset in ``s``."""
    out: list[str] = []
    pos: list[int] = []
    kept = _KEPT
    for i, ch in enumerate(s):
        k = kept.get(ch)
        if k is None:
            k = _kept(ch)
        if k:
            out.append(k)
            pos.extend([i] * len(k))
    return "".join(out), pos


def _key_longer(s: str, limit: int) -> bool:
    """Whether ``_key(s)[0]`` is longer than ``limit`` (stops counting as soon as it is)."""
    n = 0
    kept = _KEPT
    for ch in s:
        k = kept.get(ch)
        if k is None:
            k = _kept(ch)
        n += len(k)
        if n > limit:
            return True
    return False


_NAME_KEYS: list[tuple[str, list[str]]] = [(s.key, [_key(n)[0] for n in s.names]) for s in SECTIONS]
_MAX_NAME = max(len(k) for _, ks in _NAME_KEYS for k in ks)


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


# Every label key with its character counts, for cheap upper bounds on the difflib ratio: the ratio is
# 2*M/(len(a)+len(b)) with M matched characters, and M is at most the shorter length and at most the
# multiset intersection of the two strings (difflib's own real_quick_ratio / quick_ratio bounds).
_NAME_COUNTS: list[tuple[int, str, int, dict[str, int]]] = [
    (i, n, len(n), dict(Counter(n))) for i, (_, names) in enumerate(_NAME_KEYS) for n in names if n
]

_NAME_INDEX: dict[str, int] = {}  # name -> first section having it
for _i, _n, _, _ in _NAME_COUNTS:
    _NAME_INDEX.setdefault(_n, _i)
_NAME_CHARS = SharedChars(n for _, n, _, _ in _NAME_COUNTS)


@functools.lru_cache(maxsize=8192)
def _best(title_key: str) -> tuple[int, float]:
    """Index of the section whose label or variant is closest to ``title_key``, and the ratio."""
    best_i, best_r = -1, 0.0
    if not title_key:
        return best_i, best_r
    exact = _NAME_INDEX.get(title_key)
    if exact is not None:  # ratio 1.0 only for equal strings: the first section with this name wins
        return exact, 1.0
    # The answer is the first name (in _NAME_COUNTS order) with the highest ratio. difflib's ratio is
    # at most 2*shared/(len(a)+len(b)) (its quick_ratio bound), so names are tried from the highest
    # bound down and the search stops when no name left can beat (or tie earlier than) the best.
    la = len(title_key)
    shared = _NAME_CHARS.shared(title_key)
    bounds = [2.0 * shared[ni] / (la + e[2]) for ni, e in enumerate(_NAME_COUNTS)]
    best_ni = -1
    for ni in sorted(range(len(bounds)), key=bounds.__getitem__, reverse=True):
        bound = bounds[ni]
        if bound < best_r:
            break
        if bound == best_r and (best_ni < 0 or ni > best_ni):
            continue
        r = SequenceMatcher(None, title_key, _NAME_COUNTS[ni][1], autojunk=False).ratio()
        if r > best_r or (r == best_r and best_ni >= 0 and ni < best_ni):
            best_ni, best_r = ni, r
    if best_ni >= 0:
        best_i = _NAME_COUNTS[best_ni][0]
    return best_i, best_r


def _glued(title: str, key: tuple[str, list[int]] | None = None) -> tuple[int, float, int] | None:
    """A label at the start of ``title`` followed by body text: (section, ratio, end offset in title)."""
    tkey, tpos = key if key is not None else _key(title)
    best: tuple[int, float, int] | None = None
    for i, n, ln, n_counts in _NAME_COUNTS:
        if ln < 4:
            continue
        lo, hi = max(4, ln - 2), min(len(tkey) - 1, ln + 2)
        if lo > hi:
            continue
        # characters of tkey[:length] shared with n (multiset), kept up to date as length grows
        pref: dict[str, int] = {}
        inter = 0
        for length in range(1, hi + 1):
            ch = tkey[length - 1]
            k = pref.get(ch, 0)
            if k < n_counts.get(ch, 0):
                inter += 1
            pref[ch] = k + 1
            if length < lo:
                continue
            # upper bound of the ratio (difflib's quick_ratio): skip what cannot qualify or beat the best
            bound = 2.0 * inter / (length + ln)
            if bound < _GLUED_MIN or (best is not None and bound <= best[1]):
                continue
            r = _ratio(tkey[:length], n)
            if r >= _GLUED_MIN and (best is None or r > best[1]):
                best = (i, r, tpos[length - 1] + 1)
    if best is None:
        return None
    rest_key = _key(title[best[2] :])[0]
    # an enumeration of section names ("总体情况、主动公开…") is not a body
    if any(n in rest_key for _, names in _NAME_KEYS for n in names if len(n) >= 4):
        return None
    return best


def clean_line(text: str) -> str:
    """A line's text without Markdown markers, bold marks and outer whitespace."""
    t = _BOLD.sub("", text)
    t = _MARKUP.sub("", t, count=1)
    return t.strip().strip("*").strip()


def heading_match(text: str, next_text: str | None = None) -> HeadingMatch | None:
    """Read ``text`` (and, for a split heading, ``next_text``) as a section heading, or None."""
    t = clean_line(text)
    if not t or _SUBNUMBERED.match(t) or _CAPTION.match(t):
        return None
    t = _TOC_LEADER.sub("", t).rstrip()
    m = _NUMBERED.match(t)
    if m:
        number = m.group(1)
        title = t[m.end() :]
        prefix = t[: m.end()]
        sep = m.group(2)
        nxt = clean_line(next_text) if next_text else ""
        if not title.strip():
            # the numeral alone, the title on the next line
            if not nxt or _SUBNUMBERED.match(nxt) or _NUMBERED.match(nxt):
                return None
            i, r = _best(_key(nxt)[0])
            if i < 0 or r < _NUMBERED_MIN_IN_ORDER:
                return None
            return HeadingMatch(SECTIONS[i].key, number, (prefix + nxt).strip(), "", r, 2)
        title_key = _key(title)
        tkey = title_key[0]
        if not tkey or tkey[0].isdigit():
            return None
        i, r = _best(tkey)
        if sep is None and r < 0.9:  # "一是…", "一年来…": not a heading
            return None
        # a heading wrapped onto the next line ("…行政诉" / "讼情况")
        if nxt and len(_key(nxt)[0]) <= 12 and not _NUMBERED.match(nxt) and not _SUBNUMBERED.match(nxt):
            i2, r2 = _best(tkey + _key(nxt)[0])
            if r2 >= _NUMBERED_MIN and r2 > r + 0.05 and r2 > 0.9:
                return HeadingMatch(SECTIONS[i2].key, number, (t + nxt).strip(), "", r2, 2)
        g = _glued(title, title_key) if r < 1.0 else None
        if g is not None and g[1] > r:
            # "五、存在的主要问题及改进情况我局…": the heading, then its first sentence
            gi, gr, end = g
            rest = title[end:].lstrip(" :：。.，,").strip()
            heading = (prefix + title[:end]).strip() if rest else t
            return HeadingMatch(SECTIONS[gi].key, number, heading, rest, gr)
        if r >= _NUMBERED_MIN_IN_ORDER:
            return HeadingMatch(SECTIONS[i].key, number, t, "", r)
        return None
    # no numeral: the whole line must be a label, or a label and a colon ("其他需要报告的事项：无。")
    cm = re.search(r"[:：]", t)
    head, colon, rest = (t[: cm.start()].strip(), cm.group(), t[cm.end() :]) if cm else (t, "", "")
    if not head or head[-1] in "、，,；;" or (not colon and head[-1] in "。."):
        return None
    if _key_longer(head, _MAX_NAME + 4):
        return None
    tkey = _key(head)[0]
    if not tkey or len(tkey) > _MAX_NAME + 4:
        return None
    i, r = _best(tkey)
    if r >= _PLAIN_MIN:
        return HeadingMatch(SECTIONS[i].key, None, head, rest.strip(), r)
    return None


def _is_table_line(line: Line, table_lines: set[int] | frozenset[int]) -> bool:
    if line.index in table_lines:
        return True
    if line.cells is not None and (len(line.cells) >= 3 or sum(1 for c in line.cells if c.strip()) >= 2):
        return True
    s = line.text.strip()
    return s.startswith("|") and s.count("|") >= 3


def _items(doc: Document, table_lines: set[int] | frozenset[int]) -> list[_Item]:
    out: list[_Item] = []
    for b in doc.blocks():
        if isinstance(b, Grid):
            last = b.index + max(len(b.rows), 1) - 1
            out.append(_Item(len(out), b.index, b.page, "", last, table=True))
        else:
            text = clean_line(b.text)
            out.append(
                _Item(
                    len(out),
                    b.index,
                    b.page,
                    text,
                    b.index,
                    table=_is_table_line(b, table_lines),
                    footer=bool(text) and bool(_FOOTER.match(_nfkc(text))),
                    markup=b.text.lstrip().startswith(("#", "**")),
                )
            )
    return out


def _next_nonempty(items: list[_Item], pos: int) -> _Item | None:
    """The next line with text after ``pos``; None if a table comes first or nothing follows."""
    for it in items[pos + 1 :]:
        if it.table:
            return None
        if it.text and not it.footer:
            return it
    return None


def _candidates(items: list[_Item]) -> list[_Cand]:
    out: list[_Cand] = []
    for it in items:
        if it.table or it.footer or not it.text:
            continue
        nxt = _next_nonempty(items, it.pos)
        hm = heading_match(it.text, nxt.text if nxt is not None else None)
        if hm is None:
            continue
        key_i = next(i for i, s in enumerate(SECTIONS) if s.key == hm.key)
        if hm.number is not None and hm.number != SECTION_NUMERALS[key_i] and hm.ratio < _NUMBERED_MIN:
            continue
        end = nxt.pos if (hm.lines == 2 and nxt is not None) else it.pos
        out.append(_Cand(it.pos, end, key_i, hm, extra={"toc_leader": bool(_TOC_LEADER.search(_nfkc(it.text)))}))
    return out


def _table_follows(items: list[_Item], pos: int, span: int = 15) -> bool:
    seen = 0
    for it in items[pos + 1 :]:
        if it.table:
            return True
        if not it.text or it.footer:
            continue
        t = _nfkc(it.text)
        if any(h in t for h in _TABLE_HINTS) or _NUMERIC_ROW.search(t):
            return True
        seen += 1
        if seen >= span:
            break
    return False


def _score(items: list[_Item], cands: list[_Cand]) -> None:
    by_pos = {c.pos: c for c in cands}
    for c in cands:
        hm = c.match
        s = hm.ratio
        if hm.number is not None:
            s += 0.5
            if hm.number == SECTION_NUMERALS[c.key_i]:
                s += 0.3
        elif items[c.pos].markup:
            s += 0.1
        if hm.key in _TABLE_KEYS and _table_follows(items, c.end):
            s += 0.2
        # table of contents / enumeration: the next line is another heading and the key recurs later
        nxt = _next_nonempty(items, c.end)
        recurs = any(o.key_i == c.key_i and o.pos > c.pos for o in cands)
        if c.extra.get("toc_leader"):
            s -= 1.0
        elif nxt is not None and nxt.pos in by_pos and by_pos[nxt.pos].key_i != c.key_i and recurs and not hm.rest:
            s -= 0.6
        c.score = s


def _best_chain(cands: list[_Cand]) -> list[_Cand]:
    """The chain of candidates in document order with strictly increasing keys and the highest score."""
    n = len(cands)
    best = [c.score for c in cands]
    prev = [-1] * n
    for j in range(n):
        for i in range(j):
            a, b = cands[i], cands[j]
            if a.end < b.pos and a.key_i < b.key_i and best[i] + b.score > best[j] + 1e-9:
                best[j] = best[i] + b.score
                prev[j] = i
    if not n:
        return []
    end = max(range(n), key=lambda k: (best[k], -k))
    chain: list[_Cand] = []
    while end >= 0:
        chain.append(cands[end])
        end = prev[end]
    return chain[::-1]


def _keyword_fallback(items: list[_Item], chain: list[_Cand]) -> list[_Cand]:
    """Numbered headings with an unrecognised wording, taken by numeral and title words in a gap."""
    found = {c.key_i for c in chain}
    out = list(chain)
    for key_i, sec in enumerate(SECTIONS):
        if key_i in found:
            continue
        before = [c for c in out if c.key_i < key_i]
        after = [c for c in out if c.key_i > key_i]
        lo = max((c.end for c in before), default=-1)
        hi = min((c.pos for c in after), default=len(items))
        for it in items[lo + 1 : hi]:
            if it.table or it.footer or not it.text:
                continue
            t = _TOC_LEADER.sub("", it.text)
            m = _NUMBERED.match(t)
            if not m or m.group(1) != SECTION_NUMERALS[key_i] or m.group(2) is None:
                continue
            title = t[m.end() :]
            if 2 <= len(_key(title)[0]) <= 30 and any(w in title for w in _KEYWORDS[sec.key]):
                hm = HeadingMatch(sec.key, m.group(1), t, "", 0.0)
                out.append(_Cand(it.pos, it.pos, key_i, hm))
                break
        out.sort(key=lambda c: c.pos)
    return out


def _infer_problems(items: list[_Item], chain: list[_Cand]) -> _Cand | None:
    """§五 without a heading: its body starts after §四 with （一）…问题/改进… (shoffice, kewei)."""
    prob_i = next(i for i, s in enumerate(SECTIONS) if s.key == "problems")
    if any(c.key_i == prob_i for c in chain):
        return None
    review = next((c for c in chain if c.key_i == prob_i - 1), None)
    if review is None:
        return None
    hi = min((c.pos for c in chain if c.key_i > prob_i), default=len(items))
    for it in items[review.end + 1 : hi]:
        if it.table or it.footer or not it.text:
            continue
        t = _nfkc(it.text)
        if (_PROBLEM_START.match(t) and any(w in t for w in _PROBLEM_WORDS)) or _PROBLEM_PLAIN.match(t):
            hm = HeadingMatch("problems", None, "", "", 0.0)
            return _Cand(it.pos, it.pos - 1, prob_i, hm, extra={"inferred": True})
    return None


def _text(cand: _Cand, body: Iterable[_Item]) -> str:
    lines: list[str] = []
    if cand.match.rest:
        lines.append(cand.match.rest)
    leading = not lines
    for it in body:
        if it.table or it.footer or not it.text:
            continue
        if leading:
            # a repeated heading right under the first one ("## 一、总体情况" / "### 一、总体情况")
            hm = heading_match(it.text)
            if hm is not None and hm.key == cand.match.key and not hm.rest:
                continue
            leading = False
        lines.append(it.text)
    return "\n".join(lines)


def split_sections(doc: Document, table_lines: set[int] | frozenset[int] = frozenset()) -> list[Section]:
    """The sections 一…六 found in ``doc``, in order; a section not found is absent."""
    items = _items(doc, table_lines)
    cands = _candidates(items)
    _score(items, cands)
    chain = _best_chain(cands)
    chain = _keyword_fallback(items, chain)
    inferred = _infer_problems(items, chain)
    if inferred is not None:
        chain = sorted([*chain, inferred], key=lambda c: c.pos)
    sections: list[Section] = []
    for k, cand in enumerate(chain):
        stop = chain[k + 1].pos if k + 1 < len(chain) else len(items)
        covered = items[cand.pos : stop]
        first, last = covered[0], covered[-1]
        hm = cand.match
        sections.append(
            Section(
                key=hm.key,
                number=hm.number,
                heading=hm.heading,
                text=_text(cand, items[cand.end + 1 : stop]),
                location=Location(
                    page_start=first.page,
                    page_end=last.page,
                    line_start=first.index,
                    line_end=last.last_index,
                ),
                found=not cand.extra.get("inferred", False),
            )
        )
    return sections
